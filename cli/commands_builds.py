"""The commands over finished builds: export one, compare two, push one to a remote store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from diplograph.cli.options import BUILD_OPTION, resolve_build
from diplograph.exports.diff import RENDERERS, diff_builds, read_build, render_text
from diplograph.exports.export import load_part, serialise
from diplograph.store.http import Endpoints
from diplograph.store.publish_remote import PublishError, push


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "jsonld", "rdf", "trig", "nq"]),
    default="ttl",
    show_default=True,
    help="Serialisation; jsonld, trig and nq keep one named graph per source.",
)
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="File (default stdout).")
@click.option(
    "--part",
    type=click.Choice(["diplograph", "ontology", "shapes", "void"]),
    default="diplograph",
    show_default=True,
    help="The data (with its VoID description), the ontology, the shapes, or VoID alone.",
)
@BUILD_OPTION
def export_cmd(fmt, out_path, part, build_ref) -> None:
    """Write the published build (or another) as RDF, streaming with a progress bar."""
    lines, options = load_part(resolve_build(build_ref), part)
    with click.progressbar(length=len(lines), label=f"{part}.{fmt}", file=sys.stderr) as bar:
        if out_path:
            tmp = Path(out_path).with_name(f".{Path(out_path).name}.tmp")
            with open(tmp, "wb") as out:
                serialise(lines, fmt, out, progress=bar.update, **options)
            os.replace(tmp, out_path)
        else:
            serialise(lines, fmt, sys.stdout.buffer, progress=bar.update, **options)
            sys.stdout.buffer.flush()
        bar.update(len(lines) - bar.pos)


@click.command("push")
@click.option(
    "--store",
    "store_url",
    required=True,
    envvar="DIPLOGRAPH_STORE_URL",
    help="The store's SPARQL query URL (Virtuoso: http://HOST:PORT/sparql; its -auth and "
    "-graph-crud-auth endpoints take the writes).",
)
@click.option("--user", default="dba", show_default=True, envvar="DIPLOGRAPH_STORE_USER")
@click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False),
    envvar="DIPLOGRAPH_STORE_PASSWORD_FILE",
    required=True,
    help="File holding the write password (never given on the command line).",
)
@click.option("--registry", default=None, help="Registry graph IRI: one per deployment.")
@click.option("--keep", default=2, show_default=True, help="Published versions to keep.")
@BUILD_OPTION
def push_cmd(store_url, user, password_file, registry, keep, build_ref) -> None:
    """Load a build into a remote SPARQL store as a new version, check it, then switch to it."""
    password = Path(password_file).read_text(encoding="utf-8").strip()
    ends = Endpoints.for_url(store_url, user, password, registry=registry)
    build_dir = Path(resolve_build(build_ref)).resolve()
    try:
        result = push(build_dir, ends, keep=keep, progress=lambda m: click.echo(m, err=True))
    except PublishError as exc:
        click.echo(str(exc), err=True)
        click.echo("Nothing switched; the previous version still serves.", err=True)
        sys.exit(1)
    click.echo(
        f"Version {result.version.id} (#{result.seq}) serves: {result.version.triples} quads "
        f"in {len(result.version.graphs)} graphs; dropped {len(result.dropped)} old version(s)."
    )


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "patch"]),
    default="text",
    show_default=True,
    help="text: summary and quads by source; json; patch: RDF Patch to apply OLD -> NEW.",
)
@click.option("--summary", is_flag=True, help="Text format: counts only, no quads.")
def diff_cmd(old, new, fmt, summary) -> None:
    """List the quads added and removed between two builds (paths, build ids or 'current')."""
    result = diff_builds(read_build(resolve_build(old)), read_build(resolve_build(new)))
    if fmt == "text":
        click.echo(render_text(result, quads=not summary), nl=False)
    else:
        click.echo(RENDERERS[fmt](result), nl=False)
