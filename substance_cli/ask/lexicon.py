"""Which words of a question can be names: stop words, ordinary English, unknown words.

A question is mostly ordinary words around one or two names. Ordinary words must never turn
into names (nicotine has a brand called "Commit"; "concert" is one letter from "Concerta"),
while a word the knowledge has never seen and English does not know ("fentnayl",
"ozempic") is either a misspelt name or a name the knowledge lacks. Three checks, cheapest
first: the stop list below, the knowledge's own full-text index (a word used anywhere in the
knowledge is a real word), and an English word list (SCOWL, see english-words-NOTICE.txt)
read only when the first two cannot tell.
"""

from __future__ import annotations

from pathlib import Path

# Words that are never names on their own, even where a name list has them.
STOP = frozenset("""a an and any are as at be been being but by can could did do does doing for
from get go got had has have how i if in into is it its just like made make me more most my
no not now of off on or out really safe so some than that the their them then there these
they this those to too up us use used using was we what when where which who why will with
would you your yours take taking took mix mixing long stay system test work show much many
good bad high low same new one two dose doses ok okay commit rush spa php mp dom det android
cheque""".split())  # noqa: SIM905

#: Everyday and texting words that are not in an English dictionary (or are too short to be
#: checked there) and never name a drug.
CHAT = frozenset("""gonna wanna tryna gotta kinda sorta dont cant wont isnt doesnt didnt wasnt
arent aint shouldnt wouldnt couldnt im ive ill id youre theyre whats hows thats theres
pls plz thx thanks lol lmao idk rn bf gf tho cuz coz bc bruh bro dude hey hello yeah yep
nope alot abit anyways someones everytime sometime okey ppl smth sth abt myself yourself
himself herself themselves someone somebody anyone anybody everyone nobody something anything
everything nothing anymore tonight today yesterday tomorrow friend friends family mother
father brother sister husband wife partner boyfriend girlfriend really still about after
before because would could should might being having doing going getting feel feeling felt
want wanted need needed think thought know knew said says tell told week weeks month months
year years days hours night morning every much many more most less least than then there
their where which while with without within into onto over under again ever never always
""".split())  # noqa: SIM905

_WORDS: bytes | None = None
_WORDS_FILE = Path(__file__).with_name("english-words.txt.gz")


def is_english(word: str) -> bool:
    """True for an ordinary English word (4-16 letters; shorter words count as English).

    The list (64,000 words, 170 kB compressed) is decompressed on first use only: about 3 ms,
    paid by the few questions holding a word the knowledge does not use.
    """
    global _WORDS
    if len(word) < 4 or len(word) > 16:
        return True
    if _WORDS is None:
        import gzip

        try:
            _WORDS = gzip.decompress(_WORDS_FILE.read_bytes())
        except OSError:
            _WORDS = b""  # no list: every word counts as unknown, as without this check
    return b"\n" + word.encode("utf-8", "replace") + b"\n" in _WORDS


def maybe_name(word: str) -> bool:
    """Cheap first test: could this word be a name (or a misspelt one) at all?"""
    return (len(word) >= 4 and word.isalpha() and word not in STOP and word not in CHAT)
