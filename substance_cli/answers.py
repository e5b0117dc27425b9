"""The questions subq answers, each returning plain data (JSON-ready dicts).

Nothing here knows about terminals or formats: renderers turn these dicts into Rich, plain
text, Markdown or JSON. Facts come only from the knowledge; every fact shown carries the
numbers of its sources, and every answer lists those sources.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.exitcodes import ExitCode, SubqError
from substance_cli.resolve import Match, resolve_one
from substance_cli.store import Store

_RELATION_VERDICT = {"member": "yes", "atypical": "atypical", "antagonist": "antagonist",
                     "unrelated": "no"}
_RELATION_RANK = {"member": 0, "antagonist": 1, "atypical": 2, "unrelated": 3}
DISCLAIMER = ("Information, not medical advice. Not a substitute for a clinician. "
              "In an emergency: subq help-now")
SCHEDULED = ("I", "II", "III", "IV", "V")
#: Class siblings listed under "related": enough to browse, not a whole class of thousands.
SIBLINGS = 12
#: Entries that point here, listed under "related": the closest ones, not every one.
REVERSE_LINKS = 24


class Citations:
    """Numbers sources in the order an answer first cites them."""

    def __init__(self, store: Store):
        self.store = store
        self.keys: list[str] = []

    def cite(self, keys: list[str] | None) -> list[int]:
        out = []
        for key in keys or []:
            if key not in self.keys:
                self.keys.append(key)
            out.append(self.keys.index(key) + 1)
        return out

    def listing(self) -> list[dict[str, Any]]:
        found = self.store.sources(self.keys)
        out = []
        for n, key in enumerate(self.keys, 1):
            src = found.get(key, {"title": key})
            item = {"n": n, "key": key}
            for field in ("title", "publisher", "year", "url", "doi", "pmid", "accessed"):
                if src.get(field) is not None:
                    item[field] = src[field]
            out.append(item)
        return out


def review_status(data: dict[str, Any]) -> dict[str, Any]:
    review = data.get("review") or {}
    reviewed = review.get("reviewed")
    status = (f"reviewed by {reviewed['by']} on {reviewed['on']}" if reviewed
              else "not clinically reviewed")
    return {"last_checked": review.get("last_checked"), "reviewed": reviewed, "status": status}


class Classes:
    """The class tree, loaded once per answer (classes are few even in large knowledge)."""

    def __init__(self, store: Store):
        self.by_id = store.all_of("class")

    def ancestors(self, ident: str) -> list[str]:
        """`ident` and every class above it, nearest first."""
        out, queue = [], [ident]
        while queue:
            c = queue.pop(0)
            if c in out or c not in self.by_id:
                continue
            out.append(c)
            queue.extend(self.by_id[c].get("parents") or [])
        return out

    def descendants(self, ident: str) -> list[str]:
        out = [ident]
        for c in out:
            out.extend(k for k, v in self.by_id.items()
                       if c in (v.get("parents") or []) and k not in out)
        return out

    def label(self, ident: str, with_article: bool = True) -> str:
        data = self.by_id.get(ident, {})
        name = (data.get("name") or ident).lower()
        if not with_article:
            return name
        return f"{data.get('article') or _article(name)} {name}"

    def plural(self, ident: str) -> str:
        data = self.by_id.get(ident, {})
        return data.get("plural") or f"{(data.get('name') or ident).lower()}s"


def running_name(data: dict[str, Any]) -> str:
    """The name as it reads inside a sentence: generic names are lower case, brands and
    acronyms keep their capitals ("ketamine", "Suboxone", "MDMA")."""
    name = data.get("name") or data["id"]
    if data.get("kind") == "substance" and len(name) > 1 and name[0].isupper() \
            and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    for end in (". ", "; "):
        if end in text:
            return text.split(end, 1)[0] + "."
    return text


def _ref(match: Match | None, data: dict[str, Any]) -> dict[str, Any]:
    out = {"id": data["id"], "name": data.get("name") or data.get("title") or data["id"]}
    if "kind" in data:
        out["kind"] = data["kind"]
    if match and match.type not in ("id", "name"):
        out["matched"] = {"as": match.type, "name": match.label}
    return out


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
            hit = sched in SCHEDULED
            note = (f"US federal Schedule {sched}." if hit else
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
        if best is None or _RELATION_RANK[cand["relation"]] < _RELATION_RANK[best["relation"]]:
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
            verdict = _RELATION_VERDICT[prel["relation"]] if prel else "no"
            ingredients.append({"id": part["id"], "name": running_name(part),
                                "verdict": verdict,
                                "note": (prel or {}).get("note"),
                                "sources": cites.cite((prel or {}).get("sources"))})
            if prel and (deciding is None or _RELATION_RANK[prel["relation"]]
                         < _RELATION_RANK[deciding[1]["relation"]]):
                deciding = (part, prel)
        if rel is None and deciding:
            rel = {**deciding[1], "via": [], "ingredient": deciding[0]["id"]}
    verdict = _RELATION_VERDICT[rel["relation"]] if rel else "no"
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
        "substance": _ref(match, sub),
        "class": class_out,
        "verdict": verdict,
        "summary": summary,
        "reason": reason,
        "ingredients": ingredients,
        "facts": facts,
        "nuances": nuances,
        "related": related_items(store, "substance", sub, limit=8),
        "sources": cites.listing(),
        "review": review_status(sub),
        "help": _help_pointer(sub),
        "disclaimer": DISCLAIMER,
    }


def _verdict_summary(sub: dict[str, Any], class_id: str, verdict: str,
                     rel: dict[str, Any] | None, ingredients: list[dict[str, Any]],
                     classes: Classes) -> str:
    name, label = running_name(sub), classes.label(class_id)
    what = _sentences((sub.get("summary") or {}).get("text", ""), 2)
    cls_def = _first_sentence((classes.by_id[class_id].get("definition") or {}).get("text", ""))
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


def _sentences(text: str, count: int) -> str:
    """The first `count` sentences of `text`."""
    out, rest = [], " ".join((text or "").split())
    while rest and len(out) < count:
        head, sep, rest = rest.partition(". ")
        out.append(head + ("." if sep or not head.endswith(".") else ""))
    return " ".join(out).replace("..", ".")


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
    if legal.get("us_schedule"):
        sched = legal["us_schedule"]
        value = "not federally scheduled" if sched == "unscheduled" else f"Schedule {sched}"
        if legal.get("uk_class") in ("A", "B", "C"):
            value += f"; UK Class {legal['uk_class']}"
        facts.append({"label": "US schedule", "value": value,
                      "sources": cites.cite(legal.get("sources"))})
    nal = sub.get("naloxone") or {}
    if nal.get("reverses"):
        value = {"yes": "reverses it", "partly": "partly reverses it",
                 "no": "does not reverse it", "not-applicable": "not applicable"}[nal["reverses"]]
        if nal.get("note"):
            value += f". {nal['note']}"
        facts.append({"label": "Naloxone", "value": value,
                      "sources": cites.cite(nal.get("sources"))})
    return facts


def _help_pointer(sub: dict[str, Any]) -> str | None:
    risks = sub.get("risks") or {}
    if risks.get("overdose") in ("moderate", "high") or (sub.get("naloxone") or {}).get(
            "reverses") in ("yes", "partly"):
        return "Overdose risk: see `subq help-now` for what to do in an emergency."
    return None


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
                           "entry": _ref(match, data)}
    if match.kind == "substance":
        classes = Classes(store)
        out.update(_substance_card(store, data, cites, classes))
    elif match.kind == "class":
        out.update(_class_card(store, data, cites))
    else:
        out.update(_topic_card(data, cites))
    out["related"] = related_items(store, match.kind, data)
    out["sources"] = cites.listing()
    out["review"] = review_status(data)
    out["disclaimer"] = DISCLAIMER
    return out


def _cited(block: dict[str, Any] | None, cites: Citations) -> dict[str, Any] | None:
    """A copy of a sourced block with its `sources` keys replaced by citation numbers."""
    if not block:
        return None
    out = {k: v for k, v in block.items() if k != "sources"}
    out["sources"] = cites.cite(block.get("sources"))
    return out


def _substance_card(store: Store, data: dict[str, Any], cites: Citations,
                    classes: Classes) -> dict[str, Any]:
    out: dict[str, Any] = {
        "summary": _cited(data.get("summary"), cites),
        "names": data.get("names") or {},
        "classes": [{**_cited(c, cites), "class_name": classes.label(c["class"], False),
                     "verdict": _RELATION_VERDICT[c["relation"]]}
                    for c in data.get("classes") or []],
        "ingredients": data.get("ingredients") or [],
    }
    for key in ("mechanism", "uses", "legal", "risks", "naloxone", "withdrawal"):
        out[key] = _cited(data.get(key), cites)
    out["onset_duration"] = [_cited(x, cites) for x in data.get("onset_duration") or []]
    out["detection"] = [_cited(x, cites) for x in data.get("detection") or []]
    out["nuances"] = [_cited(x, cites) for x in data.get("nuances") or []]
    out["dangerous_combinations"] = dangerous_combinations(store, data, cites, classes)
    products = store.products_with(data["id"])
    out["in_products"] = [{"id": p, "command": f"subq show {p}"} for p in products]
    out["help"] = _help_pointer(data)
    return out


def _class_card(store: Store, data: dict[str, Any], cites: Citations) -> dict[str, Any]:
    classes = Classes(store)
    members = class_members(store, data["id"], classes)
    return {
        "definition": _cited(data.get("definition"), cites),
        "membership": _cited(data.get("membership"), cites),
        "parents": data.get("parents") or [],
        "children": [c for c in classes.descendants(data["id"])[1:]],
        "targets": data.get("targets") or [],
        "members": members,
    }


def _topic_card(data: dict[str, Any], cites: Citations) -> dict[str, Any]:
    return {
        "title": data["title"],
        "questions": data.get("questions") or [],
        "about": data.get("about") or [],
        "summary": _cited(data.get("summary"), cites),
        "sections": [_cited(s, cites) for s in data.get("sections") or []],
        "figures": [_cited(f, cites) for f in data.get("figures") or []],
        "timeline": _cited(data.get("timeline"), cites),
        "caveats": [_cited(c, cites) for c in data.get("caveats") or []],
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
        cand = {"id": sub_id, "verdict": _RELATION_VERDICT[relation],
                "via": cls_id if cls_id != class_id else None, "relation": relation}
        if sub_id not in best or _RELATION_RANK[relation] < _RELATION_RANK[
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
    return {"type": "related", "version": JSON_VERSION, "entry": _ref(match, data),
            "kind": match.kind, "items": related_items(store, match.kind, data)}


def listing(store: Store, class_name: str | None = None) -> dict[str, Any]:
    if class_name:
        cls = resolve_one(store, class_name, ("class",), what="class")
        classes = Classes(store)
        members = class_members(store, cls.id, classes)
        names = store.get_many("substance", [m["id"] for m in members])
        items = [{"id": m["id"], "name": names[m["id"]]["name"], "verdict": m["verdict"],
                  "via": m["via"]} for m in members if m["id"] in names]
        return {"type": "list", "version": JSON_VERSION, "kind": "substance",
                "class": cls.id, "items": items}
    return {"type": "list", "version": JSON_VERSION, "kind": "substance", "class": None,
            "items": [{"id": i, "name": n} for i, n in store.listing("substance")]}


def list_kind(store: Store, kind: str) -> dict[str, Any]:
    return {"type": "list", "version": JSON_VERSION, "kind": kind, "class": None,
            "items": [{"id": i, "name": n} for i, n in store.listing(kind)]}


def search(store: Store, text: str, limit: int = 10) -> dict[str, Any]:
    rows = store.search(text, limit)
    return {"type": "search", "version": JSON_VERSION, "query": text,
            "items": [{"kind": k, "id": i, "name": n, "snippet": " ".join(s.split()),
                       "command": f"subq show {i}"} for k, i, n, s in rows]}


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
        raise SubqError("compare substances with substances, or classes with classes "
                        f"(got {', '.join(m.id for m, _ in subs)})", ExitCode.USAGE)
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

    row("Class", False, lambda d: (", ".join(
        f"{classes.label(c['class'], False)}" + ("" if c["relation"] == "member"
                                                 else f" ({c['relation']})")
        for c in d.get("classes") or [] if c["relation"] != "unrelated") or "not recorded",
        cites.cite([s for c in d.get("classes") or [] for s in c.get("sources", [])])))
    row("Main action", False, block("mechanism", lambda b: b.get("summary")))
    row("Targets", False, block("mechanism", lambda b: ", ".join(
        f"{t['target']} ({t['action']})" for t in b.get("targets") or [])))
    row("Medical uses", False, block("uses", lambda b: ", ".join(b.get("medical") or [])))
    row("US schedule", False, block("legal", lambda b: b.get("us_schedule")))
    row("Dependence", True, block("risks", lambda b: b.get("dependence")))
    row("Overdose risk", True, block("risks", lambda b: b.get("overdose")))
    row("Naloxone", True, block("naloxone", lambda b: b.get("reverses")))
    row("Onset", False, lambda d: _ranges(d.get("onset_duration"), "onset", cites))
    row("Duration", False, lambda d: _ranges(d.get("onset_duration"), "duration", cites))
    row("Detection (urine)", False, lambda d: _detection(d, "urine", cites))
    row("Withdrawal", True, lambda d: _withdrawal(d, cites))
    from substance_cli.interactions import rate_pair

    pairs = []
    for i in range(len(subs)):
        for j in range(i + 1, len(subs)):
            pairs.append(rate_pair(store, subs[i][1], subs[j][1], classes, cites))
    return {"type": "compare", "version": JSON_VERSION, "kind": "substance",
            "substances": [_ref(m, d) for m, d in subs], "rows": rows,
            "interactions": pairs, "charts": charts_for([d for _, d in subs]),
            "sources": cites.listing(),
            "review": [review_status(d) | {"id": d["id"]} for _, d in subs],
            "disclaimer": DISCLAIMER}


def _compare_classes(store: Store, subs: list[tuple[Match, dict[str, Any]]], classes: Classes,
                     cites: Citations) -> dict[str, Any]:
    """Classes side by side: what they are, what they act on, what belongs to them."""
    def cell(block: dict[str, Any] | None) -> tuple[str, list[int]]:
        if not block:
            return ("not recorded", [])
        return (_first_sentence(block.get("text", "")), cites.cite(block.get("sources")))

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
    from substance_cli.interactions import class_as_subject, rate_pair

    pairs = [rate_pair(store, class_as_subject(classes, subs[i][1]["id"]),
                       class_as_subject(classes, subs[j][1]["id"]), classes, cites)
             for i in range(len(subs)) for j in range(i + 1, len(subs))]
    return {"type": "compare", "version": JSON_VERSION, "kind": "class",
            "substances": [_ref(m, d) for m, d in subs], "rows": rows, "interactions": pairs,
            "charts": [], "sources": cites.listing(),
            "review": [review_status(d) | {"id": d["id"]} for _, d in subs],
            "disclaimer": DISCLAIMER}


def format_range(r: dict[str, Any]) -> str:
    lo, hi = _num(r["min"]), _num(r["max"])
    unit = r["unit"]
    if lo == hi:
        return f"{lo} {unit}"
    return f"{lo}–{hi} {unit}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


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
    text = "; ".join(parts) or _first_sentence(w.get("summary", "")) or "described"
    return (text, cites.cite(w.get("sources")))


_UNIT_HOURS = {"seconds": 1 / 3600, "minutes": 1 / 60, "hours": 1, "days": 24, "weeks": 168,
               "months": 730, "years": 8760}


def to_hours(value: float, unit: str) -> float:
    return value * _UNIT_HOURS[unit]


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
    subjects = [data] if match.kind == "substance" else list(store.get_many(
        "substance", [m["id"] for m in class_members(store, match.id, classes)
                      if m["verdict"] == "yes"]).values())
    field = {"detection": "detection", "withdrawal": "withdrawal", "naloxone": "naloxone",
             "legal": "legal"}[what]
    items = []
    for sub in sorted(subjects, key=lambda s: s["name"].lower()):
        block = sub.get(field)
        if not block:
            continue
        if field == "detection":
            rows = [_cited(x, cites) for x in block
                    if specimen is None or x["specimen"] == specimen]
            if rows:
                items.append({"id": sub["id"], "name": sub["name"], "detection": rows})
        else:
            items.append({"id": sub["id"], "name": sub["name"], field: _cited(block, cites)})
    about = {match.id} | ({a for c in data.get("classes") or [] if c["relation"] == "member"
                           for a in classes.ancestors(c["class"])} if match.kind == "substance"
                          else set())
    topic = _topic_for(store, about, _FOCUS_TOPIC_WORDS[what])
    out = {"type": "focus", "version": JSON_VERSION, "aspect": what, "specimen": specimen,
           "subject": _ref(match, data) | {"kind_of_entry": match.kind,
                                           "label": classes.plural(match.id)
                                           if match.kind == "class" else running_name(data)},
           "items": items,
           "topic": _topic_card(topic, cites) | {"id": topic["id"]} if topic else None,
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
