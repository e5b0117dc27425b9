"""Find knowledge folders, read every file, and check the set as a whole.

The loader is only run when the compiled index is missing or stale (see index.py), and by
`subq validate`. It never stops at the first bad file: a malformed file in a user's folder is
reported and left out, and everything valid is still answered from.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from substance_cli.common.text import fold
from substance_cli.kb.checks import (
    COMBINATION_PREFIX,
    DEFAULT_MAX_AGE_DAYS,
    PROPERTY_PREFIX,
    FileChecker,
    Problem,
    Reference,
    date_problem,
    naloxone_gaps,
    rule_ids,
)
from substance_cli.kb.files import FileInfo, list_files
from substance_cli.kb.schema import SPECS
from substance_cli.kb.yamlsafe import YamlProblem, read


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
    #: Items of `names/` files: a name people type and the entries it means.
    aliases: list[dict[str, Any]] = field(default_factory=list)
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


#: What the per-file checks found, in a form that can be cached between runs (JSON):
#: {"data": ... or None, "problems": [[line, col, code, message]], "refs": [[kind, value,
#: line, col]], "anchors": {"id": [line, col], ...}}. Paths are added when it is used.
Parsed = dict[str, Any]


def parse_file(path: str, kind: str) -> Parsed:
    """Read and check one file against its kind's model; never raises for bad content."""
    def failed(line: int, col: int, code: str, message: str) -> Parsed:
        return {"data": None, "problems": [[line, col, code, message]], "refs": [],
                "anchors": {}}

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(2 * 1024 * 1024)
        doc = read(text)
    except UnicodeDecodeError:
        return failed(1, 1, "SUBQ001", "not UTF-8 text")
    except OSError as exc:
        return failed(1, 1, "SUBQ001", f"cannot read: {exc.strerror}")
    except YamlProblem as exc:
        return failed(exc.line, exc.column, exc.code, exc.message)
    checker = FileChecker(doc, path)
    data = checker.check(SPECS[kind])
    if data is not None and kind in _LIST_FILES:
        data = _drop_bad_items(data, _LIST_FILES[kind], checker.error_paths)
    elif checker.error_paths:
        data = None  # answered from what is valid; `validate` shows why this was left out
    return {"data": data,
            "problems": [[p.line, p.column, p.code, p.message] for p in checker.problems],
            "refs": [[r.kind, r.value, r.line, r.column] for r in checker.refs],
            "anchors": checker.anchors() if data is not None else {}}


class _Where:
    """Positions in one file, from its cached anchors."""

    def __init__(self, display: str, anchors: dict[str, list[int]]):
        self.display = display
        self.anchors = anchors

    def problem(self, anchor: str, code: str, message: str) -> Problem:
        line, col = self.anchors.get(anchor) or (1, 1)
        return Problem(self.display, line, col, code, message)


def load(roots: list[Path], today: dt.date | None = None,
         max_age_days: int = DEFAULT_MAX_AGE_DAYS,
         files: list[FileInfo] | None = None,
         cache: dict[str, tuple[int, int, Parsed]] | None = None,
         parsed_out: dict[str, tuple[int, int, Parsed]] | None = None,
         progress: Callable[[str, int, int], None] | None = None) -> KnowledgeSet:
    """Read and check every file under `roots`; later roots replace earlier ids.

    `cache` maps a path to (size, mtime_ns, Parsed) from an earlier run: files whose size and
    mtime are unchanged are not parsed again. Every file's result is written to `parsed_out`.
    """
    today = today or dt.date.today()
    ks = KnowledgeSet()
    files = files if files is not None else list_files(roots)
    order = {str(r): i for i, r in enumerate(roots)}
    files = sorted(files, key=lambda f: (order.get(f.root, len(order)), f.path))
    wheres: dict[str, _Where] = {}
    refs: list[tuple[_Where, Reference]] = []
    seen_in_root: dict[tuple[str, str, str], str] = {}
    todo = [f for f in files if f.kind is not None and not _cached(cache, f)]
    fresh = _parse_many(todo, progress) if len(todo) >= PARALLEL_FROM else {}
    for info in files:
        ks.files += 1
        if progress and ks.files % 200 == 0:
            progress("reading", ks.files, len(files))
        display = _display(info)
        if info.kind is None:
            ks.problems.append(Problem(display, 1, 1, "SUBQ019", "not inside substances/, "
                               "classes/, topics/, interactions/, resources/, names/ or "
                               "sources/; "
                               "ignored"))
            continue
        if _cached(cache, info):
            parsed = cache[info.path][2]  # type: ignore[index]
        else:
            parsed = fresh.get(info.path) or parse_file(info.path, info.kind)
        if parsed_out is not None:
            parsed_out[info.path] = (info.size, info.mtime_ns, parsed)
        ks.problems.extend(Problem(display, *p) for p in parsed["problems"])
        data = parsed["data"]
        if data is None:
            continue
        where = _Where(display, parsed["anchors"])
        message = date_problem(data, today, max_age_days)
        if message:
            ks.problems.append(where.problem("review.last_checked", "SUBQ013", message))
        wheres[display] = where
        refs.extend((where, Reference(*r)) for r in parsed["refs"])
        _add(ks, info, where, data, seen_in_root)
    _check_references(ks, refs)
    _check_class_cycles(ks, wheres)
    _check_names(ks, wheres)
    _check_timelines(ks, wheres)
    _check_naloxone(ks, wheres)
    _check_duplicate_pairs(ks, wheres)
    return ks


