"""The commands about subq itself rather than about substances: the opening guide, `validate`,
`schema` and `info`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from substance_cli.cli.session import knowledge_roots, readable_folder
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.render.emit import to_json

#: The opening guide: a few questions to start from, as (command, what it answers).
GUIDE = (
    ("subq is-opioid ketamine", "Is ketamine an opioid?"),
    ("subq is pregabalin opioid", "Any class, not only opioids"),
    ("subq compare heroin methadone", "Side by side, with their interaction"),
    ("subq mix fentanyl alprazolam", "Is this combination dangerous?"),
    ("subq show fentanyl-withdrawal-timeline", "A topic in full"),
    ("subq help-now", "Overdose response and help lines"),
)


def guide(width: int | None = None) -> None:
    """What `subq` with no arguments prints, fitted to the terminal (at most 80 columns):
    each command with its meaning beside it, or under it when the line would not fit."""
    import shutil

    from substance_cli.render.plain import wrap_words

    width = min(width or shutil.get_terminal_size((80, 24)).columns, 80)
    lines = wrap_words("subq: offline, sourced answers about psychoactive substances.", width)
    lines += ["", "Try:"]
    column = max(len(cmd) for cmd, _ in GUIDE) + 4
    side_by_side = all(column + len(what) <= width for _, what in GUIDE)
    for cmd, what in GUIDE:
        if side_by_side:
            lines.append(f"  {cmd:<{column - 2}}{what}")
        else:
            lines.append(f"  {cmd}")
            lines += wrap_words(what, width, "      ", "      ")
    lines.append("")
    lines += wrap_words("More: subq --help, subq list, subq classes, subq topics, "
                        "subq search WORDS", width, "", "      ")
    print("\n".join(lines))


def run_validate(dirs: list[str], as_json: bool, max_age: int) -> int:
    """Print every problem of every file, then a summary; 4 if any error.

    A folder named on the command line is checked on top of the shipped knowledge (its files
    may use shipped classes and sources), and only its own problems are reported.
    """
    from substance_cli.kb.files import list_files, shipped_root
    from substance_cli.kb.loader import load

    if dirs:
        from substance_cli.common.text import one_line

        chosen = [Path(d) for d in dirs]
        for root in chosen:
            if not readable_folder(root):
                raise SubqError(f"{one_line(str(root), 80)!r} is not a readable folder",
                                ExitCode.USAGE)
        shipped = shipped_root()
        same = any(os.path.realpath(r) == os.path.realpath(shipped) for r in chosen)
        roots = chosen if same else [shipped, *chosen]
    else:
        chosen = roots = knowledge_roots(None)
    files = list_files(roots)
    ks = load(roots, max_age_days=max_age, files=files)
    wanted = [os.path.realpath(r) for r in chosen]
    problems = sorted((p for p in ks.problems if any(
        os.path.realpath(p.path).startswith(w + os.sep) for w in wanted)),
        key=lambda p: (p.path, p.line, p.column, p.code))
    checked = sum(1 for f in files if any(f.path.startswith(w + os.sep) for w in wanted))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if as_json:
        doc = {"files": checked, "errors": errors, "warnings": warnings,
               "problems": [{"path": p.path, "line": p.line, "column": p.column,
                             "code": p.code, "severity": p.severity, "message": p.message}
                            for p in problems]}
        sys.stdout.write(to_json(doc) + "\n")
    else:
        for p in problems:
            print(str(p))
        print(f"{checked} files checked: {errors} errors, {warnings} warnings",
              file=sys.stderr if problems else sys.stdout)
    return int(ExitCode.KNOWLEDGE_INVALID) if errors else 0


def print_schema(kind: str) -> None:
    from substance_cli.kb.schema import SPECS, json_schema

    if kind not in SPECS:
        raise SubqError(f"no schema for {kind!r}; choose one of: {', '.join(SPECS)}",
                        ExitCode.USAGE)
    sys.stdout.write(to_json(json_schema(kind)) + "\n")


def print_info(doc: dict[str, Any], as_json: bool) -> None:
    """Version, knowledge folders, index location and counts (`Knowledge.info()`): for bug
    reports and checks."""
    if as_json:
        sys.stdout.write(to_json(doc) + "\n")
        return
    print(f"subq {doc['version']} (knowledge format {doc['format_version']})")
    for root in doc["knowledge"]:
        print(f"knowledge: {root}")
    print(f"index: {doc['index']}")
    counts = doc["counts"]
    tiers = doc["substances"]
    print(f"{counts['substance']} substances ({tiers['card']} full cards, {tiers['reference']} "
          f"reference entries of the US schedules), {counts['class']} classes, {counts['topic']} "
          f"topics, {counts['resource']} regions, {doc['interaction_pairs']} rated pairs, "
          f"{doc['sources']} sources")
