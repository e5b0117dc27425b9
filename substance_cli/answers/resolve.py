"""Turn what a person typed into knowledge entries.

Case, accents, hyphens and spaces are folded; generic, brand and street names and common
misspellings are all names of the entry. A name shared by several entries resolves to all of
them, so the answer can list the candidates instead of guessing. When nothing matches, fuzzy
matching offers "did you mean" suggestions.
"""

from __future__ import annotations

from typing import NamedTuple

from substance_cli.common.errors import AmbiguousNameError, NameNotFoundError
from substance_cli.common.text import fold, one_line
from substance_cli.kb.index import Store

ALL_KINDS = ("substance", "class", "topic")


class Match(NamedTuple):
    """An entry a name resolved to, and how (`type`: id, name, brand, street, ...)."""

    kind: str
    id: str
    type: str
    label: str


class Resolution:
    """Every entry a typed name matches, best first."""

    def __init__(self, query: str):
        self.query = query
        self.matches: list[Match] = []

    @property
    def ambiguous(self) -> bool:
        return len({(m.kind, m.id) for m in self.matches}) > 1


_TYPE_RANK = {"id": 0, "name": 1, "generic": 2, "brand": 3, "plural": 4, "alias": 5,
              "street": 6, "misspelling": 7, "ambiguous": 8}


def find(store: Store, text: str, kinds: tuple[str, ...] = ALL_KINDS) -> Resolution:
    """All entries of `kinds` named `text`; tries a singular form for plurals ("benzos")."""
    norm = fold(text)
    res = Resolution(text)
    if not norm:
        return res
    candidates = [norm]
    if norm.endswith("es") and len(norm) > 4:
        candidates.append(norm[:-2])
    if norm.endswith("s") and len(norm) > 3:
        candidates.append(norm[:-1])
    for cand in candidates:
        rows = [r for r in store.lookup(cand) if r[0] in kinds]
        if rows:
            rows.sort(key=lambda r: (kinds.index(r[0]), _TYPE_RANK.get(r[2], 9)))
            seen: set[tuple[str, str]] = set()
            for kind, ident, typ, label in rows:
                if (kind, ident) not in seen:
                    seen.add((kind, ident))
                    res.matches.append(Match(kind, ident, typ, label))
            break
    return res


def resolve_one(store: Store, text: str, kinds: tuple[str, ...] = ALL_KINDS,
                what: str = "substance") -> Match:
    """The single best entry for `text`; `NameNotFoundError` with suggestions when nothing
    matches, `AmbiguousNameError` with the candidates when several do.

    An ambiguous street name takes its first candidate only when one of them owns the name
    outright (id, name, generic or brand); otherwise the error lists the candidates.
    """
    res = find(store, text, kinds)
    if not res.matches:
        raise not_found(store, text, kinds, what)
    if res.ambiguous and res.matches[0].type in ("ambiguous", "street", "misspelling"):
        names = ", ".join(m.id for m in res.matches)
        raise AmbiguousNameError(f"{one_line(text, 60)!r} can mean several things: {names}; "
                                 "name one of them", [m.id for m in res.matches], text)
    return res.matches[0]


def suggest(store: Store, text: str, kinds: tuple[str, ...] = ALL_KINDS,
            limit: int = 5) -> list[str]:
    """Names close to `text`, for "did you mean"."""
    norm = fold(text)
    if not norm:
        return []
    from rapidfuzz import fuzz, process

    rows = store.names(kinds)
    choices = [r[0] for r in rows]
    found = process.extract(norm, choices, scorer=fuzz.WRatio, limit=limit * 4,
                            score_cutoff=72)
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for _choice, _score, index in found:
        _norm, kind, ident = rows[index]
        if (kind, ident) in seen:
            continue
        seen.add((kind, ident))
        out.append(ident)
        if len(out) == limit:
            break
    return out


def not_found(store: Store, text: str, kinds: tuple[str, ...], what: str) -> NameNotFoundError:
    hints = suggest(store, text, kinds)
    shown = one_line(text, 60)
    msg = f"no {what} named {shown!r} in the knowledge"
    if hints:
        msg += f"; did you mean {', '.join(hints[:3])}?"
    else:
        msg += "; try `subq search` or `subq list`"
    return NameNotFoundError(msg, hints, text)
