"""`diplograph query`: a catalogue query (or any .rq file) on the store the web app serves."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import click

from diplograph.cli.options import BUILD_OPTION, STORE_OPTION, resolve_build
from diplograph.queries import catalogue as cat
from diplograph.queries import render
from diplograph.store import Store, StoreError, open_store
from diplograph.store.builds import instance_dir

#: Seconds a query may run: the command line is its user's own process, so the limit is
#: only there to end a runaway; catalogue queries take well under a second at 1M quads.
QUERY_TIMEOUT = 600.0


def open_query_store(build_ref: str | None, store_url: str | None) -> Store:
    """The embedded store pinned to the named (by default the published) build, or the
    SPARQL store at store_url, as `serve --store` would query it."""
    if store_url:
        if build_ref is not None:
            raise click.UsageError("--build names a local build; --store a remote one: not both")
        return open_store(instance_dir(), store_url=store_url, timeout=QUERY_TIMEOUT, max_rows=None)
    build = resolve_build(build_ref)
    if not (build / "store").is_dir():
        raise click.ClickException(f"no store in {build} (a build `diplograph build` made has one)")
    return open_store(instance_dir(), build=build, workers=1, timeout=QUERY_TIMEOUT, max_rows=None)


def bound_query(name: str | None, path: str | None, params) -> tuple[cat.Query, str]:
    """The catalogue query NAME (or the file), and its text with the parameters bound."""
    if bool(name) == bool(path):
        raise click.UsageError("give a catalogue query NAME or --file Q.rq (see --list)")
    try:
        if path:
            query = cat.adhoc_query(Path(path).read_text(encoding="utf-8"), Path(path).stem)
        else:
            query = cat.get_query(name)
        return query, cat.bind(query, cat.parse_params(params))
    except cat.QueryError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("query")
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value.")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), help="Run any .rq.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A readable table, SPARQL CSV or SPARQL JSON results.",
)
@BUILD_OPTION
@STORE_OPTION
@click.option("--list", "list_only", is_flag=True, help="List the catalogue queries.")
@click.option("--docs", is_flag=True, help="Print the catalogue's documentation (Markdown).")
def query_cmd(name, params, path, fmt, build_ref, store_url, list_only, docs) -> None:
    """Run catalogue query NAME (or --file Q.rq) on the published build."""
    if docs:
        click.echo(render.catalogue_markdown(), nl=False)
        return
    if list_only:
        for q in cat.load_catalogue().values():
            click.echo(f"{q.name:<32} {q.title}")
        return
    query, sparql = bound_query(name, path, params)
    with closing(open_query_store(build_ref, store_url)) as store:
        try:
            result = cat.execute(store, sparql)
        except StoreError as exc:
            raise click.ClickException(f"{query.name}: {exc}") from exc
    click.echo(render.render(result, fmt), nl=False)