#: Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_FROM = 400


def _cached(cache: dict[str, tuple[int, int, Parsed]] | None, info: FileInfo) -> bool:
    hit = cache.get(info.path) if cache else None
    return bool(hit and hit[0] == info.size and hit[1] == info.mtime_ns)


def _parse_one(job: tuple[str, str]) -> tuple[str, Parsed]:
    return job[0], parse_file(*job)


def _parse_many(files: list[FileInfo], progress: Callable[[str, int, int], None] | None) \
        -> dict[str, Parsed]:
    """Parse many files on every core: a cold build of a large knowledge folder is bound by
    YAML parsing. Falls back to this process if workers cannot be started."""
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2:
        return {}
    try:
        from concurrent.futures import ProcessPoolExecutor

        out: dict[str, Parsed] = {}
        with ProcessPoolExecutor(max_workers=workers) as pool:
            jobs = [(f.path, f.kind) for f in files]
            for n, (path, parsed) in enumerate(pool.map(_parse_one, jobs, chunksize=64), 1):
                out[path] = parsed
                if progress and n % 200 == 0:
                    progress("reading", n, len(jobs))
        return out
    except (OSError, RuntimeError, ImportError):
        return {}


#: Files that are lists of independent items: a bad item is left out, not the whole file.
_LIST_FILES = {"source": ("sources",),
               "interaction": ("pairs", "property_rules", "combinations"),
               "names": ("names",)}


def _drop_bad_items(data: dict[str, Any], field_names: tuple[str, ...],
                    bad: list[tuple[Any, ...]]) -> dict[str, Any] | None:
    if any(len(p) < 2 or p[0] not in field_names for p in bad):
        return None  # the problem is not inside one item: leave the file out
    out = dict(data)
    for name in field_names:
        bad_items = {p[1] for p in bad if p[0] == name}
        if name in data:
            out[name] = [x for i, x in enumerate(data.get(name) or [])
                         if i not in bad_items and x]
    return out


def _display(info: FileInfo) -> str:
    """A path a person recognises: relative to the current folder when that is shorter."""
    try:
        rel = os.path.relpath(info.path)
    except ValueError:
        return info.path
    return rel if len(rel) < len(info.path) else info.path


def _add(ks: KnowledgeSet, info: FileInfo, where: _Where, data: dict[str, Any],
         seen: dict[tuple[str, str, str], str]) -> None:
    kind = info.kind
    assert kind is not None
    display = where.display
    if kind == "source":
        for i, src in enumerate(data.get("sources") or []):
            if not src or "key" not in src:
                continue
            key = (info.root, "source", src["key"])
            if key in seen:
                ks.problems.append(where.problem(f"sources.{i}", "SUBQ005",
                                                 f"source key {src['key']!r} is also defined "
                                                 f"in {seen[key]}"))
                continue
            seen[key] = display
            ks.sources[src["key"]] = src
        return
    ident = data["id"]
    stem = Path(info.path).stem
    if stem != ident:
        ks.problems.append(where.problem("id", "SUBQ018", f"id {ident!r} differs from the file "
                                         f"name {stem!r}.yaml"))
    key = (info.root, kind, ident)
    entry = Entry(ident, kind, data, display, info.root)
    current = ks.entries.get(kind, {}).get(ident)
    if key in seen and not (current and _tier(current.data) != _tier(data)):
        ks.problems.append(where.problem("id", "SUBQ005",
                                         f"id {ident!r} is also used by {seen[key]}"))
        return
    seen[key] = display
    if kind == "interaction":
        ks.interactions = [p for p in ks.interactions if p["_file"] != ident]
        for pair in data.get("pairs") or []:
            if pair:
                ks.interactions.append({**pair, "_file": ident, "_path": display})
        # Property and combination rules ride in the same table under prefixed keys that no
        # id can take (ids have no colon), so the index needs no new table for them.
        for rule in data.get("property_rules") or []:
            if rule:
                ks.interactions.append({**rule, "a": PROPERTY_PREFIX + rule["a"],
                                        "b": PROPERTY_PREFIX + rule["b"], "_kind": "property",
                                        "_file": ident, "_path": display})
        for rule in data.get("combinations") or []:
            if rule:
                ks.interactions.append({**rule, "a": COMBINATION_PREFIX + rule["id"],
                                        "b": COMBINATION_PREFIX, "_kind": "combination",
                                        "_file": ident, "_path": display})
    elif kind == "names":
        ks.aliases = [x for x in ks.aliases if x["_file"] != ident] + [
            {**item, "_file": ident, "_path": display} for item in data.get("names") or []
            if item]
    elif current and _tier(current.data) != _tier(data):
        ks.entries[kind][ident] = _card_over_reference(ks, current, entry, where)
    else:
        ks.entries.setdefault(kind, {})[ident] = entry  # a later root replaces an earlier one



