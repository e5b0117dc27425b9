"""The Rich renderer: panels, tables, colour, bar charts and terminal hyperlinks.

Imported only when output goes to a terminal (or `--format rich`), so plain and JSON answers
never pay for Rich. Every piece of knowledge text is added as a `Text` object, never as markup,
so `[red]` or escape sequences in a file are printed as the characters they are.
"""

from __future__ import annotations

import math
from typing import Any

from rich.box import HEAVY_HEAD
from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from substance_cli.common.text import clean
from substance_cli.render.blocks import Block, cite_mark, source_line
from substance_cli.render.plain import line_spans

_NEWLINE = Segment("\n")
_SPACES = str.maketrans("\t\n\r\x0b\x0c", "     ")
BOLD, DIM, CYAN = Style(bold=True), Style(dim=True), Style(color="cyan")
TONE = {"good": "bold green", "bad": "bold red", "warn": "bold yellow", "info": "bold cyan"}
_TICKS = [(1, "1h"), (6, "6h"), (24, "1d"), (72, "3d"), (168, "1w"), (720, "1mo"),
          (2160, "3mo"), (8760, "1y")]


def T(text: str, style: str = "") -> Text:  # noqa: N802 - reads like a constructor
    return Text(clean(text), style=style)


def render(blocks: list[Block], console: Console) -> None:
    for i, b in enumerate(blocks):
        if i and b.heading and b.kind not in ("verdict",):
            console.print()
        console.print(_draw(b, console.width))


def _draw(b: Block, width: int) -> Any:  # noqa: C901 - one case per block kind
    head = T(b.heading, "bold") if b.heading else None
    if b.kind == "title":
        return Text.assemble("\n", T(b.text, "bold underline"))
    if b.kind == "verdict":
        body = Text.assemble(T(f" {b.word} ", f"reverse {TONE.get(b.tone, 'bold')}"), "  ",
                             T(b.text), T(cite_mark(b.cites), "dim"))
        return Panel(body, title=T(b.heading, "bold"), title_align="left",
                     border_style=TONE.get(b.tone, "").replace("bold ", ""))
    if b.kind == "para":
        body = Text.assemble(T(b.text), T(cite_mark(b.cites), "dim"))
        return Group(head, body) if head else body
    if b.kind in ("facts", "bullets"):
        # Text lines with a hanging indent, not a grid: measuring table columns for every
        # fact would cost more than the whole answer is allowed to take.
        lines = []
        for item in b.items:
            if b.kind == "facts":
                label, value, cites = item
                parts = [("  ", None), (f"{label}: ", BOLD), (value, None),
                         (cite_mark(cites), DIM)]
            else:
                text, cites = item
                parts = [("  • ", None), (text, None), (cite_mark(cites), DIM)]
            lines.append(_Hanging(parts, 4))
        return Group(head, *lines) if head else Group(*lines)
    if b.kind == "chart":
        return Group(head or Text(""), _chart(b.items, width))
    if b.kind == "table" and (width - 16) // max(1, len(b.columns) - 1) < 18:
        return _stacked(b)
    if b.kind == "table":
        table = _table(b)
        return Group(table, T(b.text, "dim")) if b.text else table
    if b.kind == "commands":
        lines = [_Hanging([("  ", None), (cmd, CYAN), (f"  {why}" if why else "", DIM)], 6)
                 for cmd, why in b.items]
        return Group(head, *lines) if head else Group(*lines)
    if b.kind == "sources":
        lines = []
        for s in b.items:
            url = s.get("url") or (f"https://doi.org/{s['doi']}" if s.get("doi") else None)
            link = Style(link=clean(url)) if url else None
            lines.append(_Hanging([(f"[{s['n']}] ", DIM + link if link else DIM),
                                   (source_line(s), link)], 4))
        return Group(head, *lines) if head else Group(*lines)
    if b.kind == "list":
        table = Table(box=None, show_header=False)
        table.add_column(style="cyan")
        table.add_column()
        table.add_column(style="dim")
        for ident, name, verdict, via in b.items:
            table.add_row(T(ident), T(name), T(" ".join(x for x in (verdict, via and
                                                                   f"via {via}") if x)))
        return table
    if b.kind == "footer":
        return Group(Text(""), *[T(line, "dim") for line in b.items])
    return Text("")


