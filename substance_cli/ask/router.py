"""Plain-English questions: find the names in the text, decide the intent, reuse an answer.

Routing is rules over the knowledge's own vocabulary: no model, no network, and every decision
can be shown (`--explain`). Entities are found by matching word n-grams, longest first, against
the same name index every other command resolves through, so brands, street names, plurals
and listed misspellings work here too. The answer is exactly what the matching command
returns.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers import cards, focus
from substance_cli.answers.compare import compare
from substance_cli.answers.resolve import find, suggest
from substance_cli.answers.verdict import is_class
from substance_cli.ask.cues import Cues, followed
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.common.text import fold, one_line
from substance_cli.kb.index import Store

# Words that are never names on their own, even where a street-name list has them.
_STOP = set("""a an and any are as at be been being but by can could did do does doing for
from get go got had has have how i if in into is it its just like made make me more most my
no not now of off on or out really safe so some than that the their them then there these
they this those to too up us use used using was we what when where which who why will with
would you your yours take taking took mix mixing long stay system test work show much many
good bad high low same new one two dose doses ok okay""".split())  # noqa: SIM905

_EMERGENCY = Cues(
    "overdos*|od|oding|odd|oded|not breathing|stopped breathing|can t breathe|cant breathe|"
    "cant wake|won t wake|wont wake|unresponsive|blue lips|passed out|suicid*|kill myself|"
    "end my life|want to die|self harm")
_HELP = Cues(
    "help line|help lines|helpline|helplines|hotline|hotlines|crisis|talk to someone|"
    "someone to talk to|get help|need help|find treatment|treatment near|rehab near|"
    "where can i get|where can i find|who can i call|who can i talk|support line|helpline|"
    "don t know what to do|dont know what to do|using again|relapse|relapsed|relapsing|"
    "struggling|addicted|addiction help")
_NALOXONE_ASK = Cues("does|do|can|will|would|is|could|should")
_NALOXONE_DOES = Cues("work|works|reverse|reverses|help|helps|stop|effective|counteract")
_NALOXONE_WORDS = Cues("narcan|naloxone|kloxxado|zimhi")
_NALOXONE_VERB = Cues("work|works|reverse|reverses|help|helps|use|effective|stop|stops|"
                      "counteract|on")
_MIX = Cues("mix|mixing|mixed|combine|combining|combination|together|with|and|plus|"
            "interact*|while on|after taking")
_COMPARE = Cues("vs|versus|difference|differences|different|compare|compared|comparison|"
                "stronger|weaker|better|worse|or|than|same as|like")
_COMPARE_WORDS = frozenset(("vs", "versus", "difference", "differences", "compare", "compared",
                            "comparison", "stronger", "weaker", "better", "worse", "different",
                            "than", "same as"))
_DETECTION = Cues(
    "stay in|stays in|in your system|in my system|urine|blood|hair|saliva|drug test|"
    "drug tests|drug screen|drug screens|show up|shows up|detect*|test positive|pee|piss|"
    "mouth swab|out of your system|out of my system|half life|halflife|clear|"
    "leave your body|leave my body")
_WITHDRAWAL = Cues("withdrawal|withdrawals|withdrawl|withdrawls|withdrawing|detox*|"
                   "coming off|come off|quit*|stop taking|cold turkey|dope sick|dopesick|"
                   "kicking")
_LEGAL = Cues("legal|illegal|schedule|scheduled|class a|class b|class c|controlled in|law|"
              "laws|prescription only|allowed|banned|uk|britain|canada|australia|ireland|"
              "new zealand")
_LEGAL_STRONG = Cues("uk|britain|canada|australia|ireland|new zealand|legal|illegal|law|laws")
_ABOUT = Cues("what is|what s|whats|what are|used for|use for|how does|how do|side effect|"
              "side effects|effects of|tell me about|explain|info|information|dangerous|"
              "risk|risks|does it do|feel like")
_CLASS_START = Cues("is|are|isn t|isnt|does|do|would|can|could")
_CLASS_WORDS = Cues("considered|classed|classified|counted|count as|contain|contains|"
                    "a type of|kind of|type of")
_IS_START = Cues("is|are|isn t|isnt|does|do")
_MIX_STRONG = Cues("mix|mixing|mixed|combine|combining|together|interact*|take with|"
                   "taking with|while on|safe with")
_MIX_VERB = Cues("take|taking|use|using|drink|drinking")
_MIX_JOIN = Cues("with|and|on")
_WHAT_IS = Cues("what is|what s|whats|what are|tell me about|who makes")
_DIFFERENCE = Cues("difference|differences|different|vs|versus|compare|compared")
_ADDICTIVE = Cues("addictive*|addicting|habit forming")
_SPECIMENS = ("urine", "blood", "hair", "saliva")


class Entity:
    """A name found in a question: what it is, its id, and the words that named it."""

    __slots__ = ("kind", "id", "text")

    def __init__(self, kind: str, ident: str, text: str):
        self.kind = kind  # substance | class | topic | specimen
        self.id = ident
        self.text = text

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "text": self.text}


class Reading:
    """How a question was read: the intent, the entities, and the words that decided."""

    def __init__(self, question: str):
        self.question = question
        self.intent = "search"
        self.entities: list[Entity] = []
        self.why: list[tuple[str, str]] = []
        self.emergency = False
        self.unknown_words: list[str] = []

    def of(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]


def extract(store: Store, words: list[str]) -> tuple[list[Entity], list[str]]:
    """Names in the folded words, longest n-gram first; returns entities and leftovers."""
    taken = [False] * len(words)
    found: list[tuple[int, Entity]] = []
    for n in (5, 4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            if any(taken[i:i + n]):
                continue
            phrase = " ".join(words[i:i + n])
            if n == 1 and (phrase in _STOP or len(phrase) < 2):
                continue
            # Topics are matched on whole questions (best_topic), not on words: a title such
            # as "Opioid withdrawal" must not swallow the class in "opioid withdrawal timeline".
            res = find(store, phrase, ("substance", "class"))
            matches = res.matches
            if not matches:
                continue
            best = matches[0]
            if n == 1 and best.type in ("street", "ambiguous") and phrase in _STOP:
                continue
            for j in range(i, i + n):
                taken[j] = True
            found.append((i, Entity(best.kind, best.id, phrase)))
    found.sort(key=lambda x: x[0])
    entities: list[Entity] = []
    for _, ent in found:
        if not any(e.kind == ent.kind and e.id == ent.id for e in entities):
            entities.append(ent)
    leftovers = [w for w, t in zip(words, taken, strict=True) if not t and w not in _STOP]
    return entities, leftovers


def read_question(store: Store, question: str) -> Reading:
    """Decide intent and entities for a question, recording why.

    A question that one topic lists (nearly word for word) opens that topic when the rules
    would otherwise show a card, a comparison of classes, or search results; with no rule
    matching, a looser match against topic questions comes before full-text search.
    """
    reading = _by_rules(store, question)
    if reading.intent in ("about", "compare", "search") and not reading.of("substance")[1:]:
        topic = best_topic(store, question, strict=True) or (
            best_topic(store, question) if reading.intent == "search" else None)
        if topic:
            reading.intent = "about"
            reading.entities.append(Entity("topic", topic, question))
            reading.why.append(("intent", f"about: the question is one that topic {topic} "
                                          "lists"))
    return reading


def _by_rules(store: Store, question: str) -> Reading:
    """The rule-based reading: entities, then the first intent rule that matches."""
    reading = Reading(question)
    words = fold(question).split()
    reading.entities, leftovers = extract(store, words)
    for spec in _SPECIMENS:
        if spec in words:
            reading.entities.append(Entity("specimen", spec, spec))
    if reading.entities:
        reading.why.append(("names", ", ".join(f"{e.text!r} -> {e.kind} {e.id}"
                                               for e in reading.entities)))
    subs = reading.of("substance")
    classes = reading.of("class")
    topics = reading.of("topic")
    things = subs + classes

    def decide(intent: str, rule: str, cue: str | None = None) -> Reading:
        reading.intent = intent
        cue = f" (words: {cue!r})" if cue else ""
        reading.why.append(("intent", f"{intent}: {rule}{cue}"))
        return reading

    has_naloxone = any(s.id == "naloxone" for s in subs) or _NALOXONE_WORDS.search(words)
    others = [e for e in things if e.id != "naloxone"]
    m = followed(_NALOXONE_ASK, _NALOXONE_DOES, words)
    if has_naloxone and others and m:
        return decide("naloxone", "asks whether naloxone works on something named", m)
    m = _EMERGENCY.search(words)
    if m:
        reading.emergency = True
        return decide("help", "emergency words put help first", m)
    nal = _NALOXONE_WORDS.search(words)
    if has_naloxone and others and _NALOXONE_VERB.search(words):
        return decide("naloxone", "naloxone named with another substance", nal)
    m = _HELP.search(words)
    if m and not things:
        return decide("help", "asks for help or someone to talk to", m)
    m = _WITHDRAWAL.search(words)
    if m and things:
        return decide("withdrawal", "withdrawal words with a substance or class", m)
    m = _DETECTION.search(words)
    if m and things:
        return decide("detection", "detection words with a substance or class", m)
    m = _LEGAL.search(words)
    if m and subs and (not classes or _LEGAL_STRONG.search(words)):
        return decide("legal", "legal-status words with a substance", m)
    mixing = _MIX_STRONG.search(words) or followed(_MIX_VERB, _MIX_JOIN, words)
    if len(subs) == 1 and classes and _IS_START.starts(words) and not mixing:
        return decide("is_class", "asks whether one substance is of a class")
    m = _WHAT_IS.starts(words)
    if m and things and not mixing and not _DIFFERENCE.search(words):
        return decide("about", "asks what something is", m)
    if len(subs) >= 2 or len(classes) >= 2 or (subs and classes and mixing):
        m = _COMPARE.search(words)
        mix = _MIX.search(words)
        if m in _COMPARE_WORDS:
            return decide("compare", "two substances with comparison words", m)
        if mix:
            return decide("interaction", "two substances with mixing words", mix)
        if m:
            return decide("compare", "two substances joined by 'or'", m)
        return decide("interaction", "two substances named together")
    if subs and classes:
        m = _CLASS_START.starts(words) or _CLASS_WORDS.search(words)
        return decide("is_class", "a substance and a class named", m)
    if subs and _ADDICTIVE.search(words):
        return decide("about", "asks whether it is addictive: the card's risks answer it")
    m = _ABOUT.search(words)
    if subs or (classes and not topics):
        return decide("about", "a single name" + (" with 'what is' words" if m else ""), m)
    if topics:
        return decide("about", "names a topic")
    if m and _HELP.search(words):
        return decide("help", "asks for help")
    reading.unknown_words = [w for w in leftovers if len(w) >= 4]
    return decide("search", "no rule matched: ranked full-text search")


def ask(store: Store, question: str, region: str = "us") -> dict[str, Any]:
    """Answer a plain-English question with the answer of the matching command."""
    question = " ".join(question.split())
    if not fold(question):
        raise SubqError("ask needs a question, e.g. `subq ask is ketamine an opioid`",
                        ExitCode.USAGE)
    r = read_question(store, question)
    subs = [e.id for e in r.of("substance")]
    classes = [e.id for e in r.of("class")]
    topics = [e.id for e in r.of("topic")]
    specimen = next((e.id for e in r.of("specimen")), None)
    if r.intent == "help":
        from substance_cli.answers.helpnow import help_now

        answer = help_now(store, region)
    elif r.intent == "naloxone":
        answer = focus.naloxone(store, next(e for e in subs + classes if e != "naloxone"))
    elif r.intent == "withdrawal":
        answer = focus.withdrawal(store, subs[0] if subs else classes[0])
    elif r.intent == "detection":
        answer = focus.detection(store, subs[0] if subs else classes[0], specimen)
    elif r.intent == "compare":
        answer = compare(store, [e.id for e in r.entities
                                         if e.kind in ("substance", "class")])
    elif r.intent == "interaction":
        from substance_cli.answers.interactions import mix

        answer = mix(store, [e.id for e in r.entities if e.kind in ("substance", "class")])
    elif r.intent == "legal":
        answer = focus.legal(store, subs[0])
    elif r.intent == "is_class":
        answer = is_class(store, subs[0], classes[0])
    elif r.intent == "about":
        answer = cards.show(store, (topics or subs or classes)[0])
    else:
        answer = _search_or_suggest(store, question, r)
    return {"type": "ask", "version": JSON_VERSION, "question": question,
            "intent": r.intent, "entities": [e.as_dict() for e in r.entities],
            "emergency": r.emergency, "explain": r.why, "answer": answer}


def _search_or_suggest(store: Store, question: str, r: Reading) -> dict[str, Any]:
    """Ranked matches from the full-text index, or "did you mean" for a misspelt name."""
    result = cards.search(store, question)
    if result["items"]:
        return result
    for word in r.unknown_words:
        hints = suggest(store, word, ("substance", "class"))
        if hints:
            raise SubqError(f"no substance named {one_line(word, 40)!r} in the knowledge; "
                            f"did you mean {', '.join(hints[:3])}?", ExitCode.NOT_FOUND, hints)
    return result


def best_topic(store: Store, question: str, strict: bool = False) -> str | None:
    """The topic whose listed questions are closest to `question`, if close enough.

    `strict` asks for nearly the same words in nearly the same order: used to prefer a topic
    over the card of an entity the question names ("is ketamine used to treat addiction").
    """
    from rapidfuzz import fuzz, process

    scorer, cutoff = (fuzz.ratio, 88.0) if strict else (fuzz.token_set_ratio, 82.0)
    choices: list[str] = []
    owners: list[str] = []
    for ident, data in store.all_of("topic").items():
        for q in [data.get("title", ""), *(data.get("questions") or [])]:
            choices.append(fold(q))
            owners.append(ident)
    if not choices:
        return None
    hit = process.extractOne(fold(question), choices, scorer=scorer, score_cutoff=cutoff)
    return owners[hit[2]] if hit else None
