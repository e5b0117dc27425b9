"""What every answering command needs before it can answer: the knowledge (opened through
the Python API, `substance_cli.api`), its warnings on stderr, and the same for shell
completion. The opening itself lives in the API, which programs use too; what is left here
is what only a terminal needs: warnings on stderr and a progress bar."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from substance_cli.api import Knowledge, knowledge_roots, readable_folder
from substance_cli.common.errors import SubqError

if TYPE_CHECKING:
    from substance_cli.kb.index import Store

__all__ = ["open_knowledge", "open_store", "knowledge_roots", "readable_folder",
           "warn_user_problems", "serve_mcp", "report_error", "complete"]


def open_knowledge(knowledge: list[str] | None = None, region: str | None = None) -> Knowledge:
    """The shipped knowledge plus SUBQ_KNOWLEDGE_PATH and `--knowledge` folders, with the
    file check done on a second core when the entry point started one (cli/prescan.py);
    after a rebuild, one warning line per problem in the user's own files."""
    from substance_cli.cli import prescan

    kb = Knowledge.open(knowledge, region, summary=prescan.take, progress=_progress())
    if kb.rebuilt:
        warn_user_problems(kb)
    return kb


def open_store(knowledge: list[str] | None = None) -> Store:
    """The open index alone, for tests and tools that call the answer modules directly."""
    return open_knowledge(knowledge).store


def warn_user_problems(kb: Knowledge) -> None:
    """One line on stderr per problem in the user's own files (the shipped ones are tested)."""
    from substance_cli.common.text import clean

    for path, line, col, code, message in kb.problems(quiet=True):
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


def serve_mcp(knowledge: list[str] | None, region: str | None, text: str) -> None:
    """`subq mcp`: check that the SDK is installed (one line and exit 2 if not), open the
    knowledge as every command does, check the region, then serve until stdin closes."""
    from substance_cli.common.errors import UsageError

    if text not in ("markdown", "json"):
        raise UsageError(f"--text must be markdown or json, not {text!r}")
    try:
        from substance_cli.mcp_server import serve
    except ModuleNotFoundError as exc:
        top = (exc.name or "mcp").split(".")[0]
        missing = "" if top in ("mcp", "mcp_types") else f" (missing module {exc.name!r})"
        raise UsageError('subq mcp needs the MCP SDK: pip install "subq[mcp]"'
                         + missing) from None
    kb = open_knowledge(knowledge, region)
    if kb.region not in kb.regions():
        raise UsageError(f"no help lines for region {kb.region!r}; known regions: "
                         f"{', '.join(kb.regions())}")
    serve(kb, text)  # type: ignore[arg-type]


def report_error(exc: SubqError) -> None:
    """A user's error as one line on stderr."""
    from substance_cli.common.text import clean

    print(f"subq: error: {clean(exc.message)}", file=sys.stderr)


def complete(incomplete: str, kinds: tuple[str, ...]) -> list[str]:
    """Names starting with what was typed, for shell completion; quiet on any failure."""
    try:
        from substance_cli.common.text import fold

        store = open_knowledge(None).store
        prefix = fold(incomplete)
        out = []
        for label, kind in store.names_starting(prefix):
            # Names with spaces would need quoting on the command line: ids cover them.
            if kind in kinds and label not in out and " " not in label:
                out.append(label)
        return out
    except Exception:  # noqa: BLE001 - completion must never print a traceback
        return []
