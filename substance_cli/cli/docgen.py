"""Generate docs/commands.md from the commands themselves, so the reference cannot drift.

`python -m substance_cli.cli.docgen > docs/commands.md` rewrites it; a test fails when the file
differs from what this prints.
"""

from __future__ import annotations

import sys

import typer

from substance_cli.cli.app import EPILOG, app


def walk_commands(group, ctx):
    """(name, command, context) for every visible command, groups and their members."""
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        sub = typer.Context(cmd, info_name=name, parent=ctx)
        yield name, cmd, sub
        if hasattr(cmd, "list_commands"):
            yield from walk_commands(cmd, sub)


def commands_markdown() -> str:
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="subq")
    out = ["# Command reference", "",
           "Generated from the commands' own help by `python -m substance_cli.cli.docgen`; "
           "do not edit by hand.", "", EPILOG, ""]
    for _name, cmd, sub in walk_commands(group, ctx):
        usage = " ".join(cmd.get_usage(sub).replace("Usage:", "").split())
        out += [f"## {sub.command_path}", "", "```", usage, "```", ""]
        out += [line.rstrip() for line in (cmd.help or "").strip().splitlines()] + [""]
        rows = []
        for param in cmd.params:
            if param.name == "help":
                continue
            record = param.get_help_record(sub) if hasattr(param, "get_help_record") else None
            if record:
                rows.append(f"| `{record[0]}` | {record[1].replace('|', '/')} |")
            elif param.param_type_name == "argument":
                rows.append(f"| `{param.human_readable_name}` | "
                            f"{(getattr(param, 'help', '') or '').replace('|', '/')} |")
        if rows:
            out += ["| option | meaning |", "|---|---|", *rows, ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(commands_markdown())
