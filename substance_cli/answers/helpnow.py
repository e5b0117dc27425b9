"""What to do first in an emergency, and who to call, by region.

A region without a resources file still gets the overdose steps and a generic emergency
number: in an emergency nobody should get an error. Sections of the overdose topic that hold
for some regions only (Good Samaritan laws, where to get naloxone) say so with `regions:`.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import DISCLAIMER, Citations, review_status
from substance_cli.answers.resolve import find
from substance_cli.common.text import clean
from substance_cli.kb.index import Store

RESPONSE_TOPIC = "opioid-overdose-response"
#: Said when the region has no file of its own.
GENERIC_EMERGENCY = ("your local emergency number (112 works across the EU and in many other "
                     "countries)")


def help_now(store: Store, region: str) -> dict[str, Any]:
    """Overdose first steps, then the region's emergency number and help lines."""
    match = find(store, region, ("resource",))
    cites = Citations(store)
    topic = store.get("topic", RESPONSE_TOPIC)
    known = [{"id": i, "name": n} for i, n in store.listing("resource")]
    res = store.get("resource", match.matches[0].id) if match.matches else None
    region_id = res["id"] if res else None
    steps: list[dict[str, Any]] = []
    if topic:
        for s in topic.get("sections") or []:
            regions = s.get("regions")
            if regions and region_id not in regions:
                continue  # a law or a supply route that does not hold here
            steps.append({"heading": s["heading"], "body": s["body"],
                          "sources": cites.cite(s.get("sources"))})
    doc = {"type": "help", "version": JSON_VERSION, "steps": steps,
           "topic": RESPONSE_TOPIC if topic else None, "disclaimer": DISCLAIMER}
    if res is None:
        region = clean(region)  # echoed back: never let typed escape sequences through
        names = ", ".join(f"{k['id']} ({k['name']})" for k in known)
        return doc | {
            "region": {"id": None, "name": region, "known": False},
            "emergency": None,
            "emergency_text": f"Call {GENERIC_EMERGENCY}.",
            "services": [],
            "regions_with_lines": known,
            "warning": (f"no help lines recorded for region {region!r}; showing the overdose "
                        f"steps. Regions with local lines: {names}"),
            "sources": cites.listing(),
            "review": None,
        }
    services = [{k: v for k, v in s.items() if k != "sources"} | {
        "sources": cites.cite(s.get("sources"))} for s in res.get("services") or []]
    return doc | {"region": {"id": res["id"], "name": res["name"], "known": True},
                  "emergency": res.get("emergency"),
                  "services": services,
                  "sources": cites.listing(),
                  "review": review_status(res)}
