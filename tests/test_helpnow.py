"""help-now: each region sees only what applies to it, and nobody gets an error."""

from __future__ import annotations

import subprocess
import sys


def headings(cli, region):
    r = cli("help-now", "--region", region, "--json")
    assert r.code == 0, r.err
    return [s["heading"] for s in r.json()["steps"]], r.json()


def test_good_samaritan_laws_only_where_they_exist(cli):
    for region in ("us", "ca"):
        assert "Good Samaritan laws" in headings(cli, region)[0]
    for region in ("uk", "ie", "au", "nz"):
        assert "Good Samaritan laws" not in headings(cli, region)[0], region


def test_uk_and_nz_say_how_to_get_naloxone_locally(cli):
    uk, doc = headings(cli, "uk")
    assert "Getting naloxone in the UK" in uk and "Getting naloxone" not in uk
    body = next(s["body"] for s in doc["steps"] if s["heading"] == "Getting naloxone in the UK")
    assert "pharmacists" in body and "December 2024" in body
    nz, _ = headings(cli, "nz")
    assert "Getting naloxone in New Zealand" in nz


def test_cpr_step_follows_lay_rescuer_guidance(cli):
    _, doc = headings(cli, "us")
    step = next(s for s in doc["steps"] if s["heading"].startswith("3."))
    assert "only gasping" in step["body"] and "start CPR" in step["body"]
    assert "compressions only" in step["body"] and step["sources"]
    assert "rescue breaths, or full" not in step["body"]


def test_region_without_a_file_gets_steps_and_112(cli):
    r = cli("help-now", "--region", "fr", "--json")
    assert r.code == 0
    doc = r.json()
    assert doc["steps"] and doc["emergency"] is None and "112" in doc["emergency_text"]
    assert {x["id"] for x in doc["regions_with_lines"]} >= {"us", "uk", "au"}
    assert "warning" in r.err and "fr" in r.err
    plain = cli("help-now", "--region", "fr", "--plain")
    assert plain.code == 0 and "112" in plain.out and "subq help-now --region uk" in plain.out
    assert "Good Samaritan laws" not in plain.out


def test_installed_command_exits_0_for_an_unknown_region(tmp_path):
    r = subprocess.run([sys.executable, "-m", "substance_cli", "help-now", "--region", "zz",
                        "--plain"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "112" in r.stdout and "warning" in r.stderr


def test_a_hostile_region_name_is_cleaned_and_still_answered(cli):
    nasty = "\x1b[31mzq\x9b1mxw\x1b]8;;https://evil.example\x1b\\vk\x07\x7f\u202e"
    r = cli("help-now", "--region", nasty, "--plain")
    assert r.code == 0 and "zq" in r.err
    assert "\x1b" not in r.err + r.out and "\x9b" not in r.err + r.out
