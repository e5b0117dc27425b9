"""What to do first in an emergency, and who to call, by region."""

from __future__ import annotations

import os
from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import DISCLAIMER, Citations, review_status
from substance_cli.answers.resolve import find
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.kb.index import Store

ENV_REGION = "SUBQ_REGION"
DEFAULT_REGION = "us"
RESPONSE_TOPIC = "opioid-overdose-response"


def region_from(option: str | None) -> str:
    return option or os.environ.get(ENV_REGION) or DEFAULT_REGION


def help_now(store: Store, region: str) -> dict[str, Any]:
    """Overdose first steps, then the region's emergency number and help lines."""
    match = find(store, region, ("resource",))
    if not match.matches:
        known = ", ".join(i for i, _ in store.listing("resource"))
        raise SubqError(f"no help resources for region {region!r}; known regions: {known}",
                        ExitCode.NOT_FOUND, [i for i, _ in store.listing("resource")])
    res = store.get("resource", match.matches[0].id)
    assert res is not None
    cites = Citations(store)
    topic = store.get("topic", RESPONSE_TOPIC)
    steps: list[dict[str, Any]] = []
    if topic:
        steps = [{"heading": s["heading"], "body": s["body"],
                  "sources": cites.cite(s.get("sources"))} for s in topic.get("sections") or []]
    services = [{k: v for k, v in s.items() if k != "sources"} | {
        "sources": cites.cite(s.get("sources"))} for s in res.get("services") or []]
    return {"type": "help", "version": JSON_VERSION,
            "region": {"id": res["id"], "name": res["name"]},
            "emergency": res.get("emergency"),
            "steps": steps,
            "services": services,
            "topic": RESPONSE_TOPIC if topic else None,
            "sources": cites.listing(),
            "review": review_status(res),
            "disclaimer": DISCLAIMER}