def _tier(data: dict[str, Any]) -> str:
    return data.get("tier") or "card"


def _card_over_reference(ks: KnowledgeSet, a: Entry, b: Entry, where: _Where) -> Entry:
    """A full card and a reference entry with one id: the card answers, and keeps where the
    schedules list it (`listing`). A card whose US schedule disagrees with the schedules
    table is worth a warning: one of the two is out of date."""
    card, ref = (a, b) if _tier(a.data) == "card" else (b, a)
    listing = ref.data.get("listing")
    if listing and not card.data.get("listing"):
        card = Entry(card.id, card.kind, {**card.data, "listing": listing}, card.path,
                     card.root)
    ours = (card.data.get("legal") or {}).get("us_schedule")
    table = (ref.data.get("legal") or {}).get("us_schedule")
    if ours and table and ours != table:
        message = (f"US schedule {ours!r} differs from {table!r} in the schedules table "
                   f"({ref.path}); check which is current")
        ks.problems.append(where.problem("legal.us_schedule", "SUBQ020", message)
                           if card.path == where.display else
                           Problem(card.path, 1, 1, "SUBQ020", message))
    return card


def _check_references(ks: KnowledgeSet, refs: list[tuple[_Where, Reference]]) -> None:
    def has(kind: str, ident: str) -> bool:
        return ident in ks.entries.get(kind, {})

    rules = rule_ids(ks.interactions)

    for where, ref in refs:
        value = ref.value
        ok = {
            "class": has("class", value),
            "substance": has("substance", value),
            "entry": has("substance", value) or has("class", value) or has("topic", value),
            "substance-or-class": has("substance", value) or has("class", value),
            "source": value in ks.sources,
            "rule": value in rules,
        }[ref.kind]
        if not ok:
            what = {"entry": "substance, class or topic", "substance-or-class":
                    "substance or class", "source": "bibliography key",
                    "rule": "property rule id or pair (a+b)"}.get(ref.kind, ref.kind)
            ks.problems.append(Problem(where.display, ref.line, ref.column, "SUBQ007",
                                       f"{value!r} is not a known {what}"))


def _check_naloxone(ks: KnowledgeSet, wheres: dict[str, _Where]) -> None:
    """Every card of an opioid or a depressant says what naloxone does (reference entries of
    the schedules hold legal facts only and are not asked to)."""
    substances = {k: e for k, e in ks.entries.get("substance", {}).items()
                  if _tier(e.data) == "card"}
    classes = {k: e.data for k, e in ks.entries.get("class", {}).items()}
    for ident, message in naloxone_gaps({k: e.data for k, e in substances.items()}, classes):
        entry = substances[ident]
        where = wheres.get(entry.path) or _Where(entry.path, {})
        ks.problems.append(where.problem("id", "SUBQ023", message))


def _check_duplicate_pairs(ks: KnowledgeSet, wheres: dict[str, _Where]) -> None:
    """A pair rated twice is most often a copy made by mistake; both would apply (the most
    severe wins), so the one meant to be changed may not be the one that answers."""
    first: dict[frozenset[str], str] = {}
    index: dict[str, int] = {}
    for rule in ks.interactions:
        if rule.get("_kind"):
            continue  # property and combination rules are matched by properties, not ids
        path = rule["_path"]
        i = index[path] = index.get(path, -1) + 1
        key = frozenset((rule["a"], rule["b"]))
        if key in first:
            where = wheres.get(path) or _Where(path, {})
            ks.problems.append(where.problem(
                f"pairs.{i}", "SUBQ024",
                f"{rule['a']} + {rule['b']} is also rated in {first[key]}: both apply and the "
                "more severe answers; keep one rule, or merge their reasons"))
        else:
            first[key] = path


