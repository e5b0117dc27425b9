"""Answers only questions need: what kind of drug, how much to take, which one did you mean.

Each is built from the knowledge the other answers read (class relations, legal status,
risks, rated combinations, topics, help lines) and is a plain JSON-ready dict like every other
answer; render/blocks.py lays each out.

- classification: "what kind of drug is X": X's classes with their verdicts, its schedule,
  then its card.
- dosing: "how much X should I take to get high": subq gives no dosing advice for
  non-medical use; it says so first, then the safety facts that matter. Never a number:
  sentences of the knowledge that state an amount are left out of this answer.
- clarify: the question named something the knowledge does not know, or needs a substance it
  does not name: say so, and offer the nearest names or the questions that can be answered.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import (
    DISCLAIMER,
    RELATION_VERDICT,
    Citations,
    Classes,
    entry_ref,
    review_status,
    running_name,
)
from substance_cli.answers.cards import dangerous_combinations, show
from substance_cli.answers.resolve import resolve_one, suggest
from substance_cli.common import words
from substance_cli.kb.index import Store

NO_DOSING = ("subq gives no dosing advice for non-medical use, and names no amount of {name} "
             "as safe: the same amount can affect two people, or one person on two days, very "
             "differently. For a medicine, the dose is the one on its label or the one your "
             "prescriber or pharmacist gives you.")
NO_DOSING_ANY = ("subq gives no dosing advice for non-medical use, and names no amount of any "
                 "drug as safe. For a medicine, the dose is the one on its label or the one "
                 "your prescriber or pharmacist gives you.")
#: Dangerous combinations shown in a dosing answer: the worst few; `subq show` has them all.
COMBINATIONS_SHOWN = 6
OVERDOSE_TOPIC = "opioid-overdose-response"
TOLERANCE_TOPIC = "lost-tolerance-overdose"

_UNITS = ("mg", "mcg", "µg", "ug", "g", "ml", "milligram", "milligrams", "gram", "grams",
          "microgram", "micrograms", "millilitre", "millilitres", "milliliter", "milliliters",
          "tablet", "tablets", "pill", "pills", "dose", "doses", "drink", "drinks", "units")


def states_amount(sentence: str) -> bool:
    """True when a sentence gives an amount to take ("1,000 mg", "4 drinks", "two pills")."""
    tokens = sentence.replace(",", "").replace("-", " ").lower().split()
    numbers = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
    for i, tok in enumerate(tokens):
        core = tok.strip(".;:()")
        unit_glued = core.rstrip("abcdefghijklmnopqrstuvwxyzµ")
        if unit_glued and unit_glued.replace(".", "").isdigit() and core[len(unit_glued):] in \
                _UNITS:
            return True
        nxt = tokens[i + 1].strip(".;:()") if i + 1 < len(tokens) else ""
        if (core.replace(".", "").isdigit() or core in numbers) and nxt in _UNITS:
            return True
    return False


def _without_amounts(text: str | None) -> str:
    if not text:
        return ""
    parts = [p.strip() for p in text.replace("? ", "?|").replace(". ", ".|").split("|")]
    return " ".join(p for p in parts if p and not states_amount(p))


def dosing(store: Store, subject: str | None, region: str = "us") -> dict[str, Any]:
    """No dosing advice for non-medical use; then overdose signs, dangerous combinations,
    naloxone and where to get help, from the knowledge."""
    cites = Citations(store)
    classes = Classes(store)
    data = None
    match = None
    if subject:
        match = resolve_one(store, subject, ("substance", "class"), what="substance or class")
        data = store.get(match.kind, match.id)
    out: dict[str, Any] = {"type": "dosing", "version": JSON_VERSION,
                           "subject": entry_ref(match, data) | {"label": running_name(data)}
                           if data else None,
                           "statement": NO_DOSING.format(name=running_name(data)) if data and
                           match and match.kind == "substance" else NO_DOSING_ANY,
                           "overdose": None, "signs": None, "naloxone": None,
                           "combinations": [], "emergency": None}
    opioid_like = False
    if data and match and match.kind == "substance":
        risks = data.get("risks") or {}
        if risks.get("overdose") or risks.get("overdose_note"):
            out["overdose"] = {"risk": risks.get("overdose"),
                               "text": _without_amounts(risks.get("overdose_note")),
                               "sources": cites.cite(risks.get("sources"))}
        nal = data.get("naloxone") or {}
        if nal.get("reverses"):
            opioid_like = nal["reverses"] in ("yes", "partly")
            out["naloxone"] = {"reverses": nal["reverses"],
                               "text": _without_amounts(words.naloxone(nal["reverses"],
                                                                       nal.get("note"))),
                               "sources": cites.cite(nal.get("sources"))}
        combos = dangerous_combinations(store, data, Citations(store), classes)
        out["combinations"] = [c | {"summary": _without_amounts(c.get("summary")),
                                    "sources": cites.cite(_keys(store, data, c))}
                               for c in combos[:COMBINATIONS_SHOWN]]
        out["combinations_total"] = len(combos)
    elif data and match and match.kind == "class":
        opioid_like = "opioid" in classes.ancestors(match.id)
    if opioid_like or not data:
        topic = store.get("topic", OVERDOSE_TOPIC)
        signs = next((s for s in (topic or {}).get("sections") or []
                      if "sign" in s["heading"].lower()), None)
        if signs:
            out["signs"] = {"heading": signs["heading"],
                            "text": _without_amounts(signs["body"]),
                            "sources": cites.cite(signs.get("sources"))}
    res = store.get("resource", region) or {}
    out["emergency"] = res.get("emergency")
    out["region"] = {"id": res.get("id"), "name": res.get("name")} if res else None
    related = []
    for ident, why in ((OVERDOSE_TOPIC, "what to do in an overdose"),
                       (TOLERANCE_TOPIC, "why a dose that was fine before can kill after a "
                                         "break")):
        t = store.get("topic", ident)
        if t and (opioid_like or ident == OVERDOSE_TOPIC):
            related.append({"kind": "topic", "id": ident, "name": t["title"], "why": why,
                            "direction": "links to", "command": f"subq show {ident}"})
    if data:
        related.insert(0, {"kind": match.kind if match else "substance", "id": data["id"],
                           "name": data.get("name"), "why": "the whole card",
                           "direction": "links to", "command": f"subq show {data['id']}"})
    out["related"] = related
    out["help"] = "In an emergency: subq help-now"
    out["sources"] = cites.listing()
    out["review"] = review_status(data) if data else None
    out["disclaimer"] = DISCLAIMER
    return out


def _keys(store: Store, data: dict[str, Any], combo: dict[str, Any]) -> list[str]:
    """The source keys of the rule behind one dangerous combination."""
    a, b = combo["rule"].split(" + ")
    for pair in store.pairs(a, b):
        if pair["rating"] == combo["rating"]:
            return pair.get("sources") or []
    return []


def classification(store: Store, name: str) -> dict[str, Any]:
    """What kind of drug X is: its classes with verdicts, its legal status, then its card."""
    match = resolve_one(store, name, ("substance",))
    data = store.get("substance", match.id)
    assert data is not None
    classes = Classes(store)
    card = show(store, match.id)
    # One numbering for the whole answer: the card's sources, then any the classes add.
    cites = Citations(store)
    cites.keys = [src["key"] for src in card.get("sources") or []]
    items: list[dict[str, Any]] = []

    def add(rel: dict[str, Any], via: str | None) -> None:
        cls = rel["class"]
        chain = classes.ancestors(cls)
        items.append({"class": cls, "name": classes.label(cls, False),
                      "plural": classes.plural(cls),
                      "verdict": RELATION_VERDICT[rel["relation"]],
                      "relation": rel["relation"],
                      "part_of": [classes.label(c, False) for c in chain[1:]],
                      "via": via, "note": rel.get("note"),
                      "sources": cites.cite(rel.get("sources"))})

    for rel in data.get("classes") or []:
        if rel["relation"] != "unrelated":
            add(rel, None)
    if data.get("ingredients"):
        parts = store.get_many("substance", [i["substance"] for i in data["ingredients"]])
        for ing in data["ingredients"]:
            part = parts.get(ing["substance"])
            for rel in (part or {}).get("classes") or []:
                if rel["relation"] != "unrelated":
                    add(rel, running_name(part))
    legal = data.get("legal") or {}
    legal_out = None
    if legal:
        legal_out = {"us": words.us_status(legal.get("us_schedule"),
                                           bool(legal.get("us_narcotic"))),
                     "uk": words.uk_status(legal.get("uk_class")),
                     "line": words.legal_line(legal),
                     "sources": cites.cite(legal.get("sources"))}
    members = [i for i in items if i["verdict"] == "yes"]
    name_text = running_name(data)
    if members:
        kinds = _join([f"{i['name']}" + (f" (through {i['via']})" if i["via"] else "")
                       for i in members])
        summary = f"{name_text[:1].upper()}{name_text[1:]} is classed as: {kinds}."
    else:
        summary = (f"No class membership is recorded for {name_text}; "
                   "its card below says what it is.")
    for i in items:
        if i["verdict"] == "yes":
            continue
        who = i["via"] or "it"
        who = who[:1].upper() + who[1:]
        summary += {"atypical": f" {who} acts on the targets of {i['plural']} without being "
                                "classed as one.",
                    "antagonist": f" {who} blocks the targets of {i['plural']}.",
                    "no": ""}[i["verdict"]]
    card["sources"] = cites.listing()
    return {"type": "classification", "version": JSON_VERSION,
            "question": f"What kind of drug is {name_text}?",
            "substance": entry_ref(match, data), "summary": summary, "classes": items,
            "legal": legal_out, "card": card}


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def clarify(store: Store, question: str, reason: str, intent: str = "",
            unknown: list[str] | None = None,
            named: list[tuple[str, str]] | None = None,
            ambiguous: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """"I could not tell what you meant", with the nearest names or the answerable questions.

    `reason`: unknown-name (a name the knowledge lacks), ambiguous (a street name of several
    drugs, where the answer depends on which), no-subject (withdrawal or detection without
    saying of what), unclear (nothing to go on). `unknown`: the words not known; `named`:
    (id, words) of what the question did name; `ambiguous`: words -> the entries they can mean.
    """
    unknown = unknown or []
    suggestions: list[dict[str, str]] = []
    seen: set[str] = set()
    for w in unknown:
        for ident in suggest(store, w, ("substance", "class"), limit=4):
            if ident not in seen:
                seen.add(ident)
                entry = store.get("substance", ident) or store.get("class", ident) or {}
                suggestions.append({"id": ident, "name": entry.get("name") or ident,
                                    "for": w, "command": f"subq show {ident}"})
    choices: list[dict[str, str]] = []
    for words_, ids in (ambiguous or {}).items():
        for ident in ids:
            entry = store.get("substance", ident) or {}
            suggestions.append({"id": ident, "name": entry.get("name") or ident,
                                "for": words_, "command": f"subq show {ident}"})
    if reason == "ambiguous":
        shown = "; ".join(f"{w!r} can mean {', '.join(ids)}"
                          for w, ids in (ambiguous or {}).items())
        message = (f"{shown[:1].upper()}{shown[1:]}, and the answer depends on which. Ask "
                   "again with the drug's own name.")
    elif reason == "unknown-name":
        shown = ", ".join(repr(w) for w in unknown)
        message = (f"I could not find {shown} in the knowledge, so I cannot answer about it. "
                   "It may be spelt differently, or subq may not cover it yet.")
        for ident, text in named or []:
            choices.append({"command": f"subq show {ident}", "why": f"what subq knows about "
                                                                    f"{text}"})
        choices.append({"command": "subq list", "why": "every substance subq covers"})
    elif reason == "no-subject":
        aspect = intent if intent in ("withdrawal", "detection") else "withdrawal"
        message = (f"{aspect.capitalize()} depends on the substance: which one do you mean? "
                   f"Ask again with its name, for example `subq {aspect} alcohol`, or open one "
                   "of these topics.")
        for ident, topic in store.all_of("topic").items():
            if aspect in ident or (aspect == "withdrawal" and "paws" in ident):
                choices.append({"command": f"subq show {ident}", "why": topic["title"]})
    else:
        message = ("I could not tell what you meant. Try naming a substance and what you want "
                   "to know about it, or search the knowledge for a word.")
        for cmd, why in (("subq ask is ketamine an opioid", "is X a kind of drug"),
                         ("subq ask can you mix xanax and alcohol", "is a combination risky"),
                         ("subq ask how long does weed stay in your system", "drug tests"),
                         ("subq search WORDS", "every entry that mentions the words"),
                         ("subq help-now", "what to do in an emergency, and who to call")):
            choices.append({"command": cmd, "why": why})
    return {"type": "clarify", "version": JSON_VERSION, "reason": reason,
            "question": question, "message": message,
            "unknown": list(unknown), "suggestions": suggestions,
            "choices": choices, "disclaimer": DISCLAIMER}

