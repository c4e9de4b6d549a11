"""The command group (cli/main.py): every command by name, each imported only when run."""

from __future__ import annotations

import os
import subprocess
import sys

import click
from click.testing import CliRunner
from export_builds import MINIMAL, SOURCES

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


def _run(tmp_path, *args: str) -> tuple[subprocess.CompletedProcess, bool]:
    """`run` (the installed program) in a fresh process, with an exit handler that notes
    whether the interpreter was torn down: (the process, whether it was)."""
    marker = tmp_path / "torn-down"
    code = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).touch)\n"
        "from diplograph.cli.main import run\n"
        "run()\n"
    )
    env = dict(os.environ, DIPLOGRAPH_HOME=str(tmp_path / "instance"))
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    return done, marker.exists()


def test_a_published_build_ends_at_once_with_its_output_whole(tmp_path):
    """`build` asks for the quick end once it has published: the process skips the
    teardown (the exit handler never runs) and still says everything, with status 0."""
    done, torn_down = _run(tmp_path, "build", str(MINIMAL), "--sources", str(SOURCES))
    assert done.returncode == 0, done.stderr
    assert not torn_down
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Build ") and lines[0].endswith(" quads.")
    assert len(lines) > 3 and lines[-1].startswith("  ")  # the counts, the last one too
    assert "Published build" in done.stderr
    assert (tmp_path / "instance" / "current").exists()


def test_other_ends_tear_down_as_usual_with_their_status(tmp_path):
    refused, torn_down = _run(tmp_path, "build", str(tmp_path / "no-such-data"))
    assert refused.returncode != 0 and torn_down
    helped, torn_down = _run(tmp_path, "--help")
    assert helped.returncode == 0 and "build" in helped.stdout and torn_down
