"""The command group (cli/main.py): every command by name, each imported only when run."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from diplograph.cli.main import COMMANDS, main


def test_every_command_is_listed_and_loads_under_its_name():
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    for name in COMMANDS:
        assert main.get_command(ctx, name).name == name
    shown = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {name} " in shown for name in COMMANDS)


def test_an_unknown_command_is_refused_by_name():
    result = CliRunner().invoke(main, ["buidl"])
    assert result.exit_code == 2 and "No such command 'buidl'" in result.output


def _imported_after(command: str) -> set[str]:
    """Which of the heavy packages a fresh process has imported once `command` is loaded."""
    code = (
        "import sys, click\n"
        "from diplograph.cli.main import main\n"
        f"main.get_command(click.Context(main), {command!r})\n"
        "print(' '.join(m for m in ('flask', 'granian', 'diplograph.web', 'diplograph.draft')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_a_build_never_imports_the_web_app_and_serve_does():
    assert _imported_after("build") == set()
    assert {"flask", "granian", "diplograph.web"} <= _imported_after("serve")
