"""Names shared by the interaction rules and the code that reads them, kept in a module with
no imports: `mix` needs them on every answer, and the model (schema.py) costs start-up time.
"""

from __future__ import annotations

#: Keys under which property and combination rules are stored beside pair rules; ids cannot
#: contain a colon, so these never meet a substance or class id.
PROPERTY_PREFIX = "property:"
COMBINATION_PREFIX = "combination:"

#: Pharmacological properties that interaction rules reason about, each with what it means.
#: A class's properties are inherited by its members; see docs/interactions.md.
PROPERTIES: dict[str, str] = {
    "opioid-agonist": "activates opioid receptors; slows breathing (opioid labels box-warn "
                      "about every other CNS depressant)",
    "cns-depressant": "slows the brain: sedation and, at higher doses or combined, slower "
                      "breathing",
    "serotonergic": "raises serotonin activity; adds to the risk of serotonin syndrome",
    "maoi": "blocks monoamine oxidase, the enzyme that breaks down serotonin, noradrenaline "
            "and dopamine",
    "lowers-seizure-threshold": "makes seizures more likely",
    "stimulant": "sympathomimetic: raises heart rate, blood pressure and body temperature",
    "qt-prolonging": "lengthens the QT interval of the heart rhythm (risk of torsades de "
                     "pointes)",
    "cyp3a4-inhibitor": "slows the liver enzyme CYP3A4, so drugs it clears build up",
    "cyp3a4-inducer": "speeds up CYP3A4, so drugs it clears fall (and rise again when the "
                      "inducer stops)",
    "cyp2d6-inhibitor": "slows the liver enzyme CYP2D6",
    "cyp2b6-inhibitor": "slows the liver enzyme CYP2B6",
    "cleared-by-cyp3a4": "cleared mainly by CYP3A4, where a label says it matters",
    "cleared-by-cyp2d6": "cleared or activated by CYP2D6, where a label says it matters",
    "cleared-by-cyp2b6": "cleared partly by CYP2B6, where a label says it matters",
}
#: Strength of a property, weakest first; a property without one counts as strong.
STRENGTHS = ("weak", "moderate", "strong")
