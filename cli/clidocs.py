"""The command-line reference in docs/cli.md, generated from the click commands.

A test regenerates it and compares, so the docs cannot fall behind the CLI
(the Datasette habit of tested docs).
"""

from __future__ import annotations

from pathlib import Path

import click

from diplograph.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DOC_FILE = ROOT / "docs" / "cli.md"


def _commands(group: click.Group, prefix: str):
    ctx = click.Context(group, info_name=prefix)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        full = f"{prefix} {name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from _commands(command, full)


def command_names() -> list[str]:
    return [name for name, _ in _commands(main, "diplograph")]


def render() -> str:
    parts = [
        "# Command-line reference",
        "",
        "Generated from the commands themselves by `python -m diplograph.cli.clidocs`;",
        "a test fails when this file is out of date.",
        "",
    ]
    for full, command in [("diplograph", main), *_commands(main, "diplograph")]:
        ctx = click.Context(command, info_name=full, terminal_width=88, max_content_width=88)
        help_text = command.get_help(ctx).replace("Usage: ", "", 1)
        parts += [f"## `{full}`", "", "```", help_text, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    DOC_FILE.write_text(render(), encoding="utf-8")
    print(f"Wrote {DOC_FILE.relative_to(ROOT)}")
