"""The answers only questions need: crisis, dosing, classification, comparisons of products,
and no question ever ending in a usage error."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from substance_cli.ask.shapes import states_amount
from substance_cli.cli.runner import run

FORMATS = {"plain": ["--plain"], "markdown": ["--format", "markdown"],
           "rich": ["--format", "rich"], "json": ["--json"]}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: The crisis line each region must open with (checked against knowledge/resources).
CRISIS_LINES = {"us": "988", "ca": "988", "uk": "116 123", "ie": "116 123", "au": "13 11 14",
                "nz": "1737"}
EMERGENCY = {"us": "911", "ca": "911", "uk": "999", "ie": "112 or 999", "au": "000",
             "nz": "111"}


def text_of(out: str, fmt: str, sources: bool = True) -> str:
    """The answer's text; without the bibliography when `sources` is false (a source's title
    may name a tablet strength, which is no advice)."""
    if fmt == "json":
        answer = json.loads(out)["answer"]
        return json.dumps(answer if sources else {k: v for k, v in answer.items()
                                                  if k != "sources"})
    text = ANSI.sub("", out)
    if not sources:
        for marker in ("\nSources\n", "\n## Sources", "Sources ─", "\n Sources"):
            text = text.split(marker)[0]
    return text


def first_lines(out: str, fmt: str, n: int = 6) -> str:
    if fmt == "json":
        answer = json.loads(out)["answer"]
        lines = answer.get("crisis_lines") or []
        return " ".join(str(x) for x in (answer.get("type"), answer.get("statement"),
                                         lines[0].get("phone") if lines else ""))
    return "\n".join(ANSI.sub("", out).strip().splitlines()[:n])


def test_every_region_has_its_crisis_line_in_the_knowledge():
    from substance_cli.kb.files import shipped_root

    for region, number in CRISIS_LINES.items():
        data = yaml.safe_load((shipped_root() / "resources" / f"{region}.yaml").read_text())
        lines = [s for s in data["services"] if s.get("kind") == "crisis"]
        assert lines and lines[0]["phone"] == number and lines[0].get("sources"), region
        assert data["emergency"] == EMERGENCY[region]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("question", [
    "i want to kill myself", "i feel like ending it all", "there is no reason to live",
    "everyone would be better off without me", "i dont want to be here anymore",
    "i want to hurt myself",
])
def test_crisis_opens_with_the_crisis_line_in_every_format(cli, fmt, question):
    r = cli("ask", question, *FORMATS[fmt])
    assert r.code == 0, r.err
    head = first_lines(r.out, fmt)
    assert "988" in head, head
    whole = text_of(r.out, fmt)
    assert "911" in whole
    assert "Signs of an opioid overdose" not in whole  # no overdose words: no first aid
    if fmt != "json":
        assert whole.index("988") < whole.index("911")


@pytest.mark.parametrize("fmt", FORMATS)
def test_crisis_with_overdose_words_adds_first_aid_after_the_crisis_line(cli, fmt):
    r = cli("ask", "i took all my pills and want to die", *FORMATS[fmt])
    whole = text_of(r.out, fmt)
    assert "Signs of an opioid overdose" in whole
    if fmt != "json":
        assert whole.index("988") < whole.index("911") < whole.index("Signs of an opioid")


@pytest.mark.parametrize(("region", "number"), list(CRISIS_LINES.items()))
def test_crisis_line_follows_the_region(cli, region, number):
    r = cli("ask", "i want to end my life", "--region", region, "--plain")
    head = first_lines(r.out, "plain")
    assert f"CALL {number}" in head, head
    assert EMERGENCY[region] in r.out


def test_unknown_region_still_gives_every_crisis_line(cli, monkeypatch):
    monkeypatch.setenv("SUBQ_REGION", "xx")
    r = cli("ask", "i want to kill myself", "--json")
    assert r.code == 0
    phones = {s["phone"] for s in r.json()["answer"]["crisis_lines"]}
    assert set(CRISIS_LINES.values()) <= phones


def test_suicide_words_in_a_question_about_a_drug_keep_the_answer_and_add_the_line(cli):
    doc = cli("ask", "can zoloft make you suicidal", "--json").json()
    assert doc["intent"] == "about" and doc["answer"]["entry"]["id"] == "sertraline"
    assert "988" in doc["crisis_note"]["text"]
    plain = cli("ask", "can zoloft make you suicidal", "--plain").out
    assert plain.splitlines()[0] == "If you are struggling"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("question", [
    "how much xanax should i take to get high", "safe dose of mdma",
    "how much tylenol is too much", "how many percs can i take at once",
    "whats a lethal dose of fentanyl",
])
def test_dosing_says_no_dosing_advice_first_and_never_a_number(cli, fmt, question):
    r = cli("ask", question, *FORMATS[fmt])
    assert r.code == 0, r.err
    head = first_lines(r.out, fmt, 3)
    assert "no dosing advice" in head.lower(), head
    answer = text_of(r.out, fmt, sources=False)
    assert not re.search(r"\d[\d,.]*\s*(mg|mcg|µg|ml|milligrams?|grams?)\b", answer), answer
    if fmt != "json":
        assert "help-now" in answer


def test_amounts_are_recognised():
    assert states_amount("Labels say adults should not take more than 1,000 mg at once.")
    assert states_amount("Take two pills.") and states_amount("a 5mg dose")
    assert not states_amount("Liver damage may not show for 2 to 3 days.")


def test_classification_gives_classes_schedule_then_card(cli):
    doc = cli("ask", "what type of drug is xanax", "--json").json()
    answer = doc["answer"]
    assert doc["intent"] == "classify" and answer["type"] == "classification"
    assert {c["class"] for c in answer["classes"]} >= {"benzodiazepine"}
    assert answer["legal"]["us"].startswith("Schedule IV")
    assert answer["card"]["entry"]["id"] == "alprazolam"
    out = cli("ask", "what type of drug is xanax", "--plain").out
    assert out.index("Classes") < out.index("Legal status") < out.index("Sources")


def test_classification_of_a_product_goes_through_its_ingredients(cli):
    answer = cli("ask", "what kind of drug is suboxone", "--json").json()["answer"]
    assert {(c["class"], c["via"]) for c in answer["classes"]} >= {
        ("semi-synthetic-opioid", "buprenorphine"), ("opioid-antagonist", "naloxone")}


@pytest.mark.parametrize("names", [("suboxone", "methadone"), ("norco", "percocet")])
def test_compare_a_product_with_a_substance(cli, names):
    r = cli("compare", *names, "--json")
    assert r.code == 0, r.err
    class_row = next(row for row in r.json()["rows"] if row["label"] == "Class")
    assert "not recorded" not in class_row["values"][0]


@pytest.mark.parametrize("question", ["suboxone vs methadone", "norco vs percocet",
                                      "xanax vs benzos", "are xanax and alprazolam the same",
                                      "can you mix xanax with xanax"])
def test_comparisons_from_ask_never_end_in_a_usage_error(cli, question):
    assert cli("ask", question, "--json").code == 0


_NAMES = ["xanax", "suboxone", "methadone", "norco", "percocet", "weed", "alcohol", "benzos",
          "opioids", "narcan", "kratom", "fentanyl", "lyrica", "ozempic", "fentnayl", "molly",
          "opioid", "heroin (smack)", "7-oh", "tranq", "coke"]
_WORDS = ["is", "a", "an", "vs", "and", "or", "with", "mix", "same", "thing", "how", "long",
          "much", "to", "get", "high", "drink", "on", "withdrawal", "stay", "in", "system",
          "what", "kind", "of", "drug", "legal", "uk", "does", "work", "die", "kill", "myself",
          "overdose", "dose", "safe", "(", ")", "?", "difference", "between", "class"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_NAMES + _WORDS) | st.text(min_size=1, max_size=8),
                min_size=1, max_size=9))
def test_no_question_exits_2(words):
    question = " ".join(words)
    if not question.strip() or not any(ch.isalnum() for ch in question):
        return  # an empty question is the one usage error `ask` has
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = run(["ask", "--json", "--", question])  # "--": a question may start with "-"
    assert code in (0, 3), (question, code)
    if code == 0 or out.getvalue():
        json.loads(out.getvalue())
