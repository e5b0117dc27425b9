"""Rating combinations: the most specific rule in the knowledge wins.

A pair of substances is looked up as substance + substance first, then substance + class,
then class + class, climbing class parents one step at a time, so alprazolam + fentanyl finds
the benzodiazepine + opioid rule and says so. Two members of one class meet the class's own
rule (opioid + opioid). No rule found is "unknown", which is never presented as safe.
"""

from __future__ import annotations

from itertools import product
from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import DISCLAIMER, Citations, Classes, entry_ref
from substance_cli.answers.resolve import resolve_one
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.kb.index import Store

RATING_ORDER = ("dangerous", "unsafe", "caution", "low-risk", "unknown")
UNKNOWN_TEXT = ("No rating found in the knowledge. Unknown does not mean safe: ask a "
                "pharmacist or doctor before combining them.")


def _levels(store: Store, data: dict[str, Any], classes: Classes) -> list[tuple[str, int]]:
    """(id, specificity) for a substance: itself 0, its classes 1, their parents 2, ..."""
    out: dict[str, int] = {data["id"]: 0}
    parts = [data]
    if data.get("ingredients"):
        found = store.get_many("substance", [i["substance"] for i in data["ingredients"]])
        parts.extend(found.values())
        for part in found.values():
            out.setdefault(part["id"], 0)
    for part in parts:
        for rel in part.get("classes") or []:
            if rel["relation"] not in ("member", "atypical"):
                continue
            for depth, cls in enumerate(classes.ancestors(rel["class"]), 1):
                if cls not in out or out[cls] > depth:
                    out[cls] = depth
    return sorted(out.items(), key=lambda kv: kv[1])


def rate_pair(store: Store, a: dict[str, Any], b: dict[str, Any], classes: Classes,
              cites: Citations) -> dict[str, Any]:
    """The rating of one pair of substances, with the rule that decided it."""
    la, lb = _levels(store, a, classes), _levels(store, b, classes)
    combos = sorted(product(la, lb), key=lambda c: (c[0][1] + c[1][1], max(c[0][1], c[1][1])))
    base = {"a": {"id": a["id"], "name": a["name"]}, "b": {"id": b["id"], "name": b["name"]}}
    for (x, _), (y, _) in combos:
        rules = store.pairs(x, y)
        if not rules:
            continue
        rule = min(rules, key=lambda r: RATING_ORDER.index(r["rating"]))
        level = "+".join("class" if n in classes.by_id else "substance" for n in (x, y))
        return base | {
            "rating": rule["rating"],
            "rule": {"a": rule["a"], "b": rule["b"], "level": level, "file": rule.get("_file")},
            "summary": rule.get("summary"),
            "mechanism": rule.get("mechanism"),
            "watch_for": rule.get("watch_for") or [],
            "evidence": rule.get("evidence"),
            "note": rule.get("note"),
            "sources": cites.cite(rule.get("sources")),
        }
    return base | {"rating": "unknown", "rule": None, "summary": UNKNOWN_TEXT,
                   "mechanism": None, "watch_for": [], "evidence": None, "note": None,
                   "sources": []}


def class_as_subject(classes: Classes, class_id: str) -> dict[str, Any]:
    """A class standing in for "any member of it" ("mixing benzos and opioids")."""
    return {"id": class_id, "name": classes.plural(class_id).capitalize(), "kind": "class",
            "classes": [{"class": class_id, "relation": "member"}]}


def mix(store: Store, names: list[str]) -> dict[str, Any]:
    """Every pair among two or more substances, worst first."""
    if len(names) < 2:
        raise SubqError("mix needs at least two names, e.g. `subq mix fentanyl alprazolam`",
                        ExitCode.USAGE)
    classes = Classes(store)
    cites = Citations(store)
    subs = []
    for name in names:
        match = resolve_one(store, name, ("substance", "class"), what="substance or class")
        if match.kind == "class":
            data = class_as_subject(classes, match.id)
        else:
            data = store.get("substance", match.id)
        assert data is not None
        if all(d["id"] != data["id"] for _, d in subs):
            subs.append((match, data))
    if len(subs) < 2:
        raise SubqError("name two different substances to rate a combination", ExitCode.USAGE)
    pairs = [rate_pair(store, subs[i][1], subs[j][1], classes, cites)
             for i in range(len(subs)) for j in range(i + 1, len(subs))]
    pairs.sort(key=lambda p: RATING_ORDER.index(p["rating"]))
    worst = pairs[0]["rating"]
    return {"type": "mix", "version": JSON_VERSION,
            "substances": [entry_ref(m, d) for m, d in subs], "worst": worst, "pairs": pairs,
            "sources": cites.listing(),
            "help": "If someone is unresponsive or breathing slowly: subq help-now",
            "disclaimer": DISCLAIMER}
