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
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Ontology (or ontology plus data) in Turtle; default: the project's ontology.",
)
def ontology_check(path: str | None) -> None:
    """Parse the ontology and check it with HermiT: consistent, no unsatisfiable class."""
    from rdflib import Graph

    from diplograph.ontology import ONTOLOGY_FILE
    from diplograph.ontology.reasoning import check_consistency

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


def _sources_option(func):
    return click.option(
        "--sources",
        "sources_dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder of captured source texts to check excerpts against "
        "(default: DIPLOGRAPH_SOURCES, or ../shared/sources beside the checkout).",
    )(func)


def _resolve_sources(sources_dir: str | None):
    from pathlib import Path

    from diplograph.loaders.excerpts import default_sources_dir

    if sources_dir:
        return Path(sources_dir)
    return default_sources_dir()


def _fail_with_problems(exc) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"{len(exc.problems)} problem(s) in the curated data; nothing was published.", err=True
    )
    sys.exit(1)


@main.command("build")
@click.argument("data_dir", required=False, type=click.Path(file_okay=False))
@_sources_option
@click.option("--base", default=None, help="Base IRI for minted entities (default w3id).")
@click.option("--no-validate", is_flag=True, help="Skip SHACL and OWL validation (for debugging).")
def build_cmd(data_dir, sources_dir, base, no_validate) -> None:
    """Build the graph from DATA_DIR (default: the project's data/) and publish it."""
    from diplograph.cli.build import BuildError, build
    from diplograph.loaders.errors import CurationError
    from diplograph.ontology import BASE

    try:
        result = build(
            data_dir,
            sources_dir=_resolve_sources(sources_dir),
            base=base or BASE,
            validate=not no_validate,
            progress=lambda m: click.echo(m, err=True),
        )
    except CurationError as exc:
        _fail_with_problems(exc)
    except BuildError as exc:
        from diplograph.shapes.report import render_text

        click.echo(render_text(exc.report) if exc.report else str(exc), err=True)
        click.echo("Build refused; the last good build stays in service.", err=True)
        sys.exit(1)
    click.echo(f"Build {result.build_id} (version {result.version}): {result.triples} quads.")
    width = max(len(k) for k in result.counts)
    for name, count in result.counts.items():
        click.echo(f"  {name:<{width}}  {count:>6}")


@main.command("check-excerpts")
@click.argument("data_dir", required=False, type=click.Path(file_okay=False))
@_sources_option
def check_excerpts_cmd(data_dir, sources_dir) -> None:
    """Verify that every excerpt occurs in its source's text."""
    from pathlib import Path

    from diplograph.cli.build import Graphs, check_excerpts
    from diplograph.data import DATA_DIR
    from diplograph.loaders.curated import read_curated
    from diplograph.loaders.errors import CurationError
    from diplograph.loaders.records import emit_dataset
    from diplograph.loaders.vocab import load_vocabulary

    folder = _resolve_sources(sources_dir)
    if folder is None or not Path(folder).is_dir():
        raise click.ClickException("no source texts: pass --sources DIR")
    try:
        vocab = load_vocabulary()
        cur = read_curated(Path(data_dir or DATA_DIR), vocab)
        emitter = emit_dataset(cur, vocab)
    except CurationError as exc:
        _fail_with_problems(exc)
    from diplograph.loaders.excerpts import ExcerptUse

    graphs = Graphs(emitter.ds, cur, [ExcerptUse(*e) for e in emitter.excerpts])
    problems = check_excerpts(graphs, Path(folder))
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(graphs.excerpts)} excerpts checked, {len(problems)} not found.")
    sys.exit(1 if problems else 0)


@ontology.command("docs")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write HTML here.")
def ontology_docs(out: str | None) -> None:
    """Generate the human-readable ontology page (HTML) from the ontology."""
    from diplograph.ontology.docs import render_ontology_html

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


def _resolve_build(ref: str | None):
    """A build directory from a path, a build id, or (by default) the published build."""
    from pathlib import Path

    from diplograph.store.builds import instance_dir

    instance = instance_dir()
    if ref is None or ref == "current":
        path = instance / "current"
    else:
        path = Path(ref)
        if not path.exists():
            path = instance / "builds" / ref
    if not (path / "graph.nq").is_file() and not path.is_file():
        raise click.ClickException(f"no build at {path} (run `diplograph build` first)")
    return path


@main.command("export")
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
@click.option("--build", "build_ref", default=None, help="Build directory or id (default current).")
def export_cmd(fmt, out_path, part, build_ref) -> None:
    """Write the published build (or another) as RDF, streaming with a progress bar."""
    import os
    from pathlib import Path

    from diplograph.exports.export import load_part, serialise

    lines, options = load_part(_resolve_build(build_ref), part)
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


@main.command("push")
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
@click.option("--build", "build_ref", default=None, help="Build directory or id (default current).")
def push_cmd(store_url, user, password_file, registry, keep, build_ref) -> None:
    """Load a build into a remote SPARQL store as a new version, check it, then switch to it."""
    from pathlib import Path

    from diplograph.store.http import Endpoints
    from diplograph.store.publish_remote import PublishError, push

    password = Path(password_file).read_text(encoding="utf-8").strip()
    ends = Endpoints.for_url(store_url, user, password, registry=registry)
    build_dir = Path(_resolve_build(build_ref)).resolve()
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


