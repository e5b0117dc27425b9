"""Cue words and phrases in folded questions, found without regular expressions.

`ask` reads intent from cues: "withdrawal", "in your system", any word starting "overdos".
Folded text (`text.fold`) is lower-case letters and digits in words separated by single
spaces, so a cue is a short tuple of words and matching is comparing words. Compiling the
equivalent regular expressions on every run of `ask` cost more than reading the question
(docs/performance.md); these tables are built in microseconds.
"""

from __future__ import annotations

from collections.abc import Sequence


class Cues:
    """Alternatives such as "overdos*|not breathing|od|oding", matched at word boundaries.

    Words are separated by spaces and alternatives by "|"; a "*" at the end of the last word
    makes it a prefix ("detect*" matches "detected", "detection"). Like a regular expression
    search, `find` returns the leftmost match, and among cues matching at the same word the
    one listed first.
    """

    __slots__ = ("_by_first", "_by_prefix")

    def __init__(self, spec: str):
        self._by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self._by_prefix: list[tuple[int, tuple[str, ...]]] = []
        for order, alternative in enumerate(spec.split("|")):
            words = tuple(alternative.split())
            if len(words) == 1 and words[0].endswith("*"):
                self._by_prefix.append((order, words))
            else:
                self._by_first.setdefault(words[0], []).append((order, words))

    def _length_at(self, words: Sequence[str], i: int) -> int:
        """How many words the first-listed cue matching at word `i` spans (0: none)."""
        best_order, best_len = -1, 0
        candidates = self._by_first.get(words[i], [])
        for order, cue in (*candidates, *self._by_prefix):
            if best_len and order > best_order:
                continue
            if _matches(cue, words, i):
                best_order, best_len = order, len(cue)
        return best_len

    def find(self, words: Sequence[str], start: int = 0) -> tuple[int, int] | None:
        """(first word, end word) of the leftmost match at or after word `start`."""
        for i in range(start, len(words)):
            n = self._length_at(words, i)
            if n:
                return i, i + n
        return None

    def search(self, words: Sequence[str]) -> str | None:
        """The matched words, or None."""
        span = self.find(words)
        return " ".join(words[span[0]:span[1]]) if span else None

    def starts(self, words: Sequence[str]) -> str | None:
        """The matched words if a cue begins the text, else None."""
        n = self._length_at(words, 0) if words else 0
        return " ".join(words[:n]) if n else None


def _matches(cue: tuple[str, ...], words: Sequence[str], i: int) -> bool:
    if i + len(cue) > len(words):
        return False
    for cue_word, word in zip(cue, words[i:i + len(cue)], strict=True):
        if cue_word.endswith("*"):
            if not word.startswith(cue_word[:-1]):
                return False
        elif cue_word != word:
            return False
    return True


def followed(first: Cues, then: Cues, words: Sequence[str]) -> str | None:
    """A cue of `first`, then later a cue of `then`: the words from the first to the last
    such match (as `first.*then` would find), or None."""
    span = first.find(words)
    if span is None:
        return None
    end, i = 0, span[1]
    while (later := then.find(words, i)) is not None:
        end, i = later[1], later[1]
    return " ".join(words[span[0]:end]) if end else None
