"""`subq ask`: plain-English questions route to the right intent and names."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from substance_cli.ask.router import read_question
from substance_cli.cli.session import open_store

DATA = Path(__file__).parent / "data"
with open(DATA / "questions.tsv", encoding="utf-8") as fh:
    PHRASINGS = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("question")]


def expected_entities(row: dict[str, str]) -> set[str]:
    return {e.strip() for e in (row["entities"] or "").split(";") if e.strip()}


def routed(store, question: str) -> tuple[str, set[str]]:
    r = read_question(store, question)
    return r.intent, {f"{e.kind}:{e.id}" for e in r.entities if e.kind in ("substance", "class")}


@pytest.fixture(scope="module")
def store():
    return open_store()


def test_phrasing_set_is_large_enough():
    assert len(PHRASINGS) >= 150
    assert len({r["intent"] for r in PHRASINGS}) == 10


def test_routing_accuracy_is_at_least_95_percent(store):
    wrong, per_intent, right_per_intent = [], Counter(), Counter()
    for row in PHRASINGS:
        intent, entities = routed(store, row["question"])
        per_intent[row["intent"]] += 1
        if intent == row["intent"] and entities == expected_entities(row):
            right_per_intent[row["intent"]] += 1
        else:
            wrong.append(f"{row['question']!r}: expected {row['intent']} "
                         f"{sorted(expected_entities(row))}, got {intent} {sorted(entities)}")
    accuracy = 1 - len(wrong) / len(PHRASINGS)
    report = "\n".join(wrong)
    assert accuracy >= 0.95, f"{accuracy:.1%} routed right; failures:\n{report}"


def test_ask_gives_exactly_the_is_opioid_answer(cli):
    direct = cli("is-opioid", "ketamine", "--json").json()
    asked = cli("ask", "is ketamine an opioid?", "--json").json()
    assert asked["intent"] == "is_class"
    assert asked["answer"] == direct
    assert set(asked) >= {"question", "intent", "entities", "answer"}


def test_unquoted_words(cli):
    doc = cli("ask", "is", "lyrica", "an", "opioid", "--json").json()
    assert doc["answer"]["substance"]["id"] == "pregabalin"


def test_emergency_puts_help_first(cli):
    r = cli("ask", "my friend took fentanyl and is not breathing", "--plain")
    assert r.code == 0
    first = r.out.strip().splitlines()[0]
    assert "Emergency" in first or "CALL" in first


def test_explain_shows_the_deciding_words(cli):
    out = cli("ask", "can you mix xanax and alcohol", "--explain", "--plain").out
    assert "How the question was read" in out and "interaction" in out


def test_unknown_question_falls_back_to_search(cli):
    r = cli("ask", "receptor", "--json")
    assert r.code == 0
    assert r.json()["intent"] in ("search", "about")


def test_empty_question_is_a_usage_error(cli):
    assert cli("ask", "   ").code == 2


def test_shared_seed_questions_route_to_their_intent(store):
    """The starting set from the shared answer key (copied to tests/data)."""
    with open(DATA / "questions-seed.tsv", encoding="utf-8") as fh:
        seed = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("question")]
    wrong = [(r["question"], r["intent"], read_question(store, r["question"]).intent)
             for r in seed if read_question(store, r["question"]).intent != r["intent"]]
    assert len(seed) >= 40 and not wrong, wrong
