"""A milder class rule never masks a more severe property rule.

For every property rule shipped, a knowledge folder is built with two made-up substances whose
classes have a low-risk class rule and whose properties meet the property rule; `mix` must
answer with the property rule's rating and name both reasons. Real pairs follow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

KNOWLEDGE = Path(__file__).parent.parent / "substance_cli" / "knowledge"
if not KNOWLEDGE.is_dir():
    KNOWLEDGE = Path(__file__).parent.parent / "knowledge"


def _rules() -> list[dict]:
    out = []
    for f in sorted((KNOWLEDGE / "interactions").glob("*.yaml")):
        out.extend(yaml.safe_load(f.read_text(encoding="utf-8")).get("property_rules") or [])
    return out


RULES = _rules()
CLASS = """id: {id}
name: {name}
plural: {name}s
article: a
parents: []
definition: {{text: A made-up class for testing., sources: [fixture-source]}}
membership: {{text: Made-up members., sources: [fixture-source]}}
review: {{last_checked: 2026-12-01}}
"""
SUBSTANCE = """id: {id}
name: {name}
kind: substance
summary: {{text: A made-up substance for testing., sources: [fixture-source]}}
classes: [{{class: {cls}, relation: member, sources: [fixture-source]}}]
properties: [{{property: {prop}, strength: {strength}, sources: [fixture-source]}}]
review: {{last_checked: 2026-12-01}}
"""


def _folder(tmp: Path, rule: dict) -> Path:
    for sub in ("classes", "substances", "interactions", "sources"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    (tmp / "sources" / "fixture.yaml").write_text(
        "sources:\n  - key: fixture-source\n    title: Fixture\n    publisher: Tests\n"
        "    url: https://example.org/fixture\n", encoding="utf-8")
    for side, prop, strength in (("x", rule["a"], rule.get("a_strength") or "strong"),
                                 ("y", rule["b"], rule.get("b_strength") or "strong")):
        (tmp / "classes" / f"klass-{side}.yaml").write_text(
            CLASS.format(id=f"klass-{side}", name=f"Klass {side}"), encoding="utf-8")
        (tmp / "substances" / f"thing-{side}.yaml").write_text(
            SUBSTANCE.format(id=f"thing-{side}", name=f"Thing {side}", cls=f"klass-{side}",
                             prop=prop, strength=strength), encoding="utf-8")
    (tmp / "interactions" / "mild.yaml").write_text(
        "id: mild\npairs:\n  - {a: klass-x, b: klass-y, rating: low-risk, summary: Mild., "
        "evidence: theoretical, sources: [fixture-source]}\nreview: {last_checked: 2026-12-01}\n",
        encoding="utf-8")
    return tmp


def test_there_are_property_rules_to_check():
    assert len(RULES) >= 10


@pytest.mark.parametrize("rule", RULES, ids=[r["id"] for r in RULES])
def test_property_rule_beats_a_milder_class_rule(cli, tmp_path, rule):
    folder = _folder(tmp_path, rule)
    r = cli("mix", "thing-x", "thing-y", "--json", "--knowledge", str(folder))
    assert r.code == 0, r.err
    pair = r.json()["pairs"][0]
    assert pair["rating"] == rule["rating"]
    seen = {(x["rule"]["a"], x["rule"]["b"], x["rating"]) for x in pair["reasons"]}
    assert ("klass-x", "klass-y", "low-risk") in seen  # the class rule is still named
    assert any(x["rule"].get("id") == rule["id"] for x in pair["reasons"])
    assert pair["reasons"][0]["rule"].get("id") == rule["id"]
    assert "Also" in cli("mix", "thing-x", "thing-y", "--plain", "--knowledge",
                         str(folder)).out


def test_tramadol_and_bupropion_are_rated_from_both_labels(cli):
    pair = cli("mix", "tramadol", "bupropion", "--json").json()["pairs"][0]
    assert pair["rating"] == "unsafe"
    assert pair["reasons"][0]["rule"]["id"] == "seizure-threshold-strong"
    assert "seizure" in pair["reasons"][0]["why"]


def test_tramadol_with_mdma_names_serotonin_and_seizures_beside_the_class_rule(cli):
    pair = cli("mix", "tramadol", "mdma", "--json").json()["pairs"][0]
    ids = {x["rule"].get("id") for x in pair["reasons"]}
    assert {"strong-serotonergic-pair", "seizure-threshold-strong"} <= ids
    assert any(x["rule"]["level"] == "class+class" for x in pair["reasons"])


def test_opioid_boxed_warning_covers_sedatives_without_a_pair_rule(cli):
    for other in ("quetiapine", "trazodone", "clonidine", "dexmedetomidine", "lofexidine"):
        pair = cli("mix", "oxycodone", other, "--json").json()["pairs"][0]
        assert pair["rating"] == "dangerous", other
        assert pair["evidence"] == "regulator"


def test_a_pair_rule_lowers_only_through_a_sourced_override(cli):
    pair = cli("mix", "mdma", "sertraline", "--json").json()["pairs"][0]
    assert pair["rating"] == "caution"
    over = [x for x in pair["reasons"] if x.get("overridden")]
    assert over and over[0]["rating"] == "unsafe" and over[0]["overridden"]["sources"]


def test_three_depressants_are_described_together(cli):
    doc = cli("mix", "heroin", "alprazolam", "gabapentin", "--json").json()
    assert doc["combination"] and doc["combination"][0]["rule"] == "depressants-together"
    assert doc["combination"][0]["rating"] == "dangerous" and doc["worst"] == "dangerous"
    assert "All together" in cli("mix", "heroin", "alprazolam", "gabapentin", "--plain").out
    assert cli("mix", "heroin", "alprazolam", "--json").json()["combination"] == []


def test_a_weak_property_does_not_count_towards_a_combination(cli):
    """Cannabis is declared a weak depressant: the three-depressant rule needs moderate."""
    with_cannabis = cli("mix", "cannabis", "alcohol", "diphenhydramine", "--json").json()
    assert with_cannabis["combination"] == []
    three = cli("mix", "alcohol", "diphenhydramine", "gabapentin", "--json").json()
    assert [c["rule"] for c in three["combination"]] == ["depressants-together"]
