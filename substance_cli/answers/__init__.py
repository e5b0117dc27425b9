"""The questions subq answers, each returning plain data (JSON-ready dicts).

Nothing here knows about terminals or formats; facts come only from the knowledge base, and
every fact shown carries the numbers of its sources.
"""
