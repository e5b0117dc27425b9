"""Lay out an answer as a list of blocks that every human-readable format draws.

The plain, Markdown and Rich renderers all draw the same blocks, so the formats cannot
disagree about what an answer says; they only differ in how it looks. JSON skips this layer
and prints the answer itself.
"""

from __future__ import annotations

from typing import Any

from substance_cli.common import words
from substance_cli.common.text import clean
from substance_cli.common.units import format_range, to_hours

VERDICT_WORD = {"yes": "YES", "no": "NO", "atypical": "ATYPICAL", "antagonist": "ANTAGONIST",
                "unknown": "NOT RECORDED"}
RATING_WORD = {"dangerous": "DANGEROUS", "unsafe": "UNSAFE", "caution": "CAUTION",
               "low-risk": "LOW RISK", "unknown": "UNKNOWN"}


class Block:
    """One piece of an answer. `kind` says how to draw it; the rest is plain data.

    A plain class rather than a dataclass: building dataclasses at import costs start-up time
    that every answer would pay.
    """

    __slots__ = ("kind", "heading", "text", "word", "tone", "cites", "items", "columns")

    def __init__(self, kind: str, heading: str = "", text: str = "", word: str = "",
                 tone: str = "", cites: list[int] | None = None, items: list[Any] | None = None,
                 columns: list[str] | None = None):
        #: title | verdict | para | facts | bullets | table | chart | commands | sources | footer
        self.kind = kind
        self.heading = heading
        self.text = text
        self.word = word
        #: good | bad | warn | info: a second cue beside the word, never the only one
        self.tone = tone
        self.cites = cites or []
        self.items = items or []
        self.columns = columns or []


def cite_mark(nums: list[int]) -> str:
    nums = sorted(set(nums))
    return f" [{','.join(str(n) for n in nums)}]" if nums else ""


def source_line(s: dict[str, Any]) -> str:
    """One bibliography entry as text: title, publisher, year, then where to find it."""
    parts = [s.get("title", s["key"])]
    if s.get("publisher"):
        parts.append(s["publisher"])
    if s.get("year"):
        parts.append(str(s["year"]))
    where = s.get("url") or (f"https://doi.org/{s['doi']}" if s.get("doi") else None) or (
        f"PMID {s['pmid']}" if s.get("pmid") else "")
    text = ". ".join(clean(str(p)) for p in parts)
    return f"{text}. {clean(where)}" if where else text


def build(answer: dict[str, Any]) -> list[Block]:
    """Blocks for any answer dict produced by the domain modules."""
    return _BUILDERS[answer["type"]](answer)


def _verdict(a: dict[str, Any]) -> list[Block]:
    tone = {"yes": "bad" if a["class"]["id"] else "info", "no": "good", "atypical": "warn",
            "antagonist": "info", "unknown": "warn"}[a["verdict"]]
    reason = a.get("reason") or {}
    blocks = [Block("verdict", heading=a["question"], word=VERDICT_WORD[a["verdict"]],
                    tone=tone, text=a["summary"], cites=reason.get("sources", []))]
    if a["ingredients"]:
        blocks.append(Block("facts", heading="Ingredients", items=[
            (i["name"], VERDICT_WORD[i["verdict"]] + (f": {i['note']}" if i.get("note") else ""),
             i["sources"]) for i in a["ingredients"]]))
    if a["facts"]:
        blocks.append(Block("facts", heading="Key facts",
                            items=[(f["label"], f["value"], f["sources"]) for f in a["facts"]]))
    if a["nuances"]:
        blocks.append(Block("bullets", heading="Nuance",
                            items=[(n["text"], n["sources"]) for n in a["nuances"]]))
    if a["class"].get("definition"):
        blocks.append(Block("para", heading=f"What {a['class']['name'].lower()} means",
                            text=a["class"]["definition"], cites=a["class"]["sources"]))
    return blocks + _tail(a)


