"""subq: offline, sourced answers about psychoactive substances."""

__version__ = "0.1.0"
#: Version of the knowledge-file format this client reads (docs/knowledge-format.md).
FORMAT_VERSION = 1
#: Version of the `--json` document shape (docs/json.md).
JSON_VERSION = 1
