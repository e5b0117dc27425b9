"""The model of the knowledge files, declared once.

The loader validates against it, `subq schema` turns it into JSON Schema, and
docs/knowledge-format.md describes it for people. Keeping one declaration means the three
cannot drift. It is a small spec language rather than pydantic: importing pydantic would cost
more start-up time than the whole answer is allowed to take.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from substance_cli.common.words import SCHEDULES
from substance_cli.kb.rulekeys import PROPERTIES, STRENGTHS

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
UNITS = ("seconds", "minutes", "hours", "days", "weeks", "months", "years")
RELATIONS = ("member", "atypical", "antagonist", "unrelated")


@dataclass(frozen=True)
class Spec:
    """One node of the model: a type plus what the validator and JSON Schema need."""

    type: str  # object | array | string | integer | number | boolean | date | enum | scalar
    fields: dict[str, Spec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    items: Spec | None = None
    values: tuple[Any, ...] = ()
    pattern: str | None = None
    #: What a string refers to: class | substance | entry | source | region.
    ref: str | None = None
    #: An object that states facts: its `sources` list must not be empty.
    sourced: bool = False
    description: str = ""
    #: Sentences written for subq (not names or titles): checked for stigmatising words.
    own_words: bool = False


def obj(fields: dict[str, Spec], required: tuple[str, ...] = (), sourced: bool = False,
        description: str = "") -> Spec:
    """An object with the given fields; `sourced` adds a required `sources` list."""
    if sourced:
        fields = {**fields, "sources": SOURCES}
        required = (*required, "sources")
    return Spec("object", fields=fields, required=required, sourced=sourced,
                description=description)


def arr(item: Spec, description: str = "") -> Spec:
    return Spec("array", items=item, description=description)


def enum(*values: Any, description: str = "") -> Spec:
    return Spec("enum", values=values, description=description)


STR = Spec("string")
TEXT = Spec("string", description="plain text, our own words", own_words=True)
INT = Spec("integer")
NUM = Spec("number")
BOOL = Spec("boolean")
DATE = Spec("date", description="YYYY-MM-DD")
ID = Spec("string", pattern=ID_PATTERN, description="lower-case slug")
SOURCES = arr(Spec("string", ref="source"), description="bibliography keys")
STRINGS = arr(STR)


def ref(kind: str, description: str = "") -> Spec:
    return Spec("string", ref=kind, description=description)


RANGE = obj({"min": NUM, "max": NUM, "unit": enum(*UNITS)}, required=("min", "max", "unit"))
RELATED = arr(obj({"ref": ref("entry"), "why": TEXT}, required=("ref",)))
#: Commands a question in "people also ask" opens: `subq COMMAND REF`.
ASK_COMMANDS = ("show", "is-opioid", "detection", "withdrawal", "legal", "naloxone",
                "related")
ALSO_ASKED = arr(
    obj({"question": STR, "command": enum(*ASK_COMMANDS), "ref": ref("entry")},
        required=("question", "command", "ref")),
    description="what readers of this entry go on to ask, each with the command that "
    "answers it; a card's list comes first, then those of the classes it relates to",
)
REVIEW = obj(
    {
        "last_checked": DATE,
        "reviewed": obj({"by": STR, "on": DATE}, required=("by", "on"),
                        description="only when a named person really reviewed the file"),
    },
    required=("last_checked",),
)
SOURCED_TEXT = obj({"text": TEXT}, required=("text",), sourced=True)
PHASE = obj(
    {
        "phase": enum("onset", "peak", "easing", "lingering"),
        "min": NUM,
        "max": NUM,
        "unit": enum(*UNITS),
        "symptoms": STRINGS,
        "note": TEXT,
    },
    required=("phase", "min", "max", "unit"),
)
WITHDRAWAL = obj(
    {"summary": TEXT, "phases": arr(PHASE), "danger": TEXT},
    sourced=True,
)
DETECTION = obj(
    {
        "specimen": enum("urine", "blood", "saliva", "hair", "breath", "sweat"),
        "min": NUM,
        "max": NUM,
        "unit": enum(*UNITS),
        "condition": TEXT,
        "note": TEXT,
    },
    required=("specimen", "min", "max", "unit"),
    sourced=True,
)
#: US federal schedule codes a file may give: "unscheduled" means not federally controlled;
#: "unconfirmed" that no source settled it (the notes say what is known).
SCHEDULE_CODES = (*SCHEDULES, "unscheduled", "unconfirmed")
TIERS = ("card", "reference")

PROPERTY = obj(
    {"property": enum(*PROPERTIES), "strength": enum(*STRENGTHS), "note": TEXT},
    required=("property",),
    sourced=True,
    description="a pharmacological property that interaction rules use",
)

SUBSTANCE = obj(
    {
        "id": ID,
        "name": STR,
        "kind": enum("substance", "product"),
        "tier": enum(*TIERS, description="card (hand-written, the default) or reference (a "
                     "row of an authoritative list, compiled by a script; a card with the "
                     "same id replaces it)"),
        "summary": SOURCED_TEXT,
        "names": obj(
            {
                "generic": STRINGS,
                "brands": STRINGS,
                "street": STRINGS,
                "misspellings": STRINGS,
                "ambiguous": STRINGS,
            }
        ),
        "classes": arr(
            obj(
                {"class": ref("class"), "relation": enum(*RELATIONS), "note": TEXT},
                required=("class", "relation"),
                sourced=True,
            )
        ),
        "ingredients": arr(
            obj({"substance": ref("substance"), "amount": STR, "role": TEXT},
                required=("substance",))
        ),
        "mechanism": obj(
            {
                "summary": TEXT,
                "targets": arr(
                    obj({"target": STR, "action": STR, "primary": BOOL, "note": TEXT},
                        required=("target", "action"))
                ),
            },
            sourced=True,
        ),
        "uses": obj({"medical": STRINGS, "other": STRINGS, "routes": STRINGS}, sourced=True),
        "onset_duration": arr(
            obj({"route": STR, "onset": RANGE, "duration": RANGE, "note": TEXT},
                required=("route",), sourced=True)
        ),
        "legal": obj(
            {
                "us_schedule": enum(*SCHEDULE_CODES),
                "us_narcotic": BOOL,
                "uk_class": enum("A", "B", "C", "unclassified", "temporary",
                                 "psychoactive-substances-act", "prescription-only"),
                "notes": TEXT,
            },
            sourced=True,
        ),
        "risks": obj(
            {
                "dependence": enum("none", "low", "moderate", "high"),
                "dependence_note": TEXT,
                "overdose": enum("low", "moderate", "high"),
                "overdose_note": TEXT,
                "notable": STRINGS,
            },
            sourced=True,
        ),
        "listing": obj(
            {"dea_code": STR, "cfr": STR, "heading": STR},
            required=("cfr", "heading"),
            sourced=True,
            description="where the US federal schedules list it: 21 CFR paragraph, its "
            "heading, and the DEA controlled-substance code number",
        ),
        "naloxone": obj(
            {"reverses": enum("yes", "partly", "no", "not-applicable"), "note": TEXT},
            required=("reverses",),
            sourced=True,
        ),
        "detection": arr(DETECTION),
        "withdrawal": WITHDRAWAL,
        "nuances": arr(SOURCED_TEXT),
        "properties": arr(PROPERTY),
        "related": RELATED,
        "also_asked": ALSO_ASKED,
        "review": REVIEW,
    },
    required=("id", "name", "kind", "summary", "review"),
)

CLASS = obj(
    {
        "id": ID,
        "name": STR,
        "plural": STR,
        "aliases": STRINGS,
        "article": enum("a", "an"),
        "parents": arr(ref("class")),
        "definition": SOURCED_TEXT,
        "membership": SOURCED_TEXT,
        "targets": STRINGS,
        "derived_from": enum("us_schedule", "us_narcotic"),
        "properties": arr(PROPERTY, description="inherited by every member"),
        "related": RELATED,
        "also_asked": ALSO_ASKED,
        "review": REVIEW,
    },
    required=("id", "name", "definition", "membership", "review"),
)

TOPIC = obj(
    {
        "id": ID,
        "title": STR,
        "questions": STRINGS,
        "about": arr(ref("entry")),
        "summary": SOURCED_TEXT,
        "sections": arr(obj({"heading": STR, "body": TEXT,
                             "regions": arr(ID, description="shown only for these help-now "
                                            "regions (resource ids); absent: every region")},
                            required=("heading", "body"), sourced=True)),
        "figures": arr(
            obj(
                {
                    "label": STR,
                    "specimen": enum("urine", "blood", "saliva", "hair", "breath", "sweat"),
                    "min": NUM,
                    "max": NUM,
                    "unit": enum(*UNITS),
                    "note": TEXT,
                },
                required=("label", "min", "max", "unit"),
                sourced=True,
            )
        ),
        "timeline": obj({"phases": arr(PHASE), "summary": TEXT}, sourced=True),
        "caveats": arr(SOURCED_TEXT),
        "related": RELATED,
        "review": REVIEW,
    },
    required=("id", "title", "summary", "review"),
)

RATINGS = ("low-risk", "caution", "unsafe", "dangerous")
EVIDENCE = ("regulator", "clinical", "case-reports", "theoretical")

#: How a rule is graded, shared by pair, property and combination rules.
GRADED = {
    "rating": enum(*RATINGS),
    "summary": TEXT,
    "mechanism": TEXT,
    "watch_for": STRINGS,
    "evidence": enum(*EVIDENCE),
    "note": TEXT,
}
OVERRIDES = obj(
    {"rules": arr(ref("rule", "a property rule id, or a pair written a+b")), "note": TEXT},
    required=("rules", "note"),
    sourced=True,
    description="lets this pair rule stand below the named rules; say why, with sources",
)

INTERACTION = obj(
    {
        "id": ID,
        "title": STR,
        "pairs": arr(
            obj(
                {
                    "a": ref("substance-or-class"),
                    "b": ref("substance-or-class"),
                    **GRADED,
                    "overrides": OVERRIDES,
                },
                required=("a", "b", "rating", "summary", "evidence"),
                sourced=True,
            )
        ),
        "property_rules": arr(
            obj(
                {
                    "id": ID,
                    "a": enum(*PROPERTIES),
                    "a_strength": enum(*STRENGTHS, description="the least strength on side a"),
                    "b": enum(*PROPERTIES),
                    "b_strength": enum(*STRENGTHS, description="the least strength on side b"),
                    **GRADED,
                },
                required=("id", "a", "b", "rating", "summary", "evidence"),
                sourced=True,
            )
        ),
        "combinations": arr(
            obj(
                {
                    "id": ID,
                    "properties": arr(enum(*PROPERTIES),
                                      description="a substance with any of these counts"),
                    "min_count": INT,
                    "strength": enum(*STRENGTHS, description=(
                        "the least strength a property needs to count (absent: any)")),
                    **GRADED,
                },
                required=("id", "properties", "min_count", "rating", "summary", "evidence"),
                sourced=True,
                description="what three or more substances do together",
            )
        ),
        "review": REVIEW,
    },
    required=("id", "review"),
)

RESOURCE = obj(
    {
        "id": ID,
        "name": STR,
        "aliases": STRINGS,
        "emergency": STR,
        "services": arr(
            obj(
                {
                    "name": STR,
                    "kind": enum("emergency", "helpline", "crisis", "poison",
                                 "treatment-finder", "naloxone", "other"),
                    "phone": STR,
                    "text": STR,
                    "url": STR,
                    "hours": STR,
                    "cost": STR,
                    "note": TEXT,
                },
                required=("name", "kind"),
                sourced=True,
            )
        ),
        "review": REVIEW,
    },
    required=("id", "name", "services", "review"),
)

SOURCE_ENTRY = obj(
    {
        "key": ID,
        "title": STR,
        "publisher": STR,
        "year": INT,
        "url": STR,
        "doi": STR,
        "pmid": Spec("scalar"),
        "accessed": Spec("scalar", description="YYYY-MM or YYYY-MM-DD"),
        "note": TEXT,
    },
    required=("key", "title", "publisher"),
)
SOURCE_FILE = obj({"sources": arr(SOURCE_ENTRY)}, required=("sources",))

NAMES = obj(
    {
        "id": ID,
        "title": STR,
        "names": arr(
            obj(
                {
                    "name": STR,
                    "refers_to": arr(ref("substance-or-class")),
                    "type": enum("street", "brand", "generic", "misspelling"),
                    "country": STR,
                    "note": TEXT,
                },
                required=("name", "refers_to", "type"),
                sourced=True,
            ),
            description="names people type, each with the entries it means: one entry, or "
            "several (then the name answers with the list of candidates)",
        ),
        "review": REVIEW,
    },
    required=("id", "names", "review"),
)

SPECS: dict[str, Spec] = {
    "substance": SUBSTANCE,
    "class": CLASS,
    "topic": TOPIC,
    "interaction": INTERACTION,
    "resource": RESOURCE,
    "source": SOURCE_FILE,
    "names": NAMES,
}


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one kind of knowledge file."""
    doc = _to_json_schema(SPECS[kind])
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = f"subq {kind} file"
    return doc


def _to_json_schema(spec: Spec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec.type == "object":
        out["type"] = "object"
        out["properties"] = {k: _to_json_schema(v) for k, v in spec.fields.items()}
        if spec.required:
            out["required"] = list(spec.required)
        out["additionalProperties"] = False
    elif spec.type == "array":
        out["type"] = "array"
        out["items"] = _to_json_schema(spec.items) if spec.items else {}
        if spec is SOURCES:
            out["minItems"] = 1
    elif spec.type == "enum":
        out["enum"] = list(spec.values)
    elif spec.type == "date":
        out["type"] = "string"
        out["format"] = "date"
    elif spec.type == "scalar":
        out["type"] = ["string", "integer"]
    else:
        out["type"] = spec.type
        if spec.pattern:
            out["pattern"] = spec.pattern
    if spec.description:
        out["description"] = spec.description
    return out
