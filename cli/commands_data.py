"""The commands over curated data: build and publish it, check its excerpts, validate it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from diplograph.cli.build import (
    BuildError,
    build,
    check_excerpts,
    emit_graphs,
    load_graphs,
    validate_graphs,
)
from diplograph.cli.main import exit_at_once
from diplograph.cli.options import fail_with_problems, resolve_sources, sources_option
from diplograph.cli.validation import curation_report
from diplograph.data import DATA_DIR
from diplograph.loaders.errors import CurationError
from diplograph.ontology import BASE
from diplograph.shapes.report import render_html, render_json, render_text
from diplograph.shapes.support import support_refusal

REPORTS = {"text": render_text, "json": render_json, "html": render_html}


@click.command("build")
@click.argument("data_dir", required=False, type=click.Path(file_okay=False))
@sources_option
@click.option("--base", default=None, help="Base IRI for minted entities (default w3id).")
@click.option("--no-validate", is_flag=True, help="Skip SHACL and OWL validation (for debugging).")
@click.option(
    "--full", is_flag=True, help="Build everything anew, reusing nothing of the last build."
)
def build_cmd(data_dir, sources_dir, base, no_validate, full) -> None:
    """Build the graph from DATA_DIR (default: the project's data/) and publish it.

    When only facts files changed since the published build, the build is incremental:
    it updates a copy of that build's store with the changed sources' graphs.
    """
    try:
        result = build(
            data_dir,
            sources_dir=resolve_sources(sources_dir),
            base=base or BASE,
            validate=not no_validate,
            full=full,
            once=True,  # this process ends with the build: it keeps nothing for another
            progress=lambda m: click.echo(m, err=True),
        )
    except CurationError as exc:
        fail_with_problems(exc)
    except BuildError as exc:
        click.echo(render_text(exc.report) if exc.report else str(exc), err=True)
        click.echo("Build refused; the last good build stays in service.", err=True)
        sys.exit(1)
    click.echo(f"Build {result.build_id} (version {result.version}): {result.triples} quads.")
    width = max(len(k) for k in result.counts)
    for name, count in result.counts.items():
        click.echo(f"  {name:<{width}}  {count:>6}")
    exit_at_once()  # published, its files closed and its children waited for: nothing to tidy


@click.command("check-excerpts")
@click.argument("data_dir", required=False, type=click.Path(file_okay=False))
@sources_option
def check_excerpts_cmd(data_dir, sources_dir) -> None:
    """Verify that every excerpt occurs in its source's text."""
    folder = resolve_sources(sources_dir)
    if folder is None or not Path(folder).is_dir():
        raise click.ClickException("no source texts: pass --sources DIR")
    try:
        graphs, _others = emit_graphs(Path(data_dir or DATA_DIR))  # excerpts only, here
    except CurationError as exc:
        fail_with_problems(exc)
    problems = check_excerpts(graphs, Path(folder))
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(graphs.excerpts)} excerpts checked, {len(problems)} not found.")
    sys.exit(1 if problems else 0)


@click.command("validate")
@click.argument("data_dir", required=False, type=click.Path(file_okay=False))
@sources_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text for people, json for machines, html for the web front end.",
)
@click.option("--no-owl", is_flag=True, help="Skip the OWL consistency check (HermiT).")
@click.option("--skip-excerpts", is_flag=True, help="Do not check excerpts against the texts.")
def validate_cmd(data_dir, sources_dir, fmt, no_owl, skip_excerpts) -> None:
    """Validate DATA_DIR (SHACL shapes, violation queries, OWL) without building or publishing."""
    try:
        texts = None if skip_excerpts else resolve_sources(sources_dir)
        graphs = load_graphs(Path(data_dir or DATA_DIR), sources_dir=texts)
    except CurationError as exc:
        if fmt == "text":
            fail_with_problems(exc)
        click.echo(REPORTS[fmt](curation_report(exc.problems)))
        sys.exit(1)
    report = validate_graphs(graphs, owl=not no_owl)
    click.echo(REPORTS[fmt](report))
    refusal = support_refusal(report)
    if refusal and fmt == "text":
        click.echo(refusal, err=True)
    sys.exit(0 if report["conforms"] and not refusal else 1)
