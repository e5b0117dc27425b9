"""Substances (or classes) side by side, marking the rows where they differ.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import (
    DISCLAIMER,
    Citations,
    Classes,
    entry_ref,
    first_sentence,
    review_status,
    running_name,
)
from substance_cli.answers.cards import class_members
from substance_cli.answers.interactions import class_as_subject, rate_pair
from substance_cli.answers.resolve import Match, resolve_one
from substance_cli.common import words
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.common.units import format_range, to_hours
from substance_cli.kb.index import Store


def compare(store: Store, names: list[str]) -> dict[str, Any]:
    """Side-by-side facts for two or more substances, marking rows that differ."""
    if len(names) < 2:
        raise SubqError("compare needs at least two names, e.g. `subq compare heroin "
                        "methadone`", ExitCode.USAGE)
    classes = Classes(store)
    cites = Citations(store)
    subs = []
    for name in names:
        match = resolve_one(store, name, ("substance", "class"), what="substance or class")
        data = store.get(match.kind, match.id)
        assert data is not None
        subs.append((match, data))
    kinds = {m.kind for m, _ in subs}
    if kinds == {"class"}:
        return _compare_classes(store, subs, classes, cites)
    if len(kinds) > 1:
        sub = next(m.id for m, _ in subs if m.kind == "substance")
        cls = next(m.id for m, _ in subs if m.kind == "class")
        raise SubqError("compare substances with substances, or classes with classes "
                        f"(got {', '.join(m.id for m, _ in subs)}); to ask whether one is "
                        f"the other: subq is {sub} {cls}", ExitCode.USAGE)
    rows = []

    def row(label: str, safety: bool, cell) -> None:
        values = [cell(d) for _, d in subs]
        texts = [v[0] for v in values]
        rows.append({"label": label, "values": texts, "sources": [v[1] for v in values],
                     "differ": len(set(texts)) > 1, "safety": safety})

    def block(key: str, fmt) -> Any:
        def cell(d: dict[str, Any]) -> tuple[str, list[int]]:
            b = d.get(key)
            if not b:
                return ("not recorded", [])
            return (fmt(b) or "not recorded", cites.cite(b.get("sources")))
        return cell

    row("Class", False, lambda d: _class_cell(store, d, classes, cites))
    row("Main action", False, block("mechanism", lambda b: b.get("summary")))
    row("Targets", False, block("mechanism", lambda b: ", ".join(
        f"{t['target']} ({t['action']})" for t in b.get("targets") or [])))
    row("Medical uses", False, block("uses", lambda b: ", ".join(b.get("medical") or [])))
    row("US schedule", False, block("legal", lambda b: words.us_status(
        b.get("us_schedule"), bool(b.get("us_narcotic")))))
    row("Dependence", True, block("risks", lambda b: b.get("dependence")))
    row("Overdose risk", True, block("risks", lambda b: b.get("overdose")))
    row("Naloxone", True, block("naloxone", lambda b: words.naloxone(b["reverses"])))
    row("Onset", False, lambda d: _ranges(d.get("onset_duration"), "onset", cites))
    row("Duration", False, lambda d: _ranges(d.get("onset_duration"), "duration", cites))
    row("Detection (urine)", False, lambda d: _detection(d, "urine", cites))
    row("Withdrawal", True, lambda d: _withdrawal(d, cites))
    pairs = []
    for i in range(len(subs)):
        for j in range(i + 1, len(subs)):
            pairs.append(rate_pair(store, subs[i][1], subs[j][1], classes, cites))
    return {"type": "compare", "version": JSON_VERSION, "kind": "substance",
            "substances": [entry_ref(m, d) for m, d in subs], "rows": rows,
            "interactions": pairs, "charts": charts_for([d for _, d in subs]),
            "sources": cites.listing(),
            "review": [review_status(d) | {"id": d["id"]} for _, d in subs],
            "disclaimer": DISCLAIMER}


def _class_cell(store: Store, d: dict[str, Any], classes: Classes, cites: Citations) \
        -> tuple[str, list[int]]:
    """A substance's classes; a product's are its ingredients' ("opioid (via
    buprenorphine)"), so that Suboxone compares with methadone class for class."""
    def named(rels: list[dict[str, Any]], via: str | None) -> list[str]:
        out = []
        for c in rels:
            if c["relation"] == "unrelated":
                continue
            notes = [x for x in ("" if c["relation"] == "member" else c["relation"],
                                 f"via {via}" if via else "") if x]
            out.append(classes.label(c["class"], False) + (f" ({', '.join(notes)})"
                                                            if notes else ""))
        return out

    own = d.get("classes") or []
    parts, keys = named(own, None), [k for c in own for k in c.get("sources", [])]
    if not parts and d.get("ingredients"):
        found = store.get_many("substance", [i["substance"] for i in d["ingredients"]])
        for ing in d["ingredients"]:
            part = found.get(ing["substance"])
            if part:
                rels = part.get("classes") or []
                parts += named(rels, running_name(part))
                keys += [k for c in rels if c["relation"] != "unrelated"
                         for k in c.get("sources", [])]
    return (", ".join(parts) or "not recorded", cites.cite(keys))


