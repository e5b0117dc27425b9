"""Choosing a format and writing answers, errors and reports to the right stream.

Answers go to stdout, errors and warnings to stderr. Rich is imported only for the Rich
format, and the knowledge index is opened only by commands that answer questions.
"""

from __future__ import annotations

import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

from substance_cli.exitcodes import ExitCode, SubqError


class Format(StrEnum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"


def _roots(knowledge: list[str] | None) -> list[Path]:
    from substance_cli.files import shipped_root, user_roots
    from substance_cli.text import one_line

    roots = [shipped_root()]
    for folder in user_roots(knowledge or []):
        if not _readable_folder(folder):
            raise SubqError(f"knowledge folder {one_line(str(folder), 80)!r} is not a "
                            "readable folder", ExitCode.USAGE)
        roots.append(folder)
    return roots


def _readable_folder(folder: Path) -> bool:
    try:
        return folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)
    except (OSError, ValueError):  # a name too long, a NUL byte ...
        return False


def open_store(knowledge: list[str] | None = None):  # -> Store (import kept lazy)
    """Open the compiled index for the shipped knowledge plus the user's folders."""
    from substance_cli.files import shipped_root
    from substance_cli.store import Store, warn_problems

    store = Store(_roots(knowledge), progress=_progress())
    warn_problems(store, shipped_root())
    return store


def _progress():
    """A progress callback for slow rebuilds, on a terminal only (stderr)."""
    if not sys.stderr.isatty():
        return None
    import time

    start = time.monotonic()

    def show(phase: str, done: int, total: int) -> None:
        if time.monotonic() - start < 1.0:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        end = "\n" if phase == "indexing" and done >= total else ""
        sys.stderr.write(f"\rsubq: {phase} knowledge [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total} \x1b[K{end}")
        sys.stderr.flush()

    return show


def choose(fmt: Format | None) -> Format:
    """Rich on a terminal; plain when piped, with NO_COLOR or TERM=dumb."""
    if fmt is not None:
        return fmt
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR") or \
            os.environ.get("TERM") == "dumb":
        return Format.plain
    return Format.rich


def emit(answer: dict[str, Any], fmt: Format | None, no_pager: bool = False) -> None:
    """Write one answer to stdout in the chosen format."""
    fmt = choose(fmt)
    if fmt is Format.json:
        sys.stdout.write(_json(answer, ensure_ascii=False, indent=2) + "\n")
        return
    from substance_cli.views import build

    blocks = build(answer)
    if fmt is Format.markdown:
        from substance_cli.render_text import markdown

        sys.stdout.write(markdown(blocks))
    elif fmt is Format.plain:
        from substance_cli.render_text import plain

        sys.stdout.write(plain(blocks, shutil.get_terminal_size((80, 24)).columns))
    else:
        _emit_rich(blocks, no_pager)


def _emit_rich(blocks: list[Any], no_pager: bool) -> None:
    from rich.console import Console

    from substance_cli.render_rich import render

    tty = sys.stdout.isatty()
    console = Console(force_terminal=True if not tty else None, highlight=False,
                      emoji=False, markup=False)
    with console.capture() as cap:
        render(blocks, console)
    text = cap.get()
    if tty and not no_pager and text.count("\n") > console.height:
        import pydoc

        os.environ.setdefault("LESS", "-R")
        pydoc.pager(text)
    else:
        sys.stdout.write(text)


def _json(doc: Any, **options: Any) -> str:
    """JSON text with every string cleaned: typed input echoed in an answer (a search query,
    a question) must not carry C1 controls or bidi overrides, which JSON does not escape."""
    import json  # only JSON output pays for it

    from substance_cli.text import clean_tree

    return json.dumps(clean_tree(doc), **options)


def report_error(exc: SubqError) -> None:
    from substance_cli.text import clean

    print(f"subq: error: {clean(exc.message)}", file=sys.stderr)


def complete(incomplete: str, kinds: tuple[str, ...]) -> list[str]:
    """Names starting with what was typed, for shell completion; quiet on any failure."""
    try:
        from substance_cli.text import fold

        store = open_store(None)
        prefix = fold(incomplete)
        out = []
        for label, kind in store.names_starting(prefix):
            # Names with spaces would need quoting on the command line: ids cover them.
            if kind in kinds and label not in out and " " not in label:
                out.append(label)
        return out
    except Exception:  # noqa: BLE001 - completion must never print a traceback
        return []


def guide() -> None:
    """What `subq` with no arguments prints: a few questions to start from."""
    print("""subq: offline, sourced answers about psychoactive substances.

Try:
  subq is-opioid ketamine              Is ketamine an opioid?
  subq is pregabalin opioid            Any class question: yes, no, atypical, antagonist
  subq compare heroin methadone        Side by side, with their interaction
  subq mix fentanyl alprazolam         Is this combination dangerous?
  subq show fentanyl-withdrawal-timeline
  subq help-now                        Overdose response and help lines

More: subq --help, subq list, subq classes, subq topics, subq search WORDS""")


def run_validate(dirs: list[str], as_json: bool, max_age: int) -> int:
    """Print every problem of every file, then a summary; 4 if any error.

    A folder named on the command line is checked on top of the shipped knowledge (its files
    may use shipped classes and sources), and only its own problems are reported.
    """
    from substance_cli.files import list_files, shipped_root
    from substance_cli.loader import load

    if dirs:
        from substance_cli.text import one_line

        chosen = [Path(d) for d in dirs]
        for root in chosen:
            if not _readable_folder(root):
                raise SubqError(f"{one_line(str(root), 80)!r} is not a readable folder",
                                ExitCode.USAGE)
        shipped = shipped_root()
        same = any(os.path.realpath(r) == os.path.realpath(shipped) for r in chosen)
        roots = chosen if same else [shipped, *chosen]
    else:
        chosen = roots = _roots(None)
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
        sys.stdout.write(_json(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        for p in problems:
            print(str(p))
        print(f"{checked} files checked: {errors} errors, {warnings} warnings",
              file=sys.stderr if problems else sys.stdout)
    return int(ExitCode.KNOWLEDGE_INVALID) if errors else 0


def print_schema(kind: str) -> None:
    from substance_cli.schema import SPECS, json_schema

    if kind not in SPECS:
        raise SubqError(f"no schema for {kind!r}; choose one of: {', '.join(SPECS)}",
                        ExitCode.USAGE)
    sys.stdout.write(_json(json_schema(kind), indent=2) + "\n")


def print_info(store: Any, as_json: bool) -> None:
    """Version, knowledge folders, index location and counts: for bug reports and checks."""
    from substance_cli import FORMAT_VERSION, __version__

    doc = {"version": __version__, "format_version": FORMAT_VERSION,
           "knowledge": [str(r) for r in store.roots], "index": store.location,
           "counts": {k: store.count(k) for k in ("substance", "class", "topic", "resource")},
           "interaction_pairs": store.count_pairs(), "sources": store.count_sources()}
    if as_json:
        sys.stdout.write(_json(doc, indent=2) + "\n")
        return
    print(f"subq {doc['version']} (knowledge format {doc['format_version']})")
    for root in doc["knowledge"]:
        print(f"knowledge: {root}")
    print(f"index: {doc['index']}")
    counts = doc["counts"]
    print(f"{counts['substance']} substances, {counts['class']} classes, {counts['topic']} "
          f"topics, {counts['resource']} regions, {doc['interaction_pairs']} rated pairs, "
          f"{doc['sources']} sources")
