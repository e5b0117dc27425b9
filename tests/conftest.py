"""Shared fixtures: every test gets its own cache folder and no user knowledge or region."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from substance_cli.cli.runner import run

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.getbasetemp() / "cache"
    monkeypatch.setenv("SUBQ_CACHE_DIR", str(cache))
    monkeypatch.delenv("SUBQ_KNOWLEDGE_PATH", raising=False)
    monkeypatch.delenv("SUBQ_REGION", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `subq ARGS` in-process through the same error handling as the real command."""

    def invoke(*args: str) -> Result:
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