class _Hanging:
    """Styled runs of text drawn as lines whose continuations start `indent` columns in.

    Rich has no hanging indent; a two-column grid per line is the library's way, but it
    measured 7 to 11 ms more per answer with many facts and sources, which takes
    `compare --format rich` past its target (docs/performance.md, "Speed tricks"). So this
    wraps the runs' text itself (`line_spans`: the same greedy wrap as plain output) and
    yields segments directly.
    """

    def __init__(self, parts: list[tuple[str, Style | None]], indent: int):
        # Whitespace characters become spaces one for one, so offsets stay valid.
        self.parts = [(clean(text).translate(_SPACES), style) for text, style in parts if text]
        self.indent = indent

    def __rich_console__(self, console: Any, options: Any) -> Any:
        text = "".join(t for t, _ in self.parts)
        width = max(10, options.max_width - self.indent)
        measure = len if text.isascii() else cell_len
        pad = Segment(" " * self.indent)
        for n, (start, end) in enumerate(line_spans(text, width, width, measure)):
            if n:
                yield pad
            pos = 0
            for part, style in self.parts:
                if pos < end and pos + len(part) > start:
                    yield Segment(part[max(start - pos, 0):end - pos], style)
                pos += len(part)
            yield _NEWLINE


def _table(b: Block) -> Table:
    """The comparison as a boxed table: field names in a narrow first column (rows where the
    entries differ in yellow), one equal column per entry."""
    first = min(14, max(cell_len(clean(row[0])) for row in [b.columns, *b.items]))
    table = Table(box=HEAVY_HEAD)
    table.add_column(T(b.columns[0]), width=first, style="bold")
    for name in b.columns[1:]:
        table.add_column(T(name, "bold"), ratio=1)
    for row in b.items:
        label = T(row[0], "bold yellow" if row[0].endswith("*") else "bold")
        table.add_row(label, *[T(cell) for cell in row[1:]])
    return table


def _stacked(b: Block) -> Group:
    """A comparison too wide for the terminal: one row at a time, nothing cut off."""
    parts: list[Any] = []
    for row in b.items:
        differ = row[0].endswith("*")
        parts.append(T(row[0], "bold yellow" if differ else "bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column(ratio=1)
        for name, value in zip(b.columns[1:], row[1:], strict=True):
            grid.add_row(T(name), T(value))
        parts.append(grid)
    if b.text:
        parts.append(T(b.text, "dim"))
    return Group(*parts)


def _chart(bars: list[dict[str, Any]], width: int) -> Group:
    """Horizontal bars on one logarithmic time axis, labelled from an hour to a year."""
    lo = min(min(b["min_hours"] for b in bars), 1.0)
    hi = max(max(b["max_hours"] for b in bars), 24.0)
    lo, hi = max(lo, 1 / 60), hi * 1.2
    label_w = min(max(len(b["label"]) for b in bars), max(10, width // 3))
    text_w = max(len(b["text"]) for b in bars)
    axis_w = max(10, width - label_w - text_w - 8)

    def pos(hours: float) -> int:
        hours = min(max(hours, lo), hi)
        return round((math.log(hours) - math.log(lo)) / (math.log(hi) - math.log(lo))
                     * (axis_w - 1))

    # Rows of Text, not a grid: every cell has a known width, so there is nothing to measure.
    label_col = min(max(cell_len(clean(b["label"])) for b in bars), label_w)
    rows = []
    for b in bars:
        start, end = pos(b["min_hours"]), pos(b["max_hours"])
        bar = " " * start + "█" * max(1, end - start + 1)
        label = T(b["label"])
        label.truncate(label_col, overflow="ellipsis", pad=True)
        rows.append(_row(width, label, " ", Text(bar.ljust(axis_w), "cyan"), " ",
                         T(b["text"], "dim")))
    axis = [" "] * axis_w
    for hours, label in _TICKS:
        if lo <= hours <= hi:
            p = pos(hours)
            if all(c == " " for c in axis[p:p + len(label) + 1]):
                axis[p:p + len(label)] = list(label)
    rows.append(_row(width, " " * label_col, " ", Text("".join(axis)[:axis_w], "dim"), " ",
                     Text("log time", "dim")))
    return Group(*rows)


def _row(width: int, *parts: Text | str) -> Text:
    """One line of a chart, never wider than the terminal."""
    line = Text.assemble(*parts, no_wrap=True)
    line.truncate(width)
    return line