def _compare_classes(store: Store, subs: list[tuple[Match, dict[str, Any]]], classes: Classes,
                     cites: Citations) -> dict[str, Any]:
    """Classes side by side: what they are, what they act on, what belongs to them."""
    def cell(block: dict[str, Any] | None) -> tuple[str, list[int]]:
        if not block:
            return ("not recorded", [])
        return (first_sentence(block.get("text", "")), cites.cite(block.get("sources")))

    rows = []
    for label, fn, safety in (
        ("Definition", lambda d: cell(d.get("definition")), False),
        ("Membership", lambda d: cell(d.get("membership")), False),
        ("Targets", lambda d: (", ".join(d.get("targets") or []) or "not recorded", []), False),
        ("Part of", lambda d: (", ".join(d.get("parents") or []) or "none", []), False),
        ("Members", lambda d: (", ".join(m["id"] for m in class_members(
            store, d["id"], classes) if m["verdict"] == "yes") or "none recorded", []), False),
    ):
        values = [fn(d) for _, d in subs]
        texts = [v[0] for v in values]
        rows.append({"label": label, "values": texts, "sources": [v[1] for v in values],
                     "differ": len(set(texts)) > 1, "safety": safety})
    pairs = [rate_pair(store, class_as_subject(classes, subs[i][1]["id"]),
                       class_as_subject(classes, subs[j][1]["id"]), classes, cites)
             for i in range(len(subs)) for j in range(i + 1, len(subs))]
    return {"type": "compare", "version": JSON_VERSION, "kind": "class",
            "substances": [entry_ref(m, d) for m, d in subs], "rows": rows, "interactions": pairs,
            "charts": [], "sources": cites.listing(),
            "review": [review_status(d) | {"id": d["id"]} for _, d in subs],
            "disclaimer": DISCLAIMER}


def _ranges(items: list[dict[str, Any]] | None, key: str, cites: Citations) \
        -> tuple[str, list[int]]:
    parts, src = [], []
    for item in items or []:
        if item.get(key):
            parts.append(f"{format_range(item[key])} ({item['route']})")
            src.extend(cites.cite(item.get("sources")))
    return ("; ".join(parts) or "not recorded", src)


def _detection(d: dict[str, Any], specimen: str, cites: Citations) -> tuple[str, list[int]]:
    parts, src = [], []
    for item in d.get("detection") or []:
        if item["specimen"] == specimen:
            cond = f" ({item['condition']})" if item.get("condition") else ""
            parts.append(format_range(item) + cond)
            src.extend(cites.cite(item.get("sources")))
    return ("; ".join(parts) or "not recorded", src)


def _withdrawal(d: dict[str, Any], cites: Citations) -> tuple[str, list[int]]:
    w = d.get("withdrawal")
    if not w:
        return ("not recorded", [])
    phases = {p["phase"]: p for p in w.get("phases") or []}
    parts = [f"{k} {format_range(phases[k])}" for k in ("onset", "peak", "easing", "lingering")
             if k in phases]
    text = "; ".join(parts) or first_sentence(w.get("summary", "")) or "described"
    return (text, cites.cite(w.get("sources")))


def charts_for(subs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bar charts (detection by specimen, withdrawal phases) as plain numbers in hours."""
    charts = []
    det = [{"label": f"{d['name']}: {x['specimen']}" + (f" ({x['condition']})"
                                                         if x.get("condition") else ""),
            "min": x["min"], "max": x["max"], "unit": x["unit"],
            "min_hours": to_hours(x["min"], x["unit"]), "max_hours": to_hours(x["max"], x["unit"])}
           for d in subs for x in d.get("detection") or []]
    if det:
        charts.append({"title": "Detection windows after last use", "bars": det})
    wd = [{"label": f"{d['name']}: {p['phase']}", "min": p["min"], "max": p["max"],
           "unit": p["unit"], "min_hours": to_hours(p["min"], p["unit"]),
           "max_hours": to_hours(p["max"], p["unit"])}
          for d in subs for p in (d.get("withdrawal") or {}).get("phases") or []]
    if wd:
        charts.append({"title": "Withdrawal after last use", "bars": wd})
    return charts
