"""Whole cards (`show`), related entries, lists and search.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import (
    DISCLAIMER,
    RELATION_RANK,
    RELATION_VERDICT,
    Citations,
    Classes,
    also_asked,
    cited,
    entry_ref,
    help_pointer,
    review_status,
    tier,
)
from substance_cli.answers.resolve import resolve_one
from substance_cli.kb.index import Store

#: Class siblings listed under "related": enough to browse, not a whole class of thousands.
SIBLINGS = 12


#: Entries that point here, listed under "related": the closest ones, not every one.
REVERSE_LINKS = 24


def related_items(store: Store, kind: str, data: dict[str, Any],
                  limit: int | None = None) -> list[dict[str, Any]]:
    """Related entries: declared links, reverse links, class siblings; one reason each."""
    items: list[dict[str, Any]] = []
    seen = {(kind, data["id"])}

    def add(ref_id: str, why: str, direction: str) -> None:
        for k in ("topic", "substance", "class"):
            target = store.get(k, ref_id) if (k, ref_id) not in seen else None
            if target:
                seen.add((k, ref_id))
                items.append({"kind": k, "id": ref_id,
                              "name": target.get("name") or target.get("title"),
                              "why": why, "direction": direction,
                              "command": f"subq show {ref_id}"})
                return

    for rel in data.get("related") or []:
        add(rel["ref"], rel.get("why") or "", "links to")
    for src_kind, src_id, why, name in store.links_to(data["id"], REVERSE_LINKS):
        if (src_kind, src_id) not in seen:
            seen.add((src_kind, src_id))
            items.append({"kind": src_kind, "id": src_id, "name": name,
                          "why": why or f"{name} refers to this", "direction": "linked from",
                          "command": f"subq show {src_id}"})
    if kind == "substance":
        classes = Classes(store)
        members = [c["class"] for c in data.get("classes") or [] if c["relation"] == "member"]
        for sub_id, name, cls_id in store.members_named(members, data["id"], SIBLINGS):
            if ("substance", sub_id) not in seen:
                seen.add(("substance", sub_id))
                items.append({"kind": "substance", "id": sub_id, "name": name,
                              "why": f"also {classes.label(cls_id)}",
                              "direction": "same class", "command": f"subq show {sub_id}"})
    return items[:limit] if limit else items


def show(store: Store, name: str) -> dict[str, Any]:
    """The whole card of a substance, class or topic."""
    match = resolve_one(store, name, ("substance", "class", "topic"), what="entry")
    data = store.get(match.kind, match.id)
    assert data is not None
    cites = Citations(store)
    out: dict[str, Any] = {"type": match.kind, "version": JSON_VERSION,
                           "entry": entry_ref(match, data)}
    if match.kind == "substance":
        classes = Classes(store)
        out.update(_substance_card(store, data, cites, classes))
    elif match.kind == "class":
        out.update(_class_card(store, data, cites))
    else:
        out.update(topic_card(data, cites))
    out["related"] = related_items(store, match.kind, data)
    if match.kind != "topic":
        out["also_asked"] = also_asked(data, Classes(store), out["related"])
    out["sources"] = cites.listing()
    out["review"] = review_status(data)
    out["disclaimer"] = DISCLAIMER
    return out


def _names(store: Store, data: dict[str, Any], cites: Citations) -> dict[str, Any]:
    """The card's own names, and under `listed` the brand and street names that the names
    lists (knowledge/names/) give for it and the card does not, each with its sources."""
    names = dict(data.get("names") or {})
    known = {n.casefold() for values in names.values() if isinstance(values, list)
             for n in values if isinstance(n, str)}
    listed = []
    items = store.aliases_of(data["id"])
    others = {t for item in items for t in item.get("refers_to") or [] if t != data["id"]}
    found = store.get_many("substance", sorted(others))
    for item in items:
        if item["name"].casefold() in known:
            continue
        known.add(item["name"].casefold())
        listed.append({"name": item["name"], "type": item.get("type"),
                       "country": item.get("country"),
                       "also_means": [{"id": t, "name": found[t]["name"] if t in found else t}
                                      for t in item.get("refers_to") or []
                                      if t != data["id"]],
                       "sources": cites.cite(item.get("sources"))})
    if listed:
        names["listed"] = listed
    return names


def _substance_card(store: Store, data: dict[str, Any], cites: Citations,
                    classes: Classes) -> dict[str, Any]:
    out: dict[str, Any] = {
        "summary": cited(data.get("summary"), cites),
        "names": _names(store, data, cites),
        "classes": [{**cited(c, cites), "class_name": classes.label(c["class"], False),
                     "verdict": RELATION_VERDICT[c["relation"]]}
                    for c in data.get("classes") or []],
        "ingredients": data.get("ingredients") or [],
    }
    for key in ("mechanism", "uses", "legal", "listing", "risks", "naloxone", "withdrawal"):
        out[key] = cited(data.get(key), cites)
    out["tier"] = tier(data)
    out["onset_duration"] = [cited(x, cites) for x in data.get("onset_duration") or []]
    out["detection"] = [cited(x, cites) for x in data.get("detection") or []]
    out["nuances"] = [cited(x, cites) for x in data.get("nuances") or []]
    out["dangerous_combinations"] = dangerous_combinations(store, data, cites, classes)
    products = store.products_with(data["id"])
    out["in_products"] = [{"id": p, "command": f"subq show {p}"} for p in products]
    out["help"] = help_pointer(data)
    return out


def _class_card(store: Store, data: dict[str, Any], cites: Citations) -> dict[str, Any]:
    classes = Classes(store)
    members = class_members(store, data["id"], classes)
    return {
        "definition": cited(data.get("definition"), cites),
        "membership": cited(data.get("membership"), cites),
        "parents": data.get("parents") or [],
        "children": [c for c in classes.descendants(data["id"])[1:]],
        "targets": data.get("targets") or [],
        "members": members,
    }


def topic_card(data: dict[str, Any], cites: Citations) -> dict[str, Any]:
    return {
        "title": data["title"],
        "questions": data.get("questions") or [],
        "about": data.get("about") or [],
        "summary": cited(data.get("summary"), cites),
        "sections": [cited(s, cites) for s in data.get("sections") or []],
        "figures": [cited(f, cites) for f in data.get("figures") or []],
        "timeline": cited(data.get("timeline"), cites),
        "caveats": [cited(c, cites) for c in data.get("caveats") or []],
    }


def class_members(store: Store, class_id: str, classes: Classes) -> list[dict[str, Any]]:
    """Substances related to a class or its children, with their verdict."""
    cls = classes.by_id.get(class_id, {})
    if cls.get("derived_from"):
        ids = store.legal_members(cls["derived_from"])
        return [{"id": i, "verdict": "yes", "via": None} for i in sorted(ids)]
    tree = classes.descendants(class_id)
    best: dict[str, dict[str, Any]] = {}
    for sub_id, cls_id, relation in store.relations_to(tree):
        cand = {"id": sub_id, "verdict": RELATION_VERDICT[relation],
                "via": cls_id if cls_id != class_id else None, "relation": relation}
        if sub_id not in best or RELATION_RANK[relation] < RELATION_RANK[
                best[sub_id]["relation"]]:
            best[sub_id] = cand
    return [best[k] for k in sorted(best) if best[k]["relation"] != "unrelated"]


def dangerous_combinations(store: Store, data: dict[str, Any], cites: Citations,
                           classes: Classes) -> list[dict[str, Any]]:
    """Rated pairs that name this substance or one of its classes as unsafe or dangerous."""
    own = [data["id"]]
    for rel in data.get("classes") or []:
        if rel["relation"] in ("member", "atypical"):
            own.extend(classes.ancestors(rel["class"]))
    out = []
    seen = set()
    for pair in store.pairs_involving(own):
        if pair["rating"] not in ("unsafe", "dangerous"):
            continue
        other = pair["b"] if pair["a"] in own else pair["a"]
        key = (other, pair["rating"])
        if key in seen:
            continue
        seen.add(key)
        out.append({"with": other, "rating": pair["rating"], "summary": pair.get("summary"),
                    "rule": f"{pair['a']} + {pair['b']}", "sources": cites.cite(pair["sources"]),
                    "command": f"subq mix {data['id']} {other}"})
    order = {"dangerous": 0, "unsafe": 1}
    return sorted(out, key=lambda x: (order[x["rating"]], x["with"]))


def related(store: Store, name: str) -> dict[str, Any]:
    match = resolve_one(store, name, ("substance", "class", "topic"), what="entry")
    data = store.get(match.kind, match.id)
    assert data is not None
    items = related_items(store, match.kind, data)
    return {"type": "related", "version": JSON_VERSION, "entry": entry_ref(match, data),
            "kind": match.kind, "items": items,
            "also_asked": also_asked(data, Classes(store), items)
            if match.kind != "topic" else []}


def listing(store: Store, class_name: str | None = None,
            only: str | None = None) -> dict[str, Any]:
    """Every substance, or a class's members; `only` keeps one tier: full cards ("card") or
    legal-reference entries only ("reference"), which are most of the list."""
    if class_name:
        cls = resolve_one(store, class_name, ("class",), what="class")
        classes = Classes(store)
        members = class_members(store, cls.id, classes)
        names = store.get_many("substance", [m["id"] for m in members])
        items = [{"id": m["id"], "name": names[m["id"]]["name"], "verdict": m["verdict"],
                  "via": m["via"], "tier": tier(names[m["id"]])}
                 for m in members if m["id"] in names]
        items = [i for i in items if only is None or i["tier"] == only]
        return {"type": "list", "version": JSON_VERSION, "kind": "substance",
                "class": cls.id, "tier": only, "items": items}
    return {"type": "list", "version": JSON_VERSION, "kind": "substance", "class": None,
            "tier": only, "items": [{"id": i, "name": n, "tier": t}
                                    for i, n, t in store.tiered_listing("substance", only)]}


def list_kind(store: Store, kind: str) -> dict[str, Any]:
    return {"type": "list", "version": JSON_VERSION, "kind": kind, "class": None,
            "items": [{"id": i, "name": n} for i, n in store.listing(kind)]}


def search(store: Store, text: str, limit: int = 10) -> dict[str, Any]:
    rows = store.search(text, limit)
    return {"type": "search", "version": JSON_VERSION, "query": text,
            "items": [{"kind": k, "id": i, "name": n, "snippet": " ".join(s.split()),
                       "command": f"subq show {i}"} for k, i, n, s in rows]}
