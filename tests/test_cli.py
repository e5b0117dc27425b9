"""The commands as a user types them: answers, formats, exit codes and error text."""

from __future__ import annotations

import pytest

from substance_cli import __version__


def test_is_opioid_ketamine_says_no_with_facts_and_sources(cli):
    r = cli("is-opioid", "ketamine", "--plain")
    assert r.code == 0, r.err
    assert "NO" in r.out.splitlines()[1]
    assert "not an opioid" in r.out
    assert "NMDA" in r.out
    assert "Sources" in r.out and "[1]" in r.out
    assert "subq show" in r.out
    assert "not clinically reviewed" in r.out
    assert "\x1b" not in r.out


def test_is_opioid_json_shape(cli):
    doc = cli("is-opioid", "ketamine", "--json").json()
    assert doc["verdict"] == "no"
    assert doc["substance"]["id"] == "ketamine" and doc["substance"]["name"]
    assert doc["class"]["id"] == "opioid"
    assert doc["summary"].startswith("No")
    assert isinstance(doc["sources"], list) and doc["sources"]
    assert all({"n", "key", "title"} <= set(s) for s in doc["sources"])
    assert isinstance(doc["related"], list)
    assert all(r["command"].startswith("subq show ") for r in doc["related"])


@pytest.mark.parametrize(
    ("name", "cls", "verdict"),
    [
        ("fentanyl", "opioid", "yes"),
        ("pregabalin", "opioid", "no"),
        ("alprazolam", "benzodiazepine", "yes"),
        ("tramadol", "narcotic", "yes"),
        ("kratom", "opioid", "atypical"),
        ("naloxone", "opioid", "antagonist"),
        ("Narcan", "opioid", "antagonist"),
        ("special k", "opioid", "no"),
        ("KETALAR", "opioid", "no"),
    ],
)
def test_class_verdicts(cli, name, cls, verdict):
    r = cli("is", name, cls, "--json")
    assert r.code == 0, r.err
    assert r.json()["verdict"] == verdict


def test_membership_flows_through_parent_classes(cli):
    doc = cli("is", "fentanyl", "opioid", "--json").json()
    assert doc["reason"]["relation"] == "member"
    assert doc["reason"]["via"], "fentanyl is an opioid through a child class"


def test_product_answers_through_its_ingredients(cli):
    doc = cli("is-opioid", "Suboxone", "--json").json()
    assert doc["verdict"] == "yes"
    assert doc["reason"]["ingredient"] == "buprenorphine"
    verdicts = {i["id"]: i["verdict"] for i in doc["ingredients"]}
    assert verdicts == {"buprenorphine": "yes", "naloxone": "antagonist"}
    assert "naloxone" in doc["summary"].lower()


def test_quiet_exit_codes(cli):
    assert cli("is-opioid", "fentanyl", "--quiet").code == 0
    r = cli("is-opioid", "ketamine", "--quiet")
    assert (r.code, r.out) == (1, "")


def test_unknown_name_exits_3_with_suggestion_on_stderr(cli):
    r = cli("is-opioid", "ketamien")
    assert r.code == 3
    assert r.out == ""
    assert "did you mean" in r.err and "ketamine" in r.err
    assert r.err.count("\n") == 1


def test_unknown_class_exits_3(cli):
    r = cli("is", "ketamine", "opiod")
    assert r.code == 3
    assert "opioid" in r.err


def test_usage_error_exits_2_in_one_line(cli):
    r = cli("is-opioid")
    assert r.code == 2
    assert r.err.startswith("subq: error:")
    assert "Traceback" not in r.err


def test_version(cli):
    r = cli("--version")
    assert r.code == 0 and __version__ in r.out and "knowledge format" in r.out


def test_no_arguments_prints_a_guide(cli):
    r = cli()
    assert r.code == 0
    assert "subq is-opioid ketamine" in r.out


@pytest.mark.parametrize("fmt", ["plain", "markdown", "rich", "json"])
def test_every_format_of_show(cli, fmt):
    r = cli("show", "heroin", "--format", fmt)
    assert r.code == 0, r.err
    assert "Heroin" in r.out or "heroin" in r.out


def test_markdown_has_headings_and_numbered_sources(cli):
    out = cli("is-opioid", "ketamine", "--format", "markdown").out
    assert out.startswith("## Is ")
    assert "\n1. " in out


def test_rich_format_has_colour(cli):
    out = cli("is-opioid", "ketamine", "--format", "rich").out
    assert "\x1b[" in out


