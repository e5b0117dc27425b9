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
}


def shipped_root() -> Path:
    """The knowledge folder that ships inside the package (or beside it in a checkout)."""
    here = Path(__file__).resolve().parent
    inside = here / "knowledge"
    return inside if inside.is_dir() else here.parent / "knowledge"


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

    The order is the walk's (not sorted): the fingerprint does not depend on it, and the
    loader sorts when it needs an order.
    """
    out: list[FileInfo] = []
    for root in roots:
        real_root = os.path.realpath(root)
        _walk(str(root), real_root, None, real_root, out)
    return out


def _walk(root: str, folder: str, kind: str | None, real_root: str,
          out: list[FileInfo]) -> None:
    try:
        it = os.scandir(folder)
    except OSError:
        return
    with it:
        for entry in it:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if os.path.commonpath([target, real_root]) != real_root:
                    continue  # never follow a link out of the knowledge folder
            if name.endswith(YAML_SUFFIXES):
                try:
                    st = entry.stat()
                except OSError:
                    continue
                out.append(FileInfo(root, entry.path, kind, st.st_size, st.st_mtime_ns))
            elif entry.is_dir():
                sub_kind = kind or FOLDERS.get(name)
                if kind is None and sub_kind is None:
                    continue  # docs/, tests/ and the like beside the knowledge folders
                _walk(root, entry.path, sub_kind, real_root, out)
