"""Pieces every answer shares: numbered citations, the class tree, review status, names.
"""

from __future__ import annotations

from typing import Any

from substance_cli.answers.resolve import Match
from substance_cli.kb.index import Store

RELATION_VERDICT = {"member": "yes", "atypical": "atypical", "antagonist": "antagonist",
                     "unrelated": "no"}


RELATION_RANK = {"member": 0, "antagonist": 1, "atypical": 2, "unrelated": 3}


DISCLAIMER = ("Information, not medical advice. Not a substitute for a clinician. "
              "In an emergency: subq help-now")


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
        return f"{data.get('article') or article(name)} {name}"

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


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    for end in (". ", "; "):
        if end in text:
            return text.split(end, 1)[0] + "."
    return text


def sentences(text: str, count: int) -> str:
    """The first `count` sentences of `text`."""
    out, rest = [], " ".join((text or "").split())
    while rest and len(out) < count:
        head, sep, rest = rest.partition(". ")
        out.append(head + ("." if sep or not head.endswith(".") else ""))
    return " ".join(out).replace("..", ".")


def entry_ref(match: Match | None, data: dict[str, Any]) -> dict[str, Any]:
    out = {"id": data["id"], "name": data.get("name") or data.get("title") or data["id"]}
    if "kind" in data:
        out["kind"] = data["kind"]
    if match and match.type not in ("id", "name"):
        out["matched"] = {"as": match.type, "name": match.label}
    return out


def cited(block: dict[str, Any] | None, cites: Citations) -> dict[str, Any] | None:
    """A copy of a sourced block with its `sources` keys replaced by citation numbers."""
    if not block:
        return None
    out = {k: v for k, v in block.items() if k != "sources"}
    out["sources"] = cites.cite(block.get("sources"))
    return out


def help_pointer(sub: dict[str, Any]) -> str | None:
    risks = sub.get("risks") or {}
    if risks.get("overdose") in ("moderate", "high") or (sub.get("naloxone") or {}).get(
            "reverses") in ("yes", "partly"):
        return "Overdose risk: see `subq help-now` for what to do in an emergency."
    return None


def tier(data: dict[str, Any]) -> str:
    """"card" for a hand-written entry, "reference" for a row of an authoritative list
    (such as the US schedules) that holds legal facts only."""
    return data.get("tier") or "card"


#: Questions listed under "People also ask": enough to go on with, not a second answer.
ALSO_ASKED = 5


def also_asked(data: dict[str, Any], classes: Classes,
               shown: list[dict[str, Any]] = ()) -> list[dict[str, str]]:
    """What readers of this entry go on to ask ("is pregabalin an opioid?", "how long do
    opioids stay in your system?"), each with the command that answers it: the entry's own
    list, then those of the classes it relates to (in any way: ketamine's readers ask about
    opioids), never a question about the entry itself nor one whose command the answer
    already `shown` under "Read next"."""
    lists = [data.get("also_asked") or []]
    for rel in data.get("classes") or []:
        for cls in classes.ancestors(rel["class"]):
            lists.append(classes.by_id.get(cls, {}).get("also_asked") or [])
    out: list[dict[str, str]] = []
    for item in (q for group in lists for q in group):
        command = f"subq {item['command']} {item['ref']}"
        if item["ref"] == data.get("id") or command in {o["command"] for o in (*out, *shown)}:
            continue
        out.append({"question": item["question"], "command": command})
        if len(out) == ALSO_ASKED:
            break
    return out
