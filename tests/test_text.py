"""The text helpers every answer runs through: folding names, removing control characters,
wrapping plain text.

`clean` and `fold` avoid regular expressions for start-up speed; these tests hold them to the
regular-expression definitions they replaced, over every code point and generated strings.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from substance_cli.common.text import clean, fold, has_control
from substance_cli.render.plain import wrap_words

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
SEPARATORS = re.compile(r"[\s\-_./'’,]+")
NON_WORD = re.compile(r"[^\w ]+")


GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "μ": "mu"}


def reference_fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", CONTROL.sub("", name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = "".join(f" {GREEK[ch]} " if ch in GREEK else ch for ch in text)
    text = NON_WORD.sub("", SEPARATORS.sub(" ", text))
    return " ".join(text.split())


def test_every_code_point_cleans_and_folds_like_the_definition():
    for cp in range(0x110000):
        text = f"a{chr(cp)}b"
        assert clean(text) == CONTROL.sub("", text), hex(cp)
        assert has_control(text) == bool(CONTROL.search(text)), hex(cp)
        assert fold(text) == reference_fold(text), hex(cp)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=40)
       | st.text(alphabet="aé -_./'’,\t\n\u202e\x1b()®", max_size=40))
def test_generated_strings_fold_like_the_definition(text):
    assert fold(text) == reference_fold(text)
    assert clean(text) == CONTROL.sub("", text)


def test_fold_examples():
    assert fold("Special-K") == fold("special k") == fold("SPECIAL  K") == "special k"
    assert fold("Xanax®") == "xanax"
    assert fold("(R)-ketamine") == "r ketamine"
    assert fold("Kétamine") == "ketamine"
    assert fold("α-PVP") == fold("alpha-PVP") == "alpha pvp"
    assert fold("Δ9-THC") == "delta 9 thc"
    assert fold("\x1b[31mred\u202e") == "31mred"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab cdefghij\u00e9", max_size=300), st.integers(10, 120),
       st.sampled_from(["", "  ", "  - "]), st.sampled_from(["", "    ", "       "]))
def test_wrap_keeps_every_word_in_order_within_the_width(text, width, first, rest):
    lines = wrap_words(text, width, first, rest)
    assert all(len(line) <= width for line in lines)
    assert all(line.startswith(rest) for line in lines[1:])
    if lines:
        assert lines[0].startswith(first)
    body = [lines[0][len(first):], *(line[len(rest):] for line in lines[1:])] if lines else []
    # Words cut because they are longer than a line come back when joined without spaces.
    assert "".join("".join(body).split()) == "".join(text.split())
    # No line could have taken the next line's first word.
    for line, nxt in zip(lines, lines[1:], strict=False):
        word = nxt[len(rest):].split(" ")[0]
        if len(rest) + len(word) < width:  # a whole word, not a piece of one cut to fit
            assert len(line) + 1 + len(word) > width


def test_wrap_cuts_words_longer_than_a_line():
    assert wrap_words("x" * 25, 10, "", "") == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap_words("ab " + "x" * 12, 10) == ["ab", "x" * 10, "xx"]  # a URL starts a line
    assert wrap_words("x" * 12, 10, "- ", "  ") == ["- xxxxxxxx", "  xxxx"]
    assert wrap_words("ab cd", 10, "- ", "  ") == ["- ab cd"]
    assert wrap_words("", 10, "  ", "  ") == []


def test_cues_match_whole_words_prefixes_and_phrases():
    from substance_cli.ask.cues import Cues, followed

    cues = Cues("overdos*|od|not breathing|same as|or")
    assert cues.search(["she", "overdosed", "last", "night"]) == "overdosed"
    assert cues.search(["odd", "one"]) is None  # whole words only
    assert cues.search(["he", "is", "not", "breathing"]) == "not breathing"
    assert cues.search(["not", "breath"]) is None
    # Leftmost match first; at one word, the cue listed first.
    assert cues.search(["is", "it", "the", "same", "as", "or", "not"]) == "same as"
    assert Cues("a b|a").search(["x", "a", "b"]) == "a b"
    assert Cues("a|a b").search(["x", "a", "b"]) == "a"
    assert cues.starts(["od", "on", "heroin"]) == "od"
    assert cues.starts(["i", "think", "od"]) is None
    assert cues.starts([]) is None
    does, work = Cues("does|can"), Cues("work|reverse")
    words = ["does", "narcan", "work", "on", "fentanyl", "or", "reverse", "it"]
    assert followed(does, work, words) == "does narcan work on fentanyl or reverse"
    assert followed(does, work, ["work", "does", "narcan"]) is None
