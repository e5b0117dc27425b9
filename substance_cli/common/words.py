"""Each fact worded once: legal status and naloxone codes turned into words.

Knowledge files and answers hold codes (schedule "III", UK class "B", naloxone "no"); every
command and every format words them through these functions, so `legal`, `show` and
`is-opioid` cannot drift apart. They live in the shared leaf because the JSON answer carries
the worded value beside the codes, and verdict sentences are composed by the answers.
"""

from __future__ import annotations

from typing import Any

#: US federal schedules, in order; "unscheduled" is the code for "not federally controlled".
SCHEDULES = ("I", "II", "III", "IV", "V")

_UK = {"A": "Class A", "B": "Class B", "C": "Class C",
       "unclassified": "not controlled under the Misuse of Drugs Act",
       "temporary": "temporary class drug order",
       "psychoactive-substances-act": "covered by the Psychoactive Substances Act",
       "prescription-only": "prescription-only medicine, not a controlled drug"}

_NALOXONE = {"yes": "reverses it", "partly": "partly reverses it", "no": "does not reverse it",
             "not-applicable": "not applicable"}


def us_status(schedule: str | None, narcotic: bool = False) -> str | None:
    """"Schedule II (narcotic)", "not federally controlled", or None when unknown."""
    if not schedule:
        return None
    if schedule == "unconfirmed":
        return "federal status not confirmed (see the notes)"
    if schedule not in SCHEDULES:
        return "not federally controlled"
    return f"Schedule {schedule}" + (" (narcotic)" if narcotic else "")


def uk_status(code: str | None) -> str | None:
    """"Class B", "prescription-only medicine, not a controlled drug", ... or None."""
    return _UK.get(code, code) if code else None


def legal_line(legal: dict[str, Any]) -> str | None:
    """Both jurisdictions in one line: "US: Schedule III; UK: Class B"."""
    us = us_status(legal.get("us_schedule"), bool(legal.get("us_narcotic")))
    uk = uk_status(legal.get("uk_class"))
    return "; ".join(f"{where}: {what}" for where, what in (("US", us), ("UK", uk))
                     if what) or None


def naloxone(code: str, note: str | None = None) -> str:
    """What naloxone does for it, with the card's note: "does not reverse it. ..."."""
    return _NALOXONE[code] + (f". {note}" if note else "")


def listing(block: dict[str, Any]) -> str:
    """Where the US schedules list it: "21 CFR 1308.11(b), under opiates; DEA code 9815"."""
    text = f"21 CFR {block['cfr']}, under {block['heading']}"
    return text + (f"; DEA code {block['dea_code']}" if block.get("dea_code") else "")