def _tail(a: dict[str, Any]) -> list[Block]:
    blocks = []
    if a.get("also_asked"):
        blocks.append(_also_asked(a["also_asked"]))
    if a.get("related"):
        blocks.append(Block("commands", heading="Read next", items=[
            (r["command"], f"{r['name']}: {r['why']}" if r.get("why") else r["name"])
            for r in a["related"]]))
    if a.get("sources"):
        blocks.append(Block("sources", heading="Sources", items=a["sources"]))
    footer = []
    if a.get("help"):
        footer.append(a["help"])
    review = a.get("review")
    if isinstance(review, dict):
        footer.append(f"Facts last checked {review['last_checked']}; {review['status']}.")
    elif isinstance(review, list) and review:
        statuses = {r["status"] for r in review}
        footer.append("Facts last checked " + ", ".join(
            f"{r['id']} {r['last_checked']}" for r in review) + f"; {'; '.join(statuses)}.")
    if a.get("disclaimer"):
        footer.append(a["disclaimer"])
    if footer:
        blocks.append(Block("footer", items=footer))
    return blocks


def _also_asked(items: list[dict[str, str]]) -> Block:
    return Block("commands", heading="People also ask",
                 items=[(q["command"], q["question"]) for q in items])


def _sourced(heading: str, block: dict[str, Any] | None, text: str) -> list[Block]:
    if not block or not text:
        return []
    return [Block("para", heading=heading, text=text, cites=block.get("sources", []))]


def _listed_names(listed: list[dict[str, Any]]) -> list[tuple[str, str, list[int]]]:
    """"More brands: OxyNorm (INT), Endone (AU)": names from the names lists, by type."""
    out = []
    for typ, label in (("brand", "More Brands"), ("street", "More Street Names")):
        items = [n for n in listed if n.get("type") == typ]
        if not items:
            continue
        words = []
        for n in items:
            notes = [n["country"]] if n.get("country") else []
            if n.get("also_means"):
                notes.append("also means " + ", ".join(o["name"] for o in n["also_means"]))
            words.append(n["name"] + (f" ({'; '.join(notes)})" if notes else ""))
        cites = sorted({c for n in items for c in n.get("sources") or []})
        out.append((label, ", ".join(words), cites))
    return out


def _substance(a: dict[str, Any]) -> list[Block]:
    e = a["entry"]
    blocks = [Block("title", text=e["name"] + (" (product)" if e.get("kind") == "product"
                                                else ""))]
    blocks += _sourced("", a["summary"], (a["summary"] or {}).get("text", ""))
    names = a["names"]
    name_items = [(label.title(), ", ".join(names[key]), [])
                  for key, label in (("generic", "generic"), ("brands", "brands"),
                                     ("street", "street names"), ("ambiguous", "also means"),
                                     ("misspellings", "misspellings")) if names.get(key)]
    name_items += _listed_names(names.get("listed") or [])
    if name_items:
        blocks.append(Block("facts", heading="Names", items=name_items))
    if a["classes"]:
        blocks.append(Block("facts", heading="Classes", items=[
            (c["class_name"], VERDICT_WORD[c["verdict"]] + (f": {c['note']}" if c.get("note")
                                                           else ""), c["sources"])
            for c in a["classes"]]))
    if a["ingredients"]:
        blocks.append(Block("facts", heading="Ingredients", items=[
            (i["substance"], " ".join(x for x in (i.get("amount"), i.get("role")) if x), [])
            for i in a["ingredients"]]))
    mech = a.get("mechanism")
    if mech:
        items = [(t["target"], t["action"] + (" (main)" if t.get("primary") else ""),
                  mech["sources"]) for t in mech.get("targets") or []]
        blocks += _sourced("How it works", mech, mech.get("summary", ""))
        if items:
            blocks.append(Block("facts", heading="Targets", items=items))
    uses = a.get("uses")
    if uses:
        items = [(label, ", ".join(uses[k]), uses["sources"])
                 for k, label in (("medical", "Medical"), ("other", "Other"),
                                  ("routes", "How taken")) if uses.get(k)]
        blocks.append(Block("facts", heading="Uses", items=items))
    if a["onset_duration"]:
        blocks.append(Block("facts", heading="Onset and duration", items=[
            (o["route"], "; ".join(x for x in (
                f"onset {format_range(o['onset'])}" if o.get("onset") else "",
                f"lasts {format_range(o['duration'])}" if o.get("duration") else "",
                o.get("note") or "") if x), o["sources"]) for o in a["onset_duration"]]))
    legal = a.get("legal")
    if legal:
        items = _legal_items(legal, a.get("listing"))
        blocks.append(Block("facts", heading="Legal status", items=items))
    risks = a.get("risks")
    if risks:
        items = []
        if risks.get("dependence"):
            items.append(("Dependence", risks["dependence"] + (
                f": {risks['dependence_note']}" if risks.get("dependence_note") else ""),
                risks["sources"]))
        if risks.get("overdose"):
            items.append(("Overdose", risks["overdose"] + (
                f": {risks['overdose_note']}" if risks.get("overdose_note") else ""),
                risks["sources"]))
        items += [("Also", n, risks["sources"]) for n in risks.get("notable") or []]
        blocks.append(Block("facts", heading="Risks", items=items))
    nal = a.get("naloxone")
    if nal:
        blocks.append(Block("para", heading="Naloxone (Narcan)",
                            text=words.naloxone(nal["reverses"], nal.get("note")),
                            cites=nal["sources"]))
    if a["dangerous_combinations"]:
        blocks.append(Block("facts", heading="Dangerous combinations", items=[
            (d["with"], f"{RATING_WORD[d['rating']]}: {d['summary'] or ''} "
                        f"({d['command']})", d["sources"]) for d in a["dangerous_combinations"]]))
    if a["detection"]:
        blocks.append(Block("chart", heading="Detection after last use", items=[
            _bar(f"{d['specimen']}" + (f" ({d['condition']})" if d.get("condition") else ""),
                 d, d["sources"], d.get("note")) for d in a["detection"]]))
    wd = a.get("withdrawal")
    if wd:
        blocks += _sourced("Withdrawal", wd, wd.get("summary", ""))
        if wd.get("phases"):
            blocks.append(Block("chart", heading="Withdrawal after last use", items=[
                _bar(p["phase"], p, wd["sources"],
                     ", ".join(p.get("symptoms") or []) or p.get("note")) for p in wd["phases"]]))
        if wd.get("danger"):
            blocks.append(Block("para", heading="Warning", text=wd["danger"],
                                cites=wd["sources"]))
    if a["nuances"]:
        blocks.append(Block("bullets", heading="Nuance",
                            items=[(n["text"], n["sources"]) for n in a["nuances"]]))
    if a["in_products"]:
        blocks.append(Block("commands", heading="Found in products",
                            items=[(p["command"], p["id"]) for p in a["in_products"]]))
    return blocks + _tail(a)


