"""The Python API: subq's answers for other programs, with no terminal and no subprocess.

    from substance_cli.api import Knowledge

    kb = Knowledge.open()                      # the shipped knowledge (+ SUBQ_KNOWLEDGE_PATH)
    answer = kb.is_class("ketamine", "opioid")
    answer["verdict"]                          # "no"
    answer["sources"][0]["title"]              # every fact cites numbered sources

Every method returns the same JSON-ready dict that the matching command prints with `--json`
(docs/json.md: versioned, with `sources`, `review` and `disclaimer` where the command has
them), so anything built on `--json` can switch to the API, and back, without a change.
Errors are `SubqError` subclasses from `substance_cli.common.errors`: `NameNotFoundError`
(with suggestions), `AmbiguousNameError` (with candidates), `UsageError`,
`KnowledgeFolderError` and `InvalidKnowledgeError`. docs/api.md has the whole reference.

The command line and the MCP server (`subq mcp`) are both built on this module: a face over
`answers` and `ask`, importing them only when a method is called, so that importing the API
costs nothing on the CLI's start-up path.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from substance_cli.common.errors import (
    InvalidKnowledgeError,
    KnowledgeFolderError,
    SubqError,
    UsageError,
    typed,
)

if TYPE_CHECKING:
    from substance_cli.kb.index import Store

__all__ = ["Knowledge", "knowledge_roots", "readable_folder", "ENV_KNOWLEDGE", "ENV_REGION"]

#: Extra knowledge folders, separated like PATH (read when `environment=True`).
ENV_KNOWLEDGE = "SUBQ_KNOWLEDGE_PATH"
#: The default region for help lines (read when `environment=True`).
ENV_REGION = "SUBQ_REGION"
_DEFAULT_REGION = "us"
#: Problem codes left out of `Knowledge.problems(quiet=True)`: dates and file names, which
#: `subq validate` reports, but which do not deserve a warning on every rebuild.
QUIET_CODES = ("SUBQ013", "SUBQ018")

Problem = tuple[str, int, int, str, str]
_T = TypeVar("_T")
_P = ParamSpec("_P")


def readable_folder(folder: Path) -> bool:
    """True when `folder` is a folder this process can list."""
    try:
        return folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)
    except (OSError, ValueError):  # a name too long, a NUL byte ...
        return False


def knowledge_roots(extra_folders: Iterable[str | os.PathLike[str]] | None = None,
                    environment: bool = True) -> list[Path]:
    """The knowledge folders, in the order they override each other: the shipped folder,
    then SUBQ_KNOWLEDGE_PATH (when `environment`), then `extra_folders` (later wins).

    Raises `KnowledgeFolderError` for a folder that is missing or cannot be read: a clinic
    that points at its own folder must hear that it is not being used.
    """
    from substance_cli.common.text import one_line
    from substance_cli.kb.files import shipped_root, user_roots

    extra = [os.fspath(f) for f in extra_folders or []]
    folders = user_roots(extra) if environment else [Path(f).expanduser() for f in extra]
    roots = [shipped_root()]
    for folder in folders:
        if not readable_folder(folder):
            raise KnowledgeFolderError(f"knowledge folder {one_line(str(folder), 80)!r} is not "
                                       "a readable folder", str(folder))
        roots.append(folder)
    return roots


def _answer(method: Callable[_P, _T]) -> Callable[_P, _T]:
    """Make an answer method JSON-safe and its errors typed.

    Strings are cleaned as `--json` cleans them (typed input echoed back must not carry
    control characters or bidi overrides), and a plain `SubqError` raised by a module below
    becomes the subclass its exit code stands for.
    """
    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            result = method(*args, **kwargs)
        except SubqError as exc:
            better = typed(exc)
            if better is exc:
                raise
            raise better from None
        from substance_cli.common.text import clean_tree

        return clean_tree(result)

    return wrapper


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{what} must be a string, not {type(value).__name__}")
    return value


def _names(values: Any, what: str = "names") -> list[str]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise UsageError(f"{what} must be a list of names, e.g. [\"heroin\", \"methadone\"]")
    return [_text(v, "each name") for v in values]


class Knowledge:
    """The knowledge subq answers from: the shipped files plus any extra folders, compiled
    into the cached index. Open it once and ask many questions; each answer is a few indexed
    look-ups.

    One `Knowledge` belongs to one thread (it holds an SQLite connection). It reads the files
    as they were when it was opened; open a new one to see later edits.
    """

    def __init__(self, store: Store, region: str = _DEFAULT_REGION):
        """Wrap an already open `Store`; most programs want `Knowledge.open()`."""
        self.store = store
        #: The region `help_now` and `ask` use when none is given.
        self.region = region

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(cls, extra_folders: Iterable[str | os.PathLike[str]] | None = None,
             region: str | None = None, *, environment: bool = True, strict: bool = False,
             summary: Callable[[list[Path]], tuple[int, ...] | None] | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> Knowledge:
        """Open (building or refreshing the index when a file changed) the knowledge.

        - `extra_folders`: the user's own knowledge folders, like `--knowledge`; an entry
          with the id of a shipped one replaces it.
        - `region`: the default region for help lines (`us`, `uk`, `ca`, `ie`, `au`, `nz`,
          or one the extra folders add).
        - `environment`: also read SUBQ_KNOWLEDGE_PATH and SUBQ_REGION, as the CLI does.
        - `strict`: raise `InvalidKnowledgeError` when the extra folders hold files with
          errors; otherwise such files are left out and `problems()` lists them.
        - `summary`, `progress`: for the CLI; a precomputed file scan of the roots (see
          cli/prescan.py) and a callback for slow rebuilds.

        Raises `KnowledgeFolderError` for an extra folder that cannot be read.
        """
        from substance_cli.kb.index import Store

        roots = knowledge_roots(extra_folders, environment)
        store = Store(roots, summary=summary(roots) if summary else None, progress=progress)
        if region is None:
            region = (os.environ.get(ENV_REGION) if environment else None) or _DEFAULT_REGION
        kb = cls(store, _text(region, "region"))
        if strict:
            errors = [p for p in kb.problems() if _is_error(p)]
            if errors:
                kb.close()
                raise InvalidKnowledgeError(
                    f"{len(errors)} error(s) in the knowledge folders; first: "
                    f"{errors[0][0]}:{errors[0][1]}:{errors[0][2]}: {errors[0][3]} "
                    f"{errors[0][4]}", errors)
        return kb

    @property
    def roots(self) -> list[Path]:
        """The knowledge folders in use, shipped first."""
        return list(self.store.roots)

    @property
    def rebuilt(self) -> bool:
        """True when opening had to compile the index (a file changed, or the first run)."""
        return self.store.rebuilt

    def problems(self, quiet: bool = False) -> list[Problem]:
        """`(path, line, column, code, message)` for each problem found in the user's own
        files (the shipped ones are tested before release); `quiet` leaves out the codes the
        CLI does not warn about on every rebuild (dates, file names)."""
        from substance_cli.kb.files import shipped_root

        shipped = os.path.realpath(shipped_root())
        return [p for p in self.store.problems()
                if not os.path.realpath(p[0]).startswith(shipped)
                and not (quiet and p[3] in QUIET_CODES)]

    def close(self) -> None:
        """Close the index; the object answers nothing afterwards."""
        self.store.db.close()

    def __enter__(self) -> Knowledge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- answers --------------------------------------------------------------------------

    @_answer
    def is_class(self, name: str, class_name: str = "opioid") -> dict[str, Any]:
        """Is a substance a member of a class? `type: verdict`; `verdict` is `yes`, `no`,
        `atypical` or `antagonist` (`subq is NAME CLASS`)."""
        from substance_cli.answers.verdict import is_class

        return is_class(self.store, _text(name, "name"), _text(class_name, "class_name"))

    def is_opioid(self, name: str) -> dict[str, Any]:
        """`is_class(name, "opioid")` (`subq is-opioid NAME`)."""
        return self.is_class(name, "opioid")

    @_answer
    def show(self, name: str) -> dict[str, Any]:
        """The whole card of a substance, class or topic; `type` says which (`subq show`)."""
        from substance_cli.answers.cards import show

        return show(self.store, _text(name, "name"))

    @_answer
    def compare(self, names: Sequence[str]) -> dict[str, Any]:
        """Two or more substances (or two or more classes) side by side, with their
        interactions. `type: compare` (`subq compare A B ...`)."""
        from substance_cli.answers.compare import compare

        return compare(self.store, _names(names))

    @_answer
    def mix(self, names: Sequence[str]) -> dict[str, Any]:
        """The risk of every pair among two or more substances or classes, worst first.
        `type: mix` (`subq mix A B ...`)."""
        from substance_cli.answers.interactions import mix

        return mix(self.store, _names(names))

    @_answer
    def related(self, name: str) -> dict[str, Any]:
        """Related topics and substances of an entry. `type: related` (`subq related`)."""
        from substance_cli.answers.cards import related

        return related(self.store, _text(name, "name"))

    @_answer
    def detection(self, name: str, specimen: str | None = None) -> dict[str, Any]:
        """How long a substance, or each member of a class, shows up in tests; `specimen`
        (urine, blood, saliva, hair) keeps one kind of test. `type: focus`."""
        from substance_cli.answers.focus import focus

        return focus(self.store, _text(name, "name"), "detection",
                     None if specimen is None else _text(specimen, "specimen"))

    @_answer
    def withdrawal(self, name: str) -> dict[str, Any]:
        """Withdrawal timeline and symptoms of a substance or class. `type: focus`."""
        from substance_cli.answers.focus import focus

        return focus(self.store, _text(name, "name"), "withdrawal")

    @_answer
    def naloxone(self, name: str) -> dict[str, Any]:
        """Does naloxone (Narcan) reverse it? `type: focus`."""
        from substance_cli.answers.focus import focus

        return focus(self.store, _text(name, "name"), "naloxone")

    @_answer
    def legal(self, name: str) -> dict[str, Any]:
        """US schedule, UK class and legal notes. `type: focus`."""
        from substance_cli.answers.focus import focus

        return focus(self.store, _text(name, "name"), "legal")

    @_answer
    def search(self, words: str, limit: int = 10) -> dict[str, Any]:
        """Ranked full-text search over all knowledge (BM25). `type: search`."""
        from substance_cli.answers.cards import search

        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
            raise UsageError("limit must be a whole number from 1 to 100")
        return search(self.store, _text(words, "words"), limit)

    @_answer
    def ask(self, question: str, region: str | None = None,
            explain: bool = False) -> dict[str, Any]:
        """A question in plain English, answered by the matching command.

        Returns `{"version", "question", "intent", "entities", "emergency", "explain",
        "answer"}` exactly as `subq ask --json` prints it; `answer` is the matching command's
        document. `explain` keeps the words that decided (otherwise `explain` is `[]`). A
        question that signals an emergency gets `help_now`'s answer for `region`.
        """
        from substance_cli.ask.router import ask

        result = ask(self.store, _text(question, "question"),
                     _text(region or self.region, "region"))
        result.pop("type", None)
        # [what, why] pairs as lists, as JSON reads them back (the router keeps tuples)
        result["explain"] = [list(pair) for pair in result["explain"]] if explain else []
        return result

    @_answer
    def help_now(self, region: str | None = None) -> dict[str, Any]:
        """What to do in an opioid overdose, then the emergency number and help lines of
        `region` (default: the one the knowledge was opened with). `type: help`."""
        from substance_cli.answers.helpnow import help_now

        return help_now(self.store, _text(region or self.region, "region"))

    @_answer
    def listing(self, class_name: str | None = None, tier: str | None = None) -> dict[str, Any]:
        """Every substance, or the substances related to a class; `tier` "card" or
        "reference" keeps one tier. `type: list`."""
        from substance_cli.answers.cards import listing

        if tier is not None:
            from substance_cli.kb.schema import TIERS

            if tier not in TIERS:
                raise UsageError(f"tier must be {' or '.join(TIERS)}, not {tier!r}")
        return listing(self.store, None if class_name is None
                       else _text(class_name, "class_name"), tier)

    @_answer
    def list_kind(self, kind: str) -> dict[str, Any]:
        """Every entry of one kind: `substance`, `class`, `topic` or `resource` (regions).
        `type: list`."""
        from substance_cli.answers.cards import list_kind

        if kind not in ("substance", "class", "topic", "resource"):
            raise UsageError(f"kind must be substance, class, topic or resource, not {kind!r}")
        return list_kind(self.store, kind)

    def regions(self) -> list[str]:
        """The ids of the regions that have help lines."""
        return [i for i, _ in self.store.listing("resource")]

    def info(self) -> dict[str, Any]:
        """Version, knowledge folders, index location and counts (`subq info --json`)."""
        from substance_cli import FORMAT_VERSION, __version__

        store = self.store
        return {"version": __version__, "format_version": FORMAT_VERSION,
                "knowledge": [str(r) for r in store.roots], "index": store.location,
                "counts": {k: store.count(k) for k in ("substance", "class", "topic",
                                                       "resource")},
                "substances": {t: store.count("substance", t) for t in ("card", "reference")},
                "interaction_pairs": store.count_pairs(), "sources": store.count_sources()}


def _is_error(problem: Problem) -> bool:
    """Whether a stored problem is an error rather than a warning (the index keeps only the
    code; the checks say which codes are warnings)."""
    from substance_cli.kb.checks import WARNING_CODES

    return problem[3] not in WARNING_CODES
