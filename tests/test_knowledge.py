"""The shipped knowledge: complete, sourced, valid, and as large as promised."""

from __future__ import annotations

import datetime as dt

import pytest

from substance_cli.kb.files import list_files, shipped_root
from substance_cli.kb.loader import load


@pytest.fixture(scope="module")
def ks():
    root = shipped_root()
    return load([root], today=dt.date.today(), files=list_files([root]))


def test_shipped_knowledge_has_no_problems(ks):
    assert [str(p) for p in ks.problems] == []


def test_coverage_counts(ks):
    assert len(ks.entries["substance"]) >= 120
    assert len(ks.entries["class"]) >= 25
    assert len(ks.entries["topic"]) >= 25
    assert len(ks.interactions) >= 60
    assert {"us", "uk", "ca", "ie", "au", "nz"} <= set(ks.entries["resource"])


def test_every_substance_is_sourced_classified_and_dated(ks):
    for ident, entry in ks.entries["substance"].items():
        data = entry.data
        assert data["summary"]["sources"], ident
        # A reference entry holds a schedule listing: a class only where its heading decides.
        assert data.get("classes") or data.get("ingredients") or \
            data.get("tier") == "reference", ident
        for rel in data.get("classes") or []:
            assert rel["sources"], ident
        assert data["review"]["last_checked"], ident
        assert "reviewed" not in data["review"], f"{ident}: no clinical review has happened"


def test_every_topic_and_class_is_sourced(ks):
    for ident, entry in ks.entries["topic"].items():
        assert entry.data["summary"]["sources"], ident
        for section in entry.data.get("sections") or []:
            assert section["sources"], ident
    for ident, entry in ks.entries["class"].items():
        assert entry.data["definition"]["sources"] and entry.data["membership"]["sources"], ident


def test_every_rated_pair_is_sourced_and_graded(ks):
    for pair in ks.interactions:
        assert pair["sources"] and pair["evidence"], pair


def test_every_source_has_an_address(ks):
    for key, src in ks.sources.items():
        assert src.get("url") or src.get("doi") or src.get("pmid"), key


def test_borderline_cases_carry_their_nuance(ks):
    subs = ks.entries["substance"]
    for ident in ("tramadol", "tapentadol", "buprenorphine", "loperamide", "dextromethorphan",
                  "kratom", "tianeptine", "nalbuphine", "butorphanol", "salvia", "ketamine",
                  "apomorphine", "xylazine"):
        data = subs[ident].data
        notes = [r.get("note") for r in data.get("classes") or []]
        notes += [n["text"] for n in data.get("nuances") or []]
        assert any(notes), ident


def test_every_help_region_has_an_emergency_number(ks):
    for ident, entry in ks.entries["resource"].items():
        assert entry.data.get("emergency"), ident
        kinds = {s["kind"] for s in entry.data["services"]}
        assert "emergency" in kinds or entry.data["emergency"], ident