def _check_class_cycles(ks: KnowledgeSet, wheres: dict[str, _Where]) -> None:
    classes = ks.entries.get("class", {})
    parents = {e.id: [p for p in e.data.get("parents") or [] if p] for e in classes.values()}
    for start in parents:
        seen: set[str] = set()
        stack = list(parents[start])
        while stack:
            node = stack.pop()
            if node == start:
                where = wheres.get(classes[start].path) or _Where(classes[start].path, {})
                ks.problems.append(where.problem("parents", "SUBQ008", f"class {start!r} is "
                                                 "its own ancestor through its parents"))
                break
            if node not in seen:
                seen.add(node)
                stack.extend(parents.get(node, []))


def _check_names(ks: KnowledgeSet, wheres: dict[str, _Where]) -> None:
    """A name two entries claim must be marked ambiguous on both, so that it answers with the
    candidates instead of silently picking one. Checked per kind; `names/` files claim names
    for the substances (or classes) they point at."""
    for entries in ks.entries.values():
        claims: dict[str, list[tuple[str, str, str]]] = {}
        for entry in entries.values():
            for name, typ in entry_names(entry.kind, entry.data):
                claims.setdefault(fold(name), []).append((entry.id, typ, entry.path))
        for item in ks.aliases:
            targets = [t for t in item.get("refers_to") or [] if t in entries]
            typ = "ambiguous" if len(item.get("refers_to") or []) > 1 else item["type"]
            for target in targets:
                claims.setdefault(fold(item["name"]), []).append((target, typ, item["_path"]))
        _check_claims(ks, claims, wheres)


def _check_claims(ks: KnowledgeSet, owners: dict[str, list[tuple[str, str, str]]],
                  wheres: dict[str, _Where]) -> None:
    for folded, claims in owners.items():
        ids = {i for i, _, _ in claims}
        if len(ids) < 2:
            continue
        exact = sorted({i for i, k, _ in claims if k in ("id", "name")})
        unmarked = [i for i, k, _ in claims if k not in ("ambiguous", "id", "name")]
        if len(exact) > 1 or (exact and unmarked) or len(set(unmarked)) > 1:
            for ident in sorted(ids):
                if ident in exact and len(exact) == 1:
                    continue  # the owner of the name is not at fault; the claimant is
                path = next(p for i, _, p in claims if i == ident)
                where = wheres.get(path) or _Where(path, {})
                others = ", ".join(sorted(ids - {ident}))
                ks.problems.append(where.problem("names", "SUBQ006",
                                                 f"name {folded!r} is also claimed by {others}; "
                                                 "list it under names.ambiguous on each entry, "
                                                 "or drop it"))


def _check_timelines(ks: KnowledgeSet, wheres: dict[str, _Where]) -> None:
    """A topic's withdrawal timeline and the card of the substance it is about (its first
    `about` entry) must give the same figures, or say in a note why they differ: otherwise
    `subq withdrawal X` prints two answers and the reader cannot tell which to trust."""
    from substance_cli.common.units import to_hours

    substances = ks.entries.get("substance", {})
    for topic in ks.entries.get("topic", {}).values():
        about = topic.data.get("about") or []
        card = substances.get(about[0]) if about else None
        phases = (topic.data.get("timeline") or {}).get("phases") or []
        theirs = {p["phase"]: p for p in ((card.data.get("withdrawal") or {}).get("phases")
                                          or [])} if card else {}
        for phase in phases:
            other = theirs.get(phase["phase"])
            if not other or phase.get("note") or other.get("note"):
                continue
            ours = (to_hours(phase["min"], phase["unit"]), to_hours(phase["max"], phase["unit"]))
            card_range = (to_hours(other["min"], other["unit"]),
                          to_hours(other["max"], other["unit"]))
            if ours != card_range:
                where = wheres.get(topic.path) or _Where(topic.path, {})
                ks.problems.append(where.problem(
                    "timeline", "SUBQ022",
                    f"withdrawal {phase['phase']} differs from {card.path} "
                    f"({phase['min']}-{phase['max']} {phase['unit']} here, {other['min']}-"
                    f"{other['max']} {other['unit']} there): make them agree, or say why in "
                    "a note on either"))
