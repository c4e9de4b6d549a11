"""The embedded backend: an on-disk Oxigraph store per build, queried in worker processes.

Bounded lookups (see bounded.py) are the exception: they cannot run away, so they are
answered in this process, from a read-only handle on the published build that is
reopened when `current` moves, and skip the pipe round trip to a worker.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pyoxigraph as ox

from diplograph.loaders.merge import merged, with_merge
from diplograph.store.base import (
    CONSTRUCT,
    RESULT_FORMATS,
    SELECT,
    NoBuild,
    PublicQuery,
    QueryInfo,
    QueryRejected,
    QueryResult,
    QuerySyntaxError,
    Store,
)
from diplograph.store.bounded import check_bounded
from diplograph.store.builds import current_build, current_key
from diplograph.store.checks import DEFAULT_MAX_QUERY_BYTES, check_query
from diplograph.store.formats import OX_RESULTS
from diplograph.store.pool import DEFAULT_MEMORY_LIMIT, WorkerPool

#: Quads per bulk-load call: Oxigraph's bulk loader holds a whole call's input in memory
#: (about 1 kB a quad), so a million quads in one call cost a gigabyte; in calls of this size
#: it is about as fast and holds a tenth of that.
LOAD_CHUNK = 100_000


def load_nquads(
    nq_path: Path | str, store_dir: Path | str, *, lines: list[str] | None = None
) -> int:
    """Bulk-load an N-Quads file into a new on-disk store; returns the number of quads read.

    Each quad is also written to the default graph, which queries use as the merge (see
    merge.py). When the caller has the file's `lines` (the build's writer, which puts a
    named graph on every line), both come from them, without parsing the file again.
    """
    store_dir = Path(store_dir)
    if store_dir.exists() and any(store_dir.iterdir()):
        raise FileExistsError(f"{store_dir} is not empty: a build always loads a fresh store")
    store = ox.Store(str(store_dir))
    try:
        if lines is not None:
            # Oxigraph keeps blank node labels as written, so the ontology's lists survive
            # being split across calls (tests/test_store.py checks it)
            for start in range(0, len(lines), LOAD_CHUNK):
                _load_with_merge(store, lines[start : start + LOAD_CHUNK])
            read = len(lines)
        else:
            read = 0

            def counted():
                nonlocal read
                for quad in ox.parse(path=str(nq_path), format=ox.RdfFormat.N_QUADS):
                    read += 1
                    yield quad

            store.bulk_extend(with_merge(counted()))
        store.flush()
        store.optimize()
        return read
    finally:
        del store  # closes the RocksDB handle so read-only openers see a settled store


def _load_with_merge(store, lines: list[str]) -> None:
    """Load quad lines, and each distinct triple once more into the default graph."""
    triples = merged(line[: line.rindex(" ", 0, len(line) - 3)] for line in lines)
    body = "".join(lines) + "".join(f"{triple} .\n" for triple in triples)
    store.bulk_load(body.encode("utf-8"), ox.RdfFormat.N_QUADS)


class EmbeddedStore(Store):
    """`Store` over the published build of an instance directory (or one pinned build)."""

    def __init__(
        self,
        instance_dir: Path | str,
        *,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int | None = 10_000,
        max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
        build: Path | str | None = None,
        worker_memory: int | None = DEFAULT_MEMORY_LIMIT,
    ):
        self.instance_dir = Path(instance_dir)
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self._pinned = None if build is None else Path(build)  # a build other than `current`
        self._pool = WorkerPool(workers, memory_limit=worker_memory)
        self._local: tuple[str, ox.Store] | None = None  # (build, read-only handle)
        self._local_lock = threading.Lock()

    def _store_path(self) -> str:
        # Resolved per call, so workers follow `current` as soon as a build is published.
        build = self._pinned or current_build(self.instance_dir)
        if build is None or not (build / "store").is_dir():
            raise self._no_build()
        return os.fspath(build / "store")

    def _no_build(self) -> NoBuild:
        if self._pinned is not None:
            return NoBuild(f"No store in {self._pinned}: not a build `diplograph build` made.")
        return NoBuild(f"No published build under {self.instance_dir}: run `diplograph build`.")

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

    def _answer(self, request: PublicQuery) -> QueryResult:
        info, defaults, named = request.info, request.default_graph_uris, request.named_graph_uris
        body, fmt, form, rows, truncated = self._call(
            "query",
            request.timeout,
            text=info.text,
            fmt=request.format,
            default_graphs=list(defaults) if defaults else None,
            named_graphs=list(named) if named else None,
            from_graphs=list(info.from_graphs + info.from_named_graphs),
            max_rows=request.max_rows,
            prefixes=info.prefixes,
            base_iri=request.base_iri,
        )
        form = info.form if form == CONSTRUCT else form  # the worker cannot tell DESCRIBE
        return QueryResult(body, fmt, form, rows, truncated, request.max_rows)

    def execute_bounded(
        self,
        sparql: str | QueryInfo,
        *,
        result_format: str | None = None,
        base_iri: str | None = None,
    ) -> QueryResult | None:
        """`execute`'s answer to a bounded lookup, computed in this process, capped the same
        way; None if the query is not one (the caller then uses `execute`, under the limit).

        Only for queries on the stored merge: protocol-given graphs go through `execute`.
        """
        sparql = sparql.text if isinstance(sparql, QueryInfo) else sparql
        _, text = check_bounded(sparql, self.max_query_bytes, self.max_rows)  # refusals raise
        if text is None:
            return None
        fmt = result_format or RESULT_FORMATS[0]
        if fmt not in RESULT_FORMATS:
            raise QueryRejected(f"A {SELECT} query cannot be answered as {fmt!r}.")
        store = self._local_store()
        try:
            solutions = store.query(text, base_iri=base_iri) if base_iri else store.query(text)
            # TSV is one line per row (newlines in literals are escaped): count, cut, re-read.
            tsv = solutions.serialize(format=ox.QueryResultsFormat.TSV)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"Query syntax error: {exc}") from None
        rows, cap = tsv.count(b"\n") - 1, self.max_rows
        truncated = cap is not None and rows > cap
        if truncated:
            tsv, rows = b"".join(tsv.splitlines(keepends=True)[: cap + 1]), cap
        capped = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        body = capped.serialize(format=OX_RESULTS[fmt])
        return QueryResult(body, fmt, SELECT, rows, truncated, cap)

    def _local_store(self) -> ox.Store:
        """The read-only handle on the published build, reopened when `current` moves."""
        key = os.fspath(self._pinned) if self._pinned else current_key(self.instance_dir)
        local = self._local
        if local is not None and local[0] == key:
            return local[1]
        with self._local_lock:
            if self._local is None or self._local[0] != key:
                store_dir = os.path.join(self.instance_dir, key or "", "store")
                if key is None or not os.path.isdir(store_dir):
                    raise self._no_build()
                # Requests still reading the old handle keep it alive until they finish.
                self._local = (key, ox.Store.read_only(store_dir))
            return self._local[1]

    def triple_count(self) -> int:
        return self._call("count")

    def named_graphs(self) -> list[str]:
        return self._call("graphs")

    def serialize(self, result_format: str, graph: str | None = None) -> bytes:
        return self._call("dump", timeout=max(self.timeout, 300.0), fmt=result_format, graph=graph)

    def worker_pids(self) -> set[int]:
        """Live worker processes (tests use it to see that a runaway's worker was killed)."""
        return self._pool.pids()

    def close(self) -> None:
        self._local = None
        self._pool.close()
