"""Docs that cannot drift: the command reference is generated, every command has an example."""

from __future__ import annotations

from pathlib import Path

import typer

from substance_cli.cli.app import app
from substance_cli.cli.docgen import commands_markdown, walk_commands

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_commands_md_is_up_to_date():
    assert (DOCS / "commands.md").read_text(encoding="utf-8") == commands_markdown(), (
        "docs/commands.md is stale: run `python -m substance_cli.cli.docgen > docs/commands.md`")


def all_commands():
    group = typer.main.get_command(app)
    return list(walk_commands(group, typer.Context(group, info_name="subq")))


def test_every_command_has_help_with_an_example():
    for name, cmd, _ in all_commands():
        assert cmd.help and "Example: subq " in cmd.help, name


def test_every_command_is_in_the_reference():
    reference = (DOCS / "commands.md").read_text(encoding="utf-8")
    for _, _, ctx in all_commands():
        assert f"## {ctx.command_path}" in reference


def test_help_exits_0_for_every_command(cli):
    for _, _, ctx in all_commands():
        words = ctx.command_path.split()[1:]
        r = cli(*words, "--help")
        assert r.code == 0, words
        assert "Example: subq" in r.out, words