def _legal_items(legal: dict[str, Any], listing: dict[str, Any] | None = None) \
        -> list[tuple[str, str, list[int]]]:
    """US status, where the schedules list it, UK class and notes as fact lines: the same
    words in `show` and `legal`."""
    items = []
    us = words.us_status(legal.get("us_schedule"), bool(legal.get("us_narcotic")))
    if us:
        items.append(("US", us, legal["sources"]))
    if listing:
        items.append(("Listed", words.listing(listing), listing["sources"]))
    uk = words.uk_status(legal.get("uk_class"))
    if uk:
        items.append(("UK", uk, legal["sources"]))
    if legal.get("notes"):
        items.append(("Notes", legal["notes"], legal["sources"]))
    return items


def _bar(label: str, r: dict[str, Any], cites: list[int], note: str | None = None) \
        -> dict[str, Any]:
    return {"label": label, "min_hours": to_hours(r["min"], r["unit"]),
            "max_hours": to_hours(r["max"], r["unit"]), "text": format_range(r),
            "note": note, "cites": cites}


def _class(a: dict[str, Any]) -> list[Block]:
    blocks = [Block("title", text=f"{a['entry']['name']} (class)")]
    blocks += _sourced("Definition", a["definition"], (a["definition"] or {}).get("text", ""))
    blocks += _sourced("How membership is decided", a["membership"],
                       (a["membership"] or {}).get("text", ""))
    items = []
    if a["parents"]:
        items.append(("Part of", ", ".join(a["parents"]), []))
    if a["children"]:
        items.append(("Includes", ", ".join(a["children"]), []))
    if a["targets"]:
        items.append(("Targets", ", ".join(a["targets"]), []))
    if items:
        blocks.append(Block("facts", heading="Place in the tree", items=items))
    if a["members"]:
        blocks.append(Block("facts", heading="Substances", items=[
            (m["id"], VERDICT_WORD[m["verdict"]] + (f" (via {m['via']})" if m.get("via") else ""),
             []) for m in a["members"]]))
    return blocks + _tail(a)


