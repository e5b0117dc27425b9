"""List where subq's ratings differ from the TripSit combination chart.

TripSit's chart is a checklist of pairs to look at, never a source (docs/interactions.md), so
its data is not shipped: pass the path of a local copy of its `combos.json` (from the public
TripSit/drugs repository). Prints a Markdown table of the pairs among the 60 substances people
ask about most (tests/data/common-substances.txt) whose rating differs, with the rule that
decided ours and its evidence grade.

    python data/tripsit_diff.py /path/to/combos.json > /tmp/diff.md
"""

from __future__ import annotations

import json
import sys
from itertools import combinations
from pathlib import Path

#: Our substance id -> TripSit's group name (substances it has no group for are skipped).
GROUPS = {
    **dict.fromkeys(["fentanyl", "heroin", "oxycodone", "hydrocodone", "morphine", "codeine",
                     "methadone", "buprenorphine", "hydromorphone"], "opioids"),
    "tramadol": "tramadol",
    **dict.fromkeys(["alprazolam", "clonazepam", "diazepam", "lorazepam", "etizolam"],
                    "benzodiazepines"),
    "alcohol": "alcohol", "ghb": "ghb/gbl", "gbl": "ghb/gbl", "pregabalin": "pregabalin",
    "caffeine": "caffeine", "cannabis": "cannabis", "cocaine": "cocaine",
    **dict.fromkeys(["amphetamine", "methamphetamine", "lisdexamfetamine"], "amphetamines"),
    "mephedrone": "mephedrone", "mdma": "mdma", "lsd": "lsd", "psilocybin": "mushrooms",
    "dmt": "dmt", "mescaline": "mescaline", "ketamine": "ketamine",
    "dextromethorphan": "dextromethorphan", "nitrous-oxide": "nitrous", "lithium": "lithium",
    **dict.fromkeys(["sertraline", "fluoxetine", "escitalopram", "citalopram", "paroxetine"],
                    "ssris"),
    "phenelzine": "maois", "diphenhydramine": "diphenhydramine",
}
RANK = {"dangerous": 0, "unsafe": 1, "caution": 2, "low-risk": 3}


def tripsit_rating(status: str) -> str:
    s = status.lower()
    return "low-risk" if s.startswith("low risk") else s


def main(combos_path: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_interactions_coverage import _rate_all  # the same ratings the test counts

    combos = json.loads(Path(combos_path).read_text(encoding="utf-8"))
    names, pairs = _rate_all()
    rows, same, compared = [], 0, 0
    for a, b in combinations(names, 2):
        ga, gb = GROUPS.get(a), GROUPS.get(b)
        if not ga or not gb or ga == gb:
            continue
        theirs = (combos.get(ga, {}).get(gb) or {}).get("status")
        if not theirs:
            continue
        compared += 1
        pair = pairs[(a, b)]
        ours, them = pair["rating"], tripsit_rating(theirs)
        if ours == them:
            same += 1
            continue
        top = pair["reasons"][0] if pair["reasons"] else None
        ref = top["rule"] if top else {}
        rule = ref.get("id") or (f"{ref['a']} + {ref['b']}" if ref else "-")
        way = "stricter" if ours in RANK and RANK[ours] < RANK.get(them, 9) else (
            "no rating" if ours == "unknown" else "milder")
        rows.append((a, b, ours, theirs, way, rule, top["evidence"] if top else "-"))
    print(f"{compared} pairs compared, {same} the same, {len(rows)} different "
          f"({sum(r[4] == 'stricter' for r in rows)} stricter here, "
          f"{sum(r[4] == 'milder' for r in rows)} milder here, "
          f"{sum(r[4] == 'no rating' for r in rows)} not rated here).\n")
    print("| pair | subq | TripSit | here | deciding rule | evidence |")
    print("|---|---|---|---|---|---|")
    for a, b, ours, theirs, way, rule, ev in rows:
        print(f"| {a} + {b} | {ours} | {theirs} | {way} | `{rule}` | {ev} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
