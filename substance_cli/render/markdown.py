"""The Markdown renderer: answers to paste into notes and handouts.

Draws the same blocks as the other renderers (blocks.py); every piece of knowledge text goes
through `clean` and is escaped, so nothing in a file can steer a terminal or break a table.
"""

from __future__ import annotations

from substance_cli.common.text import clean
from substance_cli.render.blocks import Block, cite_mark, source_line


def markdown(blocks: list[Block]) -> str:
    out: list[str] = []

    def esc(text: str) -> str:
        return clean(text).replace("|", "\\|").replace("<", "&lt;")

    for b in blocks:
        if b.kind == "title":
            out.append(f"# {esc(b.text)}\n")
            continue
        if b.heading and b.kind not in ("verdict", "list"):
            out.append(f"## {esc(b.heading)}\n")
        if b.kind == "verdict":
            out.append(f"## {esc(b.heading)}\n\n**{b.word}**: {esc(b.text)}{cite_mark(b.cites)}\n")
        elif b.kind == "para":
            out.append(f"{esc(b.text)}{cite_mark(b.cites)}\n")
        elif b.kind == "facts":
            out.extend(f"- **{esc(label)}**: {esc(value)}{cite_mark(cites)}"
                       for label, value, cites in b.items)
            out.append("")
        elif b.kind == "bullets":
            out.extend(f"- {esc(text)}{cite_mark(cites)}" for text, cites in b.items)
            out.append("")
        elif b.kind == "chart":
            out.extend(f"- {esc(bar['label'])}: {esc(bar['text'])}"
                       + (f"; {esc(bar['note'])}" if bar.get("note") else "")
                       + cite_mark(bar["cites"]) for bar in b.items)
            out.append("")
        elif b.kind == "table":
            out.append("| " + " | ".join(esc(c) for c in b.columns) + " |")
            out.append("|" + "---|" * len(b.columns))
            out.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in b.items)
            out.append(f"\n{esc(b.text)}\n" if b.text else "")
        elif b.kind == "commands":
            out.extend(f"- `{esc(cmd)}`" + (f": {esc(why)}" if why else "")
                       for cmd, why in b.items)
            out.append("")
        elif b.kind == "sources":
            out.extend(f"{s['n']}. {esc(source_line(s))}" for s in b.items)
            out.append("")
        elif b.kind == "list":
            out.extend(f"- `{esc(i)}` {esc(n)}" + (f" ({v})" if v else "")
                       for i, n, v, _via in b.items)
            out.append("")
        elif b.kind == "footer":
            out.extend(f"_{esc(line)}_\n" for line in b.items)
    return "\n".join(out).rstrip() + "\n"
