"""The JSON of 40 everyday commands, compared with checked-in golden answers.

A change of code must not change an answer unless it means to; a change of knowledge shows
up here as a reviewable diff (tests/golden/regenerate.py rewrites the files).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from regenerate import commands, golden_name  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("args", commands(), ids=[" ".join(a) for a in commands()])
def test_answer_matches_golden(cli, args):
    r = cli(*args, "--json")
    assert r.code == 0, r.err
    expected = json.loads((GOLDEN / golden_name(args)).read_text(encoding="utf-8"))
    assert r.json() == expected, (
        f"`subq {' '.join(args)} --json` changed; if that was meant, run "
        "tests/golden/regenerate.py and review the diff")


def test_there_are_at_least_30_golden_commands():
    assert len(commands()) >= 30
    assert len({golden_name(a) for a in commands()}) == len(commands())