def _topic(a: dict[str, Any]) -> list[Block]:
    blocks = [Block("title", text=a["title"])]
    blocks += _sourced("", a["summary"], (a["summary"] or {}).get("text", ""))
    tl = a.get("timeline")
    if tl and tl.get("phases"):
        blocks.append(Block("chart", heading="Timeline after last use", items=[
            _bar(p["phase"], p, tl["sources"], ", ".join(p.get("symptoms") or [])
                 or p.get("note")) for p in tl["phases"]]))
    for s in a["sections"]:
        blocks.append(Block("para", heading=s["heading"], text=s["body"], cites=s["sources"]))
    if a["figures"]:
        charted = [f for f in a["figures"] if f.get("specimen")]
        if charted:
            blocks.append(Block("chart", heading="Detection windows", items=[
                _bar(f["label"], f, f["sources"], f.get("note")) for f in charted]))
        other = [f for f in a["figures"] if not f.get("specimen")]
        if other:
            blocks.append(Block("facts", heading="Key figures", items=[
                (f["label"], format_range(f) + (f" ({f['note']})" if f.get("note") else ""),
                 f["sources"]) for f in other]))
    if a["caveats"]:
        blocks.append(Block("bullets", heading="Caveats",
                            items=[(c["text"], c["sources"]) for c in a["caveats"]]))
    return blocks + _tail(a)


def _related(a: dict[str, Any]) -> list[Block]:
    blocks = [Block("title", text=f"Related to {a['entry']['name']}")]
    if a.get("also_asked"):
        blocks.append(_also_asked(a["also_asked"]))
    if not a["items"] and not a.get("also_asked"):
        blocks.append(Block("para", text="Nothing in the knowledge links here yet."))
    for direction in ("links to", "linked from", "same class"):
        items = [(i["command"], f"{i['name']}: {i['why']}" if i.get("why") else i["name"])
                 for i in a["items"] if i["direction"] == direction]
        if items:
            heading = {"links to": "Related", "linked from": "Points here",
                       "same class": "Same class"}[direction]
            blocks.append(Block("commands", heading=heading, items=items))
    return blocks


def _list(a: dict[str, Any]) -> list[Block]:
    return [Block("list", heading=a.get("class") or "", items=[
        (i["id"], i["name"], i.get("verdict"), i.get("via")) for i in a["items"]])]


def _search(a: dict[str, Any]) -> list[Block]:
    if not a["items"]:
        return [Block("para", text=f"Nothing matches {a['query']!r}. Try other words, or "
                      "`subq list`.")]
    return [Block("commands", heading=f"Matches for {a['query']!r}",
                  items=[(i["command"], f"{i['name']} ({i['kind']}): {i['snippet']}")
                         for i in a["items"]])]


def _compare(a: dict[str, Any]) -> list[Block]:
    names = [s["name"] for s in a["substances"]]
    blocks = [Block("title", text=" vs ".join(names))]
    rows = [[r["label"] + (" *" if r["differ"] else ""), *[
        v + cite_mark(c) for v, c in zip(r["values"], r["sources"], strict=True)]]
        for r in a["rows"]]
    blocks.append(Block("table", columns=["", *names], items=rows,
                        text="* marks rows where they differ"))
    for chart in a["charts"]:
        blocks.append(Block("chart", heading=chart["title"], items=[
            {"label": b["label"], "min_hours": b["min_hours"], "max_hours": b["max_hours"],
             "text": format_range(b), "note": None, "cites": []} for b in chart["bars"]]))
    blocks += _pairs(a["interactions"], "Taken together")
    return blocks + _tail(a)


