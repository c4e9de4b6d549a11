"""What several commands share: the --sources option, naming a build, curation problems."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from diplograph.loaders.errors import CurationError
from diplograph.loaders.excerpts import default_sources_dir
from diplograph.store.builds import BUILDS, CURRENT, current_build, instance_dir

BUILD_OPTION = click.option(
    "--build", "build_ref", default=None, help="Build directory or id (default current)."
)
#: The external store that `serve` and `query` read instead of the embedded one.
STORE_OPTION = click.option(
    "--store",
    "store_url",
    default=None,
    envvar="DIPLOGRAPH_STORE_URL",
    help="Query this SPARQL store (filled by `diplograph push`) instead of the embedded one.",
)


def sources_option(func):
    return click.option(
        "--sources",
        "sources_dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder of captured source texts to check excerpts against "
        "(default: DIPLOGRAPH_SOURCES, or ../shared/sources beside the checkout).",
    )(func)


def resolve_sources(sources_dir: str | None) -> Path | None:
    if sources_dir:
        return Path(sources_dir)
    return default_sources_dir()


def fail_with_problems(exc: CurationError) -> None:
    """Every problem on stderr, one a line, and exit 1: nothing was built or published."""
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"{len(exc.problems)} problem(s) in the curated data; nothing was published.", err=True
    )
    sys.exit(1)


def resolve_build(ref: str | None) -> Path:
    """A build directory (or graph file) from a path, a build id, or (by default, or
    'current') the published build."""
    instance = instance_dir()
    if ref is None or ref == CURRENT:
        path = current_build(instance) or instance / CURRENT
    else:
        path = Path(ref)
        if not path.exists():
            path = instance / BUILDS / ref
    if not (path / "graph.nq").is_file() and not path.is_file():
        raise click.ClickException(f"no build at {path} (run `diplograph build` first)")
    return path
