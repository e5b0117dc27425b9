"""Time ranges: the units knowledge files use, and how a range reads.

Both answers (charts carry hours) and renderers (bars and labels) need these, so they live in
the shared leaf rather than in either stage.
"""

from __future__ import annotations

from typing import Any

#: Hours in one of each unit a knowledge file may use (months and years are averages).
UNIT_HOURS = {"seconds": 1 / 3600, "minutes": 1 / 60, "hours": 1, "days": 24, "weeks": 168,
              "months": 730, "years": 8760}


def to_hours(value: float, unit: str) -> float:
    """`value` `unit`s in hours: the common axis of every chart."""
    return value * UNIT_HOURS[unit]


def number(x: float) -> str:
    """A figure as a person writes it: 2 not 2.0, 0.5 not .5000."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def format_range(r: dict[str, Any]) -> str:
    """`{"min": 1, "max": 3, "unit": "days"}` as "1–3 days" (one figure when they match)."""
    lo, hi = number(r["min"]), number(r["max"])
    if lo == hi:
        return f"{lo} {r['unit']}"
    return f"{lo}–{hi} {r['unit']}"
