"""Rating combinations: every rule that applies is weighed, and the most severe one decides.

Three kinds of rule meet here (docs/interactions.md):

- **pair rules**, written substance + substance, substance + class or class + class, found by
  climbing each side's classes and their parents (alprazolam + fentanyl finds benzodiazepine +
  opioid);
- **property rules**, written property + property (serotonergic + MAO inhibitor, two drugs
  that lower the seizure threshold ...), matched against the properties each substance
  declares or inherits from its classes;
- **combination rules**, for three or more substances together (three depressants).

A milder, more specific rule never hides a more severe general one: the answer takes the most
severe and lists every reason. A pair rule may stand below another rule only through an
explicit, sourced `overrides` naming that rule. No rule found is "unknown", never "safe".
"""

from __future__ import annotations

from itertools import product
from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.base import DISCLAIMER, Citations, Classes, entry_ref
from substance_cli.answers.resolve import resolve_one
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.kb.index import Store
from substance_cli.kb.rulekeys import COMBINATION_PREFIX, PROPERTIES, PROPERTY_PREFIX, STRENGTHS

RATING_ORDER = ("dangerous", "unsafe", "caution", "low-risk", "unknown")
UNKNOWN_TEXT = ("No rating found in the knowledge. Unknown does not mean safe: ask a "
                "pharmacist or doctor before combining them.")
#: A property declared without a strength counts as strong: the cautious reading.
DEFAULT_STRENGTH = "strong"
#: How a property reads in a sentence ("tramadol is serotonergic").
PROPERTY_PHRASE = {
    "opioid-agonist": "acts on opioid receptors",
    "cns-depressant": "is a central nervous system depressant",
    "serotonergic": "is serotonergic",
    "maoi": "is a MAO inhibitor",
    "lowers-seizure-threshold": "lowers the seizure threshold",
    "stimulant": "is a stimulant",
    "qt-prolonging": "can prolong the QT interval",
    "cyp3a4-inhibitor": "slows the liver enzyme CYP3A4",
    "cyp3a4-inducer": "speeds up the liver enzyme CYP3A4",
    "cyp2d6-inhibitor": "slows the liver enzyme CYP2D6",
    "cyp2b6-inhibitor": "slows the liver enzyme CYP2B6",
    "cleared-by-cyp3a4": "is cleared by CYP3A4",
    "cleared-by-cyp2d6": "depends on CYP2D6",
    "cleared-by-cyp2b6": "is cleared partly by CYP2B6",
}
_LEVEL_RANK = {"substance+substance": 0, "substance+class": 1, "class+substance": 1,
               "class+class": 2, "property": 3}


def _rank(rating: str) -> int:
    return RATING_ORDER.index(rating)


class Subject:
    """One side of a pair: the entry, the ids its pair rules may name, and its properties."""

    def __init__(self, store: Store, data: dict[str, Any], classes: Classes):
        self.data = data
        self.id = data["id"]
        #: A class standing in for its members: its own id is a class id, not a substance's.
        self.is_class = data.get("kind") == "class"
        self.name = data.get("name") or data["id"]
        parts = [data]
        if data.get("ingredients"):
            found = store.get_many("substance", [i["substance"] for i in data["ingredients"]])
            parts.extend(found.values())
        #: id -> depth: itself and its ingredients 0, their classes 1, the parents 2 ...
        self.levels: dict[str, int] = {p["id"]: 0 for p in parts}
        #: property -> (strength, declared by (id, name), sources, declared by a class?)
        self.props: dict[str, tuple[str, str, str, list[str], bool]] = {}
        for part in parts:
            own = {p["property"] for p in part.get("properties") or [] if p}
            for p in part.get("properties") or []:
                if p:
                    self._add(p, part["id"], part.get("name") or part["id"], False)
            for rel in part.get("classes") or []:
                if rel["relation"] not in ("member", "atypical"):
                    continue
                for depth, cls in enumerate(classes.ancestors(rel["class"]), 1):
                    if cls not in self.levels or self.levels[cls] > depth:
                        self.levels[cls] = depth
                    if rel["relation"] != "member":
                        continue  # an atypical relation declares its own properties
                    for p in classes.by_id.get(cls, {}).get("properties") or []:
                        if p and p["property"] not in own:
                            self._add(p, cls, classes.label(cls, with_article=False), True)

    def _add(self, prop: dict[str, Any], via: str, via_name: str, from_class: bool) -> None:
        name = prop["property"]
        strength = prop.get("strength") or DEFAULT_STRENGTH
        old = self.props.get(name)
        if old and not old[4] and from_class:
            return  # the substance's own declaration beats its classes'
        if old and old[4] == from_class and STRENGTHS.index(old[0]) >= STRENGTHS.index(strength):
            return  # among equals, the strongest declaration counts
        self.props[name] = (strength, via, via_name, prop.get("sources") or [], from_class)

    def has(self, prop: str, least: str | None) -> bool:
        found = self.props.get(prop)
        return bool(found) and (least is None or
                                STRENGTHS.index(found[0]) >= STRENGTHS.index(least))

    def says(self, prop: str) -> str:
        """"tramadol is serotonergic (strong)", naming the class when it is inherited."""
        strength, via, via_name, _, from_class = self.props[prop]
        text = f"{_running(self.name)} {PROPERTY_PHRASE.get(prop, prop)}"
        if prop in ("serotonergic", "lowers-seizure-threshold", "cns-depressant"):
            text += f" ({strength})"
        if from_class or via != self.id:
            text += f", as {_article(via_name)} {via_name}"
        return text