def test_no_color_env_gives_plain(cli, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in cli("is-opioid", "ketamine").out


def test_show_class_and_topic(cli):
    cls = cli("show", "opioid", "--json").json()
    assert cls["type"] == "class"
    assert any(m["id"] == "fentanyl" for m in cls["members"])


def test_compare_marks_differences(cli):
    doc = cli("compare", "ketamine", "morphine", "--json").json()
    assert [s["id"] for s in doc["substances"]] == ["ketamine", "morphine"]
    rows = {r["label"]: r for r in doc["rows"]}
    assert rows["Class"]["differ"] is True
    assert rows["Naloxone"]["safety"] is True
    assert len(doc["interactions"]) == 1


def test_compare_needs_two(cli):
    r = cli("compare", "ketamine")
    assert r.code == 2 and "at least two" in r.err


def test_related_lists_commands_and_reverse_links(cli):
    doc = cli("related", "ketamine", "--json").json()
    assert doc["items"]
    assert {i["direction"] for i in doc["items"]} >= {"links to"}
    assert all(i["command"].startswith("subq show ") for i in doc["items"])


def test_list_classes_topics_search(cli):
    subs = cli("list", "--plain").out.splitlines()
    assert any(line.startswith("ketamine\t") for line in subs)
    benzos = cli("list", "--class", "benzodiazepine", "--json").json()["items"]
    assert {"alprazolam", "diazepam"} <= {i["id"] for i in benzos}
    assert "opioid\t" in cli("classes", "--plain").out
    hits = cli("search", "nmda", "receptor", "--json").json()["items"]
    assert "ketamine" in [h["id"] for h in hits]


def test_show_lists_names_from_the_names_lists(cli):
    """Brand and street names kept in knowledge/names/ appear on the card, with sources."""
    doc = cli("show", "oxycodone", "--json").json()
    listed = {n["name"]: n for n in doc["names"]["listed"]}
    assert listed["OxyNorm"]["type"] == "brand" and listed["OxyNorm"]["sources"]
    assert listed["kickers"]["also_means"] == [{"id": "percocet", "name": "Percocet"}]
    assert "OxyContin" not in listed  # already on the card itself
    numbers = {s["n"] for s in doc["sources"]}
    assert set(listed["Endone"]["sources"]) <= numbers
    text = cli("show", "oxycodone", "--plain").out
    assert "More Brands: OxyNorm (INT), Endone (AU)" in text


def test_list_by_tier(cli):
    """Reference entries (legal facts only) are most of the list; --tier separates them."""
    every = cli("list", "--json").json()["items"]
    cards = cli("list", "--tier", "card", "--json").json()
    refs = cli("list", "--tier", "reference", "--json").json()
    info = cli("info", "--json").json()["substances"]
    assert cards["tier"] == "card" and len(cards["items"]) == info["card"]
    assert len(refs["items"]) == info["reference"]
    assert len(cards["items"]) + len(refs["items"]) == len(every)
    assert {i["tier"] for i in every} == {"card", "reference"}
    assert "ketamine" in {i["id"] for i in cards["items"]}
    assert "ketamine" not in {i["id"] for i in refs["items"]}
    opioids = cli("list", "-c", "opioid", "--tier", "reference", "--json").json()["items"]
    assert opioids and {i["tier"] for i in opioids} == {"reference"}
    bad = cli("list", "--tier", "cards")
    assert bad.code == 2 and "tier must be card or reference" in bad.err and not bad.out


def test_knowledge_folder_overrides_and_adds(cli, tmp_path):
    subs = tmp_path / "substances"
    subs.mkdir()
    (subs / "ketamine.yaml").write_text(
        "id: ketamine\nname: Ketamine (clinic copy)\nkind: substance\n"
        "summary: {text: Local entry., sources: [pmc-boyer-opioid-overdose-nejm]}\n"
        "classes: []\nreview: {last_checked: 2026-11-01}\n", encoding="utf-8")
    doc = cli("show", "ketamine", "--json", "--knowledge", str(tmp_path)).json()
    assert doc["entry"]["name"] == "Ketamine (clinic copy)"


def test_knowledge_folder_must_exist(cli, tmp_path):
    r = cli("list", "--knowledge", str(tmp_path / "missing"))
    assert r.code == 2 and "not a readable folder" in r.err


@pytest.mark.parametrize("width", [80, 60])
def test_guide_fits_the_terminal_without_breaking_words(cli, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    r = cli()
    assert r.code == 0
    lines = r.out.splitlines()
    assert max(len(line) for line in lines) <= width
    from substance_cli.cli.admin import GUIDE

    words = r.out.split()
    for command, meaning in GUIDE:  # every word whole: none broken across two lines
        assert command in r.out
        for word in meaning.split():
            assert word in words, word


def test_help_is_plain_text_when_piped(cli):
    r = cli("--help")
    assert r.code == 0
    assert "\x1b" not in r.out and "╭" not in r.out and "─" not in r.out
    assert "Usage: subq" in r.out
    r = cli("is", "--help")
    assert "╭" not in r.out and "Example: subq is pregabalin opioid" in r.out


def test_ketamine_readers_are_offered_the_questions_the_founding_article_links(cli):
    doc = cli("is-opioid", "ketamine", "--json").json()
    commands = [q["command"] for q in doc["also_asked"]]
    for command in ("subq is-opioid pregabalin", "subq show opioid-detection-windows",
                    "subq show opioid-withdrawal", "subq show fentanyl-withdrawal-timeline"):
        assert command in commands
    assert all(q["question"].endswith("?") for q in doc["also_asked"])
    assert "People also ask" in cli("is-opioid", "ketamine", "--plain").out
    own = [q for q in cli("related", "pregabalin", "--json").json()["also_asked"]
           if q["command"].endswith(" pregabalin")]
    assert own == []  # never a question about the entry itself


def test_reference_entries_say_what_they_hold(cli):
    r = cli("legal", "3-methylthiofentanyl", "--plain")
    assert r.code == 0, r.err
    assert "Schedule I" in r.out and "1308.11" in r.out
    doc = cli("is", "thebaine", "opioid", "--json").json()
    assert doc["tier"] == "reference" and doc["verdict"] == "unknown"
    assert "legal facts only" in doc["summary"]
    assert cli("is", "thebaine", "opioid", "--quiet").code == 1
    doc = cli("show", "trenbolone", "--json").json()
    assert doc["tier"] == "reference" and doc["legal"]["us_schedule"] == "III"
    assert "legal facts only" in cli("show", "trenbolone", "--plain").out


@pytest.mark.parametrize("specimen", ["", "hair", "toenail"])
def test_detection_with_a_specimen_the_knowledge_lacks_still_answers(cli, specimen):
    r = cli("detection", "fentanyl", "--specimen", specimen, "--json")
    assert r.code == 0, r.err
    assert all(d["specimen"] == specimen for i in r.json()["items"] for d in i["detection"])
