"""Checks on knowledge files: one file against the model, then the whole set together.

Every problem has a stable code (docs/validation.md) and a position, so an author who is not a
programmer can go straight to the line. Checks never stop at the first problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from substance_cli.common.text import clean, has_control
from substance_cli.kb.rulekeys import COMBINATION_PREFIX, PROPERTY_PREFIX  # noqa: F401
from substance_cli.kb.schema import SOURCES, Spec
from substance_cli.kb.yamlsafe import Document, KeyPath

CODES: dict[str, str] = {
    "SUBQ001": "YAML syntax error",
    "SUBQ002": "wrong type",
    "SUBQ003": "missing required field",
    "SUBQ004": "unknown field",
    "SUBQ005": "duplicate id or key",
    "SUBQ006": "name claimed by two entries",
    "SUBQ007": "reference to something that does not exist",
    "SUBQ008": "cycle in class parents",
    "SUBQ009": "source without URL, DOI or PMID",
    "SUBQ010": "malformed URL, DOI or PMID",
    "SUBQ011": "value not allowed",
    "SUBQ012": "fact without a source",
    "SUBQ013": "last-checked date in the future or too old",
    "SUBQ014": "verdict note missing",
    "SUBQ015": "control characters or terminal escapes in text",
    "SUBQ016": "unsafe YAML tag",
    "SUBQ017": "file too large or too deeply nested",
    "SUBQ018": "file name does not match id",
    "SUBQ019": "file outside the known folders",
    "SUBQ020": "a card's US schedule differs from the schedules table",
    "SUBQ021": "stigmatising wording",
    "SUBQ022": "a card's figures differ from a topic's without a note",
    "SUBQ023": "opioid or depressant card without a naloxone answer",
    "SUBQ024": "the same pair is rated twice",
}
WARNING_CODES = {"SUBQ013", "SUBQ018", "SUBQ019", "SUBQ020", "SUBQ021", "SUBQ022",
                 "SUBQ024"}
DEFAULT_MAX_AGE_DAYS = 730
#: Errors that are reported but do not hide the item: a source with a bad address is still
#: the source the facts cite, and dropping it would make every citing fact dangle.
_KEEPS_ITEM = {"SUBQ009", "SUBQ010"}

#: Words that label people by their drug use (NIDA, "Words Matter"), as folded word runs.
#: Titles of sources are not checked: a source keeps the title it was published under.
_STIGMA = ("addict", "addicts", "abuser", "abusers", "junkie", "junkies", "drug abuse",
           "drugs of abuse", "substance abuse", "drug users", "drug user", "dirty urine",
           "clean urine", "dirty test", "dirty drug test", "stay clean", "staying clean",
           "got clean", "get clean")


def stigmatising_term(text: str) -> str | None:
    """The first stigmatising word or phrase in `text`, if any. Capitalised, it is a name
    (the "National Institute on Drug Abuse", the "Synthetic Drug Abuse Prevention Act") and
    stays as it is."""
    words = " " + " ".join(re.findall(r"[\w']+", clean(text))) + " "
    for term in _STIGMA:
        if f" {term} " in words or words.startswith(f" {term.capitalize()} "):
            return term
    return None


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^\d{1,9}$")
_ACCESSED = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@dataclass(frozen=True)
class Problem:
    """One finding, printed as `path:line:column: CODE message`."""

    path: str
    line: int
    column: int
    code: str
    message: str

    @property
    def severity(self) -> str:
        return "warning" if self.code in WARNING_CODES else "error"

    def __str__(self) -> str:
        label = " warning:" if self.severity == "warning" else ""
        return clean(f"{self.path}:{self.line}:{self.column}: {self.code}{label} "
                     f"{self.message}")


@dataclass(frozen=True)
class Reference:
    """A value that names another entry, checked once the whole set is known."""

    kind: str  # class | substance | entry | source | substance-or-class
    value: str
    line: int
    column: int


#: Places the whole-set checks point at; kept after parsing so the tree can be dropped.
ANCHORS = (("id",), ("names",), ("parents",), ("review", "last_checked"), ("timeline",),
           ("legal", "us_schedule"), ("withdrawal",))

class FileChecker:
    """Validates and normalises one parsed file against its `Spec`."""

    def __init__(self, doc: Document, filename: str):
        self.doc = doc
        self.filename = filename
        self.problems: list[Problem] = []
        self.refs: list[Reference] = []
        #: Paths of values with errors: list files (sources, pairs) drop just those items.
        self.error_paths: list[KeyPath] = []

    def report(self, path: KeyPath, code: str, message: str, key: bool = False) -> None:
        line, col = self.doc.where(path, key=key)
        self.problems.append(Problem(self.filename, line, col, code, message))
        if code not in WARNING_CODES and code not in _KEEPS_ITEM:
            self.error_paths.append(tuple(path))

    def anchors(self) -> dict[str, tuple[int, int]]:
        """Positions the whole-set checks need, keyed by dotted path ("sources.3")."""
        out = {".".join(map(str, p)): self.doc.where(p) for p in ANCHORS}
        data = self.doc.data
        for listed in ("sources", "pairs"):
            if isinstance(data, dict) and isinstance(data.get(listed), list):
                for i in range(len(data[listed])):
                    out[f"{listed}.{i}"] = self.doc.where((listed, i))
        return out

    def check(self, spec: Spec) -> Any:
        for path, line, col in self.doc.duplicate_keys:
            self.problems.append(Problem(self.filename, line, col, "SUBQ005",
                                         f"key {path[-1]!r} appears twice in one mapping"))
        if self.doc.data is None:
            self.report((), "SUBQ003", "the file is empty")
            return None
        return self.walk(self.doc.data, spec, ())

    def walk(self, value: Any, spec: Spec, path: KeyPath) -> Any:  # noqa: C901 - one switch on type
        where = _describe(path)
        if spec.type == "object":
            if not isinstance(value, dict):
                self.report(path, "SUBQ002", f"{where}: expected a mapping (key: value lines), "
                            f"got {_type_name(value)}")
                return None
            out = {}
            for key, item in value.items():
                child = (*path, key)
                if key not in spec.fields:
                    hint = difflib.get_close_matches(key, list(spec.fields), n=1, cutoff=0.6)
                    tip = f"; did you mean {hint[0]!r}?" if hint else (
                        f"; allowed: {', '.join(spec.fields)}")
                    self.report(child, "SUBQ004", f"unknown field {key!r} in {where}{tip}",
                                key=True)
                    continue
                if item is None:
                    continue  # `field: null` or an empty value means "not recorded"
                out[key] = self.walk(item, spec.fields[key], child)
            for key in spec.required:
                if key not in value or value[key] is None:
                    if key == "sources" and spec.sourced:
                        continue  # reported below as a fact without a source
                    self.report(path, "SUBQ003", f"{where}: missing required field {key!r}")
            if spec.sourced and not value.get("sources"):
                self.report(path, "SUBQ012", f"{where}: facts need a `sources:` list of "
                            "bibliography keys")
            self._object_rules(out, path)
            return out
        if spec.type == "array":
            if value is None:
                return []
            if not isinstance(value, list):
                if spec is SOURCES and isinstance(value, str):
                    value = [value]
                else:
                    self.report(path, "SUBQ002", f"{where}: expected a list, got "
                                f"{_type_name(value)}")
                    return []
            assert spec.items is not None
            return [self.walk(item, spec.items, (*path, i)) for i, item in enumerate(value)]
        if spec.type == "enum":
            if isinstance(value, bool) and ("yes" in spec.values or "no" in spec.values):
                value = "yes" if value else "no"
            if value not in spec.values:
                allowed = ", ".join(str(v) for v in spec.values)
                self.report(path, "SUBQ011", f"{where}: {value!r} is not one of: {allowed}")
                return None
            return value
        if spec.type == "string":
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not spec.ref \
                    and not spec.pattern:
                value = str(value)
            if not isinstance(value, str):
                self.report(path, "SUBQ002", f"{where}: expected text, got {_type_name(value)}")
                return None
            if has_control(value):
                self.report(path, "SUBQ015", f"{where}: contains control characters or "
                            "terminal escape sequences; remove them")
            if spec.pattern and not re.match(spec.pattern, value):
                self.report(path, "SUBQ011", f"{where}: {value!r} must be a lower-case slug "
                            "(letters, digits, hyphens)")
            if spec.ref:
                self.refs.append(Reference(spec.ref, value, *self.doc.where(path)))
            if spec.own_words:
                term = stigmatising_term(value)
                if term:
                    self.report(path, "SUBQ021", f"{where}: {term!r} labels people or their "
                                "use; write person-first (\"people who use drugs\", "
                                "\"substance use disorder\", \"return to use\")")
            return value
        if spec.type in ("number", "integer"):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if spec.type == "integer":
                ok = isinstance(value, int) and not isinstance(value, bool)
            if not ok:
                self.report(path, "SUBQ002", f"{where}: expected a number, got "
                            f"{_type_name(value)}")
                return None
            return value
        if spec.type == "boolean":
            if not isinstance(value, bool):
                self.report(path, "SUBQ002", f"{where}: expected true or false, got "
                            f"{_type_name(value)}")
                return None
            return value
        if spec.type == "date":
            if not isinstance(value, str) or not _DATE.match(value):
                self.report(path, "SUBQ002", f"{where}: expected a date as YYYY-MM-DD")
                return None
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                self.report(path, "SUBQ011", f"{where}: {value!r} is not a real date")
                return None
            return value
        if spec.type == "scalar":
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                self.report(path, "SUBQ002", f"{where}: expected text or a number")
                return None
            return str(value)
        raise AssertionError(f"unknown spec type {spec.type}")

    def _object_rules(self, out: dict[str, Any], path: KeyPath) -> None:
        """Rules that concern several fields of one object."""
        where = _describe(path)
        if "min" in out and "max" in out and isinstance(out["min"], (int, float)) \
                and isinstance(out["max"], (int, float)) and out["min"] > out["max"]:
            self.report(path, "SUBQ011", f"{where}: min ({out['min']}) is larger than max "
                        f"({out['max']})")
        if out.get("relation") in ("atypical", "antagonist", "unrelated") and not out.get("note"):
            self.report(path, "SUBQ014", f"{where}: a {out['relation']!r} relation needs a "
                        "`note` that explains the verdict")
        if "key" in out and "title" in out and "publisher" in out:
            self._source_rules(out, path)

    def _source_rules(self, out: dict[str, Any], path: KeyPath) -> None:
        if not any(out.get(k) for k in ("url", "doi", "pmid")):
            self.report(path, "SUBQ009", f"source {out['key']!r} needs a url, doi or pmid")
        checks = (("url", _URL, "a URL starting with http:// or https://"),
                  ("doi", _DOI, "a bare DOI such as 10.1000/xyz"),
                  ("pmid", _PMID, "digits only"))
        for field, pattern, what in checks:
            value = out.get(field)
            if value is not None and not pattern.match(str(value)):
                self.report((*path, field), "SUBQ010", f"source {out['key']!r}: {field} "
                            f"{value!r} is malformed; expected {what}")
        accessed = out.get("accessed")
        if accessed is not None and not _ACCESSED.match(str(accessed)):
            self.report((*path, "accessed"), "SUBQ011", "accessed must be YYYY-MM or YYYY-MM-DD")


def _describe(path: KeyPath) -> str:
    if not path:
        return "the file"
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


#: Classes whose members must say whether naloxone reverses them (SUBQ023): people ask it of
#: every opioid and every sedative, and a silent card reads as "not applicable".
NALOXONE_CLASSES = ("opioid", "depressant")


def rule_ids(interactions: list[dict[str, Any]]) -> set[str]:
    """Every name an `overrides.rules` entry may use: property-rule ids and pairs as a+b."""
    out: set[str] = set()
    for rule in interactions:
        if rule.get("_kind") == "property":
            out.add(rule.get("id", ""))
        elif not rule.get("_kind"):
            out.add(f"{rule['a']}+{rule['b']}")
            out.add(f"{rule['b']}+{rule['a']}")
    return out


def naloxone_gaps(substances: dict[str, dict[str, Any]],
                  classes: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(substance id, message) for each opioid or depressant card with no `naloxone` block."""
    def ancestors(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            c = stack.pop()
            if c in seen or c not in classes:
                continue
            seen.add(c)
            stack.extend(p for p in classes[c].get("parents") or [] if p)
        return seen

    out = []
    for ident, data in substances.items():
        if data.get("naloxone"):
            continue
        found = set()
        for rel in data.get("classes") or []:
            if rel and rel.get("relation") == "member":
                found |= ancestors(rel.get("class", "")) & set(NALOXONE_CLASSES)
        if found:
            what = " and ".join(sorted(found))
            out.append((ident, f"{ident!r} is classed as {what} but has no `naloxone:` block; "
                        "say whether naloxone reverses it, with sources"))
    return out


def date_problem(data: dict[str, Any], today: dt.date, max_age_days: int) -> str | None:
    """The SUBQ013 message for a file's last_checked date, if it is in the future or old.

    Kept apart from the per-file checks because it depends on today's date, while those
    results are cached between runs.
    """
    checked_text = (data.get("review") or {}).get("last_checked")
    if not isinstance(checked_text, str):
        return None
    checked = dt.date.fromisoformat(checked_text)
    if checked > today:
        return f"last_checked {checked} is in the future"
    if (today - checked).days > max_age_days:
        return (f"last_checked {checked} is more than {max_age_days} days old; check the "
                "facts again")
    return None
