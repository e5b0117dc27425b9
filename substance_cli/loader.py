"""Find knowledge folders, read every file, and check the set as a whole.

The loader is only run when the compiled index is missing or stale (see store.py), and by
`subq validate`. It never stops at the first bad file: a malformed file in a user's folder is
reported and left out, and everything valid is still answered from.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from substance_cli.files import FileInfo, list_files
from substance_cli.schema import SPECS
from substance_cli.text import fold
from substance_cli.validate import DEFAULT_MAX_AGE_DAYS, FileChecker, Problem, Reference
from substance_cli.yamlread import Document, YamlProblem, read


@dataclass
class Entry:
    """A substance, class, topic or resource that passed its file checks."""

    id: str
    kind: str
    data: dict[str, Any]
    path: str
    root: str


@dataclass
class KnowledgeSet:
    """Everything valid that the answers may use, plus every problem found on the way."""

    #: kind (substance | class | topic | resource) -> id -> entry. Each kind has its own ids:
    #: "amphetamine" is both a substance and a class.
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


def entry_names(kind: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (name, type) a person may type for an entry; types rank exact matches."""
    out: list[tuple[str, str]] = [(data["id"], "id")]
    if kind == "substance":
        out.append((data.get("name", ""), "name"))
        names = data.get("names") or {}
        for group, label in (("generic", "generic"), ("brands", "brand"), ("street", "street"),
                             ("misspellings", "misspelling"), ("ambiguous", "ambiguous")):
            out.extend((n, label) for n in names.get(group) or [] if isinstance(n, str))
    elif kind == "class":
        out.append((data.get("name", ""), "name"))
        if data.get("plural"):
            out.append((data["plural"], "plural"))
        out.extend((n, "alias") for n in data.get("aliases") or [] if isinstance(n, str))
    elif kind == "topic":
        out.append((data.get("title", ""), "name"))
    elif kind == "resource":
        out.append((data.get("name", ""), "name"))
        out.extend((n, "alias") for n in data.get("aliases") or [] if isinstance(n, str))
    return [(n, t) for n, t in out if n]


def load(roots: list[Path], today: dt.date | None = None,
         max_age_days: int = DEFAULT_MAX_AGE_DAYS,
         files: list[FileInfo] | None = None) -> KnowledgeSet:
    """Read and check every file under `roots`; later roots replace earlier ids."""
    ks = KnowledgeSet()
    files = files if files is not None else list_files(roots)
    docs: dict[str, Document] = {}
    refs: list[tuple[str, Reference]] = []
    seen_in_root: dict[tuple[str, str, str], str] = {}
    for info in files:
        ks.files += 1
        display = _display(info)
        if info.kind is None:
            ks.problems.append(Problem(display, 1, 1, "SUBQ019", "not inside substances/, "
                               "classes/, topics/, interactions/, resources/ or sources/; "
                               "ignored"))
            continue
        try:
            with open(info.path, encoding="utf-8") as fh:
                text = fh.read(2 * 1024 * 1024)
            doc = read(text)
        except UnicodeDecodeError:
            ks.problems.append(Problem(display, 1, 1, "SUBQ001", "not UTF-8 text"))
            continue
        except OSError as exc:
            ks.problems.append(Problem(display, 1, 1, "SUBQ001",
                                       f"cannot read: {exc.strerror}"))
            continue
        except YamlProblem as exc:
            ks.problems.append(Problem(display, exc.line, exc.column, exc.code, exc.message))
            continue
        checker = FileChecker(doc, display, today=today, max_age_days=max_age_days)
        data = checker.check(SPECS[info.kind])
        ks.problems.extend(checker.problems)
        if data is not None and info.kind in _LIST_FILES:
            data = _drop_bad_items(data, _LIST_FILES[info.kind], checker.error_paths)
        elif data is None or checker.error_paths:
            continue  # answered from what is valid; `validate` shows why this was left out
        if data is None:
            continue
        docs[display] = doc
        refs.extend((display, r) for r in checker.refs)
        _add(ks, info, display, data, seen_in_root, doc)
    _check_references(ks, refs, docs)
    _check_class_cycles(ks, docs)
    _check_names(ks, docs)
    return ks


#: Files that are lists of independent items: a bad item is left out, not the whole file.
_LIST_FILES = {"source": "sources", "interaction": "pairs"}


def _drop_bad_items(data: dict[str, Any], field_name: str, bad: list[tuple[Any, ...]]) \
        -> dict[str, Any] | None:
    if any(len(p) < 2 or p[0] != field_name for p in bad):
        return None  # the problem is not inside one item: leave the file out
    bad_items = {p[1] for p in bad if len(p) >= 2 and p[0] == field_name}
    items = [x for i, x in enumerate(data.get(field_name) or []) if i not in bad_items and x]
    return {**data, field_name: items}


