"""Check the user's knowledge files on a second core while Python imports the CLI.

Every answer must know that its index is current, which takes one `stat` per knowledge file:
with thousands of added files, system calls that one Python thread cannot overlap with
anything, while the start of every run is spent importing Typer on one core. So when the
user has added knowledge folders and the machine has a second core, the entry point forks a
child that computes the file summary (`kb.files.scan_summary`) and sends it back through a
pipe; `cli.session.open_store` takes it and passes it to the index. What this buys, measured,
and why it is kept: docs/performance.md, "Speed tricks".

This is only a head start, never a second source of truth: the result is used only if the
child scanned exactly the folders the command line finally chose, and anything unexpected
(no fork, a child that died, a short read) falls back to scanning in-process. The folders
are read from the command line before Typer parses it (`knowledge_args`, a guess in Click's
manner); a wrong guess costs only the head start, since the folders must match.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Sequence
from pathlib import Path

from substance_cli.kb.files import ENV_PATH, scan_summary, shipped_root, user_roots

#: (child pid, read end of the pipe, the roots it scans) while a scan is running.
_pending: tuple[int, int, list[str]] | None = None


def knowledge_args(argv: Sequence[str]) -> list[str]:
    """The `--knowledge`/`-k` folders on a command line, read the way Click reads them.

    A guess made before Typer parses anything: if it is wrong (say, the words of a question
    contain `-k`), the roots will not match and the scan is simply done again in-process.
    """
    found: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        if word in ("--knowledge", "-k"):
            found.append(next(words, ""))
        elif word.startswith("--knowledge="):
            found.append(word.partition("=")[2])
        elif word.startswith("-k") and not word.startswith("--"):
            found.append(word[2:])
    return found


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def start(argv: Sequence[str]) -> None:
    """Begin scanning the knowledge folders in a child process, when that can pay off."""
    global _pending
    if _pending is not None or not hasattr(os, "fork") or _cores() < 2:
        return
    if not os.environ.get(ENV_PATH, "").strip() and not knowledge_args(argv):
        return  # the shipped knowledge alone is quick to scan: no child is worth forking
    roots = [shipped_root(), *user_roots(knowledge_args(argv))]
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return
    if pid == 0:  # the child: scan, report, and leave without running any exit handlers
        code = 1
        try:
            os.close(read_end)
            _detach_stdio()
            data = marshal.dumps(scan_summary(roots))
            while data:
                data = data[os.write(write_end, data):]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    _pending = (pid, read_end, [str(r) for r in roots])


def _detach_stdio() -> None:
    """Point the child's standard streams at /dev/null, so a reader of our stdout sees
    end-of-file when the answer is written, not when the child happens to exit."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def take(roots: Sequence[Path]) -> tuple[int, ...] | None:
    """The child's summary for `roots`, or None when there is no usable one."""
    global _pending
    if _pending is None:
        return None
    pid, read_end, scanned = _pending
    _pending = None
    chunks = []
    try:
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
    except OSError:
        chunks = []
    finally:
        os.close(read_end)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = -1
    if status != 0 or scanned != [str(r) for r in roots]:
        return None
    try:
        summary = marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(summary, tuple) or not all(type(n) is int for n in summary):
        return None
    return summary
