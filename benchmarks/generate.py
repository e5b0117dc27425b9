"""Write a synthetic knowledge folder of N substances, for benchmarks only.

    python benchmarks/generate.py OUT_DIR [-n 10000] [--seed 1] [--shipped KNOWLEDGE_DIR]

Every file follows docs/knowledge-format.md and validates against the shipped folder:

- ids are `gen-<word>`, so they never clash with shipped ids;
- every name (id, name, generic, brands, street names, misspellings) is built from random
  syllables and is unique across the generated set and the shipped substances, so there are
  no alias conflicts (SUBQ006);
- class relations point at shipped classes, `related` links at other generated substances
  and at shipped substances and topics that exist; every fact cites the folder's own
  bibliography, `sources/generated.yaml` (keys `gen-source-N`, placeholder example.org URLs).

The text is filler made from templates: the facts are invented and mean nothing. Output is
deterministic for a given seed and N (links to shipped substances and topics follow the
shipped folder). Only the standard library is needed (PyYAML, when importable, is used to
read shipped names more exactly).

Existing `substances/gen-*.yaml` files in OUT_DIR are removed first, so a smaller run does not
leave stale files behind; nothing else in OUT_DIR is touched.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

LAST_CHECKED = "2026-11-30"
N_SOURCES = 8

# Shipped classes the generator prefers, with what a member does; any of them that the
# shipped folder lacks is skipped.
CLASS_PROFILES: dict[str, dict[str, object]] = {
    "opioid": {
        "targets": [("mu-opioid receptor", "agonist"), ("kappa-opioid receptor", "partial agonist"),
                    ("delta-opioid receptor", "agonist")],
        "effects": ["pain relief", "drowsiness", "slowed breathing", "euphoria", "constipation"],
        "medical": ["moderate to severe pain", "cough suppression", "opioid substitution"],
        "naloxone": "yes",
        "words": "an opioid",
    },
    "stimulant": {
        "targets": [("dopamine transporter", "reuptake inhibitor"),
                    ("norepinephrine transporter", "releaser"),
                    ("trace amine receptor", "agonist")],
        "effects": ["alertness", "raised heart rate", "reduced appetite", "insomnia",
                    "anxiety"],
        "medical": ["attention deficit disorder", "narcolepsy", "fatigue in shift work"],
        "naloxone": "no",
        "words": "a stimulant",
    },
    "benzodiazepine": {
        "targets": [("GABA-A receptor", "modulator")],
        "effects": ["calm", "sleepiness", "muscle relaxation", "memory gaps", "unsteadiness"],
        "medical": ["anxiety", "insomnia", "seizures", "alcohol withdrawal"],
        "naloxone": "no",
        "words": "a benzodiazepine",
    },
    "dissociative": {
        "targets": [("NMDA receptor", "antagonist"), ("sigma-1 receptor", "agonist")],
        "effects": ["detachment", "numbness", "confusion", "distorted perception",
                    "raised blood pressure"],
        "medical": ["anaesthesia", "procedural sedation", "treatment-resistant depression"],
        "naloxone": "no",
        "words": "a dissociative",
    },
    "psychedelic": {
        "targets": [("5-HT2A receptor", "partial agonist"), ("5-HT1A receptor", "agonist")],
        "effects": ["altered perception", "visual changes", "nausea", "anxiety",
                    "a changed sense of time"],
        "medical": ["research into depression", "research into end-of-life distress"],
        "naloxone": "no",
        "words": "a psychedelic",
    },
    "cannabinoid": {
        "targets": [("CB1 receptor", "partial agonist"), ("CB2 receptor", "agonist")],
        "effects": ["relaxation", "increased appetite", "dry mouth", "short-term memory loss",
                    "paranoia"],
        "medical": ["chemotherapy nausea", "appetite loss", "spasticity"],
        "naloxone": "no",
        "words": "a cannabinoid",
    },
    "depressant": {
        "targets": [("GABA-A receptor", "modulator"), ("GABA-B receptor", "agonist")],
        "effects": ["sedation", "slurred speech", "poor coordination", "slowed breathing"],
        "medical": ["sedation", "insomnia", "muscle spasm"],
        "naloxone": "no",
        "words": "a depressant",
    },
    "entactogen": {
        "targets": [("serotonin transporter", "releaser"), ("dopamine transporter", "releaser")],
        "effects": ["emotional closeness", "energy", "jaw clenching", "overheating",
                    "low mood afterwards"],
        "medical": ["research into post-traumatic stress"],
        "naloxone": "no",
        "words": "an entactogen",
    },
    "barbiturate": {
        "targets": [("GABA-A receptor", "modulator")],
        "effects": ["sedation", "sleep", "confusion", "slowed breathing"],
        "medical": ["seizures", "anaesthesia induction", "headache (in combinations)"],
        "naloxone": "no",
        "words": "a barbiturate",
    },
    "gabapentinoid": {
        "targets": [("alpha-2-delta subunit of calcium channels", "blocker")],
        "effects": ["calm", "dizziness", "sleepiness", "swelling of the legs"],
        "medical": ["nerve pain", "seizures", "anxiety"],
        "naloxone": "no",
        "words": "a gabapentinoid",
    },
    "antihistamine": {
        "targets": [("H1 receptor", "inverse agonist"), ("muscarinic receptor", "antagonist")],
        "effects": ["drowsiness", "dry mouth", "confusion at high doses"],
        "medical": ["allergies", "insomnia", "motion sickness"],
        "naloxone": "no",
        "words": "an antihistamine",
    },
    "inhalant": {
        "targets": [("GABA-A receptor", "modulator"), ("NMDA receptor", "antagonist")],
        "effects": ["brief intoxication", "dizziness", "headache", "irregular heartbeat"],
        "medical": [],
        "naloxone": "not-applicable",
        "words": "an inhalant",
    },
}
# Second, nuanced relations: (class, relation, note template).
SECOND_RELATIONS = [
    ("opioid", "unrelated", "{name} is not an opioid; reports of weak opioid-receptor binding "
     "in laboratory studies have not been shown to matter in people."),
    ("opioid", "atypical", "{name} acts on opioid receptors as a side effect of its main "
     "action, but it is not classed as an opioid."),
    ("stimulant", "atypical", "{name} raises alertness at higher doses without being classed "
     "as a stimulant."),
    ("depressant", "unrelated", "{name} can cause drowsiness, but it is not a depressant in "
     "the usual sense."),
    ("psychedelic", "unrelated", "Visual changes are reported at very high doses, but "
     "{name} is not a psychedelic."),
]

CONSONANTS = "bdfgklmnprstvzx"
CLUSTERS = ["br", "cl", "dr", "fl", "gr", "kr", "pl", "pr", "st", "tr", "th", "sk", "qu", "ph",
            "ch"]
VOWELS = ["a", "e", "i", "o", "u", "y", "ae", "ou", "io"]
CODAS = ["", "", "", "n", "r", "l", "x", "s", "m"]
DRUG_SUFFIXES = ["ine", "ol", "am", "ide", "ex", "azine", "one", "ate", "ipine", "orphan", "idol",
                 "amine"]
BRAND_SUFFIXES = ["a", "ix", "on", "ra", "ex", "al", "in", "o", "yl", "is"]
STREET_FIRST = ["blue", "white", "pink", "green", "grey", "gold", "silver", "black", "red",
                "purple", "yellow", "orange", "little", "big", "sweet", "sour", "happy",
                "sleepy", "lazy", "crazy", "lucky", "cold", "hot", "soft", "hard"]
SPECIMENS = ["urine", "blood", "saliva", "hair", "breath", "sweat"]
ROUTES = ["oral", "intravenous", "intramuscular", "intranasal", "smoked", "sublingual",
          "transdermal", "rectal"]
SCHEDULES = ["I", "II", "III", "IV", "V", "unscheduled"]
UK_CLASSES = ["A", "B", "C", "unclassified", "psychoactive-substances-act", "prescription-only"]
LEVELS = ["none", "low", "moderate", "high"]
OVERDOSE = ["low", "moderate", "high"]
SYMPTOMS = ["anxiety", "poor sleep", "craving", "sweating", "restlessness", "low mood",
            "irritability", "muscle aches", "nausea", "tremor", "headache", "yawning",
            "runny nose", "stomach cramps", "vivid dreams", "fatigue"]
NOTABLE = ["liver strain with long-term heavy use", "memory problems with regular use",
           "raised blood pressure", "heat stroke in hot, crowded places", "seizures at high "
           "doses", "dangerous drops in breathing when mixed with other depressants",
           "low mood in the days after use", "accidents while intoxicated",
           "skin and vein damage when injected", "kidney strain with repeated high doses"]
CONDITIONS = ["single use", "occasional use", "regular use", "heavy daily use",
              "a single therapeutic dose"]


def fold(name: str) -> str:
    """A close copy of substance_cli.text.fold for ASCII names (kept here: no import)."""
    text = re.sub(r"[\s\-_./'’,]+", " ", name.casefold())
    text = re.sub(r"[^\w ]+", "", text)
    return " ".join(text.split())


def find_shipped() -> Path:
    """The shipped knowledge folder of the subq that is importable, else ../knowledge."""
    try:
        from substance_cli.kb.files import shipped_root

        return shipped_root()
    except ImportError:
        return Path(__file__).resolve().parent.parent / "knowledge"


def _ids(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def shipped_names(shipped: Path) -> set[str]:
    """Folded names of shipped substances (and every word in them), to keep clear of."""
    taken: set[str] = set()
    files = sorted((shipped / "substances").glob("*.yaml"))
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for path in files:
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
            except yaml.YAMLError:
                continue
            names = [str(data.get("id", "")), str(data.get("name", ""))]
            for group in (data.get("names") or {}).values():
                names.extend(str(n) for n in group or [])
            for n in names:
                taken.add(fold(n))
                taken.update(fold(n).split())
    except ImportError:
        # No YAML parser: keep clear of every word in the shipped substance files.
        for path in files:
            taken.update(re.findall(r"[a-z0-9]+", path.read_text(encoding="utf-8").lower()))
    return taken


def _class_is_derived(path: Path) -> bool:
    return bool(re.search(r"^derived_from:\s*us_", path.read_text(encoding="utf-8"), re.M))


class Namer:
    """Random pronounceable words, never the same folded name twice."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng = rng
        self.taken = taken

    def syllable(self) -> str:
        r = self.rng
        onset = r.choice(CLUSTERS) if r.random() < 0.3 else r.choice(CONSONANTS)
        return onset + r.choice(VOWELS) + r.choice(CODAS)

    def word(self, syllables: int, suffixes: list[str] | None = None) -> str:
        w = "".join(self.syllable() for _ in range(syllables))
        if suffixes:
            w += self.rng.choice(suffixes)
        return w

    def claim(self, make, tries: int = 50) -> str | None:
        for _ in range(tries):
            candidate = make()
            key = fold(candidate)
            if key and key not in self.taken:
                self.taken.add(key)
                return candidate
        return None