def _running(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


class RuleBook:
    """Every rule the answer may need, read in two queries however many substances there are."""

    def __init__(self, store: Store, subjects: list[Subject]):
        ids = sorted({i for s in subjects for i in s.levels})
        keys = [PROPERTY_PREFIX + p for p in PROPERTIES]
        self.pairs: dict[frozenset[str], list[dict[str, Any]]] = {}
        self.property_rules: list[dict[str, Any]] = []
        self.combinations: list[dict[str, Any]] = []
        for rule in store.pairs_involving(ids):
            if not rule.get("_kind"):
                self.pairs.setdefault(frozenset((rule["a"], rule["b"])), []).append(rule)
        seen = set()
        for rule in store.pairs_involving(keys):
            key = (rule.get("_file"), rule.get("id"))
            if rule.get("_kind") == "property" and key not in seen:
                seen.add(key)
                self.property_rules.append(rule)
        if len(subjects) >= 3:  # every combination rule is stored with b = the bare prefix
            self.combinations = [r for r in store.pairs_involving([COMBINATION_PREFIX])
                                 if r.get("_kind") == "combination"]


def _rule_names(rule: dict[str, Any]) -> set[str]:
    if rule.get("_kind") == "property":
        return {rule["id"]}
    return {f"{rule['a']}+{rule['b']}", f"{rule['b']}+{rule['a']}"}


def _reasons(a: Subject, b: Subject, book: RuleBook) -> list[dict[str, Any]]:
    """Every rule that applies to the pair, as (rule, level, why, extra sources)."""
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for (x, dx), (y, dy) in product(a.levels.items(), b.levels.items()):
        for rule in book.pairs.get(frozenset((x, y)), []):
            if id(rule) in seen:
                continue
            seen.add(id(rule))
            level = "+".join("substance" if d == 0 and not s.is_class else "class"
                             for d, s in ((dx, a), (dy, b)))
            out.append({"rule": rule, "level": level, "depth": dx + dy, "why": None,
                        "extra": []})
    for rule in book.property_rules:
        pa, pb = rule["a"][len(PROPERTY_PREFIX):], rule["b"][len(PROPERTY_PREFIX):]
        for left, right in ((a, b), (b, a)):
            if left.has(pa, rule.get("a_strength")) and right.has(pb, rule.get("b_strength")):
                why = f"{left.says(pa)}; {right.says(pb)}"
                extra = [*left.props[pa][3], *right.props[pb][3]]
                out.append({"rule": rule, "level": "property", "depth": 0, "why": why,
                            "extra": extra})
                break
    return out


def rate_pair(store: Store, a: dict[str, Any], b: dict[str, Any], classes: Classes,
              cites: Citations, book: RuleBook | None = None,
              subjects: tuple[Subject, Subject] | None = None) -> dict[str, Any]:
    """The rating of one pair: the most severe rule that applies, with every reason."""
    sa, sb = subjects or (Subject(store, a, classes), Subject(store, b, classes))
    book = book or RuleBook(store, [sa, sb])
    found = _reasons(sa, sb, book)
    overridden: dict[str, dict[str, Any]] = {}
    for r in found:
        over = r["rule"].get("overrides")
        if over and r["level"] != "property":
            for name in over.get("rules") or []:
                overridden[name] = {"by": f"{r['rule']['a']} + {r['rule']['b']}",
                                    "note": over.get("note"),
                                    "sources": cites.cite(over.get("sources"))}
    for r in found:
        r["overridden"] = next((overridden[n] for n in _rule_names(r["rule"])
                                if n in overridden), None)
    found.sort(key=lambda r: (r["overridden"] is not None, _rank(r["rule"]["rating"]),
                              _LEVEL_RANK[r["level"]], r["depth"]))
    found = _drop_milder_tiers(found)
    base = {"a": {"id": sa.id, "name": sa.name}, "b": {"id": sb.id, "name": sb.name}}
    if not found:
        return base | {"rating": "unknown", "rule": None, "summary": UNKNOWN_TEXT,
                       "mechanism": None, "watch_for": [], "evidence": None, "note": None,
                       "sources": [], "reasons": []}
    reasons = [_reason(r, cites) for r in found]
    top = reasons[0]
    return base | {k: top[k] for k in ("rating", "rule", "summary", "mechanism", "watch_for",
                                       "evidence", "note", "sources")} | {"reasons": reasons}


def _drop_milder_tiers(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out a property rule when a stronger tier of the same pair of properties applies
    (two serotonergic drugs: "unsafe" when both are strong makes "caution" say nothing new)."""
    kept, seen = [], set()
    for r in found:  # already sorted most severe first
        rule = r["rule"]
        if r["level"] == "property" and not r["overridden"]:
            key = frozenset((rule["a"], rule["b"]))
            if key in seen:
                continue
            seen.add(key)
        kept.append(r)
    return kept


def _reason(r: dict[str, Any], cites: Citations) -> dict[str, Any]:
    rule = r["rule"]
    ref = {"a": rule["a"].removeprefix(PROPERTY_PREFIX), "b": rule["b"].removeprefix(
        PROPERTY_PREFIX), "level": r["level"], "file": rule.get("_file")}
    if rule.get("_kind") == "property":
        ref["id"] = rule["id"]
    out = {"rating": rule["rating"], "rule": ref, "why": r["why"],
           "summary": rule.get("summary"), "mechanism": rule.get("mechanism"),
           "watch_for": rule.get("watch_for") or [], "evidence": rule.get("evidence"),
           "note": rule.get("note"),
           "sources": cites.cite([*(rule.get("sources") or []), *r["extra"]])}
    if r["overridden"]:
        out["overridden"] = r["overridden"]
    return out


def _whole(subjects: list[Subject], book: RuleBook, cites: Citations) -> list[dict[str, Any]]:
    """What three or more substances do together, where a combination rule speaks of it."""
    out = []
    for rule in book.combinations:
        least = rule.get("strength")
        members = [s for s in subjects
                   if any(s.has(p, least) for p in rule.get("properties") or [])]
        if len(members) < max(3, rule.get("min_count") or 3):
            continue
        out.append({"rating": rule["rating"], "rule": rule["id"],
                    "members": [{"id": s.id, "name": s.name} for s in members],
                    "summary": rule.get("summary"), "mechanism": rule.get("mechanism"),
                    "watch_for": rule.get("watch_for") or [], "evidence": rule.get("evidence"),
                    "note": rule.get("note"), "sources": cites.cite(rule.get("sources"))})
    return sorted(out, key=lambda w: _rank(w["rating"]))


def class_as_subject(classes: Classes, class_id: str) -> dict[str, Any]:
    """A class standing in for "any member of it" ("mixing benzos and opioids")."""
    return {"id": class_id, "name": classes.plural(class_id).capitalize(), "kind": "class",
            "classes": [{"class": class_id, "relation": "member"}]}


def mix(store: Store, names: list[str]) -> dict[str, Any]:
    """Every pair among two or more substances, worst first, and the whole where it matters."""
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
    subjects = [Subject(store, d, classes) for _, d in subs]
    book = RuleBook(store, subjects)
    pairs = [rate_pair(store, subs[i][1], subs[j][1], classes, cites, book,
                       (subjects[i], subjects[j]))
             for i in range(len(subs)) for j in range(i + 1, len(subs))]
    pairs.sort(key=lambda p: _rank(p["rating"]))
    whole = _whole(subjects, book, cites)
    worst = min([pairs[0]["rating"], *(w["rating"] for w in whole)], key=_rank)
    return {"type": "mix", "version": JSON_VERSION,
            "substances": [entry_ref(m, d) for m, d in subs], "worst": worst, "pairs": pairs,
            "combination": whole,
            "sources": cites.listing(),
            "help": "If someone is unresponsive or breathing slowly: subq help-now",
            "disclaimer": DISCLAIMER}
