"""Running the command line: build only the command asked for, turn every failure into one
line on stderr and a documented exit code."""

from __future__ import annotations

import sys

import typer

from substance_cli.cli.app import app
from substance_cli.cli.session import report_error
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.render.emit import plain_wanted


def _command_for(args: list[str]):
    """The click command to run, building only the one the user asked for.

    Typer turns every command's signature into click parameters when it builds the whole
    app, which costs more than the answer itself. For `subq NAME ...` only NAME's command is
    built; help, completion, `--version` and unknown words get the whole app.
    """
    import os

    completing = "_SUBQ_COMPLETE" in os.environ
    if completing:
        # Completing the arguments of one command: a group holding just that command.
        words = os.environ.get("COMP_WORDS", "").split()
        info = _info_for(words[1]) if len(words) > 2 else None
        if info is not None:
            small = typer.Typer()
            small.registered_callback = app.registered_callback
            small.registered_commands = [info]
            return typer.main.get_command(small), "subq", args
        return typer.main.get_command(app), "subq", args
    name = args[0] if args else ""
    info = _info_for(name) if name and not name.startswith("-") else None
    if info is not None:
        info.context_settings = info.context_settings or app.info.context_settings
        command = typer.main.get_command_from_info(
            info, pretty_exceptions_short=True, rich_markup_mode=app.rich_markup_mode)
        return command, f"subq {name}", args[1:]
    return typer.main.get_command(app), "subq", args


def _plain_help(command) -> None:
    """Help as plain text (click's own layout) for this command and its subcommands: Typer
    draws help with Rich boxes and colour, which piped output and NO_COLOR must not get."""
    command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


def _info_for(name: str):
    """The registered command called `name`, or None."""
    for info in app.registered_commands:
        if (info.name or info.callback.__name__.replace("_", "-")) == name:
            return info
    return None


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return an exit code; never lets a traceback reach the user."""
    from typer import _click as click  # typer 0.28 vendors click
    from typer.exceptions import Abort, Exit

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # undecodable argument bytes must not crash output
            stream.reconfigure(errors="backslashreplace")
    args = list(sys.argv[1:] if argv is None else argv)
    command, prog, args = _command_for(args)
    if plain_wanted():
        _plain_help(command)
    try:
        result = command.main(args=args, prog_name=prog, standalone_mode=False)
        return int(result) if isinstance(result, int) else 0
    except SubqError as exc:
        report_error(exc)
        return int(exc.code)
    except Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.ClickException as exc:
        hint = ""
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            hint = f" (see `{ctx.command_path} --help`)"
        from substance_cli.common.text import one_line

        print(f"subq: error: {one_line(exc.format_message(), 300)}{hint}", file=sys.stderr)
        return int(ExitCode.USAGE)
    except (Abort, KeyboardInterrupt):
        print("subq: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no tracebacks
        import errno

        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG,
                                                      errno.EIO):  # a full disk is no bug
            print(f"subq: error: could not write the answer: {exc.strerror}", file=sys.stderr)
            return int(ExitCode.OUTPUT_FAILED)
        print(f"subq: internal error: {type(exc).__name__}: {exc}. Please report it.",
              file=sys.stderr)
        return 70
