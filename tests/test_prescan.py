"""The head start on the knowledge-file check: the same summary as scanning in-process, and
never used for folders other than the ones the command finally chose."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from substance_cli.cli import prescan
from substance_cli.kb.files import scan_summary, shipped_root

needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or prescan._cores() < 2,
                                reason="the head start needs fork and a second core")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "substances").mkdir()
    for i in range(30):
        (tmp_path / "substances" / f"s{i}.yaml").write_text(f"id: s{i}\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("argv", "expected"), [
    (["is-opioid", "x", "--knowledge", "a"], ["a"]),
    (["is-opioid", "x", "--knowledge=a", "-k", "b", "-kc"], ["a", "b", "c"]),
    (["ask", "is", "x", "--", "-k", "d"], []),
    (["show", "x", "--knowledge"], [""]),
    (["show", "--json", "x"], []),
])
def test_knowledge_args_read_like_click(argv, expected):
    assert prescan.knowledge_args(argv) == expected


@needs_fork
def test_child_summary_equals_scanning_in_process(folder, monkeypatch):
    monkeypatch.delenv("SUBQ_KNOWLEDGE_PATH", raising=False)
    roots = [shipped_root(), folder]
    prescan.start(["is-opioid", "ketamine", "--knowledge", str(folder)])
    assert prescan._pending is not None
    assert prescan.take(roots) == scan_summary(roots)
    assert prescan._pending is None  # taken once; the child is reaped
    assert prescan.take(roots) is None


@needs_fork
def test_other_folders_are_scanned_again(folder, tmp_path_factory, monkeypatch):
    monkeypatch.delenv("SUBQ_KNOWLEDGE_PATH", raising=False)
    other = tmp_path_factory.mktemp("other")
    prescan.start(["show", "x", "-k", str(other)])
    assert prescan.take([shipped_root(), folder]) is None


def test_nothing_is_forked_for_the_shipped_knowledge_alone(monkeypatch):
    monkeypatch.delenv("SUBQ_KNOWLEDGE_PATH", raising=False)
    prescan.start(["is-opioid", "ketamine"])
    assert prescan._pending is None


@needs_fork
def test_an_edit_after_the_head_start_is_still_seen(folder, tmp_path):
    """End to end: the installed command answers from an index that follows the files."""
    subq = shutil.which("subq", path=str(Path(sys.executable).parent))
    if subq is None:
        pytest.skip("the subq command is not installed next to this Python")
    env = {**os.environ, "SUBQ_CACHE_DIR": str(tmp_path / "cache")}
    clinic = tmp_path / "clinic"
    (clinic / "substances").mkdir(parents=True)
    run = [subq, "list", "--plain", "--knowledge", str(clinic)]
    before = subprocess.run(run, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    assert "Clinic Drug" not in before.stdout
    new = subprocess.run([subq, "new", "substance", "Clinic Drug", "--dir", str(clinic)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    after = subprocess.run(run, capture_output=True, text=True, env=env, cwd=tmp_path)
    # The template fails validation until filled in, so the index was rebuilt and says so.
    assert "clinic-drug" in after.stdout + after.stderr


def test_a_checkout_is_checked_file_by_file():
    """The tests run on the source tree, whose knowledge sits beside the package."""
    from substance_cli.kb.files import sealed

    assert not sealed(str(shipped_root())) or "site-packages" in str(shipped_root())


def test_installed_knowledge_is_judged_by_its_folders(folder, monkeypatch):
    """Inside an installed wheel only installing changes files, and installing adds, removes
    or replaces them, which changes their folders: the folders are enough there. An edit in
    place goes unseen (the documented trade-off); the user's own folders are checked file by
    file."""
    import time

    from substance_cli.kb import files

    monkeypatch.setattr(files, "_installed_root", lambda: folder)
    sealed = scan_summary([folder])
    assert sealed[:3] == (0, 0, 0) and sealed[3] == 2  # no file is stat'ed; two folders
    (folder / "substances" / "s1.yaml").write_text("id: s1\nname: Edited\n", encoding="utf-8")
    assert scan_summary([folder]) == sealed  # in place: unseen inside an installed wheel
    time.sleep(0.01)
    (folder / "substances" / "s2.yaml").unlink()
    assert scan_summary([folder]) != sealed  # what installing does is seen
    monkeypatch.undo()
    assert scan_summary([folder])[0] == 29  # anywhere else every file counts
