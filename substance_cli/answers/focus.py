"""One aspect of a substance or of every member of a class: detection, withdrawal,
naloxone, legal status.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import (
    DISCLAIMER,
    Citations,
    Classes,
    cited,
    entry_ref,
    review_status,
    running_name,
    tier,
)
from substance_cli.answers.cards import class_members, topic_card
from substance_cli.answers.resolve import resolve_one
from substance_cli.kb.index import Store

_FOCUS_TOPIC_WORDS = {"detection": ("detection", "test"), "withdrawal": ("withdrawal",),
                      "naloxone": ("overdose",), "legal": ("schedule", "narcotic")}


def focus(store: Store, name: str, what: str, specimen: str | None = None) -> dict[str, Any]:
    """One aspect (detection, withdrawal, naloxone, legal) of a substance or a class.

    For a class, the answer lists each member's figures where the knowledge has them, and
    opens the topic written about that aspect of the class.
    """
    match = resolve_one(store, name, ("substance", "class"), what="substance or class")
    data = store.get(match.kind, match.id)
    assert data is not None
    classes = Classes(store)
    cites = Citations(store)
    # For a class, its cards: reference entries of the schedules would add a legal line each
    # for hundreds of listed chemicals and nothing else.
    subjects = [data] if match.kind == "substance" else [
        s for s in store.get_many("substance", [
            m["id"] for m in class_members(store, match.id, classes)
            if m["verdict"] == "yes"]).values() if tier(s) == "card"]
    field = {"detection": "detection", "withdrawal": "withdrawal", "naloxone": "naloxone",
             "legal": "legal"}[what]
    items = []
    for sub in sorted(subjects, key=lambda s: s["name"].lower()):
        block = sub.get(field)
        if not block:
            continue
        if field == "detection":
            rows = [cited(x, cites) for x in block
                    if specimen is None or x["specimen"] == specimen]
            if not rows:
                continue
            item = {"id": sub["id"], "name": sub["name"], "detection": rows}
        else:
            item = {"id": sub["id"], "name": sub["name"], field: cited(block, cites)}
        item["tier"] = tier(sub)
        if field == "legal" and sub.get("listing"):
            item["listing"] = cited(sub["listing"], cites)
        items.append(item)
    about = {match.id} | ({a for c in data.get("classes") or [] if c["relation"] == "member"
                           for a in classes.ancestors(c["class"])} if match.kind == "substance"
                          else set())
    topic = _topic_for(store, about, _FOCUS_TOPIC_WORDS[what])
    out = {"type": "focus", "version": JSON_VERSION, "aspect": what, "specimen": specimen,
           "subject": entry_ref(match, data) | {"kind_of_entry": match.kind,
                                           "label": classes.plural(match.id)
                                           if match.kind == "class" else running_name(data)},
           "items": items,
           "topic": topic_card(topic, cites) | {"id": topic["id"]} if topic else None,
           "sources": [], "review": review_status(data), "disclaimer": DISCLAIMER}
    if what in ("naloxone", "withdrawal"):
        out["help"] = "In an emergency: subq help-now"
    out["related"] = ([{"kind": "topic", "id": topic["id"], "name": topic["title"], "why": "",
                        "direction": "links to", "command": f"subq show {topic['id']}"}]
                      if topic else [])
    out["sources"] = cites.listing()
    return out


def _topic_for(store: Store, about: set[str], words: tuple[str, ...]) -> dict[str, Any] | None:
    """The topic about one of `about` whose id carries one of `words` (most specific first)."""
    best = None
    for ident, topic in store.all_of("topic").items():
        if not any(w in ident for w in words):
            continue
        hits = about & set(topic.get("about") or [])
        if hits and (best is None or len(topic.get("about") or []) < len(best.get("about")
                                                                           or [])):
            best = topic
    return best


def detection(store: Store, name: str, specimen: str | None = None) -> dict[str, Any]:
    return focus(store, name, "detection", specimen)


def withdrawal(store: Store, name: str) -> dict[str, Any]:
    return focus(store, name, "withdrawal")


def naloxone(store: Store, name: str) -> dict[str, Any]:
    return focus(store, name, "naloxone")


def legal(store: Store, name: str) -> dict[str, Any]:
    return focus(store, name, "legal")
