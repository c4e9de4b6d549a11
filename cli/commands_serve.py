"""`diplograph serve`: the web app and /sparql under granian, building first if need be.

Apart from the group (cli/main.py) so that other commands never import the web app.
"""

from __future__ import annotations

import os

import click

from diplograph.cli import watch as watching
from diplograph.cli.commands_data import build_cmd
from diplograph.cli.options import STORE_OPTION
from diplograph.data import DATA_DIR
from diplograph.store import current_build
from diplograph.store.builds import instance_dir
from diplograph.web import server
from diplograph.web.settings import MIB, ServeSettings


def _limit_option(name: str, kind, default, help_text: str, *env: str):
    """A serve option also read from DIPLOGRAPH_<NAME> (and the FLASK_* names it replaces)."""
    variable = "DIPLOGRAPH_" + name.lstrip("-").upper().replace("-", "_")
    return click.option(
        name,
        type=kind,
        default=default,
        show_default=True,
        envvar=[variable, *env],
        help=f"{help_text} [env: {variable}]",
    )


@click.command()
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
@STORE_OPTION
@_limit_option(
    "--query-workers",
    click.IntRange(min=1),
    None,
    "Query worker processes per server process (default: the CPUs shared out, at least 2).",
    "FLASK_WORKERS",
)
@_limit_option(
    "--query-timeout",
    click.FloatRange(min=0.1),
    ServeSettings.query_timeout,
    "Seconds a public query may run before its worker is killed.",
    "FLASK_QUERY_TIMEOUT",
)
@_limit_option(
    "--max-rows",
    click.IntRange(min=1),
    ServeSettings.max_rows,
    "Rows (or triples) a public query returns at most.",
    "FLASK_MAX_ROWS",
)
@_limit_option(
    "--client-concurrency",
    click.IntRange(min=0),
    ServeSettings.client_concurrency,
    "Queries one client address may run at once (0: no limit); kept below the query workers.",
    "FLASK_SPARQL_CLIENT_CONCURRENCY",
)
@_limit_option(
    "--worker-memory",
    click.IntRange(min=0),
    ServeSettings.worker_memory // MIB,
    "MiB of address space per query worker (0: no limit).",
)
@_limit_option(
    "--body-timeout",
    click.FloatRange(min=0.1),
    ServeSettings.body_timeout,
    "Seconds a request body may take to arrive.",
)
@_limit_option(
    "--header-timeout",
    click.FloatRange(min=1),
    ServeSettings.header_timeout,
    "Seconds a client may take to send its request headers.",
)
@click.option(
    "--watch",
    type=click.Path(file_okay=False, exists=True),
    is_flag=False,
    flag_value=str(DATA_DIR),
    help="Rebuild when this data folder (default data/) changes; loopback host only.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    watch: str | None,
    host: str,
    port: int,
    processes: int | None,
    threads: int,
    store_url: str | None,
    query_workers: int | None,
    query_timeout: float,
    max_rows: int,
    client_concurrency: int,
    worker_memory: int,
    body_timeout: float,
    header_timeout: float,
) -> None:
    """Serve the web app and /sparql with granian, from several processes sharing the socket
    (one per CPU by default), building the graph first if there is none. Every limit is
    described in docs/reliability.md."""
    instance = instance_dir()
    watching.check_host(watch, host)
    if current_build(instance) is None:
        click.echo(f"No published build in {instance}: building one first.", err=True)
        _build_apart(ctx)
    try:
        port = server.checked_port(host, port)
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc}") from exc
    settings = ServeSettings(
        host=host,
        port=port,
        processes=processes or 0,
        threads=threads,
        home=str(instance),
        store_url=store_url,
        query_workers=query_workers,
        query_timeout=query_timeout,
        max_rows=max_rows,
        client_concurrency=client_concurrency,
        worker_memory=worker_memory * MIB,
        body_timeout=body_timeout,
        header_timeout=header_timeout,
    ).resolved()
    source = f"the store at {store_url}" if store_url else str(instance)
    plural = "es" if settings.processes > 1 else ""

    def listening() -> None:
        click.echo(
            f"Serving {source} on http://{host}:{port}/ (SPARQL at /sparql), "
            f"{settings.processes} process{plural} of {threads} threads",
            err=True,
        )

    with watching.watching(watch, instance):
        failed = server.serve(settings, listening=listening)
    if failed:
        raise click.ClickException("server processes kept failing as they started (see above)")


def _build_apart(ctx: click.Context) -> None:
    """`build`, in a child process: the server forks from a small process with no threads."""

    def body() -> int:
        try:
            ctx.invoke(build_cmd, data_dir=None, sources_dir=None, base=None, no_validate=False)
        except click.ClickException as exc:
            exc.show()
            return 1
        return 0

    pid = server.fork_call(body)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise click.ClickException("the build failed: nothing to serve")
