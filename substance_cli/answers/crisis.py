"""Someone says they want to end their life or hurt themselves: the crisis line first.

An answer to a suicidal statement opens with the region's crisis line (988 in the US and
Canada, Samaritans 116 123 in the UK and Ireland, Lifeline 13 11 14 in Australia, 1737 in
New Zealand: the `kind: crisis` services of knowledge/resources), kindly and briefly; then
the emergency number; overdose first aid only when the words speak of an overdose; then the
region's other help lines. Numbers and hours come from the resource files and their sources,
never from this module. A region the knowledge lacks must not cost the answer: every
region's crisis line is listed instead of an error.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import DISCLAIMER, Citations, review_status
from substance_cli.answers.resolve import find
from substance_cli.kb.index import Store

RESPONSE_TOPIC = "opioid-overdose-response"

OPENING = ("You do not have to go through this alone. If you are thinking about suicide or "
           "about hurting yourself, please talk to someone now: a crisis line listens, "
           "without judging.")
SOMEONE_ELSE = ("If this is about someone else: stay with them if it is safe to, and call "
                "the emergency number if they are in danger now.")


def _service(s: dict[str, Any], cites: Citations, region: str | None = None) -> dict[str, Any]:
    out = {k: v for k, v in s.items() if k != "sources"} | {
        "sources": cites.cite(s.get("sources"))}
    if region:
        out["region"] = region
    return out


def _regions(store: Store, region: str) -> tuple[list[dict[str, Any]], bool]:
    """The resource record of `region`, or every region's when it is unknown."""
    match = find(store, region, ("resource",))
    if match.matches:
        res = store.get("resource", match.matches[0].id)
        if res:
            return [res], True
    every = [store.get("resource", i) for i, _ in store.listing("resource")]
    return [r for r in every if r], False


def crisis(store: Store, region: str, overdose: bool = False,
           about_someone_else: bool = False) -> dict[str, Any]:
    """The crisis answer: crisis lines, emergency number, overdose steps if asked, help lines."""
    cites = Citations(store)
    records, known = _regions(store, region)
    lines: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for res in records:  # crisis lines first, so that they are cited first
        tag = None if known else res["name"]
        lines += [_service(s, cites, tag) for s in res.get("services") or []
                  if s.get("kind") == "crisis"]
    if known:
        skip = {"crisis", "emergency"} | (set() if overdose else {"naloxone"})
        others = [_service(s, cites) for s in records[0].get("services") or []
                  if s.get("kind") not in skip]
    first = records[0] if records else {}
    emergency = first.get("emergency") if known else None
    if known:
        danger = (f"If you are in danger right now, have taken something or have hurt "
                  f"yourself, call {emergency} (emergency services) now.") if emergency else ""
    else:
        danger = ("If you are in danger right now, call your local emergency number: " + "; ".join(
            f"{r['name']} {r['emergency']}" for r in records if r.get("emergency")) + ".")
    steps: list[dict[str, Any]] = []
    topic = store.get("topic", RESPONSE_TOPIC) if overdose else None
    if topic:
        steps = [{"heading": s["heading"], "body": s["body"],
                  "sources": cites.cite(s.get("sources"))} for s in topic.get("sections") or []]
    return {"type": "crisis", "version": JSON_VERSION,
            "region": {"id": first.get("id"), "name": first.get("name")} if known else None,
            "message": OPENING,
            "crisis_lines": lines,
            "emergency": emergency,
            "danger": danger,
            "someone_else": SOMEONE_ELSE if about_someone_else else None,
            "overdose": bool(overdose),
            "steps": steps,
            "topic": RESPONSE_TOPIC if topic else None,
            "services": others,
            "sources": cites.listing(),
            "review": review_status(first) if known else None,
            "disclaimer": DISCLAIMER}


def crisis_note(store: Store, region: str) -> dict[str, Any] | None:
    """One line naming the crisis line, for answers to questions that touch on suicide
    without being a statement of it ("can zoloft cause suicidal thoughts")."""
    records, known = _regions(store, region)
    if not known:
        return None
    for s in records[0].get("services") or []:
        if s.get("kind") == "crisis":
            contact = " / ".join(x for x in (s.get("phone") and f"call {s['phone']}",
                                              s.get("text") and f"text {s['text']}") if x)
            return {"name": s["name"], "contact": contact,
                    "text": f"If you are having thoughts of suicide, you can talk to someone "
                            f"now: {s['name']}, {contact}."}
    return None
