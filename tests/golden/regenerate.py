"""Rewrite the golden JSON answers from the current code and knowledge.

Run it only after a deliberate change (new knowledge, a new field), then read the diff of
tests/golden/*.json before committing: every changed line must be one you meant.

    .venv/bin/python tests/golden/regenerate.py
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def commands() -> list[list[str]]:
    lines = (HERE / "commands.txt").read_text(encoding="utf-8").splitlines()
    return [line.split() for line in lines if line.strip() and not line.startswith("#")]


def golden_name(args: list[str]) -> str:
    return "-".join(a.lstrip("-") for a in args)[:80] + ".json"


def answer(args: list[str]) -> tuple[int, str]:
    from substance_cli.cli.runner import run

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run([*args, "--json"])
    return code, out.getvalue()


def main() -> int:
    os.environ.setdefault("SUBQ_CACHE_DIR", tempfile.mkdtemp(prefix="subq-golden-"))
    for stale in HERE.glob("*.json"):
        stale.unlink()
    for args in commands():
        code, text = answer(args)
        if code != 0:
            print(f"{' '.join(args)}: exit {code}", file=sys.stderr)
            return 1
        doc = json.loads(text)
        (HERE / golden_name(args)).write_text(json.dumps(doc, indent=1, ensure_ascii=False)
                                              + "\n", encoding="utf-8")
    print(f"wrote {len(commands())} golden answers to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