def misspell(rng: random.Random, word: str) -> str:
    """One plausible typo: a dropped, doubled, swapped or changed letter."""
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1:]
    if op == 1:
        return word[:i] + word[i] + word[i:]
    if op == 2:
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
    vowels = "aeiouy"
    if word[i] in vowels:
        return word[:i] + rng.choice([v for v in vowels if v != word[i]]) + word[i + 1:]
    return word[:i] + rng.choice("aeiou") + word[i:]


# -- a tiny YAML writer: block mappings, JSON-quoted scalars (valid YAML), flow lists -------

def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _emit(value: object, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) or (isinstance(item, list) and item
                                          and isinstance(item[0], dict)):
                out.append(f"{pad}{key}:")
                _emit(item, indent + 1, out)
            elif isinstance(item, list):
                out.append(f"{pad}{key}: [{', '.join(_scalar(x) for x in item)}]")
            elif key in ("last_checked", "accessed"):
                out.append(f"{pad}{key}: {item}")  # a YAML date, as the format expects
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            lines: list[str] = []
            _emit(item, indent + 1, lines)
            first = lines[0].lstrip()
            out.append(f"{pad}- {first}")
            out.extend(lines[1:])
    else:
        out.append(pad + _scalar(value))


def to_yaml(doc: dict[str, object], comment: str = "") -> str:
    out = [f"# {comment}"] if comment else []
    _emit(doc, 0, out)
    return "\n".join(out) + "\n"


