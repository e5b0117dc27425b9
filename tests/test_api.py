"""The Python API: the same answers as `--json`, typed errors, folders and regions as the CLI
reads them, and nothing heavy imported before it is needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from substance_cli.api import Knowledge, knowledge_roots
from substance_cli.common.errors import (
    AmbiguousNameError,
    ExitCode,
    InvalidKnowledgeError,
    KnowledgeFolderError,
    NameNotFoundError,
    SubqError,
    UsageError,
    typed,
)

FIXTURES = Path(__file__).parent / "fixtures" / "validation"


@pytest.fixture
def kb():
    with Knowledge.open() as opened:
        yield opened


#: (API call, the command line that must print the same JSON)
SAME_AS_CLI = [
    (lambda k: k.is_class("ketamine"), ["is-opioid", "ketamine"]),
    (lambda k: k.is_opioid("Lyrica"), ["is-opioid", "Lyrica"]),
    (lambda k: k.is_class("alprazolam", "benzodiazepine"), ["is", "alprazolam", "benzodiazepine"]),
    (lambda k: k.show("fentanyl"), ["show", "fentanyl"]),
    (lambda k: k.show("opioid"), ["show", "opioid"]),
    (lambda k: k.show("fentanyl-withdrawal-timeline"), ["show", "fentanyl-withdrawal-timeline"]),
    (lambda k: k.compare(["heroin", "methadone"]), ["compare", "heroin", "methadone"]),
    (lambda k: k.compare(("opioid", "benzodiazepine")), ["compare", "opioid", "benzodiazepine"]),
    (lambda k: k.mix(["fentanyl", "alprazolam"]), ["mix", "fentanyl", "alprazolam"]),
    (lambda k: k.related("ketamine"), ["related", "ketamine"]),
    (lambda k: k.detection("opioid", "urine"), ["detection", "opioid", "--specimen", "urine"]),
    (lambda k: k.detection("cannabis"), ["detection", "cannabis"]),
    (lambda k: k.withdrawal("fentanyl"), ["withdrawal", "fentanyl"]),
    (lambda k: k.naloxone("xylazine"), ["naloxone", "xylazine"]),
    (lambda k: k.legal("kratom"), ["legal", "kratom"]),
    (lambda k: k.search("nmda receptor", 5), ["search", "nmda", "receptor", "-n", "5"]),
    (lambda k: k.ask("is lyrica an opioid"), ["ask", "is lyrica an opioid"]),
    (lambda k: k.ask("can i mix xanax and alcohol", explain=True),
     ["ask", "--explain", "can i mix xanax and alcohol"]),
    (lambda k: k.ask("my friend is not breathing", region="uk"),
     ["ask", "--region", "uk", "my friend is not breathing"]),
    (lambda k: k.help_now(), ["help-now"]),
    (lambda k: k.help_now("ie"), ["help-now", "--region", "ie"]),
    (lambda k: k.listing(), ["list"]),
    (lambda k: k.listing("benzodiazepine"), ["list", "--class", "benzodiazepine"]),
    (lambda k: k.list_kind("class"), ["classes"]),
    (lambda k: k.list_kind("topic"), ["topics"]),
    (lambda k: k.info(), ["info"]),
]


@pytest.mark.parametrize("call,args", SAME_AS_CLI, ids=[" ".join(a) for _, a in SAME_AS_CLI])
def test_every_answer_is_the_json_the_cli_prints(kb, cli, call, args):
    r = cli(*args, "--json")
    assert r.code == 0, r.err
    answer = call(kb)
    assert answer == r.json()
    json.dumps(answer)  # JSON-ready: plain dicts, lists, strings, numbers
    if "type" in answer or "answer" in answer:
        assert answer.get("version", answer.get("answer", {}).get("version")) == 1


def test_answers_carry_sources_and_the_disclaimer(kb):
    for answer in (kb.is_opioid("ketamine"), kb.show("fentanyl"), kb.mix(["alcohol", "heroin"]),
                   kb.help_now(), kb.withdrawal("fentanyl")):
        assert answer["sources"] and all("title" in s and "n" in s for s in answer["sources"])
        assert "not medical advice" in answer["disclaimer"]


def test_unknown_name_is_a_typed_error_with_suggestions(kb, cli):
    with pytest.raises(NameNotFoundError) as info:
        kb.is_opioid("ketamien")
    err = info.value
    assert isinstance(err, SubqError) and err.code == ExitCode.NOT_FOUND == 3
    assert err.suggestions[0] == "ketamine" and err.query == "ketamien"
    assert err.as_dict()["error"] == "not_found"
    r = cli("is-opioid", "ketamien")  # and the CLI keeps its exit code and message
    assert r.code == 3 and r.err == f"subq: error: {err.message}\n"


def test_ambiguous_name_lists_candidates(kb, cli):
    with pytest.raises(AmbiguousNameError) as info:
        kb.show("china white")
    err = info.value
    assert {"fentanyl", "heroin"} <= set(err.candidates)
    assert isinstance(err, NameNotFoundError) and err.code == 3
    assert err.as_dict()["candidates"] == err.candidates
    assert cli("show", "china white").code == 3


@pytest.mark.parametrize("call", [
    lambda k: k.mix(["fentanyl"]),
    lambda k: k.mix(["fentanyl", "fentanyl"]),
    lambda k: k.compare(["heroin"]),
    lambda k: k.compare(["heroin", "opioid"]),
    lambda k: k.compare("heroin methadone"),  # a string is not a list of names
    lambda k: k.mix(None),
    lambda k: k.show(42),
    lambda k: k.search("nmda", 0),
    lambda k: k.search("nmda", 101),
    lambda k: k.search("nmda", True),
    lambda k: k.ask("   "),
    lambda k: k.list_kind("interaction"),
], ids=["mix one", "mix same twice", "compare one", "compare mixed kinds", "string as list",
        "None as list", "number as name", "limit 0", "limit 101", "limit bool", "empty question",
        "bad kind"])
def test_usage_errors_are_typed(kb, call):
    with pytest.raises(UsageError) as info:
        call(kb)
    assert info.value.code == ExitCode.USAGE == 2
    assert info.value.message


def test_unknown_region_still_gets_the_steps_and_names_the_known_ones(kb):
    """In an emergency nobody gets an error: the steps, 112, and where local lines exist."""
    doc = kb.help_now("zz")
    assert doc["type"] == "help" and doc["steps"]
    assert doc["region"]["known"] is False and doc["emergency"] is None
    assert "uk" in doc["warning"] and "us" in doc["warning"]


def test_unreadable_folder(tmp_path, cli):
    missing = tmp_path / "nope"
    with pytest.raises(KnowledgeFolderError) as info:
        Knowledge.open([missing])
    assert info.value.folder == str(missing) and info.value.code == 2
    assert isinstance(info.value, UsageError)
    r = cli("is-opioid", "ketamine", "--knowledge", str(missing))
    assert r.code == 2 and "not a readable folder" in r.err


def test_extra_folders_and_environment(monkeypatch, tmp_path):
    good = FIXTURES / "pass"
    with Knowledge.open([good]) as k:
        assert k.roots[1:] == [good]
        assert k.show("gizmo")["entry"]["id"] == "gizmo"
    monkeypatch.setenv("SUBQ_KNOWLEDGE_PATH", str(good))
    monkeypatch.setenv("SUBQ_REGION", "uk")
    with Knowledge.open() as k:
        assert k.roots[1:] == [good] and k.region == "uk"
        assert k.help_now()["region"]["id"] == "uk"
    with Knowledge.open(environment=False) as k:
        assert k.roots[1:] == [] and k.region == "us"
        with pytest.raises(NameNotFoundError):
            k.show("gizmo")
    with Knowledge.open(region="au") as k:
        assert k.help_now()["region"]["id"] == "au"
    assert knowledge_roots([good], environment=False)[1:] == [good]


def test_strict_refuses_invalid_knowledge(tmp_path):
    bad = FIXTURES / "SUBQ007"
    with Knowledge.open([bad]) as k:  # not strict: the bad file is left out, and listed
        assert any(p[3] == "SUBQ007" for p in k.problems())
    with pytest.raises(InvalidKnowledgeError) as info:
        Knowledge.open([bad], strict=True)
    err = info.value
    assert err.code == ExitCode.KNOWLEDGE_INVALID == 4
    assert err.problems and err.problems[0][3] == "SUBQ007"
    assert err.as_dict()["problems"][0]["code"] == "SUBQ007"
    with Knowledge.open([FIXTURES / "pass"], strict=True) as k:
        assert k.problems() == []


def test_echoed_input_is_cleaned_as_json_output_is(kb, cli):
    words = "nmda\x1b[31m\u202e receptor"
    answer = kb.search(words)
    assert "\x1b" not in answer["query"] and "\u202e" not in answer["query"]
    assert answer == cli("search", words, "--json").json()


def test_typed_turns_a_plain_error_into_its_subclass():
    usage = typed(SubqError("bad", ExitCode.USAGE))
    assert type(usage) is UsageError and usage.message == "bad"
    missing = typed(SubqError("gone", ExitCode.NOT_FOUND, ["a", "b"]))
    assert type(missing) is NameNotFoundError and missing.suggestions == ["a", "b"]
    already = AmbiguousNameError("x", ["a"])
    assert typed(already) is already
    other = SubqError("io", ExitCode.OUTPUT_FAILED)
    assert typed(other) is other


def test_one_knowledge_answers_many_questions(kb):
    for _ in range(50):
        assert kb.is_opioid("fentanyl")["verdict"] == "yes"
    kb.close()
    with pytest.raises(Exception):  # noqa: B017 - closed: sqlite3.ProgrammingError
        kb.store.db.execute("SELECT 1")


def test_importing_the_api_imports_no_answers_and_no_sqlite():
    code = ("import sys; import substance_cli.api; "
            "bad = [m for m in sys.modules if m.startswith(('substance_cli.answers', "
            "'substance_cli.ask', 'substance_cli.kb', 'sqlite3', 'yaml', 'mcp', 'pydantic'))]; "
            "print(bad)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_answering_commands_never_import_mcp():
    code = ("import contextlib, io, sys\n"
            "from substance_cli.cli.runner import run\n"
            "for args in (['is-opioid', 'ketamine', '--json'], ['ask', 'is xanax a benzo'], "
            "['help-now', '--plain']):\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        assert run(args) == 0\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('mcp', 'pydantic', 'anyio') "
            "or m == 'substance_cli.mcp_server'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