def _pairs(pairs: list[dict[str, Any]], heading: str) -> list[Block]:
    blocks = []
    for p in pairs:
        tone = {"dangerous": "bad", "unsafe": "bad", "caution": "warn", "low-risk": "good",
                "unknown": "warn"}[p["rating"]]
        text = p["summary"] or ""
        reasons = p.get("reasons") or []
        if p.get("rule"):
            r = p["rule"]
            why = reasons[0].get("why") if reasons else None
            text += (f" (rule: {r['a']} + {r['b']}" + (f": {why}" if why else "")
                     + f"; evidence: {p['evidence']})")
        names = f"{p['a']['name']} + {p['b']['name']}"
        blocks.append(Block("verdict", heading=f"{heading}: {names}" if heading else names,
                            word=RATING_WORD[p["rating"]], tone=tone, text=text,
                            cites=p["sources"]))
        details = []
        if p.get("mechanism"):
            details.append(("What happens", p["mechanism"], p["sources"]))
        if p.get("watch_for"):
            details.append(("Watch for", ", ".join(p["watch_for"]), []))
        if p.get("note"):
            details.append(("Note", p["note"], []))
        if details:
            blocks.append(Block("facts", items=details))
        also = [(_reason_line(r), r["sources"]) for r in reasons[1:]]
        if also:
            blocks.append(Block("bullets", heading="Also", items=also))
    return blocks


def _reason_line(r: dict[str, Any]) -> str:
    """One further reason: its rating, the rule and why it applies, and what it says."""
    rule = r["rule"]
    where = f"{rule['a']} + {rule['b']}" + (f": {r['why']}" if r.get("why") else "")
    text = f"{RATING_WORD[r['rating']]} ({where}). {r.get('summary') or ''}".strip()
    if r.get("overridden"):
        o = r["overridden"]
        text += f" Not counted: the {o['by']} rule stands below it because {o['note']}"
    return text


def _mix(a: dict[str, Any]) -> list[Block]:
    blocks = [Block("title", text="Combination check: " + " + ".join(
        s["name"] for s in a["substances"]))]
    for w in a.get("combination") or []:
        tone = "bad" if w["rating"] in ("dangerous", "unsafe") else "warn"
        names = ", ".join(m["name"] for m in w["members"])
        blocks.append(Block("verdict", heading=f"All together: {names}",
                            word=RATING_WORD[w["rating"]], tone=tone,
                            text=(w.get("summary") or "") + (
                                f" {w['note']}" if w.get("note") else ""),
                            cites=w["sources"]))
    blocks += _pairs(a["pairs"], "")
    return blocks + _tail(a)


def _help(a: dict[str, Any]) -> list[Block]:
    if a.get("emergency"):
        word, first = f"CALL {a['emergency']}", "call emergency services now"
    else:
        word, first = "CALL FOR HELP", (a.get("emergency_text") or "Call emergency services."
                                        ).rstrip(".").replace("Call", "call", 1) + " now"
    blocks = [Block("verdict", heading=f"Emergency ({a['region']['name']})", word=word,
                    tone="bad", text=f"If someone may be overdosing, {first}, then follow "
                    "the steps below.")]
    for s in a["steps"]:
        blocks.append(Block("para", heading=s["heading"], text=s["body"], cites=s["sources"]))
    items = []
    for s in a["services"]:
        contact = " / ".join(x for x in (s.get("phone"), s.get("text") and f"text {s['text']}",
                                         s.get("url")) if x)
        extra = ", ".join(x for x in (s.get("hours"), s.get("cost")) if x)
        value = contact + (f" ({extra})" if extra else "") + (
            f". {s['note']}" if s.get("note") else "")
        items.append((s["name"], value, s["sources"]))
    if items:
        blocks.append(Block("facts", heading=f"Help lines: {a['region']['name']}", items=items))
    if a.get("regions_with_lines"):
        blocks.append(Block("commands", heading="Regions with local help lines", items=[
            (f"subq help-now --region {r['id']}", r["name"]) for r in a["regions_with_lines"]]))
    return blocks + _tail(a)