# -- one substance ---------------------------------------------------------------------------

def _range(rng: random.Random, lo: float, hi: float) -> tuple[int, int]:
    a = rng.randint(int(lo), int(hi))
    b = rng.randint(a, max(a, int(hi * 2)))
    return a, b


def make_substance(rng: random.Random, ident: str, word: str, namer: Namer, classes: list[str],
                   other_ids: list[str], shipped_refs: list[str], keys: list[str]) \
        -> dict[str, object]:
    name = word.capitalize()

    def cite(k: int = 2) -> list[str]:
        return sorted(rng.sample(keys, k=min(len(keys), rng.randint(1, k))))

    main_class = rng.choice(classes)
    prof = CLASS_PROFILES[main_class]
    targets = list(prof["targets"])  # type: ignore[arg-type]
    primary_target, primary_action = targets[0]
    effects = rng.sample(prof["effects"], k=min(3, len(prof["effects"])))  # type: ignore
    words = prof["words"]

    brands = [b for b in (namer.claim(lambda: namer.word(rng.randint(1, 2), BRAND_SUFFIXES)
                                      .capitalize()) for _ in range(rng.randint(2, 4))) if b]
    street = [s for s in (namer.claim(lambda: f"{rng.choice(STREET_FIRST)} "
                                      f"{namer.word(rng.randint(1, 2))}")
                          for _ in range(rng.randint(2, 4))) if s]
    misspellings = [m for m in (namer.claim(lambda: misspell(rng, word))
                                for _ in range(rng.randint(1, 3))) if m]
    generic = [g for g in [namer.claim(lambda: f"{word} hydrochloride")] if g]

    summary = (f"{name} is {words} made for this benchmark; its facts are invented. "
               f"It acts mainly at the {primary_target}, where it is {_article(primary_action)} "
               f"{primary_action}. ")
    if rng.random() < 0.6:
        summary += (f"People describe {effects[0]} and {effects[1]}, and heavy use brings "
                    f"{effects[-1]}.")
    summary = summary.strip()

    rels: list[dict[str, object]] = [{
        "class": main_class, "relation": "member",
        "note": f"Classed as {words} because its main action is at the {primary_target}.",
        "sources": cite(),
    }]
    if rng.random() < 0.5:
        options = [r for r in SECOND_RELATIONS if r[0] in classes and r[0] != main_class]
        if options:
            cls, relation, note = rng.choice(options)
            rels.append({"class": cls, "relation": relation, "note": note.format(name=name),
                         "sources": cite()})

    n_targets = rng.randint(1, len(targets))
    doc: dict[str, object] = {
        "id": ident,
        "name": name,
        "kind": "substance",
        "summary": {"text": summary, "sources": cite(3)},
        "names": {"generic": generic, "brands": brands, "street": street,
                  "misspellings": misspellings, "ambiguous": []},
        "classes": rels,
        "mechanism": {
            "summary": (f"{_article(primary_action).capitalize()} {primary_action} at the "
                        f"{primary_target}, which gives {effects[0]} and {effects[1]}. Other "
                        "targets play smaller parts."),
            "targets": [{"target": t, "action": a, "primary": i == 0}
                        for i, (t, a) in enumerate(targets[:n_targets])],
            "sources": cite(),
        },
        "uses": {
            "medical": rng.sample(prof["medical"], k=min(len(prof["medical"]),  # type: ignore
                                                         rng.randint(0, 2))),
            "other": [f"recreational use for {effects[0]}"],
            "routes": rng.sample(ROUTES, k=rng.randint(1, 3)),
            "sources": cite(),
        },
    }
    route = doc["uses"]["routes"][0]  # type: ignore[index]
    onset, duration = _range(rng, 1, 30), _range(rng, 1, 8)
    doc["onset_duration"] = [{
        "route": route,
        "onset": {"min": onset[0], "max": onset[1], "unit": "minutes"},
        "duration": {"min": duration[0], "max": duration[1], "unit": "hours"},
        "sources": cite(),
    }]
    schedule = rng.choice(SCHEDULES)
    doc["legal"] = {
        "us_schedule": schedule,
        "us_narcotic": main_class == "opioid" and schedule != "unscheduled",
        "uk_class": rng.choice(UK_CLASSES),
        "notes": "Invented for a benchmark: no real law applies to it.",
        "sources": cite(),
    }
    doc["risks"] = {
        "dependence": rng.choice(LEVELS),
        "dependence_note": f"Tolerance to its {effects[0]} builds with daily use.",
        "overdose": rng.choice(OVERDOSE),
        "overdose_note": "Risk rises when it is mixed with alcohol or other depressants.",
        "notable": rng.sample(NOTABLE, k=rng.randint(1, 3)),
        "sources": cite(),
    }
    reverses = prof["naloxone"]
    doc["naloxone"] = {
        "reverses": reverses,
        "note": ("Naloxone reverses its effects on breathing." if reverses == "yes" else
                 "Naloxone acts only on opioids; give it anyway if opioids may be involved."),
        "sources": cite(),
    }
    detection = []
    for specimen in rng.sample(SPECIMENS[:4], k=rng.randint(1, 3)):
        lo, hi = _range(rng, 1, 5)
        detection.append({"specimen": specimen, "min": lo, "max": hi,
                          "unit": "days" if specimen != "hair" else "months",
                          "condition": rng.choice(CONDITIONS), "sources": cite()})
    doc["detection"] = detection
    if rng.random() < 0.4:
        start = _range(rng, 4, 24)
        peak = _range(rng, 1, 3)
        ease = _range(rng, 5, 10)
        doc["withdrawal"] = {
            "summary": f"Mostly {rng.choice(SYMPTOMS)} and {rng.choice(SYMPTOMS)}, easing "
                       "over a week or two.",
            "phases": [
                {"phase": "onset", "min": start[0], "max": start[1], "unit": "hours",
                 "symptoms": rng.sample(SYMPTOMS, k=3)},
                {"phase": "peak", "min": peak[0], "max": peak[1], "unit": "days",
                 "symptoms": rng.sample(SYMPTOMS, k=3)},
                {"phase": "easing", "min": ease[0], "max": ease[1], "unit": "days",
                 "symptoms": rng.sample(SYMPTOMS, k=2)},
            ],
            "sources": cite(),
        }
    if rng.random() < 0.5:
        doc["nuances"] = [{"text": f"{name} was first described in a made-up paper; nothing "
                                   "here is real.", "sources": cite()}]
    related = [{"ref": r, "why": "Another generated substance with similar effects."}
               for r in rng.sample(other_ids, k=min(len(other_ids), rng.randint(1, 2)))]
    if shipped_refs:
        related.append({"ref": rng.choice(shipped_refs), "why": "A real entry to compare."})
    related.append({"ref": main_class, "why": "The class it belongs to."})
    doc["related"] = related
    doc["review"] = {"last_checked": LAST_CHECKED}
    return doc


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def generate(out: Path, n: int = 10000, seed: int = 1, shipped: Path | None = None) -> int:
    """Write N substances and one bibliography under `out`; return the number written."""
    shipped = shipped or find_shipped()
    rng = random.Random(seed)
    class_dir = shipped / "classes"
    classes = [c for c in CLASS_PROFILES if (class_dir / f"{c}.yaml").is_file()
               and not _class_is_derived(class_dir / f"{c}.yaml")]
    if not classes:
        raise SystemExit(f"generate: no usable classes under {class_dir}")
    shipped_subs = _ids(shipped / "substances")
    shipped_topics = _ids(shipped / "topics")
    shipped_refs = shipped_subs + shipped_topics

    namer = Namer(rng, shipped_names(shipped))
    words: list[str] = []
    while len(words) < n:
        w = namer.claim(lambda: namer.word(rng.randint(2, 3), DRUG_SUFFIXES))
        if w and namer.claim(lambda w=w: f"gen-{w}", tries=1):
            words.append(w)
    ids = [f"gen-{w}" for w in words]

    subs = out / "substances"
    subs.mkdir(parents=True, exist_ok=True)
    for old in subs.glob("gen-*.yaml"):
        old.unlink()
    keys = [f"gen-source-{i}" for i in range(1, N_SOURCES + 1)]
    for i, (ident, word) in enumerate(zip(ids, words, strict=True)):
        others = ids[max(0, i - 50):i] + ids[i + 1:i + 50]
        # One random stream per substance: a change in the shipped folder (a new topic to link
        # to) changes only the entries that draw on it, not every entry after them.
        srng = random.Random(f"{seed}/{ident}")
        namer.rng = srng
        doc = make_substance(srng, ident, word, namer, classes, others, shipped_refs, keys)
        (subs / f"{ident}.yaml").write_text(
            to_yaml(doc, "Synthetic benchmark data (benchmarks/generate.py): not real facts."),
            encoding="utf-8")

    sources = [{"key": k, "title": f"Synthetic benchmark source {i}",
                "publisher": "subq benchmark generator", "year": 2026,
                "url": f"https://example.org/source/{i}", "accessed": LAST_CHECKED}
               for i, k in enumerate(keys, 1)]
    (out / "sources").mkdir(parents=True, exist_ok=True)
    (out / "sources" / "generated.yaml").write_text(
        to_yaml({"sources": sources}, "Placeholder bibliography for the synthetic benchmark data."),
        encoding="utf-8")
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (created if missing)")
    parser.add_argument("-n", "--substances", type=int, default=10000,
                        help="how many substances (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--shipped", type=Path, default=None,
                        help="shipped knowledge folder whose classes and ids to use "
                        "(default: the installed subq's)")
    args = parser.parse_args(argv)
    if args.substances < 1:
        parser.error("--substances must be at least 1")
    count = generate(args.out, args.substances, args.seed, args.shipped)
    print(f"wrote {count} substances and sources/generated.yaml to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
