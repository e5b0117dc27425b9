"""`subq new`: commented templates that validate once their TODOs are filled in.

The template is meant for people who are not programmers: every field says what goes there,
and every TODO is something `subq validate` rejects until it is replaced, so a half-finished
file can never pass for a finished one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.common.text import fold

SUBSTANCE = """\
# A subq substance file. Field reference: docs/knowledge-format.md; check with `subq validate`.
# Replace every TODO. Facts cite bibliography keys: add each source once to a file in the
# sources/ folder beside this one (key, title, publisher, year, url or doi or pmid, accessed).
# Leave out any field you cannot source: an absent field is better than a guess.
id: {id}
name: {name}
kind: substance                 # substance, or product (then list `ingredients`)
summary:
  text: TODO one or two plain sentences saying what it is.
  sources: [TODO-source-key]
names:
  generic: []                   # other generic names
  brands: []                    # brand names
  street: []                    # street names that mean only this substance
  misspellings: []              # common misspellings people type
classes:                        # how it relates to classes (`subq classes` lists them)
  - class: TODO-class-id
    relation: member            # member | atypical | antagonist | unrelated
    note: TODO why, in one sentence.
    sources: [TODO-source-key]
# mechanism:
#   summary: How it works, in one sentence.
#   targets:
#     - {{target: NMDA receptor, action: antagonist, primary: true}}
#   sources: [key]
# legal:
#   us_schedule: III            # I | II | III | IV | V | unscheduled
#   us_narcotic: false
#   uk_class: B                 # A | B | C | unclassified | ...
#   sources: [key]
naloxone:                       # required for opioids and depressants (SUBQ023)
  reverses: TODO-naloxone       # "yes" | partly | "no" | not-applicable
  note: TODO why, in one sentence.
  sources: [TODO-source-key]
related: []                     # - {{ref: a-topic-id, why: one line}}
review:
  last_checked: {today}         # the day you compared these facts with their sources
  # reviewed: {{by: "Name, credentials", on: YYYY-MM-DD}}   only after a real clinical review
"""


def slug(name: str) -> str:
    """An id from a display name: "Special K!" -> "special-k"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def new_substance(name: str, folder: Path, today: dt.date | None = None) -> Path:
    """Write substances/<id>.yaml under `folder`; never overwrite an existing file."""
    ident = slug(name)
    if not ident:
        raise SubqError(f"{name!r} has no letters or digits to make an id from", ExitCode.USAGE)
    target = folder / "substances" / f"{ident}.yaml"
    if target.exists():
        raise SubqError(f"{target} already exists; edit it, or choose another name",
                        ExitCode.USAGE)
    display = " ".join(name.split()).replace('"', "'")
    text = SUBSTANCE.format(id=ident, name=f'"{display}"',
                            today=(today or dt.date.today()).isoformat())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise SubqError(f"cannot write {target}: {exc.strerror}", ExitCode.USAGE) from None
    return target