def _ask(a: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    note = a.get("crisis_note")
    if note:
        blocks.append(Block("verdict", heading="If you are struggling", word="TALK",
                            tone="info", text=note["text"]))
    if a.get("explain"):
        blocks.append(Block("facts", heading="How the question was read",
                            items=[(k, v, []) for k, v in a["explain"]]))
    return blocks + build(a["answer"])


def _service_items(services: list[dict[str, Any]], with_region: bool = False,
                   notes: bool = True) -> list[tuple[str, str, list[int]]]:
    """Help lines as fact lines: name, then how to reach them, hours and cost, and a note."""
    items = []
    for s in services:
        contact = " / ".join(x for x in (s.get("phone") and f"call {s['phone']}",
                                         s.get("text") and f"text {s['text']}",
                                         s.get("url")) if x)
        extra = ", ".join(x for x in (s.get("hours"), s.get("cost")) if x)
        value = contact + (f" ({extra})" if extra else "") + (
            f". {s['note']}" if s.get("note") and notes else "")
        name = f"{s['region']}: {s['name']}" if with_region and s.get("region") else s["name"]
        items.append((name, value, s.get("sources", [])))
    return items


def _crisis(a: dict[str, Any]) -> list[Block]:
    """A suicidal statement: the crisis line first, kindly; then emergency; then the rest."""
    lines = a["crisis_lines"]
    first = lines[0] if lines else {}
    word = f"CALL {first['phone']}" if first.get("phone") else "TALK TO SOMEONE"
    blocks = [Block("verdict", heading="You can talk to someone now", word=word, tone="info",
                    text=a["message"])]
    if lines:
        blocks.append(Block("facts", heading="Crisis lines", items=_service_items(
            lines, with_region=a.get("region") is None)))
    if a.get("danger"):
        blocks.append(Block("verdict", heading="In danger now",
                            word=f"CALL {a['emergency']}" if a.get("emergency") else "CALL",
                            tone="bad", text=a["danger"]))
    if a.get("someone_else"):
        blocks.append(Block("para", text=a["someone_else"]))
    if a.get("steps"):
        blocks.append(Block("para", heading="If someone has taken too much",
                            text="What to do in an opioid overdose, step by step:"))
        for s in a["steps"]:
            blocks.append(Block("para", heading=s["heading"], text=s["body"],
                                cites=s["sources"]))
    if a.get("services"):
        name = (a.get("region") or {}).get("name")
        blocks.append(Block("facts", heading="Other help lines" + (f": {name}" if name else ""),
                            items=_service_items(a["services"], notes=False)))
    return blocks + _tail(a)


def _dosing(a: dict[str, Any]) -> list[Block]:
    """No dosing advice, said plainly first; then the safety facts that matter."""
    subject = (a.get("subject") or {}).get("label")
    blocks = [Block("verdict", heading=f"How much {subject}?" if subject else "How much?",
                    word="NO DOSING ADVICE", tone="warn", text=a["statement"])]
    od = a.get("overdose")
    if od and (od.get("risk") or od.get("text")):
        risk = f"Overdose risk: {od['risk']}." if od.get("risk") else ""
        blocks.append(Block("para", heading="Overdose", text=" ".join(
            x for x in (risk, od.get("text")) if x), cites=od["sources"]))
    if a.get("signs"):
        blocks.append(Block("para", heading=a["signs"]["heading"], text=a["signs"]["text"],
                            cites=a["signs"]["sources"]))
    if a.get("combinations"):
        blocks.append(Block("facts", heading="Dangerous combinations", items=[
            (d["with"], f"{RATING_WORD[d['rating']]}: {d['summary'] or ''} ({d['command']})",
             d["sources"]) for d in a["combinations"]], text=""))
        more = a.get("combinations_total", 0) - len(a["combinations"])
        if more > 0:
            blocks.append(Block("para", text=f"{more} more in `subq show "
                                f"{a['subject']['id']}`."))
    nal = a.get("naloxone")
    if nal:
        blocks.append(Block("para", heading="Naloxone (Narcan)", text=nal["text"],
                            cites=nal["sources"]))
    if a.get("emergency"):
        region = (a.get("region") or {}).get("name") or ""
        blocks.append(Block("verdict", heading=f"Emergency{f' ({region})' if region else ''}",
                            word=f"CALL {a['emergency']}", tone="bad",
                            text="If someone is hard to wake, breathing slowly or not at all, "
                                 "call now. `subq help-now` shows what to do."))
    return blocks + _tail(a)


def _classification(a: dict[str, Any]) -> list[Block]:
    """What kind of drug: the classes with verdicts and legal status, then the card."""
    blocks = [Block("title", text=a["question"]), Block("para", text=a["summary"])]
    if a["classes"]:
        blocks.append(Block("facts", heading="Classes", items=[
            (c["name"] + (f" (via {c['via']})" if c.get("via") else ""),
             VERDICT_WORD[c["verdict"]] + (f", a kind of {', '.join(c['part_of'])}"
                                           if c.get("part_of") else "")
             + (f": {c['note']}" if c.get("note") else ""), c["sources"])
            for c in a["classes"]]))
    legal = a.get("legal")
    if legal and (legal.get("us") or legal.get("uk")):
        items = [(k, legal[k.lower()], legal["sources"]) for k in ("US", "UK")
                 if legal.get(k.lower())]
        blocks.append(Block("facts", heading="Legal status", items=items))
    return blocks + build(a["card"])


def _clarify(a: dict[str, Any]) -> list[Block]:
    """"I could not tell what you meant": why, the nearest names, what can be asked."""
    asking = a["reason"] in ("no-subject", "ambiguous")
    blocks = [Block("verdict", heading="Which one do you mean?" if asking
                    else "I could not tell what you meant",
                    word="WHICH ONE?" if asking else "NOT SURE",
                    tone="warn", text=a["message"])]
    if a.get("suggestions"):
        blocks.append(Block("commands", heading="Did you mean", items=[
            (s["command"], f"{s['name']} (for {s['for']!r})") for s in a["suggestions"]]))
    if a.get("choices"):
        blocks.append(Block("commands", heading="You could ask",
                            items=[(c["command"], c["why"]) for c in a["choices"]]))
    return blocks + _tail(a)


def _focus(a: dict[str, Any]) -> list[Block]:
    subject = a["subject"].get("label") or a["subject"]["name"]
    title = {"detection": f"How long {subject} can be detected",
             "withdrawal": f"Withdrawal from {subject}",
             "naloxone": f"Does naloxone (Narcan) work on {subject}?",
             "legal": f"Legal status of {subject}"}[a["aspect"]]
    blocks = [Block("title", text=title)]
    topic_first = a["subject"].get("kind_of_entry") == "class" and a.get("topic")
    if topic_first:
        blocks += _topic(a["topic"] | {"related": [], "sources": [], "disclaimer": None,
                                         "review": None, "help": None})[1:]
        if a["items"]:
            blocks.append(Block("title", text="By substance"))
    for item in a["items"]:
        if a["aspect"] == "detection":
            blocks.append(Block("chart", heading=item["name"], items=[
                _bar(d["specimen"] + (f" ({d['condition']})" if d.get("condition") else ""),
                     d, d["sources"], d.get("note")) for d in item["detection"]]))
        elif a["aspect"] == "withdrawal":
            w = item["withdrawal"]
            if w.get("summary"):
                blocks.append(Block("para", heading=item["name"], text=w["summary"],
                                    cites=w["sources"]))
            if w.get("phases"):
                blocks.append(Block("chart", heading="" if w.get("summary") else item["name"],
                                    items=[_bar(p["phase"], p, w["sources"], ", ".join(
                                        p.get("symptoms") or []) or p.get("note"))
                                        for p in w["phases"]]))
            if w.get("danger"):
                blocks.append(Block("para", heading="Warning", text=w["danger"],
                                    cites=w["sources"]))
        elif a["aspect"] == "naloxone":
            n = item["naloxone"]
            word = {"yes": "YES", "partly": "PARTLY", "no": "NO",
                    "not-applicable": "N/A"}[n["reverses"]]
            tone = {"yes": "good", "partly": "warn", "no": "bad", "not-applicable": "info"}[
                n["reverses"]]
            blocks.append(Block("verdict", heading=item["name"], word=word, tone=tone,
                                text=n.get("note") or "", cites=n["sources"]))
        else:
            facts = _legal_items(item["legal"], item.get("listing"))
            blocks.append(Block("facts", heading=item["name"], items=facts))
    if not a["items"] and not topic_first:
        blocks.append(Block("para", text="The knowledge has no figures for this yet."))
    if a.get("topic") and not topic_first:
        blocks += _topic(a["topic"] | {"related": [], "sources": [], "disclaimer": None,
                                         "review": None, "help": None})
    return blocks + _tail(a)


_BUILDERS = {
    "focus": _focus,
    "verdict": _verdict,
    "substance": _substance,
    "class": _class,
    "topic": _topic,
    "related": _related,
    "list": _list,
    "search": _search,
    "compare": _compare,
    "mix": _mix,
    "help": _help,
    "ask": _ask,
    "crisis": _crisis,
    "dosing": _dosing,
    "classification": _classification,
    "clarify": _clarify,
}
