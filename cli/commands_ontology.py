"""`diplograph ontology`: check the OWL ontology with HermiT, and write its HTML page."""

from __future__ import annotations

import sys

import click
from rdflib import Graph

from diplograph.ontology import ONTOLOGY_FILE
from diplograph.ontology.docs import render_ontology_html
from diplograph.ontology.reasoning import check_consistency


@click.group()
def ontology() -> None:
    """Work with the OWL ontology."""


@ontology.command("check")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Ontology (or ontology plus data) in Turtle; default: the project's ontology.",
)
def ontology_check(path: str | None) -> None:
    """Parse the ontology and check it with HermiT: consistent, no unsatisfiable class."""
    graph = Graph()
    target = path or str(ONTOLOGY_FILE)
    try:
        graph.parse(target, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types
        raise click.ClickException(f"{target}: cannot parse: {exc}") from exc
    if path:
        graph.parse(ONTOLOGY_FILE, format="turtle")
    click.echo(f"{target}: {len(graph)} triples parsed.")
    report = check_consistency(graph)
    click.echo(report.text())
    sys.exit(0 if report.ok else 1)


@ontology.command("docs")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write HTML here.")
def ontology_docs(out: str | None) -> None:
    """Generate the human-readable ontology page (HTML) from the ontology."""
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>diplograph ontology</title></head><body><main>"
        + render_ontology_html()
        + "</main></body></html>\n"
    )
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(page)
        click.echo(f"Wrote {out}.")
    else:
        click.echo(page)
