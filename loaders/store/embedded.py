"""The embedded backend: an on-disk Oxigraph store per build, queried in worker processes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .base import (
    CONSTRUCT,
    DESCRIBE,
    GRAPH_FORMATS,
    NoBuild,
    QueryInfo,
    QueryRejected,
    QueryResult,
    formats_for,
)
from .builds import current_build
from .checks import DEFAULT_MAX_QUERY_BYTES, check_query
from .pool import WorkerPool


def load_nquads(nq_path: Path | str, store_dir: Path | str) -> int:
    """Bulk-load an N-Quads file into a new on-disk store; returns the number of quads read.

    Each quad is also written to the default graph, which queries use as the merge:
    Oxigraph 0.5's union default graph repeats a triple once per graph holding it,
    where SPARQL's merge is a set. One bulk pass does both (an INSERT ... WHERE
    afterwards is slower, being transactional).
    """
    store_dir = Path(store_dir)
    if store_dir.exists() and any(store_dir.iterdir()):
        raise FileExistsError(f"{store_dir} is not empty: a build always loads a fresh store")
    read = 0

    def with_merge():
        nonlocal read
        for quad in ox.parse(path=str(nq_path), format=ox.RdfFormat.N_QUADS):
            read += 1
            yield quad
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield ox.Quad(quad.subject, quad.predicate, quad.object)

    store = ox.Store(str(store_dir))
    try:
        store.bulk_extend(with_merge())
        store.flush()
        store.optimize()
        return read
    finally:
        del store  # closes the RocksDB handle so read-only openers see a settled store


class EmbeddedStore:
    """`Store` over the published build of an instance directory."""

    def __init__(
        self,
        instance_dir: Path | str,
        *,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int | None = 10_000,
        max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
    ):
        self.instance_dir = Path(instance_dir)
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self._pool = WorkerPool(workers)

    def _store_path(self) -> str:
        # Resolved per call, so workers follow `current` as soon as a build is published.
        build = current_build(self.instance_dir)
        if build is None:
            raise NoBuild(f"No published build under {self.instance_dir}: run `diplograph build`.")
        return os.fspath(build / "store")

    def _call(self, operation: str, timeout: float | None = None, build=None, **kwargs):
        limit = self.timeout if timeout is None else timeout
        path = os.fspath(Path(build) / "store") if build is not None else self._store_path()
        return self._pool.run(operation, path, kwargs, limit)

    def check(self, sparql: str) -> QueryInfo:
        return check_query(sparql, self.max_query_bytes)

    def query(self, sparql: str, *, timeout: float | None = None, build: Path | None = None):
        """A trusted (pages, catalogue) query: pyoxigraph solutions, a bool or triples, uncapped.

        It still runs in a worker under the time limit; the answer crosses the process
        boundary as TSV or N-Triples and is parsed back into pyoxigraph objects.
        """
        kind, payload = self._call("internal", timeout, build, text=self.check(sparql).text)
        if kind == "solutions":
            return ox.parse_query_results(payload, format=ox.QueryResultsFormat.TSV)
        if kind == "triples":
            return [q.triple for q in ox.parse(payload, format=ox.RdfFormat.N_TRIPLES)]
        return payload

    def execute(
        self,
        sparql: str | QueryInfo,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        result_format: str | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        info = sparql if isinstance(sparql, QueryInfo) else self.check(sparql)
        fmt = result_format or formats_for(info.form)[0]
        if fmt not in formats_for(info.form):
            raise QueryRejected(f"A {info.form} query cannot be answered as {fmt!r}.")
        cap = self.max_rows if max_rows is None else max_rows
        body, fmt, form, rows, truncated = self._call(
            "query",
            timeout,
            text=info.text,
            fmt=fmt,
            default_graphs=list(default_graph_uris) if default_graph_uris else None,
            named_graphs=list(named_graph_uris) if named_graph_uris else None,
            from_graphs=list(info.from_graphs + info.from_named_graphs),
            max_rows=cap,
            prefixes=info.prefixes,
            base_iri=base_iri,
        )
        form = info.form if form == CONSTRUCT else form  # the worker cannot tell DESCRIBE
        return QueryResult(body, fmt, form, rows, truncated, cap)

    def triple_count(self) -> int:
        return self._call("count")

    def named_graphs(self) -> list[str]:
        return self._call("graphs")

    def describe(self, iri: str, result_format: str = "turtle") -> QueryResult:
        if result_format not in GRAPH_FORMATS:
            raise QueryRejected(f"Cannot describe as {result_format!r}.")
        node = ox.NamedNode(iri)  # validates: never paste an unchecked IRI into query text
        info = QueryInfo(f"DESCRIBE {node}", DESCRIBE)
        return self.execute(info, result_format=result_format)

    def serialize(self, result_format: str, graph: str | None = None) -> bytes:
        return self._call("dump", timeout=max(self.timeout, 300.0), fmt=result_format, graph=graph)

    def worker_pids(self) -> set[int]:
        """Live worker processes (tests use it to see that a runaway's worker was killed)."""
        return self._pool.pids()

    def close(self) -> None:
        self._pool.close()
