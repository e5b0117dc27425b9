"""Run the installed `subq` as a user would: a subprocess, from a folder outside the repo.

A knowledge file left out of the wheel, a missing entry point or a start-up traceback fails
here even when the in-process tests pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SUBQ = shutil.which("subq", path=str(Path(sys.executable).parent)) or shutil.which("subq")

pytestmark = pytest.mark.skipif(SUBQ is None, reason="the subq command is not installed")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([SUBQ, *args], cwd=cwd, capture_output=True, text=True, env=full_env,
                          timeout=60)


def test_is_opioid_ketamine_from_an_empty_folder(tmp_path):
    r = run("is-opioid", "ketamine", "--json", cwd=tmp_path,
            env={"SUBQ_CACHE_DIR": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verdict"] == "no"
    assert "Traceback" not in r.stderr


def test_piped_output_is_plain(tmp_path):
    r = run("is-opioid", "ketamine", cwd=tmp_path, env={"SUBQ_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 0
    assert "\x1b" not in r.stdout


def test_installed_knowledge_is_complete(tmp_path):
    """Every knowledge file in the repository reached the installed package."""
    r = run("info", "--json", cwd=tmp_path, env={"SUBQ_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    for kind, folder in (("substance", "substances"), ("class", "classes"),
                         ("topic", "topics"), ("resource", "resources")):
        # One entry per id: a card and the reference entry it replaces share one.
        expected = len({p.stem for p in (REPO / "knowledge" / folder).rglob("*.yaml")})
        assert info["counts"][kind] == expected, f"{folder}: {info['knowledge']}"


def test_exit_code_and_stderr_for_unknown_name(tmp_path):
    r = run("is-opioid", "ketamien", cwd=tmp_path, env={"SUBQ_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 3
    assert "ketamine" in r.stderr and r.stdout == ""


def test_unwritable_cache_still_answers(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # a cache path below a file cannot be created, even by root
    r = run("is-opioid", "fentanyl", "--json", cwd=tmp_path,
            env={"SUBQ_CACHE_DIR": str(blocker / "cache")})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verdict"] == "yes"
    assert r.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["--plain", "--json", "--format=rich"])
def test_a_full_disk_is_a_one_line_error_with_exit_74(tmp_path, fmt):
    with open("/dev/full", "w") as full:
        r = subprocess.run([SUBQ, "show", "fentanyl", fmt, "--no-pager"], cwd=tmp_path,
                           stdout=full, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "SUBQ_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 74
    assert r.stderr.startswith("subq: error: could not write the answer")
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr

