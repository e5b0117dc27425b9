"""Plain-English questions: find the names in the text, decide the intent, reuse an answer.

Routing is rules over the knowledge's own vocabulary: no model, no network, and every decision
can be shown (`--explain`). Entities are found by matching word n-grams, longest first, against
the same name index every other command resolves through, so brands, street names, plurals
and listed misspellings work here too; a word that is neither English nor used anywhere in
the knowledge is matched fuzzily against the names ("fentnayl"), and drinking words stand for
alcohol. The answer is exactly what the matching command returns, or one of the shapes only
questions need (crisis, dosing, classification, "which one did you mean"). docs/ask.md
describes every rule.
"""

from __future__ import annotations

from typing import Any

from substance_cli import JSON_VERSION
from substance_cli.answers.resolve import find
from substance_cli.ask.cues import Cues, followed
from substance_cli.ask.lexicon import STOP, is_english, maybe_name
from substance_cli.common.errors import ExitCode, SubqError
from substance_cli.common.text import fold
from substance_cli.kb.index import Store

# -- cue tables (folded words: "don't" is "don t") ---------------------------------------------

#: Crisis words. Most are statements in themselves ("no reason to live"); the few that also
#: name a topic ("suicidal thoughts", "self harm") make a statement only with "I" or "my"
#: or without a named drug (`_CRISIS_TOPIC`).
_CRISIS = Cues(
    "overdose on purpose|od on purpose|overdose intentionally|overdose and die|"
    "overdose to die|isnt worth living|isn t worth living|not worth it anymore|"
    "suicid*|kill myself|killing myself|kill my self|kms|end my life|ending my life|"
    "end my own life|take my own life|taking my own life|take my life|end it all|ending it all|"
    "end it|end things|ending things|want to die|wanna die|wish i was dead|wish i were dead|"
    "better off dead|better off without me|better off if i was gone|"
    "better off if i wasn t here|no reason to live|no reason to go on|nothing to live for|"
    "not worth living|don t want to live|dont want to live|do not want to live|"
    "don t want to be alive|dont want to be alive|do not want to be alive|"
    "don t want to be here|dont want to be here|do not want to be here|"
    "don t want to exist|dont want to exist|hurt myself|hurting myself|harm myself|"
    "harming myself|self harm|selfharm|cut myself|cutting myself|never wake up|"
    "sleep forever|go to sleep and not wake|can t go on|cant go on|can t do this anymore|"
    "cant do this anymore|give up on life|kill himself|kill herself|kill themselves|"
    "killing himself|killing herself|end his life|end her life|end their life|"
    "hurt himself|hurt herself|hurt themselves")
#: A crisis statement about someone else (the answer adds a line for the person helping).
_SOMEONE_ELSE = Cues("himself|herself|themselves|his life|her life|their life|my friend|"
                     "my son|my daughter|my brother|my sister|my mom|my mum|my dad|my husband|"
                     "my wife|my partner|my boyfriend|my girlfriend|my child|my kid|"
                     "my best friend|someone i know|someone i love")
_THIRD_PERSON = Cues("himself|herself|themselves|his life|her life|their life|his own life|"
                     "her own life")
_FIRST_PERSON = Cues("i|me|my|myself|im|i m|ive|i ve|i d|id")
_SELF = Cues("i|me|myself|im|i m|ive|i ve|i d")
_CRISIS_TOPIC = frozenset(("self harm", "selfharm"))
_OVERDOSE = Cues(
    "overdos*|od|oding|oded|took too many|took too much|taken too many|taken too much|"
    "took a bunch|took all|take all|taking all|swallowed|all my pills|all of my pills|"
    "whole bottle|not breathing|stopped breathing|unresponsive|blue lips|won t wake|wont wake|"
    "cant wake|can t wake")
_EMERGENCY = Cues(
    "overdos*|od|oding|odd|oded|not breathing|stopped breathing|can t breathe|cant breathe|"
    "cant wake|can t wake|won t wake|wont wake|unresponsive|blue lips|passed out|"
    "turning blue|turned blue|going blue|lips are blue|lips turning blue|not responding")
_HELP = Cues(
    "help line|help lines|helpline|helplines|hotline|hotlines|crisis|talk to someone|"
    "someone to talk to|get help|need help|find treatment|treatment near|rehab near|"
    "detox near|near me|where can i get|where can i find|who can i call|who can i talk|"
    "who do i call|number i can call|number to call|support line|"
    "don t know what to do|dont know what to do|using again|relapse|relapsed|relapsing|"
    "struggling|addicted|addiction help")
_NALOXONE_ASK = Cues("does|do|can|will|would|is|could|should")
_NALOXONE_DOES = Cues("work|works|reverse|reverses|help|helps|stop|effective|counteract")
_NALOXONE_WORDS = Cues("narcan|naloxone|kloxxado|zimhi")
_NALOXONE_VERB = Cues("work|works|reverse|reverses|help|helps|use|effective|stop|stops|"
                      "counteract|on|against")
_MIX = Cues("mix|mixing|mixed|combine|combining|combination|together|with|and|plus|"
            "interact*|while on|after taking|same time")
_COMPARE = Cues("vs|versus|difference|differences|different|compare|compared|comparison|"
                "stronger|weaker|better|worse|or|than|same as|like")
_COMPARE_WORDS = frozenset(("vs", "versus", "difference", "differences", "compare", "compared",
                            "comparison", "stronger", "weaker", "better", "worse", "different",
                            "than", "same as"))
#: "Are X and Y the same thing": a comparison, not a combination.
_SAME = Cues("same thing|same things|same drug|same drugs|same medication|same medications|"
             "same medicine|same stuff|same as|the same|work the same|similar|alike|"
             "related to each other|interchangeable")
_SAME_TIME = Cues("same time|same day|same night|at once")
_DETECTION = Cues(
    "stay in|stays in|in your system|in my system|in ur system|urine|blood|hair|saliva|"
    "drug test|drug tests|drug screen|drug screens|show up|shows up|show in|detect*|"
    "test positive|pee|piss|mouth swab|out of your system|out of my system|half life|halflife|"
    "clear out|clear your system|clear my system|to clear|clears|leave your body|"
    "leave my body|leave your system|leave my system|get out of|"
    "5 panel|10 panel|12 panel|panel test|fail a")
_WITHDRAWAL = Cues("withdrawal|withdrawals|withdrawl|withdrawls|withdrawing|detox*|"
                   "coming off|come off|quit*|stop taking|cold turkey|dope sick|dopesick|"
                   "kicking|taper*|wean*")
_LEGAL = Cues("legal|illegal|schedule|scheduled|class a|class b|class c|controlled in|law|"
              "laws|prescription only|without a prescription|allowed|banned|uk|britain|canada|"
              "australia|ireland|new zealand")
_LEGAL_STRONG = Cues("uk|britain|canada|australia|ireland|new zealand|legal|illegal|law|laws|"
                     "banned|without a prescription")
_ABOUT = Cues("what is|what s|whats|what are|used for|use for|how does|how do|side effect|"
              "side effects|effects of|tell me about|explain|info|information|dangerous|"
              "risk|risks|does it do|feel like")
_CLASS_START = Cues("is|are|isn t|isnt|does|do|would|can|could")
_CLASS_WORDS = Cues("considered|classed|classified|counted|count as|contain|contains|"
                    "a type of|kind of|type of")
_IS_START = Cues("is|are|isn t|isnt|does|do")
_MIX_STRONG = Cues("mix|mixing|mixed|combine|combining|together|interact*|take with|"
                   "taking with|while on|safe with|same time|at once")
_MIX_VERB = Cues("take|taking|use|using|drink|drinking|smoke|smoking")
_MIX_JOIN = Cues("with|and|on")
_WHAT_IS = Cues("what is|what s|whats|what are|tell me about|who makes")
_DIFFERENCE = Cues("difference|differences|different|vs|versus|compare|compared")
_ADDICTIVE = Cues("addictive*|addicting|habit forming")
#: "What kind of drug is X": the classes, schedule and card of X.
_CLASSIFY = Cues(
    "what type of|what kind of|what class of|what sort of|what category of|what group of|"
    "what family of|which type of|which kind of|which class of|which category of|"
    "what type is|what kind is|what class is|what category is|what drug class|"
    "what drug type|what drug category|which drug class|what classification|"
    "classified as|classed as|categorized as|categorised as|count as|considered as|"
    "belong to|belongs to|what class|drug class of|type of drug is|kind of drug is|"
    "what category|which category|fall under|falls under|fall into|falls into")
#: Dosing: "how much X should I take", "safe dose of X". Strong forms come before the
#: detection and withdrawal cues ("how much kratom should i take for withdrawal").
_HOW_MUCH = Cues("how much|how many")
_DOSE_AFTER_HOW_MUCH = Cues(
    "should i take|should you take|should i use|should i do|should i smoke|should i eat|"
    "should i drink|should i snort|should i have|should i start|to take|can i take|can you take|"
    "do i take|do you take|to get high|to get me high|to get lit|to get fucked up|to feel|"
    "to trip|to roll|to nod|is too much|is safe|is a safe|is a lot|is enough|at once|"
    "at one time|in one go|in a day|per day|a day|before you overdose|to overdose|to od|"
    "before overdose|mg|mgs|milligrams|grams|ml|mcg|ug|pills|tabs|bars|hits|drops|doses|dose|"
    "is lethal|can kill|to die")
#: Dosing words that win over detection or withdrawal words ("how much kratom should i take
#: for withdrawal" is a dosing question).
_DOSE_STRONG = Cues("should i take|should you take|should i smoke|should i eat|should i drink|"
                    "should i snort|to take|can i take|do i take|to get high|"
                    "to feel|to trip|mg|mgs|milligrams|is too much|is safe|at once")
#: An overdose happening now, not asked about.
_HAPPENING = Cues("not breathing|stopped breathing|can t breathe|cant breathe|unresponsive|"
                  "blue lips|passed out|won t wake|wont wake|cant wake|can t wake|took|taken|"
                  "is overdosing|s overdosing|overdosed|i think")
_DOSE_WORDS = Cues(
    "safe dose|safe dosage|safe amount|what dose|what dosage|which dose|right dose|"
    "good dose|normal dose|usual dose|starting dose|first dose|max dose|maximum dose|"
    "highest dose|strongest dose|lethal dose|deadly dose|fatal dose|recreational dose|"
    "dosage|dosing|microdose|microdosing|redose|re dose|how to dose|dose of|dose for")
#: Words that stand for alcohol in a question ("can you drink on gabapentin").
_DRINK_WORDS = frozenset(("drink", "drinks", "drinking", "drunk", "beer", "beers", "wine",
                          "wines", "vodka", "whiskey", "whisky", "tequila", "rum", "hangover",
                          "hungover", "alcoholic", "cocktail", "cocktails"))
#: ... except when what is drunk is named and is not alcohol ("drink water", "drinking lean").
_NOT_ALCOHOL = frozenset(("water", "coffee", "tea", "juice", "milk", "fluids", "liquids",
                          "soda", "pop", "gatorade", "electrolytes", "syrup", "it", "this",
                          "that", "enough", "lots", "plenty", "caffeine", "energy", "smoothie",
                          "shakes", "shake", "broth", "lemonade", "cough"))
#: Substances people drink: "how much lean should i drink" is not about alcohol.
_DRINKABLE = frozenset(("promethazine-codeine", "ghb", "gbl", "kava", "ayahuasca", "kratom",
                        "robitussin-dm", "dextromethorphan", "nyquil-cold-and-flu", "caffeine",
                        "codeine", "alcohol"))
#: After a drinking word, words that say "while on" something else: "drink on methadone".
_WHILE = frozenset(("on", "while", "with", "after", "before", "when", "and", "alcohol"))
_APPOSITION = (("aka",), ("also", "known", "as"), ("also", "called"), ("known", "as"),
               ("a", "k", "a"), ("or", "as", "it", "s", "called"))
_SPECIMENS = ("urine", "blood", "hair", "saliva")
_DRUGS_IN_GENERAL = Cues("drug|drugs|system|test|tests|screen|stuff|substances|anything")

#: The answer to "how long do drugs stay in your system": detection in general.
GENERAL_DETECTION_TOPIC = "drug-detection-windows"

#: Intents whose answer is about a named thing: without one, the question is unclear.
_NEEDS_SUBJECT = ("about", "is_class", "classify", "legal", "naloxone", "compare",
                  "interaction", "dosing", "withdrawal", "detection")

#: Fuzzy matching of an unknown word against names: similarity (rapidfuzz ratio, 0-100)
#: needed by word length. Short words need a closer match: one letter of five is a lot.
FUZZY_CUTOFF_SHORT, FUZZY_CUTOFF_LONG = 86.0, 80.0


class Entity:
    """A name found in a question: what it is, its id, the words that named it, and how."""

    __slots__ = ("kind", "id", "text", "start", "end", "how")

    def __init__(self, kind: str, ident: str, text: str, start: int = -1, end: int = -1,
                 how: str = "name"):
        self.kind = kind  # substance | class | topic | specimen
        self.id = ident
        self.text = text
        self.start, self.end = start, end
        self.how = how  # name | spelling | drinking | topic

    def as_dict(self) -> dict[str, str]:
        out = {"kind": self.kind, "id": self.id, "text": self.text}
        if self.how not in ("name", "topic"):
            out["matched"] = self.how.split(":")[0]
        return out

    @property
    def candidates(self) -> list[str]:
        """Every entry an ambiguous name can mean ("snow": amphetamine, cocaine)."""
        return self.how.split(":", 1)[1].split(",") if self.how.startswith("ambiguous:") \
            else [self.id]


class Reading:
    """How a question was read: the intent, the entities, and the words that decided."""

    def __init__(self, question: str):
        self.question = question
        self.intent = "search"
        self.entities: list[Entity] = []
        self.why: list[tuple[str, str]] = []
        self.emergency = False
        self.crisis = False  # a crisis statement: the crisis line comes first
        self.crisis_words = ""  # crisis words in a question that is not a statement
        self.overdose = False
        self.someone_else = False
        self.unknown_words: list[str] = []
        self.words: list[str] = []

    def of(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]


def split_words(question: str) -> tuple[list[str], list[int]]:
    """Folded words, and for each the bracket group it sits in (0: outside brackets).

    "is buprenorphine (suboxone) an opioid": the words in brackets name the same thing as
    the name before them, so they must not become a second substance.
    """
    words: list[str] = []
    groups: list[int] = []
    group, depth, part = 0, 0, []

    def flush(g: int) -> None:
        folded = fold("".join(part)).split()
        words.extend(folded)
        groups.extend([g] * len(folded))
        part.clear()

    for ch in question:
        if ch in "([{":
            flush(group if depth else 0)
            depth += 1
            if depth == 1:
                group += 1
        elif ch in ")]}" and depth:
            flush(group)
            depth -= 1
        else:
            part.append(ch)
    flush(group if depth else 0)
    return words, groups


_LOOSE_TYPES = ("street", "ambiguous", "misspelling")
#: After a one-word street name, words that show it is the ordinary English word.
_NOT_A_DRUG = frozenset(("of", "up", "down", "bottom", "pain", "pains", "aches", "sick",
                         "out", "off", "phone", "app"))


def extract(store: Store, words: list[str], groups: list[int] | None = None) \
        -> tuple[list[Entity], list[str]]:
    """Names in the folded words, longest n-gram first; returns entities and leftovers.

    An n-gram never spans a bracket boundary. A single word that only a street list gives
    as a name, and that is a chat word, is left alone.
    """
    groups = groups or [0] * len(words)
    taken = [False] * len(words)
    found: list[Entity] = []
    for n in (5, 4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            if any(taken[i:i + n]) or len(set(groups[i:i + n])) > 1:
                continue
            phrase = " ".join(words[i:i + n])
            if n == 1 and (phrase in STOP or len(phrase) < 2):
                continue
            # Topics are matched on whole questions (best_topic), not on words: a title such
            # as "Opioid withdrawal" must not swallow the class in "opioid withdrawal timeline".
            res = find(store, phrase, ("substance", "class"))
            if not res.matches:
                continue
            best = res.matches[0]
            after = words[i + n:i + n + 2]
            if n == 1 and best.type in _LOOSE_TYPES and after[:1] and after[0] in _NOT_A_DRUG:
                continue  # "a glass of wine", "rock bottom", "joint pain", "speed up"
            if best.kind == "class" and after in (["use", "disorder"], ["use", "disorders"]):
                continue  # "opioid use disorder" is the condition, not the drug class
            for j in range(i, i + n):
                taken[j] = True
            ent = Entity(best.kind, best.id, phrase, i, i + n)
            others = [m.id for m in res.matches[1:] if m.kind == best.kind
                      and m.type == "ambiguous"]
            if best.type == "ambiguous" and others:
                ent.how = "ambiguous:" + ",".join([best.id, *others])
            found.append(ent)
    found.sort(key=lambda e: e.start)
    entities: list[Entity] = []
    for ent in found:
        if not any(e.kind == ent.kind and e.id == ent.id for e in entities):
            entities.append(ent)
    leftovers = [w for w, t in zip(words, taken, strict=True) if not t and w not in STOP]
    return entities, leftovers


def _same_thing(entities: list[Entity], words: list[str], groups: list[int],
                why: list[tuple[str, str]]) -> list[Entity]:
    """Drop a name that only restates the one before it: "buprenorphine (suboxone)",
    "suboxone aka buprenorphine"."""
    out: list[Entity] = []
    for ent in entities:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "substance" and ent.kind == "substance":
            group = groups[ent.start]
            bracketed = bool(group) and group != groups[prev.start] and all(
                groups[k] == group for k in range(prev.end, ent.start))
            between = tuple(words[prev.end:ent.start])
            if bracketed or between in _APPOSITION:
                how = "in brackets" if bracketed else f"after {' '.join(between)!r}"
                why.append(("same thing", f"{ent.text!r} {how} names the same thing as "
                                          f"{prev.text!r}: one substance, {prev.id}"))
                continue
        out.append(ent)
    return out


def _drinking(words: list[str], entities: list[Entity]) -> Entity | None:
    """Alcohol named by drinking words ("can you drink on X", "a beer on suboxone")."""
    if any(e.id == "alcohol" for e in entities):
        return None
    for i, w in enumerate(words):
        if w not in _DRINK_WORDS:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w.startswith("drink") and (nxt in _NOT_ALCOHOL or any(
                e.start == i + 1 and e.kind == "substance" for e in entities)):
            continue
        if w.startswith("drink") and nxt not in _WHILE and any(
                e.id in _DRINKABLE and e.start < i for e in entities):
            continue  # "how much lean should i drink": the lean is what is drunk
        if any(e.start <= i < e.end for e in entities):
            continue
        return Entity("substance", "alcohol", w, i, i + 1, "drinking")
    return None


def _fuzzy_names(store: Store, words: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """One-word names long enough to reach the cutoff with one of `words`: a similarity
    (ratio) of c needs the lengths within c / (200 - c) of each other, so only those are read."""
    c = FUZZY_CUTOFF_LONG
    lo = max(4, int(min(map(len, words)) * c / (200 - c)))
    hi = int(max(map(len, words)) * (200 - c) / c) + 1
    rows = store.one_word_names(("substance", "class"), lo, hi)
    return [r[0] for r in rows], [(r[1], r[2]) for r in rows]


def _unknown_and_misspelt(store: Store, words: list[str], groups: list[int],
                          entities: list[Entity], reading: Reading) -> list[Entity]:
    """Words that are not English and not used in the knowledge: misspelt names (matched
    fuzzily, with the similarity shown) or names the knowledge lacks."""
    covered = {k for e in entities for k in range(e.start, e.end)}
    candidates = [(i, w) for i, w in enumerate(words)
                  if i not in covered and not groups[i] and maybe_name(w)
                  and w not in _DRINK_WORDS]
    unknown = [(i, w) for i, w in candidates if not store.has_term(w) and not is_english(w)]
    if not unknown:
        return []
    from rapidfuzz import fuzz, process

    choices, owners = _fuzzy_names(store, [w for _i, w in unknown])
    fixed: list[Entity] = []
    for i, w in unknown:
        cutoff = FUZZY_CUTOFF_SHORT if len(w) <= 6 else FUZZY_CUTOFF_LONG
        hit = process.extractOne(w, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit:
            res = find(store, hit[0], ("substance", "class"))
            best = res.matches[0] if res.matches else None
            kind, ident = (best.kind, best.id) if best else owners[hit[2]]
            if not any(e.kind == kind and e.id == ident for e in entities + fixed):
                fixed.append(Entity(kind, ident, w, i, i + 1, "spelling"))
            reading.why.append(("spelling", f"{w!r} is not a word the knowledge or English "
                                            f"knows; read as {hit[0]!r} -> {kind} {ident} "
                                            f"(similarity {hit[1]:.0f}, needs {cutoff:.0f})"))
        else:
            reading.unknown_words.append(w)
    if reading.unknown_words:
        reading.why.append(("unknown", ", ".join(repr(w) for w in reading.unknown_words) +
                            ": not a name in the knowledge, not English, no close name"))
    return fixed


def read_question(store: Store, question: str) -> Reading:
    """Decide intent and entities for a question, recording why.

    A question that one topic lists (nearly word for word) opens that topic when the rules
    would otherwise show a card, a comparison of classes, or search results; with no rule
    matching, a looser match against topic questions comes before full-text search, unless
    the question names something the knowledge does not know.
    """
    reading = _by_rules(store, question)
    if _needs_clarifying(reading):
        reading.why.append(("intent", f"clarify: {reading.intent} needs a name the knowledge "
                                      "has"))
        reading.intent = "clarify"
    elif reading.intent in _NEEDS_SUBJECT and any(
            len(e.candidates) > 1 for e in reading.of("substance")):
        reading.why.append(("intent", f"clarify: {reading.intent} depends on which drug an "
                                      "ambiguous name means"))
        reading.intent = "clarify"
    things = reading.of("substance") + reading.of("class")
    if (reading.intent in ("about", "compare", "search") and not reading.of("substance")[1:]
            or reading.intent in ("withdrawal", "clarify") and not things):
        loose = reading.intent == "search"
        if reading.intent == "withdrawal":
            topic = _named_withdrawal_topic(store, reading.words)
        else:
            topic = best_topic(store, question, strict=True) or (
                best_topic(store, question) if loose else None)
        if topic:
            reading.intent = "about"
            reading.entities.append(Entity("topic", topic, question, how="topic"))
            reading.why.append(("intent", f"about: the question is one that topic {topic} "
                                          "lists"))
    return reading


def _named_withdrawal_topic(store: Store, words: list[str]) -> str | None:
    """A withdrawal question without a substance opens a withdrawal topic only when it names
    it ("precipitated withdrawal", "paws"): "how long does withdrawal last" is asked of every
    substance, and picking one topic would answer about the wrong one."""
    asked = set(words)
    for ident, data in store.all_of("topic").items():
        if "withdrawal" not in ident:
            continue
        title = set(fold(data.get("title", "")).split()) | set(ident.split("-"))
        if (title - _TOPIC_FILLER) & asked:
            return ident
    return None


_TOPIC_FILLER = frozenset(("withdrawal", "withdrawals", "timeline", "and", "the", "of", "in",
                           "a", "from"))


def _by_rules(store: Store, question: str) -> Reading:
    """The rule-based reading: entities, then the first intent rule that matches."""
    reading = Reading(question)
    words, groups = split_words(question)
    reading.words = words
    entities, _leftovers = extract(store, words, groups)
    entities = _same_thing(entities, words, groups, reading.why)
    drink = _drinking(words, entities)
    if drink:
        entities.append(drink)
        reading.why.append(("drinking", f"{drink.text!r} -> substance alcohol"))
    if not _CRISIS.search(words):  # a crisis answer needs no names: no time spent on them
        entities += _unknown_and_misspelt(store, words, groups, entities, reading)
    entities.sort(key=lambda e: e.start)
    reading.entities = entities
    for spec in _SPECIMENS:
        if spec in words:
            reading.entities.append(Entity("specimen", spec, spec))
    named = [e for e in reading.entities if e.kind in ("substance", "class")]
    if named:
        reading.why.insert(0, ("names", ", ".join(f"{e.text!r} -> {e.kind} {e.id}"
                                                  for e in named)))
    for e in named:
        if len(e.candidates) > 1:
            reading.why.append(("ambiguous", f"{e.text!r} can mean {', '.join(e.candidates)}"))
    _decide(reading, words)
    return reading


def _decide(reading: Reading, words: list[str]) -> None:
    """The first intent rule that matches, recorded in `reading.why`."""
    subs = reading.of("substance")
    classes = reading.of("class")
    things = subs + classes

    def decide(intent: str, rule: str, cue: str | None = None) -> bool:
        reading.intent = intent
        shown = f" (words: {cue!r})" if cue else ""
        reading.why.append(("intent", f"{intent}: {rule}{shown}"))
        return True

    crisis = _CRISIS.search(words)
    if crisis:
        topic_word = crisis.startswith("suicid") or crisis in _CRISIS_TOPIC
        statement = (not topic_word or not things or _FIRST_PERSON.search(words) or
                     _SOMEONE_ELSE.search(words))
        if statement:
            reading.crisis = True
            reading.overdose = bool(_OVERDOSE.search(words))
            reading.someone_else = bool(_THIRD_PERSON.search(words)) or bool(
                _SOMEONE_ELSE.search(words)) and not _SELF.search(words)
            extra = " and overdose words add first aid" if reading.overdose else ""
            decide("crisis", "words about suicide or self-harm put the crisis line first"
                   + extra, crisis)
            return
        reading.crisis_words = crisis
        reading.why.append(("crisis", f"{crisis!r} in a question about a named thing: its "
                                      "answer, with the crisis line on top"))
    if _rules(reading, words, subs, classes, things, decide):
        return
    _clarify_if_unknown(reading, subs, classes, decide)


def _rules(reading: Reading, words: list[str], subs: list[Entity], classes: list[Entity],
           things: list[Entity], decide) -> bool:
    has_naloxone = any(s.id == "naloxone" for s in subs) or _NALOXONE_WORDS.search(words)
    others = [e for e in things if e.id != "naloxone"]
    m = followed(_NALOXONE_ASK, _NALOXONE_DOES, words)
    if has_naloxone and others and m:
        return decide("naloxone", "asks whether naloxone works on something named", m)
    how_much = followed(_HOW_MUCH, _DOSE_AFTER_HOW_MUCH, words)
    dosing_subject = [e for e in things if e.id != "naloxone"]
    m = _EMERGENCY.search(words)
    if m and how_much and not _HAPPENING.search(words):
        return decide("dosing", "asks how much it takes to overdose: no amounts, the safety "
                                "facts and help", how_much)
    if m:
        reading.emergency = True
        return decide("help", "emergency words put help first", m)
    nal = _NALOXONE_WORDS.search(words)
    if has_naloxone and others and _NALOXONE_VERB.search(words):
        return decide("naloxone", "naloxone named with another substance", nal)
    m = _HELP.search(words)
    if m and not things:
        return decide("help", "asks for help or someone to talk to", m)
    if how_much and (dosing_subject or not has_naloxone) and (
            _DOSE_STRONG.search(words) or not (_WITHDRAWAL.search(words)
                                               or _DETECTION.search(words))):
        return decide("dosing", "asks how much to take", how_much)
    m = _WITHDRAWAL.search(words)
    if m:
        if things:
            return decide("withdrawal", "withdrawal words with a substance or class", m)
        return decide("withdrawal", "withdrawal words without a substance: which one?", m)
    m = _DETECTION.search(words)
    if m and things:
        return decide("detection", "detection words with a substance or class", m)
    if m and _DRUGS_IN_GENERAL.search(words):
        return decide("detection", "detection words without a substance: the general "
                                   "detection topic", m)
    m = _DOSE_WORDS.search(words)
    if m and (dosing_subject or not has_naloxone):
        return decide("dosing", "asks about a dose", m)
    m = _LEGAL.search(words)
    if m and subs and (not classes or _LEGAL_STRONG.search(words)):
        return decide("legal", "legal-status words with a substance", m)
    m = _CLASSIFY.search(words)
    if m and len(subs) == 1 and not classes:
        return decide("classify", "asks what kind of drug it is", m)
    mixing = _MIX_STRONG.search(words) or followed(_MIX_VERB, _MIX_JOIN, words)
    same = _SAME.search(words) if not _SAME_TIME.search(words) else None
    if reading.unknown_words and len(things) < 2 and (
            mixing or same or _COMPARE.search(words) in _COMPARE_WORDS or _MIX.search(words)):
        return decide("clarify", "two things named, one of them unknown to the knowledge",
                      " ".join(reading.unknown_words))
    if len(subs) == 1 and classes and _IS_START.starts(words) and not mixing:
        return decide("is_class", "asks whether one substance is of a class")
    m = _WHAT_IS.starts(words)
    if m and things and not mixing and not _DIFFERENCE.search(words) and not (
            same and len(things) > 1):
        return decide("about", "asks what something is", m)
    if len(subs) >= 2 or len(classes) >= 2 or (subs and classes and mixing):
        if same:
            if len(subs) == 1 and classes:
                return decide("is_class", "asks whether a substance is the same as a class",
                              same)
            return decide("compare", "asks whether two things are the same", same)
        m = _COMPARE.search(words)
        mix = _MIX.search(words)
        if m in _COMPARE_WORDS:
            if len(subs) == 1 and classes:
                return decide("is_class", "compares a substance with a class", m)
            return decide("compare", "two substances with comparison words", m)
        if mix or mixing:
            return decide("interaction", "two substances with mixing words", mix or mixing)
        if m:
            return decide("compare", "two substances joined by 'or'", m)
        return decide("interaction", "two substances named together")
    if subs and classes:
        m = _CLASS_START.starts(words) or _CLASS_WORDS.search(words)
        return decide("is_class", "a substance and a class named", m)
    if subs and _ADDICTIVE.search(words):
        return decide("about", "asks whether it is addictive: the card's risks answer it")
    m = _ABOUT.search(words)
    if subs or (classes and not reading.unknown_words):
        return decide("about", "a single name" + (" with 'what is' words" if m else ""), m)
    if m and _HELP.search(words):
        return decide("help", "asks for help")
    return False


def _clarify_if_unknown(reading: Reading, subs: list[Entity], classes: list[Entity],
                        decide) -> None:
    if reading.unknown_words:
        decide("clarify", "names something the knowledge does not know",
               " ".join(reading.unknown_words))
    else:
        decide("search", "no rule matched: ranked full-text search")


def _needs_clarifying(reading: Reading) -> bool:
    """An unknown name where the answer needed one: "is ozempic an opioid" must not answer
    about opioids, and "mix metformin and alcohol" must not rate alcohol alone."""
    if not reading.unknown_words or reading.intent not in _NEEDS_SUBJECT:
        return False
    subs = reading.of("substance")
    if not subs:
        return True
    return reading.intent in ("interaction", "compare") and len(
        reading.of("substance") + reading.of("class")) < 2


def ask(store: Store, question: str, region: str = "us") -> dict[str, Any]:
    """Answer a plain-English question: the matching command's answer, or a question back.

    Never a usage error for a non-empty question: an answer that cannot be built from what
    was read becomes a "could not tell" answer with suggestions.
    """
    question = " ".join(question.split())
    if not fold(question):
        raise SubqError("ask needs a question, e.g. `subq ask is ketamine an opioid`",
                        ExitCode.USAGE)
    r = read_question(store, question)
    try:
        answer = _answer(store, r, region)
    except SubqError as exc:
        if exc.code != ExitCode.USAGE:
            raise
        r.why.append(("fallback", f"{r.intent} could not be answered ({exc}); asking back"))
        r.intent = "clarify"
        answer = _clarify(store, r, "unclear")
    out = {"type": "ask", "version": JSON_VERSION, "question": question,
           "intent": r.intent, "entities": [e.as_dict() for e in r.entities],
           "emergency": r.emergency, "crisis": r.crisis, "explain": r.why, "answer": answer}
    if r.crisis_words and not r.crisis:
        from substance_cli.answers.crisis import crisis_note

        out["crisis_note"] = crisis_note(store, region)
    return out


def exit_code(result: dict[str, Any]) -> int:
    """0 for an answer; 3 (not found) when the question named something the knowledge does
    not have, or a name that means several drugs, as `subq show` does for such names."""
    answer = result.get("answer") or {}
    if answer.get("type") == "clarify" and answer.get("reason") in ("unknown-name", "ambiguous"):
        return int(ExitCode.NOT_FOUND)
    return 0


def _answer(store: Store, r: Reading, region: str) -> dict[str, Any]:
    subs = [e.id for e in r.of("substance")]
    classes = [e.id for e in r.of("class")]
    topics = [e.id for e in r.of("topic")]
    specimen = next((e.id for e in r.of("specimen")), None)
    if r.intent == "crisis":
        from substance_cli.answers.crisis import crisis

        return crisis(store, region, r.overdose, r.someone_else)
    if r.intent == "help":
        from substance_cli.answers.helpnow import help_now

        return help_now(store, region)
    if r.intent == "clarify":
        return _clarify(store, r, "unknown-name" if r.unknown_words else "unclear")
    if r.intent == "dosing":
        from substance_cli.ask.shapes import dosing

        return dosing(store, next((s for s in subs + classes if s != "naloxone"), None),
                      region)
    if r.intent == "classify":
        from substance_cli.ask.shapes import classification

        return classification(store, subs[0])
    if r.intent == "naloxone":
        from substance_cli.answers import focus

        return focus.naloxone(store, next(e for e in subs + classes if e != "naloxone"))
    if r.intent == "withdrawal":
        if not subs and not classes:
            return _clarify(store, r, "no-subject")
        from substance_cli.answers import focus

        return focus.withdrawal(store, subs[0] if subs else classes[0])
    if r.intent == "detection":
        from substance_cli.answers import cards, focus

        if not subs and not classes:
            if store.get("topic", GENERAL_DETECTION_TOPIC):
                return cards.show(store, GENERAL_DETECTION_TOPIC)
            return _clarify(store, r, "no-subject")
        return focus.detection(store, subs[0] if subs else classes[0], specimen)
    if r.intent == "compare":
        from substance_cli.answers.compare import compare

        return compare(store, [e.id for e in r.entities if e.kind in ("substance", "class")])
    if r.intent == "interaction":
        from substance_cli.answers.interactions import mix

        return mix(store, [e.id for e in r.entities if e.kind in ("substance", "class")])
    if r.intent == "legal":
        from substance_cli.answers import focus

        return focus.legal(store, subs[0])
    if r.intent == "is_class":
        from substance_cli.answers.verdict import is_class

        return is_class(store, subs[0], classes[0])
    if r.intent == "about":
        from substance_cli.answers import cards

        return cards.show(store, (topics or subs or classes)[0])
    return _search_or_clarify(store, r)


def _clarify(store: Store, r: Reading, reason: str) -> dict[str, Any]:
    from substance_cli.ask.shapes import clarify

    ambiguous = {e.text: e.candidates for e in r.of("substance") if len(e.candidates) > 1}
    if ambiguous and reason == "unclear":
        reason = "ambiguous"
    return clarify(store, r.question, reason, r.intent, r.unknown_words,
                   [(e.id, e.text) for e in r.entities if e.kind in ("substance", "class")],
                   ambiguous)


def _search_or_clarify(store: Store, r: Reading) -> dict[str, Any]:
    """Ranked matches from the full-text index, or "could not tell" with suggestions."""
    from substance_cli.answers import cards

    result = cards.search(store, r.question)
    if result["items"]:
        return result
    r.why.append(("intent", "clarify: full-text search found nothing"))
    r.intent = "clarify"
    return _clarify(store, r, "unknown-name" if r.unknown_words else "unclear")


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
