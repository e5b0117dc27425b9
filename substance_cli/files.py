"""Where knowledge lives and which files it has: cheap enough to run on every answer.

Listing files (with size and mtime) is how the index knows it is stale, so this module must
not import YAML or the validator: those are only needed when the index is rebuilt.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class FileInfo:
    root: str
    path: str
    kind: str | None  # None: outside the known folders
    size: int
    mtime_ns: int


def list_files(roots: Iterable[Path]) -> list[FileInfo]:
    """Every YAML file under the roots, with its size and mtime, never leaving a root."""
    out: list[FileInfo] = []
    for root in roots:
        real_root = os.path.realpath(root)
        for path, kind in _walk(real_root, None, real_root):
            try:
                st = os.stat(path)
            except OSError:
                continue
            out.append(FileInfo(str(root), path, kind, st.st_size, st.st_mtime_ns))
    return out


def _walk(folder: str, kind: str | None, real_root: str) -> Iterator[tuple[str, str | None]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if os.path.commonpath([target, real_root]) != real_root:
                continue  # never follow a link out of the knowledge folder
        if entry.is_dir():
            sub_kind = kind or FOLDERS.get(entry.name)
            if kind is None and sub_kind is None:
                continue  # docs/, tests/ and the like beside the knowledge folders
            yield from _walk(entry.path, sub_kind, real_root)
        elif entry.name.endswith(YAML_SUFFIXES):
            yield entry.path, kind
