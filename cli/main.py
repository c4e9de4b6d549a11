"""The `diplograph` command: a thin layer over the library functions.

The group is here; the commands live by what they work on (commands_data: curated data,
commands_builds: finished builds, commands_query: the catalogue, commands_ontology,
commands_serve: the web app, draft). Each is imported when it is run: importing them all
took 1.2 s of every command's start, the web app's 0.5 s of it, where `build` needs 0.6 s.

`run` is the installed program: `main`, then, for a command that asked (`exit_at_once`),
an end without the interpreter's teardown.
"""

from __future__ import annotations

import importlib
import os
import sys
from importlib.metadata import version as _dist_version

import click

#: Each command, by name: the module that defines it and the command's name there.
COMMANDS = {
    "build": ("diplograph.cli.commands_data", "build_cmd"),
    "check-excerpts": ("diplograph.cli.commands_data", "check_excerpts_cmd"),
    "diff": ("diplograph.cli.commands_builds", "diff_cmd"),
    "draft": ("diplograph.cli.draft", "draft"),
    "export": ("diplograph.cli.commands_builds", "export_cmd"),
    "ontology": ("diplograph.cli.commands_ontology", "ontology"),
    "push": ("diplograph.cli.commands_builds", "push_cmd"),
    "query": ("diplograph.cli.commands_query", "query_cmd"),
    "serve": ("diplograph.cli.commands_serve", "serve"),
    "validate": ("diplograph.cli.commands_data", "validate_cmd"),
}


class _LazyGroup(click.Group):
    """A group whose commands are imported when asked for (click's lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        command = getattr(importlib.import_module(module), attribute)
        if command.name != name:
            raise RuntimeError(f"{module}.{attribute} is named {command.name!r}, not {name!r}")
        return command


@click.group(cls=_LazyGroup)
@click.version_option(_dist_version("diplograph"), prog_name="diplograph")
def main() -> None:
    """diplograph: a knowledge graph of summit diplomacy from curated, sourced facts."""


#: Set by a command that has nothing left to tidy when it returns (see `exit_at_once`).
_at_once = False


def exit_at_once() -> None:
    """Ask `run` to end this process without tearing the interpreter down once the command
    returns. For a command whose files are closed and whose children are waited for
    (`build`, once it has published): the teardown frees every object and module one by
    one, 0.07 s of the 1.0 s a one-edit build of the real data takes in a fresh process
    (docs/benchmarks.md, session 9), and the next command waits for it. No effect when the
    command is invoked otherwise than by `run` (click's test runner, a library caller)."""
    global _at_once
    _at_once = True


def run() -> None:
    """The `diplograph` program (pyproject's script): `main` in click's standalone mode,
    which ends with SystemExit; a command that called `exit_at_once` then ends with
    `os._exit` and the same status, its output flushed, skipping the teardown."""
    try:
        main()
    except SystemExit as exc:
        if not _at_once:
            raise
        code = exc.code
        if isinstance(code, str):  # what SystemExit would have printed
            print(code, file=sys.stderr)
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)
