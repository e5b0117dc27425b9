"""Exit codes and the errors a user (or a program) can act on, in one place so that the CLI,
the Python API, the MCP server, the docs and the tests agree.

Every error is a `SubqError`; its subclass says what went wrong, so a program can catch
`NameNotFoundError` and offer the suggestions, while the CLI only reads `code` to choose the
process exit code. The classes carry data (suggestions, candidates, the folder, the problems),
never formatting.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Documented process exit codes (README, `subq --help`)."""

    OK = 0
    #: `--quiet` class question whose answer is not "yes".
    NOT_YES = 1
    USAGE = 2
    NOT_FOUND = 3
    KNOWLEDGE_INVALID = 4
    #: The answer could not be written (a full disk, an I/O error); 74 is EX_IOERR.
    OUTPUT_FAILED = 74


class SubqError(Exception):
    """An error a user can act on: printed as one line on stderr, never as a traceback.

    `code` defaults to the exit code of the subclass; `suggestions` are names to try instead
    (empty when there are none).
    """

    #: The exit code this kind of error ends the CLI with.
    exit_code: ExitCode = ExitCode.USAGE
    #: A short, stable name for programs (the MCP server puts it in its error results).
    kind: str = "error"

    def __init__(self, message: str, code: ExitCode | None = None,
                 suggestions: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.code = ExitCode(code) if code is not None else self.exit_code
        self.suggestions = list(suggestions or [])

    def as_dict(self) -> dict[str, Any]:
        """The error as JSON-ready data: `{"error", "message", "suggestions", ...}`."""
        return {"error": self.kind, "message": self.message, "suggestions": self.suggestions,
                "exit_code": int(self.code)}


class UsageError(SubqError):
    """The question itself cannot be answered as asked: a missing name, one name where two
    are needed, an empty question, an unknown option value. Exit code 2."""

    exit_code = ExitCode.USAGE
    kind = "usage"


class KnowledgeFolderError(UsageError):
    """An extra knowledge folder that is missing or cannot be read. Exit code 2, like any
    other bad option: the shipped knowledge is fine, the folder asked for is not."""

    kind = "knowledge_folder"

    def __init__(self, message: str, folder: str):
        super().__init__(message)
        self.folder = folder

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {"folder": self.folder}


class NameNotFoundError(SubqError):
    """No entry (substance, class, topic, region) answers to the name; `suggestions` holds
    close names, best first, possibly none. Exit code 3."""

    exit_code = ExitCode.NOT_FOUND
    kind = "not_found"

    def __init__(self, message: str, suggestions: list[str] | None = None,
                 query: str | None = None):
        super().__init__(message, None, suggestions)
        self.query = query

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {"query": self.query}


class AmbiguousNameError(NameNotFoundError):
    """The name belongs to several entries and none owns it outright (a street name shared by
    two drugs): `candidates` lists their ids, so the caller can ask which one was meant.
    A kind of not-found (exit code 3): no single entry was found."""

    kind = "ambiguous"

    def __init__(self, message: str, candidates: list[str], query: str | None = None):
        super().__init__(message, candidates, query)
        self.candidates = list(candidates)

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {"candidates": self.candidates}


class InvalidKnowledgeError(SubqError):
    """Knowledge files with errors, where the caller asked for them to be fatal
    (`Knowledge.open(strict=True)`, `subq validate`). `problems` holds
    `(path, line, column, code, message)` tuples. Exit code 4."""

    exit_code = ExitCode.KNOWLEDGE_INVALID
    kind = "invalid_knowledge"

    def __init__(self, message: str, problems: list[tuple[str, int, int, str, str]]):
        super().__init__(message)
        self.problems = list(problems)

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {"problems": [
            {"path": p, "line": line, "column": col, "code": code, "message": msg}
            for p, line, col, code, msg in self.problems]}


_BY_CODE: dict[ExitCode, type[SubqError]] = {
    ExitCode.USAGE: UsageError,
    ExitCode.NOT_FOUND: NameNotFoundError,
}


def typed(exc: SubqError) -> SubqError:
    """`exc` as the subclass its exit code stands for, when it was raised as a plain
    `SubqError` (modules that predate the subclasses still raise those); the same object
    when it is already typed or no subclass fits."""
    if type(exc) is not SubqError:
        return exc
    cls = _BY_CODE.get(exc.code)
    if cls is None:
        return exc
    out: SubqError = cls(exc.message) if cls is UsageError else \
        NameNotFoundError(exc.message, exc.suggestions)
    out.suggestions = list(exc.suggestions)
    return out
