"""Knowledge text and typed input are data: nothing in them may steer the terminal.

Rich markup in a knowledge file ("[bold red]X[/]", "[link=...]") is printed as the characters
it is, in every format; escape sequences (ANSI colour, OSC 8 hyperlinks) in a knowledge file
are validation errors (SUBQ015) that leave the file out, with a warning, while answers keep
coming from everything else; and a name typed with escapes in it prints no escape anywhere.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SUBQ = shutil.which("subq", path=str(Path(sys.executable).parent)) or shutil.which("subq")
TODAY = dt.date.today().isoformat()

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
LINK = re.compile(r"\x1b\]8;([^\x1b\x07]*)\x1b\\")

MARKUP = "[bold red]X[/]"
LINK_MARKUP = "[link=https://evil.example]click[/link]"
BLINK = "[blink]B[/blink]"

GOOD_SOURCES = """\
sources:
  - key: markup-source
    title: "Markup [link=https://evil.example]click[/link] title"
    publisher: "[bold red]Publisher[/]"
    year: 2025
    url: https://example.org/page
    accessed: 2026-11
"""
GOOD_SUBSTANCE = f"""\
id: gizmo
name: "Gizmo [bold red]X[/]"
kind: substance
summary:
  text: "A made-up [link=https://evil.example]click[/link] substance [bold red]X[/] for tests."
  sources: [markup-source]
names:
  brands: ["Gizmax [blink]B[/blink]"]
classes:
  - class: opioid
    relation: unrelated
    note: "Not an opioid [bold red]X[/] [link=https://evil.example]click[/link]."
    sources: [markup-source]
review:
  last_checked: {TODAY}
"""
# Real escape characters (YAML "\\e" is ESC), so these are SUBQ015 errors.
BAD_SUBSTANCE = f"""\
id: trick
name: "Trick \\e[31mred\\e[0m"
kind: substance
summary:
  text: "Click \\e]8;;https://evil.example\\e\\\\here\\e]8;;\\e\\\\ now \\x9b31m"
  sources: [markup-source]
classes:
  - class: opioid
    relation: member
    note: "Claims to be an opioid."
    sources: [markup-source]
review:
  last_checked: {TODAY}
