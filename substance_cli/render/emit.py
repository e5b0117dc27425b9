"""Choosing an output format and writing one answer to stdout.

Rich on a terminal; plain text when piped, with NO_COLOR or TERM=dumb; JSON or Markdown on
request. Rich is imported only for the Rich format, and a long Rich answer is paged on a
terminal, never at the cost of the answer: if the pager cannot run, the answer is printed.
"""

from __future__ import annotations

import os
import shutil
import sys
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"


def plain_wanted() -> bool:
    """True when decoration must be left out: piped output, NO_COLOR, or TERM=dumb."""
    return (not sys.stdout.isatty() or bool(os.environ.get("NO_COLOR"))
            or os.environ.get("TERM") == "dumb")


def choose(fmt: Format | None) -> Format:
    """The format asked for, else Rich on a terminal and plain otherwise."""
    if fmt is not None:
        return fmt
    return Format.plain if plain_wanted() else Format.rich


def emit(answer: dict[str, Any], fmt: Format | None, no_pager: bool = False) -> None:
    """Write one answer to stdout in the chosen format."""
    fmt = choose(fmt)
    if fmt is Format.json:
        sys.stdout.write(to_json(answer) + "\n")
        return
    from substance_cli.render.blocks import build

    blocks = build(answer)
    if fmt is Format.markdown:
        from substance_cli.render.markdown import markdown

        sys.stdout.write(markdown(blocks))
    elif fmt is Format.plain:
        from substance_cli.render.plain import plain

        sys.stdout.write(plain(blocks, shutil.get_terminal_size((80, 24)).columns))
    else:
        _emit_rich(blocks, no_pager)


def _emit_rich(blocks: list[Any], no_pager: bool) -> None:
    from rich.console import Console

    from substance_cli.render.rich_format import render

    tty = sys.stdout.isatty()
    console = Console(force_terminal=True if not tty else None, highlight=False,
                      emoji=False, markup=False)
    with console.capture() as cap:
        render(blocks, console)
    text = cap.get()
    if not (tty and not no_pager and text.count("\n") > console.height and page(text)):
        sys.stdout.write(text)


def page(text: str) -> bool:
    """Show `text` through the user's pager; False when no pager ran to the end.

    PAGER (or `less -R`, else `more`) is run without a shell. A pager that is missing, fails
    to start or exits with an error (PAGER=false) returns False, and the caller prints the
    answer itself: someone asking in a hurry must never be left with nothing.
    """
    import shlex
    import subprocess

    command = os.environ.get("PAGER", "").strip()
    if command:
        try:
            argv = shlex.split(command)
        except ValueError:
            return False
    else:
        found = shutil.which("less") or shutil.which("more")
        if not found:
            return False
        argv = [found, "-R"] if found.endswith("less") else [found]
    env = dict(os.environ)
    env.setdefault("LESS", "-R")
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except (OSError, ValueError):
        return False
    try:
        assert proc.stdin is not None
        proc.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager before the end: that is their choice
    except OSError:
        proc.kill()
        proc.wait()
        return False
    while True:
        try:
            return proc.wait() == 0
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager (less uses it to stop a search)


def to_json(doc: Any, indent: int | None = 2) -> str:
    """JSON text with every string cleaned: typed input echoed in an answer (a search query,
    a question) must not carry C1 controls or bidi overrides, which JSON does not escape."""
    import json  # only JSON output pays for it

    from substance_cli.common.text import clean_tree

    return json.dumps(clean_tree(doc), ensure_ascii=False, indent=indent)
