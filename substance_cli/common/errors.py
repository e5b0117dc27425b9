"""Exit codes, in one place so that the CLI, docs and tests agree."""

from enum import IntEnum


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
    """An error a user can act on: printed as one line on stderr, never as a traceback."""

    def __init__(self, message: str, code: ExitCode, suggestions: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.suggestions = suggestions or []
