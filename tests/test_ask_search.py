"""Search ranking measured on a relevance set: queries with the entries that answer them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from substance_cli.cli.session import open_store

DATA = Path(__file__).parent / "data"
with open(DATA / "search-relevance.tsv", encoding="utf-8") as fh:
    QUERIES = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("query")]


@pytest.fixture(scope="module")
def store():
    return open_store()


def ranks(store) -> list[tuple[str, int | None]]:
    out = []
    for row in QUERIES:
        relevant = {x.strip() for x in row["relevant"].split(";") if x.strip()}
        found = [ident for _k, ident, _n, _s in store.search(row["query"], 10)]
        out.append((row["query"], next((n for n, i in enumerate(found, 1) if i in relevant),
                                       None)))
    return out


def test_relevance_set_is_large_enough():
    assert len(QUERIES) >= 60


def test_a_right_entry_is_in_the_top_3_for_at_least_90_percent(store):
    got = ranks(store)
    top3 = sum(1 for _q, r in got if r and r <= 3) / len(got)
    mrr = sum(1 / r for _q, r in got if r) / len(got)
    misses = [f"{q!r}: rank {r}" for q, r in got if not r or r > 3]
    assert top3 >= 0.90, f"top-3 {top3:.1%}, MRR {mrr:.3f}; misses: {misses}"


def test_a_long_card_is_not_ranked_down_for_its_length(store):
    found = [ident for _k, ident, _n, _s in store.search("nmda receptor", 10)]
    assert "ketamine" in found[:3], found


def test_snippets_show_text_not_name_lists(store):
    rows = store.search("nmda receptor", 3)
    assert all(name.count("\n") == 0 and "NMDA" in snippet for _k, _i, name, snippet in rows)
