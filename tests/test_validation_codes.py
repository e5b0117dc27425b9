"""Every validation code has a failing fixture that fires that code only; `pass` fires none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from substance_cli.kb.checks import CODES
from substance_cli.kb.files import list_files
from substance_cli.kb.loader import load

FIXTURES = Path(__file__).parent / "fixtures" / "validation"
TODAY = dt.date(2026, 11, 30)


def codes_for(case: str) -> set[str]:
    roots = [FIXTURES / case]
    ks = load(roots, today=TODAY, files=list_files(roots))
    return {p.code for p in ks.problems}


def test_passing_fixture_fires_nothing():
    assert codes_for("pass") == set()


@pytest.mark.parametrize("code", sorted(CODES))
def test_fixture_fires_only_its_code(code):
    assert (FIXTURES / code).is_dir(), f"no fixture for {code}"
    assert codes_for(code) == {code}


def test_every_code_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "validation.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in doc, code


def test_unsafe_tag_runs_nothing(tmp_path):
    marker = Path("/tmp/subq-owned")
    marker.unlink(missing_ok=True)
    codes_for("SUBQ016")
    assert not marker.exists()


def test_validate_command_prints_path_line_column(cli):
    r = cli("validate", str(FIXTURES / "SUBQ011"))
    assert r.code == 4
    line = r.out.splitlines()[0]
    path, lineno, col, rest = line.split(":", 3)
    assert path.endswith("gizmo.yaml") and int(lineno) == 11 and int(col) > 0
    assert rest.strip().startswith("SUBQ011")
    assert "1 errors" in r.err or "1 error" in r.err


def test_validate_unknown_field_suggests_the_nearest_name(cli):
    r = cli("validate", str(FIXTURES / "SUBQ004"))
    assert "did you mean 'names'" in r.out


def test_validate_reports_every_problem_in_one_run(cli, tmp_path):
    import shutil

    for case in ("SUBQ002", "SUBQ011"):
        shutil.copytree(FIXTURES / case, tmp_path / case)
    r = cli("validate", str(tmp_path / "SUBQ002"), str(tmp_path / "SUBQ011"))
    codes = {line.split(": ")[1].split()[0] for line in r.out.splitlines()}
    assert codes >= {"SUBQ002", "SUBQ011"}


def test_validate_json(cli):
    doc = cli("validate", str(FIXTURES / "pass"), "--json").json()
    assert doc["errors"] == 0 and doc["problems"] == []


def test_broken_user_file_does_not_take_down_shipped_knowledge(cli):
    r = cli("is-opioid", "ketamine", "--json", "--knowledge", str(FIXTURES / "SUBQ001"))
    assert r.code == 0
    assert r.json()["verdict"] == "no"
    assert "SUBQ001" in r.err and "gizmo.yaml" in r.err


def test_new_substance_template_validates_once_filled(cli, tmp_path):
    r = cli("new", "substance", "Clinic Drug", "--dir", str(tmp_path))
    assert r.code == 0, r.err
    path = tmp_path / "substances" / "clinic-drug.yaml"
    assert path.is_file()
    assert cli("validate", str(tmp_path)).code == 4  # the TODOs are not valid yet
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "clinic.yaml").write_text(
        "sources:\n  - key: clinic-leaflet\n    title: Clinic leaflet\n    publisher: A clinic\n"
        "    url: https://example.org/leaflet\n    accessed: 2026-11-30\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    text = (text.replace("TODO-source-key", "clinic-leaflet").replace("TODO-class-id", "opioid")
            .replace("TODO-naloxone", '"yes"')
            .replace("TODO ", ""))
    path.write_text(text, encoding="utf-8")
    r = cli("validate", str(tmp_path))
    assert r.code == 0, r.out + r.err
    assert cli("new", "substance", "Clinic Drug", "--dir", str(tmp_path)).code == 2


def test_shipped_json_schemas_match_the_model(cli):
    """The schemas in the package are the ones `subq schema` prints from the model."""
    import json

    from substance_cli.kb.schema import SPECS, json_schema

    folder = Path(__file__).resolve().parent.parent / "substance_cli" / "kb" / "schemas"
    for kind in SPECS:
        shipped = json.loads((folder / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert shipped == json_schema(kind), (
            f"{kind}.schema.json is stale: regenerate it (see docs/validation.md)")
        assert cli("schema", kind).json() == shipped


def test_links_out_of_a_knowledge_folder_are_not_followed(cli, tmp_path):
    outside = tmp_path / "outside"
    (outside / "substances").mkdir(parents=True)
    (outside / "substances" / "evil.yaml").write_text("id: evil\n", encoding="utf-8")
    inside = tmp_path / "inside"
    (inside / "substances").mkdir(parents=True)
    (inside / "substances" / "evil.yaml").symlink_to(outside / "substances" / "evil.yaml")
    (inside / "classes").symlink_to(outside / "substances")
    r = cli("validate", str(inside), "--json")
    assert r.json()["files"] == 0, "a link leading out of the folder was read"
