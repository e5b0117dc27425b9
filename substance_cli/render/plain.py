"""The plain-text renderer: no escape codes, no box drawing.

Plain text reads cleanly in a pipe, a log or a screen reader. It draws the same blocks as the
other renderers (blocks.py) and passes every piece of knowledge text through `clean`, so
nothing in a file can steer the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from substance_cli.common.text import clean
from substance_cli.render.blocks import Block, cite_mark, source_line

_WORD = re.compile(r"\S+")


def wrap_words(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy word wrap: `first` starts the first line, `rest` the others; runs of whitespace
    become one space. (textwrap does this and more, at several times the cost, and plain
    output wraps every line of an answer.)"""
    text = " ".join(text.split())
    spans = line_spans(text, width - len(first), width - len(rest))
    return [(rest if i else first) + text[a:b] for i, (a, b) in enumerate(spans)]


def line_spans(text: str, first_width: int, width: int,
               measure: Callable[[str], int] = len) -> list[tuple[int, int]]:
    """Where greedy word wrapping breaks `text`: (start, end) of each line, in characters.

    The first line holds `first_width` cells, the others `width`; `measure` gives a word's
    width in cells (`len`, or Rich's `cell_len` for wide characters). Spaces at a break are
    dropped; spaces starting the text are kept as the first line's indent. A word longer than
    a line (a URL) starts a new line and is cut; nothing is ever lost or wider than its line.
    """
    spans: list[tuple[int, int]] = []
    # The current line is text[start:end], `used` cells wide; `bare` while it holds no word
    # yet (only the indent: spaces starting the text belong to the first line). Words are
    # found by a regular expression: a loop over characters cost milliseconds per answer.
    lead = len(text) - len(text.lstrip())
    start, end, used, bare = 0, lead, measure(text[:lead]), True
    limit = first_width
    by_len = measure is len  # then widths are differences of offsets: no slicing
    for match in _WORD.finditer(text):
        i, j = match.span()
        while i < j:
            word = j - i if by_len else measure(text[i:j])
            gap = 0 if bare else i - end if by_len else measure(text[end:i])
            if used + gap + word <= limit:
                start = start if used else i
                used, end, i, bare = used + gap + word, j, j, False
            elif not bare:
                spans.append((start, end))
                used, limit, bare = 0, width, True
            else:  # a word longer than a whole line: cut it
                k = _fit(text, i, j, max(1, limit - used), measure)
                spans.append((start if used else i, k))
                used, limit, i = 0, width, k
    if not bare:
        spans.append((start, end))
    return spans


def _fit(text: str, i: int, j: int, room: int, measure: Callable[[str], int]) -> int:
    """The end of the longest piece text[i:k] (k > i) that fits in `room` cells."""
    k = min(j, i + room)
    while k > i + 1 and measure(text[i:k]) > room:
        k -= 1
    return k


def plain(blocks: list[Block], width: int = 80) -> str:
    width = max(40, min(width, 120))
    out: list[str] = []

    def wrap(text: str, indent: str = "", first: str | None = None) -> None:
        lines = wrap_words(clean(text), width, indent if first is None else first, indent)
        out.extend(lines or [first or indent])

    for b in blocks:
        if out and b.kind != "title":
            out.append("")
        if b.heading and b.kind not in ("verdict", "list"):
            out.append(clean(b.heading))
        if b.kind == "title":
            out.append(clean(b.text))
        elif b.kind == "verdict":
            out.append(clean(b.heading))
            wrap(b.text + cite_mark(b.cites), "  ", f"{b.word}  ")
        elif b.kind == "para":
            wrap(b.text + cite_mark(b.cites), "  ")
        elif b.kind == "facts":
            for label, value, cites in b.items:
                wrap(f"{label}: {value}{cite_mark(cites)}", "    ", "  ")
        elif b.kind == "bullets":
            for text, cites in b.items:
                wrap(text + cite_mark(cites), "    ", "  - ")
        elif b.kind == "chart":
            for bar in b.items:
                note = f"; {bar['note']}" if bar.get("note") else ""
                wrap(f"{bar['label']}: {bar['text']}{note}{cite_mark(bar['cites'])}", "    ",
                     "  ")
        elif b.kind == "table":
            header = b.columns
            for row in b.items:
                out.append(f"  {clean(row[0])}")
                for name, value in zip(header[1:], row[1:], strict=True):
                    wrap(f"{name}: {value}", "        ", "    ")
            if b.text:
                out.append(f"  ({b.text})")
        elif b.kind == "commands":
            for command, why in b.items:
                wrap(why, "      ", f"  {clean(command)}  -- ") if why else out.append(
                    f"  {clean(command)}")
        elif b.kind == "sources":
            for s in b.items:
                wrap(source_line(s), "       ", f"  [{s['n']}] ")
        elif b.kind == "list":
            for ident, name, verdict, via in b.items:
                extra = f"\t{verdict}" if verdict else ""
                extra += f"\tvia {via}" if via else ""
                out.append(f"{clean(ident)}\t{clean(name)}{clean(extra)}")
        elif b.kind == "footer":
            for line in b.items:
                wrap(line)
    return "\n".join(out) + "\n"
