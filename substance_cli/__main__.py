"""Entry point: `python -m substance_cli` and the `subq` console script."""

import os
import sys


def main() -> None:
    from substance_cli.cli import prescan

    prescan.start(sys.argv[1:])  # overlaps the knowledge-file check with the imports below
    from substance_cli.cli.runner import run

    try:
        code = run()
    except SystemExit as exc:  # shell completion ends with sys.exit
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    leave(code)


def leave(code: int) -> None:
    """Flush the output and end the process without tearing the interpreter down.

    By now the answer is written, the index is closed or read-only, and no temporary file is
    open, so there is nothing to clean up; yet Python's own shutdown (freeing every imported
    module of Typer and Rich, collecting garbage) takes longer than computing most answers.
    What it buys, measured, and why it is kept: docs/performance.md, "Speed tricks".
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # the reader went away (`subq ... | head`): not an error, as in run()
        except (OSError, ValueError):
            from substance_cli.common.errors import ExitCode

            code = code or int(ExitCode.OUTPUT_FAILED)  # the answer could not be written
    os._exit(code)


if __name__ == "__main__":
    main()
