"""What every answering command needs before it can answer: the knowledge folders, the open
index, its warnings on stderr, and the same for shell completion."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from substance_cli.common.errors import ExitCode, SubqError

if TYPE_CHECKING:
    from substance_cli.kb.index import Store

#: Problems in the user's own files worth a warning on every rebuild; date and file-name
#: warnings are left to `subq validate`.
_QUIET_CODES = ("SUBQ013", "SUBQ018")


def knowledge_roots(knowledge: list[str] | None) -> list[Path]:
    """The shipped folder, then SUBQ_KNOWLEDGE_PATH, then each `--knowledge` (later wins)."""
    from substance_cli.common.text import one_line
    from substance_cli.kb.files import shipped_root, user_roots

    roots = [shipped_root()]
    for folder in user_roots(knowledge or []):
        if not readable_folder(folder):
            raise SubqError(f"knowledge folder {one_line(str(folder), 80)!r} is not a "
                            "readable folder", ExitCode.USAGE)
        roots.append(folder)
    return roots


def readable_folder(folder: Path) -> bool:
    try:
        return folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)
    except (OSError, ValueError):  # a name too long, a NUL byte ...
        return False


def open_store(knowledge: list[str] | None = None) -> Store:
    """Open the compiled index for the shipped knowledge plus the user's folders."""
    from substance_cli.cli import prescan
    from substance_cli.kb.index import Store

    roots = knowledge_roots(knowledge)
    store = Store(roots, summary=prescan.take(roots), progress=_progress())
    if store.rebuilt:
        warn_user_problems(store)
    return store


def warn_user_problems(store: Store) -> None:
    """One line on stderr per problem in the user's own files (the shipped ones are tested)."""
    from substance_cli.common.text import clean
    from substance_cli.kb.files import shipped_root

    shipped = os.path.realpath(shipped_root())
    for path, line, col, code, message in store.problems():
        if code in _QUIET_CODES or os.path.realpath(path).startswith(shipped):
            continue
        print(clean(f"subq: warning: {path}:{line}:{col}: {code} {message} "
                    "(run `subq validate`)"), file=sys.stderr)


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


def report_error(exc: SubqError) -> None:
    """A user's error as one line on stderr."""
    from substance_cli.common.text import clean

    print(f"subq: error: {clean(exc.message)}", file=sys.stderr)


def complete(incomplete: str, kinds: tuple[str, ...]) -> list[str]:
    """Names starting with what was typed, for shell completion; quiet on any failure."""
    try:
        from substance_cli.common.text import fold

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