"""


@pytest.fixture
def good(tmp_path: Path) -> Path:
    root = tmp_path / "good"
    (root / "substances").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "sources" / "bib.yaml").write_text(GOOD_SOURCES, encoding="utf-8")
    (root / "substances" / "gizmo.yaml").write_text(GOOD_SUBSTANCE, encoding="utf-8")
    return root


@pytest.fixture
def bad(good: Path) -> Path:
    """The good folder plus a substance whose text holds ANSI and OSC 8 escapes."""
    (good / "substances" / "trick.yaml").write_text(BAD_SUBSTANCE, encoding="utf-8")
    return good


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch):
    # Wide enough that no line is wrapped inside the markup being looked for.
    monkeypatch.setenv("COLUMNS", "250")


BOX = re.compile(r"[\u2500-\u257f]")


def visible(out: str) -> str:
    """The text a terminal shows, as words: colour and link escapes, box drawing and the
    line breaks of wrapping removed."""
    return " ".join(BOX.sub(" ", LINK.sub("", SGR.sub("", out))).split())


def test_knowledge_files_are_written_as_intended(good, bad):
    text = (bad / "substances" / "trick.yaml").read_text(encoding="utf-8")
    assert "\\e[31m" in text and "\x1b" not in text  # escapes only once YAML reads them
    assert "[bold red]X[/]" in (good / "substances" / "gizmo.yaml").read_text(encoding="utf-8")


def test_markup_file_is_valid(cli, good):
    r = cli("validate", str(good))
    assert r.code == 0, r.out + r.err


def test_escape_sequences_in_knowledge_are_validation_errors(cli, bad):
    r = cli("validate", str(bad))
    assert r.code == 4
    lines = [line for line in r.out.splitlines() if "trick.yaml" in line]
    assert lines and all("SUBQ015" in line for line in lines), r.out
    assert {"SUBQ015"} == set(re.findall(r"SUBQ\d{3}", r.out)), r.out
    assert "\x1b" not in r.out + r.err
    assert not CONTROL.search(r.out + r.err)
    doc = cli("validate", str(bad), "--json").json()
    assert doc["errors"] >= 2 and {p["code"] for p in doc["problems"]} == {"SUBQ015"}


def test_left_out_file_is_reported_on_stderr_and_shipped_answers_still_come(cli, bad):
    r = cli("is-opioid", "fentanyl", "--json", "--knowledge", str(bad))
    assert r.code == 0, r.err
    assert r.json()["verdict"] == "yes"
    warnings = r.err.splitlines()
    assert warnings and all(w.startswith("subq: warning: ") for w in warnings), r.err
    assert all("trick.yaml" in w and "SUBQ015" in w for w in warnings), r.err
    assert "subq validate" in r.err
    assert not CONTROL.search(r.err), repr(r.err)
    # The file was left out: its name is unknown, the valid file beside it is answered from.
    missing = cli("show", "trick", "--knowledge", str(bad))
    assert missing.code == 3 and not CONTROL.search(missing.err)
    assert cli("is", "gizmo", "opioid", "--json", "--knowledge", str(bad)).json()["verdict"] \
        == "no"


@pytest.mark.parametrize("fmt", ["rich", "plain", "markdown"])
def test_left_out_file_leaves_no_trace_in_any_format(cli, bad, fmt):
    r = cli("list", "--format", fmt, "--knowledge", str(bad))
    assert r.code == 0, r.err
    assert not re.search(r"\btrick\b", r.out, re.IGNORECASE), r.out
    out = visible(r.out) if fmt == "rich" else r.out
    assert not CONTROL.search(out), repr(out[:300])
    assert "evil.example" not in "".join(LINK.findall(r.out))


FORMATS = {"rich": ["--format", "rich"], "plain": ["--plain"],
           "markdown": ["--format", "markdown"], "json": ["--json"]}
QUESTIONS = {
    "show": (["show", "gizmo"], [MARKUP, LINK_MARKUP, BLINK, "[bold red]Publisher[/]"]),
    "is": (["is", "gizmo", "opioid"], [MARKUP, LINK_MARKUP]),
    "compare": (["compare", "gizmo", "heroin"], [MARKUP]),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_markup_in_knowledge_is_printed_literally(cli, good, fmt, question):
    args, literals = QUESTIONS[question]
    r = cli(args[0], *FORMATS[fmt], *args[1:], "--knowledge", str(good))
    assert r.code == 0, r.err
    assert r.err == ""
    if fmt == "json":
        flat = repr(r.json())  # every string of the document, as it was in the file
        for literal in literals:
            assert literal in flat, (literal, r.out[:500])
        return
    shown = visible(r.out) if fmt == "rich" else " ".join(r.out.split())
    for literal in literals:
        assert literal in shown, (literal, shown[:1500])
    assert not CONTROL.search(visible(r.out) if fmt == "rich" else r.out)
    links = LINK.findall(r.out)
    assert not any("evil.example" in link for link in links), links
    if fmt == "rich":
        assert "\x1b[" in r.out  # really the Rich renderer, with colour
        if question == "show":
            assert any("https://example.org/page" in link for link in links), links
    else:
        assert "\x1b" not in r.out and not links


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_typed_markup_is_printed_literally(cli, fmt):
    r = cli("search", *FORMATS[fmt], "[bold red]zzqx[/]", "[link=https://evil.example]y")
    assert r.code == 0, r.err
    if fmt == "json":
        assert r.json()["query"] == "[bold red]zzqx[/] [link=https://evil.example]y"
        return
    shown = visible(r.out) if fmt == "rich" else r.out
    assert "[bold red]zzqx[/]" in shown, shown
    assert not any("evil.example" in link for link in LINK.findall(r.out))


TYPED = "\x1b]8;;http://x\x1b\\click"  # what `subq is-opioid $'\x1b]8;;http://x\x1b\\click'` gets
TYPED_MORE = ["\x1b[31mred\x1b[0m", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
              "\x9b31mred", "\x1b[2J\x1b[Hclear", "\x1b]0;title\x07"]


@pytest.mark.parametrize("fmt", [[], *FORMATS.values()])
def test_typed_name_with_escapes_prints_no_escape(cli, fmt):
    r = cli("is-opioid", TYPED, *fmt)
    assert r.code == 3
    assert r.out == ""
    assert "\x1b" not in r.err and not CONTROL.search(r.err), repr(r.err)
    assert r.err.startswith("subq: error: ") and r.err.count("\n") == 1
    assert "click" in r.err  # the name is still shown, only its escapes are gone


@pytest.mark.parametrize("typed", TYPED_MORE)
@pytest.mark.parametrize("args", [("is-opioid", "{}"), ("show", "{}"), ("compare", "heroin", "{}"),
                                  ("mix", "{}", "fentanyl"), ("naloxone", "{}"),
                                  ("is", "fentanyl", "{}"), ("detection", "{}")])
def test_other_typed_escapes_print_no_escape(cli, args, typed):
    r = cli(*[typed if a == "{}" else a for a in args])
    assert r.code == 3, r.err
    assert not CONTROL.search(r.out + r.err), repr(r.err)


def test_typed_escapes_in_a_real_process(tmp_path):
    """The installed command: nothing reaches the real stderr (or stdout) but plain text."""
    if SUBQ is None:
        pytest.skip("the subq command is not installed")
    env = {**os.environ, "SUBQ_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["is-opioid", TYPED], ["is-opioid", TYPED, "--format", "rich"],
                 ["show", TYPED_MORE[1]], ["compare", "heroin", TYPED_MORE[2]]):
        r = subprocess.run([SUBQ, *args], cwd=tmp_path, env=env, capture_output=True,
                           timeout=120)
        assert r.returncode == 3, r.stderr
        assert b"\x1b" not in r.stderr and b"\x1b" not in r.stdout, r.stderr
        assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", r.stderr), r.stderr
        assert b"Traceback" not in r.stderr


def test_shipped_answers_in_rich_have_only_known_links(cli):
    r = cli("show", "fentanyl", "--format", "rich")
    assert r.code == 0
    for link in LINK.findall(r.out):
        assert link == ";" or re.fullmatch(r"(id=[^;]*)?;https?://\S+", link), link
    assert not CONTROL.search(visible(r.out))


# -- known bugs -------------------------------------------------------------------------------

ESCAPED_NAME = "\x1b[31mred\x1b]8;;https:\u2215\u2215evil.example\x1b\\click\x1b]8;;\x1b\\"


def _knowledge_with_escaped_path(tmp_path: Path, where: str) -> Path:
    root = tmp_path / ("k" + (ESCAPED_NAME if where == "folder" else ""))
    (root / "substances").mkdir(parents=True)
    name = ESCAPED_NAME if where == "file" else "broken"
    (root / "substances" / f"{name}.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("where", ["file", "folder"])
def test_escapes_in_a_knowledge_path_are_not_echoed_in_warnings(cli, tmp_path, where):
    root = _knowledge_with_escaped_path(tmp_path, where)
    r = cli("is-opioid", "fentanyl", "--json", "--knowledge", str(root))
    assert r.code == 0 and r.json()["verdict"] == "yes"
    assert "SUBQ001" in r.err
    assert "\x1b" not in r.err, repr(r.err)


@pytest.mark.parametrize("where", ["file", "folder"])
def test_escapes_in_a_knowledge_path_are_not_echoed_by_validate(cli, tmp_path, where):
    root = _knowledge_with_escaped_path(tmp_path, where)
    r = cli("validate", str(root))
    assert r.code == 4
    assert "SUBQ001" in r.out
    assert "\x1b" not in r.out + r.err, repr(r.out)
