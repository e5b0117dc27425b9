"""Text helpers shared by resolution, storage and every renderer.

Knowledge text and typed input are data: nothing in them may steer the terminal. `clean`
removes control characters (ANSI/OSC escape introducers included) so that every output
format, not only Rich, prints them inert.
"""

from __future__ import annotations

import unicodedata
from typing import Any

# C0 and C1 controls except tab and newline, plus DEL, the bidi overrides/isolates that can
# make text display differently from what it says, and lone surrogates (undecodable bytes in
# a command-line argument), which cannot be written to a UTF-8 stream. A translation table,
# not a regular expression: compiling the equivalent patterns cost ~1 ms on every run.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
                          *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                          *range(0xD800, 0xE000)])
#: Greek letters in chemical names, spelled out as people type them.
_GREEK = {ord(k): f" {v} " for k, v in {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta",
                                          "κ": "kappa", "μ": "mu"}.items()}
#: Characters that separate words in a name, besides whitespace.
_SEPARATORS = frozenset("-_./'’,")


def clean(text: str) -> str:
    """Return `text` with control and bidi-override characters removed."""
    if text.isprintable():  # every character `clean` removes is unprintable
        return text
    return text.translate(_CONTROL)


def has_control(text: str) -> bool:
    """True when `text` holds a character `clean` would remove."""
    return not text.isprintable() and clean(text) != text


def fold(name: str) -> str:
    """Fold a name for matching: case, accents, hyphens, dots and spaces do not matter.

    "Special-K", "special k" and "SPECIAL  K" all fold to "special k". Separators become
    spaces, other punctuation disappears ("(R)-ketamine" -> "r ketamine"), Greek letters are
    spelled out ("α-PVP" -> "alpha pvp"), letters and digits of any script stay.
    """
    text = unicodedata.normalize("NFKD", clean(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    if not text.isascii():  # chemical names write Greek letters: "α-PVP" is "alpha-PVP"
        text = text.translate(_GREEK)
    text = "".join(ch if ch.isalnum() else " " if ch.isspace() or ch in _SEPARATORS else ""
                   for ch in text)
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
