"""The knowledge base: knowledge files, their model and checks, and the compiled index.

YAML files are read, checked against `schema`, merged (`loader`) and compiled into an SQLite
index (`index.Store`) that answers read. Nothing here knows about answers, rendering or the
command line: problems are returned as data for the caller to report.
"""
