"""Where knowledge lives and which files it has: cheap enough to run on every answer.

Listing files (with size and mtime) is how the index knows it is stale, so this module must
not import YAML or the validator: those are only needed when the index is rebuilt.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

ENV_PATH = "SUBQ_KNOWLEDGE_PATH"
YAML_SUFFIXES = (".yaml", ".yml")
#: Folder name -> kind of file it holds.
FOLDERS = {
    "substances": "substance",
    "classes": "class",
    "topics": "topic",
    "interactions": "interaction",
    "resources": "resource",
    "sources": "source",
    "names": "names",
}


def shipped_root() -> Path:
    """The knowledge folder that ships inside the package (or beside it in a checkout)."""
    inside = _installed_root()
    return inside if inside.is_dir() else inside.parent.parent / "knowledge"


def _installed_root() -> Path:
    """Where an installed wheel puts the shipped knowledge: inside the package."""
    return Path(__file__).resolve().parent.parent / "knowledge"  # substance_cli/knowledge


def sealed(root: str) -> bool:
    """Whether `root` is the knowledge that an installed wheel carries inside the package.

    Those files are written only by installing, and installing (or upgrading, or
    uninstalling) adds, removes or replaces files, which changes their folders' times. So
    their folders alone tell whether they changed, and every answer is spared a `stat` per
    shipped file (about 900). A checkout (editable install, tests of the source tree) keeps
    the knowledge beside the package and is checked file by file, like the user's own folders.
    docs/performance.md, "Speed tricks".
    """
    return os.path.realpath(root) == os.path.realpath(_installed_root())


def user_roots(cli_dirs: Iterable[str] = ()) -> list[Path]:
    """Folders from SUBQ_KNOWLEDGE_PATH then `--knowledge`, later ones winning on conflicts."""
    env = os.environ.get(ENV_PATH, "")
    parts = [p for p in env.split(os.pathsep) if p.strip()]
    return [Path(p).expanduser() for p in (*parts, *cli_dirs)]


class FileInfo(NamedTuple):
    """One knowledge file; a tuple because answers list thousands of them on every run."""

    root: str
    path: str
    kind: str | None  # None: outside the known folders
    size: int
    mtime_ns: int


def list_files(roots: Iterable[Path]) -> list[FileInfo]:
    """Every YAML file under the roots, with its size and mtime, never leaving a root.

    The order is the walk's (not sorted): the loader sorts when it needs an order.
    """
    out: list[FileInfo] = []
    for root in roots:
        _walk(str(root), os.path.realpath(root), None, out, None)
    return out



def scan_summary(roots: Iterable[Path]) -> tuple[int, ...]:
    """A cheap summary that changes whenever a knowledge file is added, removed, renamed or
    edited: counts, sums of sizes and modification times of the files, and of the folders.

    An edit changes the file's mtime; adding, removing or renaming changes its folder's. This
    is what every answer pays to know its index is current, so it builds no objects per file.
    """
    acc = [0, 0, 0, 0, 0]  # files, sum of sizes, sum of mtimes, folders, sum of folder mtimes
    for root in roots:
        _walk(str(root), os.path.realpath(root), None, None, acc, files=not sealed(str(root)))
    return tuple(acc)


def _walk(root: str, folder: str, kind: str | None, out: list[FileInfo] | None,
          acc: list[int] | None, files: bool = True) -> None:
    """Walk one folder; append FileInfo to `out`, or add to the sums in `acc` (counting only
    the folders when `files` is false: see `sealed`).

    The folder is opened once and its files are stat'ed relative to it, which is the
    cheapest way to look at thousands of files from Python.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        if acc is not None:
            st = os.fstat(fd)
            acc[3] += 1
            acc[4] += st.st_mtime_ns
        subfolders = []
        with os.scandir(fd) as it:
            for entry in it:
                name = entry.name
                if name[0] == "." or (not files and name.endswith(YAML_SUFFIXES)):
                    continue
                if entry.is_symlink() and not _inside(os.path.join(folder, name), root):
                    continue  # never follow a link out of the knowledge folder
                if name.endswith(YAML_SUFFIXES):
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    if acc is not None:
                        acc[0] += 1
                        acc[1] += st.st_size
                        acc[2] += st.st_mtime_ns
                    elif out is not None:
                        out.append(FileInfo(root, os.path.join(folder, name), kind,
                                            st.st_size, st.st_mtime_ns))
                elif entry.is_dir():
                    sub_kind = kind or FOLDERS.get(name)
                    if kind is not None or sub_kind is not None:
                        subfolders.append((os.path.join(folder, name), sub_kind))
    finally:
        os.close(fd)
    for path, sub_kind in subfolders:  # docs/, tests/ beside the kind folders are skipped
        _walk(root, path, sub_kind, out, acc, files)


def _inside(path: str, root: str) -> bool:
    real_root = os.path.realpath(root)
    return os.path.commonpath([os.path.realpath(path), real_root]) == real_root
