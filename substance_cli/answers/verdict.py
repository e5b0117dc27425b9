"""Class questions: is NAME a CLASS? The verdict, its reason, the key facts.

A substance declares its relation to each class it touches, so verdicts are data: member,
atypical, antagonist or unrelated, directly or through a parent class, or through the
ingredient of a product that decides it.
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
    entry_ref,
    first_sentence,
    help_pointer,
    review_status,
    running_name,
    sentences,
    tier,
)
from substance_cli.answers.cards import related_items
from substance_cli.answers.resolve import resolve_one
from substance_cli.common import words
from substance_cli.kb.index import Store


def class_relation(sub: dict[str, Any], class_id: str, classes: Classes) -> dict[str, Any] | None:
    """How a single substance relates to `class_id` through its declared relations."""
    derived = classes.by_id.get(class_id, {}).get("derived_from")
    if derived:
        legal = sub.get("legal") or {}
        if derived == "us_narcotic":
            hit = bool(legal.get("us_narcotic"))
            note = ("Listed as a narcotic under US federal law." if hit else
                    "Not listed as a narcotic under US federal law.")
        else:
            sched = legal.get("us_schedule")
            hit = sched in words.SCHEDULES
            note = (f"US federal {words.us_status(sched)}." if hit else
                    "Not in a US federal schedule." if sched else
                    "No US schedule is recorded for it.")
        if not legal.get("sources"):
            return None
        return {"relation": "member" if hit else "unrelated", "via": [], "note": note,
                "sources": legal.get("sources", []), "derived": derived}
    best = None
    for rel in sub.get("classes") or []:
        chain = classes.ancestors(rel["class"])
        if class_id not in chain:
            continue
        cand = {"relation": rel["relation"], "via": chain[: chain.index(class_id)],
                "note": rel.get("note"), "sources": rel.get("sources", [])}
        if best is None or RELATION_RANK[cand["relation"]] < RELATION_RANK[best["relation"]]:
            best = cand
    return best


def is_class(store: Store, name: str, class_name: str) -> dict[str, Any]:
    """Answer "is NAME a CLASS?" with a verdict, its reason, key facts and sources."""
    cls_match = resolve_one(store, class_name, ("class",), what="class")
    classes = Classes(store)
    cls = classes.by_id[cls_match.id]
    match = resolve_one(store, name, ("substance",))
    sub = store.get("substance", match.id)
    assert sub is not None
    cites = Citations(store)
    cites.cite((sub.get("summary") or {}).get("sources"))
    ingredients: list[dict[str, Any]] = []
    rel = class_relation(sub, cls["id"], classes)
    deciding = None
    if sub.get("kind") == "product" and sub.get("ingredients"):
        parts = store.get_many("substance", [i["substance"] for i in sub["ingredients"]])
        for ing in sub["ingredients"]:
            part = parts.get(ing["substance"])
            if not part:
                continue
            prel = class_relation(part, cls["id"], classes)
            verdict = RELATION_VERDICT[prel["relation"]] if prel else "no"
            ingredients.append({"id": part["id"], "name": running_name(part),
                                "verdict": verdict,
                                "note": (prel or {}).get("note"),
                                "sources": cites.cite((prel or {}).get("sources"))})
            if prel and (deciding is None or RELATION_RANK[prel["relation"]]
                         < RELATION_RANK[deciding[1]["relation"]]):
                deciding = (part, prel)
        if rel is None and deciding:
            rel = {**deciding[1], "via": [], "ingredient": deciding[0]["id"]}
    verdict = RELATION_VERDICT[rel["relation"]] if rel else "no"
    if rel is None and tier(sub) == "reference" and not ingredients:
        verdict = "unknown"  # a row of the schedules: it says nothing of pharmacology
    reason = None
    if rel:
        reason = {"relation": rel["relation"], "via": rel["via"], "note": rel.get("note"),
                  "sources": cites.cite(rel.get("sources"))}
        if rel.get("ingredient"):
            reason["ingredient"] = rel["ingredient"]
    summary = _verdict_summary(sub, cls["id"], verdict, rel, ingredients, classes)
    facts = key_facts(sub, cites, classes)
    nuances = [{"text": n["text"], "sources": cites.cite(n.get("sources"))}
               for n in sub.get("nuances") or []]
    if rel and rel["relation"] == "unrelated" and rel.get("note") and not rel.get("derived"):
        nuances.insert(0, {"text": rel["note"], "sources": reason["sources"] if reason else []})
    definition = cls.get("definition") or {}
    class_out = {"id": cls["id"], "name": cls["name"],
                 "definition": definition.get("text"),
                 "sources": cites.cite(definition.get("sources"))}
    return {
        "type": "verdict",
        "version": JSON_VERSION,
        "question": f"Is {running_name(sub)} {classes.label(cls['id'])}?",
        "substance": entry_ref(match, sub),
        "class": class_out,
        "verdict": verdict,
        "summary": summary,
        "tier": tier(sub),
        "reason": reason,
        "ingredients": ingredients,
        "facts": facts,
        "nuances": nuances,
        "related": (related := related_items(store, "substance", sub, limit=8)),
        "also_asked": also_asked(sub, classes, related),
        "sources": cites.listing(),
        "review": review_status(sub),
        "help": help_pointer(sub),
        "disclaimer": DISCLAIMER,
    }


def _verdict_summary(sub: dict[str, Any], class_id: str, verdict: str,
                     rel: dict[str, Any] | None, ingredients: list[dict[str, Any]],
                     classes: Classes) -> str:
    name, label = running_name(sub), classes.label(class_id)
    what = sentences((sub.get("summary") or {}).get("text", ""), 2)
    if verdict == "unknown":
        return (f"Not recorded: the knowledge holds only legal facts for {name}, so it "
                f"cannot say whether it is {label}. {what}")
    cls_def = first_sentence((classes.by_id[class_id].get("definition") or {}).get("text", ""))
    note = (rel or {}).get("note") or ""
    if rel and rel.get("ingredient"):
        part = next(i for i in ingredients if i["id"] == rel["ingredient"])
        text = {
            "yes": f"Yes: {name} contains {part['name']}, which is {label}.",
            "atypical": f"Partly: {name} contains {part['name']}, which acts on the same "
                        f"targets as {classes.plural(class_id)} without being classed as one.",
            "antagonist": f"No: {name} contains {part['name']}, which blocks the targets of "
                          f"{classes.plural(class_id)}.",
            "no": f"No: {name} is not {label}.",
        }[verdict]
        others = [i for i in ingredients if i["id"] != part["id"] and i["verdict"] != "no"]
        for other in others:
            kind = {"yes": label, "atypical": f"an atypical {classes.label(class_id, False)}",
                    "antagonist": f"{classes.label(class_id, False)} antagonist"}[other["verdict"]]
            text += f" It also contains {other['name']} ({kind})."
        return text
    if verdict == "yes":
        via = rel["via"] if rel else []
        text = f"Yes: {name} is {label}."
        if via:
            text += (f" {classes.plural(via[0]).capitalize()} are a kind of "
                     f"{classes.label(class_id, False)}.")
        return " ".join(p for p in (text, note) if p)
    if verdict == "atypical":
        return " ".join(p for p in (
            f"Partly: {name} is not classed as {label}, but it acts on the same targets.",
            note) if p)
    if verdict == "antagonist":
        return " ".join(p for p in (
            f"No: {name} is not {label}; it is an antagonist that binds the same receptors "
            "to block them.", note) if p)
    return " ".join(p for p in (f"No: {name} is not {label}.", what, cls_def) if p)


def key_facts(sub: dict[str, Any], cites: Citations, classes: Classes) -> list[dict[str, Any]]:
    """The short fact list under a verdict: class, mechanism, schedule, naloxone."""
    facts: list[dict[str, Any]] = []
    members = [c for c in sub.get("classes") or [] if c["relation"] == "member"]
    if members:
        names = ", ".join(classes.label(c["class"], False) for c in members)
        facts.append({"label": "Class", "value": names,
                      "sources": cites.cite([s for c in members for s in c.get("sources", [])])})
    if sub.get("ingredients"):
        value = "; ".join(f"{i['substance']}" + (f" ({i['amount']})" if i.get("amount") else "")
                          for i in sub["ingredients"])
        facts.append({"label": "Contains", "value": value, "sources": []})
    mech = sub.get("mechanism") or {}
    if mech.get("summary"):
        facts.append({"label": "Main action", "value": mech["summary"],
                      "sources": cites.cite(mech.get("sources"))})
    legal = sub.get("legal") or {}
    line = words.legal_line(legal)
    if line:
        facts.append({"label": "Legal status", "value": line,
                      "codes": {k: legal[k] for k in ("us_schedule", "us_narcotic", "uk_class")
                                if k in legal},
                      "sources": cites.cite(legal.get("sources"))})
    nal = sub.get("naloxone") or {}
    if nal.get("reverses"):
        facts.append({"label": "Naloxone",
                      "value": words.naloxone(nal["reverses"], nal.get("note")),
                      "codes": {"reverses": nal["reverses"]},
                      "sources": cites.cite(nal.get("sources"))})
    return facts
