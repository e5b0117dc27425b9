"""Text helpers shared by resolution, storage and every renderer.

Knowledge text and typed input are data: nothing in them may steer the terminal. `clean`
removes control characters (ANSI/OSC escape introducers included) so that every output
format, not only Rich, prints them inert.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# C0 and C1 controls except tab and newline, plus DEL, the bidi overrides/isolates that can
# make text display differently from what it says, and lone surrogates (undecodable bytes in
# a command-line argument), which cannot be written to a UTF-8 stream.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FOLD_SEP = re.compile(r"[\s\-_./'’,]+")
_NON_WORD = re.compile(r"[^\w ]+")


def clean(text: str) -> str:
    """Return `text` with control and bidi-override characters removed."""
    return _CONTROL.sub("", text)


def has_control(text: str) -> bool:
    """True when `text` holds a character `clean` would remove."""
    return bool(_CONTROL.search(text))


def fold(name: str) -> str:
    """Fold a name for matching: case, accents, hyphens, dots and spaces do not matter.

    "Special-K", "special k" and "SPECIAL  K" all fold to "special k".
    """
    text = unicodedata.normalize("NFKD", clean(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _FOLD_SEP.sub(" ", text)
    text = _NON_WORD.sub("", text)
    return " ".join(text.split())


def one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace and shorten `text` for a one-line message."""
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_tree(value: Any) -> Any:
    """`clean` applied to every string in a JSON-like value (for echoed user input)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value
