"""The index's folder is worked out without importing platformdirs (it costs every answer
about 3.5 ms), so it must land where platformdirs would put it on this platform."""

from __future__ import annotations

import sys

import pytest

from substance_cli.kb.index import cache_dir


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux rules")
@pytest.mark.parametrize("xdg", [None, "", "   ", "relative/cache", "/tmp/xdg-cache"])
def test_same_folder_as_platformdirs(monkeypatch, tmp_path, xdg):
    from platformdirs import user_cache_dir

    monkeypatch.delenv("SUBQ_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert str(cache_dir()) == user_cache_dir("subq", appauthor=False)


def test_subq_cache_dir_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SUBQ_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