def _display(info: FileInfo) -> str:
    """A path a person recognises: relative to the current folder when that is shorter."""
    try:
        rel = os.path.relpath(info.path)
    except ValueError:
        return info.path
    return rel if len(rel) < len(info.path) else info.path


def _add(ks: KnowledgeSet, info: FileInfo, display: str, data: dict[str, Any],
         seen: dict[tuple[str, str, str], str], doc: Document) -> None:
    kind = info.kind
    assert kind is not None
    if kind == "source":
        for i, src in enumerate(data.get("sources") or []):
            if not src or "key" not in src:
                continue
            key = (info.root, "source", src["key"])
            if key in seen:
                line, col = doc.where(("sources", i))
                ks.problems.append(Problem(display, line, col, "SUBQ005",
                                           f"source key {src['key']!r} is also defined in "
                                           f"{seen[key]}"))
                continue
            seen[key] = display
            ks.sources[src["key"]] = src
        return
    ident = data["id"]
    stem = Path(info.path).stem
    if stem != ident:
        line, col = doc.where(("id",))
        ks.problems.append(Problem(display, line, col, "SUBQ018",
                                   f"id {ident!r} differs from the file name {stem!r}.yaml"))
    key = (info.root, kind, ident)
    if key in seen:
        line, col = doc.where(("id",))
        ks.problems.append(Problem(display, line, col, "SUBQ005",
                                   f"id {ident!r} is also used by {seen[key]}"))
        return
    seen[key] = display
    entry = Entry(ident, kind, data, display, info.root)
    if kind == "interaction":
        ks.interactions = [p for p in ks.interactions if p["_file"] != ident]
        for pair in data.get("pairs") or []:
            if pair:
                ks.interactions.append({**pair, "_file": ident, "_path": display})
    else:
        ks.entries.setdefault(kind, {})[ident] = entry  # a later root replaces an earlier one


def _check_references(ks: KnowledgeSet, refs: list[tuple[str, Reference]],
                      docs: dict[str, Document]) -> None:
    def has(kind: str, ident: str) -> bool:
        return ident in ks.entries.get(kind, {})

    for display, ref in refs:
        value = ref.value
        ok = {
            "class": has("class", value),
            "substance": has("substance", value),
            "entry": has("substance", value) or has("class", value) or has("topic", value),
            "substance-or-class": has("substance", value) or has("class", value),
            "source": value in ks.sources,
        }[ref.kind]
        if not ok:
            what = {"entry": "substance, class or topic", "substance-or-class":
                    "substance or class", "source": "bibliography key"}.get(ref.kind, ref.kind)
            line, col = docs[display].where(ref.path)
            ks.problems.append(Problem(display, line, col, "SUBQ007",
                                       f"{ref.value!r} is not a known {what}"))


def _check_class_cycles(ks: KnowledgeSet, docs: dict[str, Document]) -> None:
    classes = ks.entries.get("class", {})
    parents = {e.id: [p for p in e.data.get("parents") or [] if p] for e in classes.values()}
    reported: set[str] = set()
    for start in parents:
        stack, path = [start], []
        seen: set[str] = set()
        while stack:
            node = stack.pop()
            if node == start and path:
                if start not in reported:
                    entry = classes[start]
                    line, col = docs[entry.path].where(("parents",))
                    ks.problems.append(Problem(entry.path, line, col, "SUBQ008",
                                               f"class {start!r} is its own ancestor through "
                                               "its parents"))
                    reported.add(start)
                break
            if node in seen:
                continue
            seen.add(node)
            path.append(node)
            stack.extend(parents.get(node, []))


def _check_names(ks: KnowledgeSet, docs: dict[str, Document]) -> None:
    for entries in ks.entries.values():
        _check_names_of_kind(ks, entries, docs)


def _check_names_of_kind(ks: KnowledgeSet, entries: dict[str, Entry],
                         docs: dict[str, Document]) -> None:
    owners: dict[str, list[tuple[str, str]]] = {}
    for entry in entries.values():
        for name, kind in entry_names(entry.kind, entry.data):
            owners.setdefault(fold(name), []).append((entry.id, kind))
    for folded, claims in owners.items():
        ids = {i for i, _ in claims}
        if len(ids) < 2:
            continue
        exact = [i for i, k in claims if k in ("id", "name")]
        unmarked = [i for i, k in claims if k not in ("ambiguous", "id", "name")]
        if len(exact) > 1 or (exact and unmarked) or len(set(unmarked)) > 1:
            for ident in sorted(ids):
                if ident in exact and len(exact) == 1:
                    continue  # the owner of the name is not at fault; the claimant is
                entry = entries[ident]
                line, col = docs[entry.path].where(("names",)) if entry.path in docs else (1, 1)
                others = ", ".join(sorted(ids - {ident}))
                ks.problems.append(Problem(entry.path, line, col, "SUBQ006",
                                           f"name {folded!r} is also claimed by {others}; "
                                           "list it under names.ambiguous on each entry, or "
                                           "drop it"))
