"""The `diplograph` command: a thin layer over the library functions."""

from __future__ import annotations

import sys
from importlib.metadata import version as _dist_version

import click


@click.group()
@click.version_option(_dist_version("diplograph"), prog_name="diplograph")
def main() -> None:
    """diplograph: a knowledge graph of summit diplomacy from curated, sourced facts."""


@main.group()
def ontology() -> None:
    """Work with the OWL ontology."""


@ontology.command("check")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Ontology (or ontology plus data) in Turtle; default: the project's ontology.")
def ontology_check(path: str | None) -> None:
    """Parse the ontology and check it with HermiT: consistent, no unsatisfiable class."""
    from rdflib import Graph

    from . import paths
    from .reasoning import check_consistency

    graph = Graph()
    target = path or str(paths.ONTOLOGY_FILE)
    try:
        graph.parse(target, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types
        raise click.ClickException(f"{target}: cannot parse: {exc}") from exc
    if path:
        graph.parse(paths.ONTOLOGY_FILE, format="turtle")
    click.echo(f"{target}: {len(graph)} triples parsed.")
    report = check_consistency(graph)
    click.echo(report.text())
    sys.exit(0 if report.ok else 1)