@main.command("diff")
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
    from diplograph.exports.diff import RENDERERS, diff_builds, read_build, render_text

    result = diff_builds(read_build(_resolve_build(old)), read_build(_resolve_build(new)))
    if fmt == "text":
        click.echo(render_text(result, quads=not summary), nl=False)
    else:
        click.echo(RENDERERS[fmt](result), nl=False)


@main.command("validate")
@click.argument("data_dir", required=False, type=click.Path(file_okay=False))
@_sources_option
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
    from pathlib import Path

    from diplograph.cli.build import load_graphs, validate_graphs
    from diplograph.data import DATA_DIR
    from diplograph.loaders.errors import CurationError
    from diplograph.shapes.report import render_html, render_json, render_text

    try:
        texts = None if skip_excerpts else _resolve_sources(sources_dir)
        graphs = load_graphs(Path(data_dir or DATA_DIR), sources_dir=texts)
    except CurationError as exc:
        _fail_with_problems(exc)
    report = validate_graphs(graphs, owl=not no_owl)
    render = {"text": render_text, "json": render_json, "html": render_html}[fmt]
    click.echo(render(report))
    sys.exit(0 if report["conforms"] else 1)


@main.command("query")
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
@click.option("--build", "build_ref", default=None, help="Build directory or id (default current).")
@click.option("--list", "list_only", is_flag=True, help="List the catalogue queries.")
@click.option("--docs", is_flag=True, help="Print the catalogue's documentation (Markdown).")
def query_cmd(name, params, path, fmt, build_ref, list_only, docs) -> None:
    """Run catalogue query NAME (or --file Q.rq) on the published build."""
    from pathlib import Path

    from diplograph.queries import catalogue as cat
    from diplograph.queries import render

    if docs:
        click.echo(render.catalogue_markdown(), nl=False)
        return
    if list_only:
        for q in cat.load_catalogue().values():
            click.echo(f"{q.name:<32} {q.title}")
        return
    if bool(name) == bool(path):
        raise click.UsageError("give a catalogue query NAME or --file Q.rq (see --list)")
    try:
        if path:
            query = cat.adhoc_query(Path(path).read_text(encoding="utf-8"), Path(path).stem)
        else:
            query = cat.get_query(name)
        sparql = cat.bind(query, cat.parse_params(params))
    except cat.QueryError as exc:
        raise click.ClickException(str(exc)) from exc
    build_dir = Path(_resolve_build(build_ref))
    graph = build_dir if build_dir.is_file() else build_dir / "graph.nq"
    store = cat.merged_store(graph.read_bytes())
    try:
        result = cat.execute(store, sparql)
    except SyntaxError as exc:
        raise click.ClickException(f"{query.name}: {exc}") from exc
    click.echo(render.render(result, fmt), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option(
    "--processes",
    default=None,
    type=click.IntRange(min=1),
    help="Server worker processes sharing the socket (one Python process uses one core at "
    "a time); default: the number of CPUs.",
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(min=1),
    help="Python threads per process calling the app (HTTP itself is handled in Rust): "
    "enough that clients waiting on slow queries do not block others.",
)
@click.option(
    "--store",
    "store_url",
    default=None,
    envvar="DIPLOGRAPH_STORE_URL",
    help="Query this SPARQL store (filled by `diplograph push`) instead of the embedded one.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    processes: int | None,
    threads: int,
    store_url: str | None,
) -> None:
    """Serve the web app and /sparql with granian, from several processes sharing the socket
    (one per CPU by default), building the graph first if there is none."""
    import os

    from diplograph.web import server

    if store_url:
        os.environ["FLASK_STORE_URL"] = store_url  # create_app reads its FLASK_* settings

    from diplograph.store import current_build
    from diplograph.store.builds import instance_dir

    instance = instance_dir()
    if current_build(instance) is None:
        click.echo(f"No published build in {instance}: building one first.", err=True)
        _build_apart(ctx)
    from diplograph.web import create_app

    processes = processes or server.default_processes()
    # Query workers per process: the single-process default shared out, at least two each
    # (one runaway never leaves a process without a worker); FLASK_WORKERS overrides it.
    if processes > 1:
        os.environ.setdefault("FLASK_WORKERS", str(server.workers_per_process(processes)))
    try:
        port = server.checked_port(host, port)
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc}") from exc
    source = f"the store at {store_url}" if store_url else str(instance)
    where = f"http://{host}:{port}/"
    plural = "es" if processes > 1 else ""

    def listening() -> None:
        click.echo(
            f"Serving {source} on {where} (SPARQL at /sparql), "
            f"{processes} process{plural} of {threads} threads",
            err=True,
        )

    status = server.serve(
        create_app, host, port, processes=processes, threads=threads, listening=listening
    )
    if status:
        raise click.ClickException("server processes kept failing as they started (see above)")


def _build_apart(ctx: click.Context) -> None:
    """`build`, in a child process: the server forks from a small process with no threads."""
    import os

    from diplograph.web.server import fork_call

    def body() -> int:
        try:
            ctx.invoke(build_cmd, data_dir=None, sources_dir=None, base=None, no_validate=False)
        except click.ClickException as exc:
            exc.show()
            return 1
        return 0

    pid = fork_call(body)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise click.ClickException("the build failed: nothing to serve")


from diplograph.cli.draft import draft  # noqa: E402  (issue 20: draft and promote)

main.add_command(draft)
