"""The shared leaf: errors, text folding and cleaning, units and ranges, fact wording.

Every stage may import from here; nothing here imports another part of subq.
"""
