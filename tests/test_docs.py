"""Docs that cannot drift: the command reference is generated, every command has an example."""

from __future__ import annotations

from pathlib import Path

import typer

from substance_cli.cli import app
from substance_cli.docgen import commands_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_commands_md_is_up_to_date():
    assert (DOCS / "commands.md").read_text(encoding="utf-8") == commands_markdown(), (
        "docs/commands.md is stale: run `python -m substance_cli.docgen > docs/commands.md`")


def test_every_command_has_help_with_an_example():
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="subq")
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd.help and "Example: subq " in cmd.help, name


def test_every_command_is_in_the_readme_or_reference():
    reference = (DOCS / "commands.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="subq")
    for name in group.list_commands(ctx):
        assert f"## subq {name}" in reference


def test_help_exits_0_for_every_command(cli):
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="subq")
    for name in group.list_commands(ctx):
        r = cli(name, "--help")
        assert r.code == 0, name
        assert "Example: subq" in r.out, name
