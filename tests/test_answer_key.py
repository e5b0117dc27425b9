"""The shared answer key: every row whose substance the knowledge holds gets its verdict."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from substance_cli.answers.verdict import is_class
from substance_cli.cli.session import open_store
from substance_cli.common.errors import SubqError

DATA = Path(__file__).parent / "data"
with open(DATA / "is_class.tsv", encoding="utf-8") as fh:
    ROWS = [r for r in csv.DictReader(fh, delimiter="\t")
            if r.get("name") and not r["name"].startswith("#")]


@pytest.fixture(scope="module")
def store():
    return open_store()


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['name']}-{r['class']}" for r in ROWS])
def test_answer_key_row(store, row):
    try:
        got = is_class(store, row["name"], row["class"])
    except SubqError as exc:  # the knowledge must hold every name in the key
        pytest.fail(f"{row['name']}: {exc.message}")
    assert got["verdict"] == row["verdict"], got["summary"]


def test_answer_key_is_not_empty():
    assert len(ROWS) >= 39
