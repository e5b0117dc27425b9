"""How much of what people type the knowledge answers, measured against the DOPE tables
(brand, street and controlled-substance names compiled from DEA material; MIT licence,
tests/data/dope/DOPE-LICENSE.md). The tables are a checklist here, never a cited source."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from substance_cli.answers.resolve import find, resolve_one
from substance_cli.common.errors import SubqError
from substance_cli.common.text import fold
from substance_cli.common.words import SCHEDULES

ROOT = Path(__file__).resolve().parent.parent
DOPE = Path(__file__).resolve().parent / "data" / "dope"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def store():
    from substance_cli.cli.session import open_store

    return open_store()


def test_compiled_knowledge_matches_the_tables():
    r = subprocess.run([sys.executable, str(ROOT / "data" / "compile.py"), "--check"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, "run `python data/compile.py`:\n" + r.stderr


def _variants(name: str) -> list[str]:
    """The name as listed, and the parts a person would type: "Mephedrone
    (4-Methyl-N-methylcathinone)" is asked about as "Mephedrone" or as the part in brackets."""
    out = [name]
    if "(" in name:
        head, _, rest = name.partition("(")
        out += [head, rest.rsplit(")", 1)[0]]
    return [v.strip() for v in out if v.strip()]


def legal_schedule(store, names: list[str]) -> tuple[str, str | None] | None:
    """(entry id, US schedule) that `subq legal NAME` answers for the first name that
    resolves to one entry, preferring an entry with a schedule."""
    found = None
    for name in (v for n in names if n for v in _variants(n)):
        try:
            match = resolve_one(store, name, ("substance",))
        except SubqError:
            continue
        schedule = (store.get("substance", match.id).get("legal") or {}).get("us_schedule")
        if schedule in SCHEDULES:
            return match.id, schedule
        found = found or (match.id, schedule)
    return found


#: DOPE substances whose federal status changed since the table was compiled (2020-21), or
#: that the current schedules no longer name; each with the reason (see data/README.md).
DIFFERS = {
    "Fenfluramine": "removed from Schedule IV in December 2022",
    "Dexfenfluramine": "removed from Schedule IV in December 2022",
}


def test_controlled_substances_answer_legal_with_a_schedule(store):
    by_substance: dict[str, dict[str, object]] = {}
    for row in _rows(DOPE / "dope_dea_controlled.tsv"):
        entry = by_substance.setdefault(row["substance"], {"schedule": row["schedule"],
                                                           "names": [row["substance"]]})
        entry["names"].append(row["synonym"])  # type: ignore[union-attr]
    answered, missing = 0, []
    for substance, entry in by_substance.items():
        got = legal_schedule(store, entry["names"])  # type: ignore[arg-type]
        if got and got[1] in SCHEDULES:
            answered += 1
        elif substance not in DIFFERS:
            missing.append(substance)
    share = answered / len(by_substance)
    print(f"\n{answered} of {len(by_substance)} DOPE controlled substances answer `subq "
          f"legal` with a schedule ({share:.1%}); not answered: {missing}")
    assert share >= 0.95
    assert len(by_substance) >= 370


def test_names_people_type_resolve(store):
    declined = {fold(r["name"]) for r in _rows(ROOT / "data" / "declined-names.tsv")}
    names = {fold(r["synonym"]) for r in _rows(DOPE / "dope_names.tsv")} - {""}
    counted = sorted(names - declined)
    resolved = [n for n in counted if find(store, n, ("substance", "class")).matches]
    share = len(resolved) / len(counted)
    print(f"\n{len(resolved)} of {len(counted)} DOPE names not declined resolve ({share:.1%}); "
          f"{len(names & declined)} of {len(names)} declined with a reason")
    assert share >= 0.60


def test_every_declined_name_has_a_reason():
    rows = _rows(ROOT / "data" / "declined-names.tsv")
    assert rows and all(r["reason"].strip() for r in rows)


def test_everyday_words_never_resolve_on_their_own(store):
    for word in ("friend", "girl", "candy", "bag", "ball", "water", "ice cream", "baby"):
        assert not find(store, word, ("substance", "class")).matches, word


def test_cards_and_reference_entries_state_their_us_status(store):
    cards = references = 0
    for ident, _name in store.listing("substance"):
        data = store.get("substance", ident)
        if data.get("tier") == "reference":
            references += 1
        else:
            cards += 1
        assert (data.get("legal") or {}).get("us_schedule"), f"{ident}: no US federal status"
    print(f"\n{cards} full cards, {references} reference entries")
    assert cards >= 220
    assert references >= 450
