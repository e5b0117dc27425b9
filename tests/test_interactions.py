"""`subq mix`: every pair rated from the most specific rule, unknown never shown as safe."""

from __future__ import annotations


def pair(cli, *names):
    r = cli("mix", *names, "--json")
    assert r.code == 0, r.err
    return r.json()


def test_benzodiazepine_and_opioid_is_dangerous_by_the_class_rule(cli):
    doc = pair(cli, "fentanyl", "alprazolam")
    p = doc["pairs"][0]
    assert p["rating"] == "dangerous"
    assert {p["rule"]["a"], p["rule"]["b"]} == {"opioid", "benzodiazepine"}
    assert p["rule"]["level"] == "class+class"
    assert p["sources"] and doc["sources"]
    assert p["evidence"] == "regulator"


def test_two_members_of_one_class_get_the_class_rule(cli):
    p = pair(cli, "oxycodone", "morphine")["pairs"][0]
    assert p["rating"] != "unknown"
    assert p["rule"]["a"] == p["rule"]["b"] == "opioid"


def test_unknown_says_unknown_is_not_safe(cli):
    p = pair(cli, "naloxone", "caffeine")["pairs"][0]
    assert p["rating"] == "unknown"
    assert "does not mean safe" in p["summary"]


def test_substance_rule_beats_class_rule(cli):
    p = pair(cli, "cocaine", "alcohol")["pairs"][0]
    assert "cocaine" in (p["rule"]["a"], p["rule"]["b"])


def test_every_pair_of_three_worst_first(cli):
    doc = pair(cli, "heroin", "alprazolam", "alcohol")
    assert len(doc["pairs"]) == 3
    order = ["dangerous", "unsafe", "caution", "low-risk", "unknown"]
    ranks = [order.index(p["rating"]) for p in doc["pairs"]]
    assert ranks == sorted(ranks) and doc["worst"] == doc["pairs"][0]["rating"]


def test_classes_can_be_mixed_by_name(cli):
    p = pair(cli, "benzos", "opioids")["pairs"][0]
    assert p["rating"] == "dangerous"


def test_interactions_alias(cli):
    assert cli("interactions", "fentanyl", "alprazolam", "--json").json()["worst"] == "dangerous"


def test_show_lists_dangerous_combinations(cli):
    doc = cli("show", "fentanyl", "--json").json()
    withs = {d["with"] for d in doc["dangerous_combinations"]}
    assert "benzodiazepine" in withs


def test_compare_shows_the_pair_rating(cli):
    doc = cli("compare", "fentanyl", "alprazolam", "--json").json()
    assert doc["interactions"][0]["rating"] == "dangerous"


def test_help_now_by_region(cli, monkeypatch):
    uk = cli("help-now", "--region", "uk", "--json").json()
    assert uk["emergency"] == "999"
    assert any("Samaritans" in s["name"] for s in uk["services"])
    monkeypatch.setenv("SUBQ_REGION", "au")
    assert cli("help-now", "--json").json()["emergency"] == "000"
    us = cli("help-now", "--plain")
    assert us.out.splitlines()[0].startswith("Emergency") and "911" in us.out
    assert "naloxone" in us.out.lower() and "xylazine" in us.out.lower()


def test_unknown_region_still_gets_the_steps(cli):
    r = cli("help-now", "--region", "mars")
    assert r.code == 0 and "warning" in r.err and "uk" in r.err
