"""Read one YAML document safely, keeping the line and column of every value.

PyYAML's composer builds a node tree without running any constructor, so no tag can execute
code here; this module then turns nodes into plain Python values itself, accepting only the
standard scalar tags. Positions let `subq validate` say `path:line:column` for every problem.
Size, depth and node-count limits refuse documents that would exhaust memory (alias bombs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

#: Where a value sits in a document: the keys and list indexes leading to it.
KeyPath = tuple[Any, ...]


class YamlProblem(Exception):
    """A document that cannot be read: syntax, unsafe tag, or too large."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Document:
    """A parsed file: its data and where each value (and each mapping key) stands."""

    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    duplicate_keys: list[tuple[KeyPath, int, int]] = field(default_factory=list)

    def where(self, path: KeyPath, key: bool = False) -> tuple[int, int]:
        """Best known (line, column) for `path`, falling back to its nearest parent."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))


def read(text: str) -> Document:
    """Parse `text` (one YAML document) into a `Document`, or raise `YamlProblem`."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlProblem("SUBQ017", f"file is larger than {MAX_BYTES // 1024} KiB; split it")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise YamlProblem("SUBQ001", f"YAML syntax: {what}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("SUBQ001", f"YAML syntax: {' '.join(str(exc).split())}") from None
    doc = Document(None)
    if node is None:
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    return doc


class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem("SUBQ017", f"document has more than {MAX_NODES} values "
                              "(too many aliases?)", *_pos(node))
        if depth > MAX_DEPTH:
            raise YamlProblem("SUBQ017", f"document is nested deeper than {MAX_DEPTH} levels",
                              *_pos(node))
        self.doc.positions[path] = _pos(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise _unsafe(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem("SUBQ002", "a mapping key must be plain text",
                                      *_pos(key_node))
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlProblem("SUBQ001", "merge keys (<<) are not supported",
                                      *_pos(key_node))
                key = self.scalar(key_node)
                key = key if isinstance(key, str) else str(key)
                child = (*path, key)
                if key in out:
                    self.doc.duplicate_keys.append((child, *_pos(key_node)))
                self.doc.key_positions[child] = _pos(key_node)
                out[key] = self.build(value_node, child, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _unsafe(node)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _unsafe(node)
        value = self.constructor.construct_object(node)
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _unsafe(node: yaml.Node) -> YamlProblem:
    return YamlProblem("SUBQ016", f"tag {node.tag!r} is not allowed: knowledge files hold "
                       "plain text, numbers, lists and mappings only", *_pos(node))
