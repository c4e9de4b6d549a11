"""The remote backend: any SPARQL 1.1 store over HTTP, serving the version last pushed to it.

Every request names its dataset (the serving version's merge graph as default graph, its
graphs as named graphs) and has graph IRIs renamed to their stored, versioned names (see
`versions.py`); every answer is parsed, renamed back, capped and re-serialized here, so
callers get the same `QueryResult`s and pyoxigraph terms as from the embedded store.
Which version serves is read from the store's registry and cached for `refresh` seconds:
a push keeps the previous version, so a reader still on it during that time reads a
whole graph.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pyoxigraph as ox

from diplograph.store.base import (
    ASK,
    CONSTRUCT,
    DESCRIBE,
    SELECT,
    NoBuild,
    PublicQuery,
    QueryInfo,
    QueryRejected,
    QueryResult,
    Store,
    StoreError,
    UnknownGraph,
)
from diplograph.store.checks import DEFAULT_MAX_QUERY_BYTES, check_query
from diplograph.store.formats import OX_RDF as RDF_FORMATS
from diplograph.store.formats import OX_RESULTS as RESULT_FORMATS
from diplograph.store.http import JSON_RESULTS, NTRIPLES, Endpoints, SparqlHttp
from diplograph.store.versions import CURRENT_QUERY, Version, graphs_query, version_id

#: An empty graph named as the only named graph when a query's FROM leaves none: a store's
#: own choice (Virtuoso: all graphs, old versions included) must never apply.
NO_GRAPH = "urn:diplograph:no-graph"


class ResultTruncated(StoreError):
    """The remote store cut an answer at its row limit (Virtuoso: 200 with X-SPARQL-MaxRows)."""


class RemoteStore(Store):
    """`Store` over a SPARQL 1.1 endpoint holding versions pushed by `publish_remote.push`."""

    def __init__(
        self,
        url: str | Endpoints,
        *,
        timeout: float = 10.0,
        max_rows: int | None = 10_000,
        max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
        refresh: float = 1.0,
        version: Version | None = None,
    ):
        endpoints = url if isinstance(url, Endpoints) else Endpoints.for_url(url)
        self.http = SparqlHttp(endpoints)
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self.refresh = refresh
        self._pinned = version  # a staged version, checked before the switch
        self._lock = threading.Lock()
        self._cached: tuple[float, Version] | None = None

    # -- which version serves ------------------------------------------------------------

    def version(self) -> Version:
        """The serving version (cached for `refresh` seconds), or NoBuild before any push."""
        if self._pinned is not None:
            return self._pinned
        now = time.monotonic()
        cached = self._cached
        if cached is not None and now - cached[0] < self.refresh:
            return cached[1]
        with self._lock:
            current = read_current(self.http, cached[1] if cached else None, self.timeout)
            self._cached = (time.monotonic(), current)
            return current

    # -- the Store protocol -------------------------------------------------------------

    def check(self, sparql: str) -> QueryInfo:
        return check_query(sparql, self.max_query_bytes)

    def query(self, sparql: str, *, timeout: float | None = None, build=None):
        """A trusted query: pyoxigraph solutions, a bool or a list of triples, uncapped.

        A result the server cut at its own row limit raises ResultTruncated: a page or a
        catalogue answer is never silently partial.
        """
        info = self.check(sparql)
        version, answer = self._run(info, None, None, timeout)
        if answer.truncated_at is not None:
            raise ResultTruncated(
                f"The remote store cut the answer at {answer.truncated_at} rows "
                "(its result-row limit): refusing to return a partial answer."
            )
        parsed = _parse(answer.body, info.form)
        if isinstance(parsed, ox.QueryBoolean):
            return bool(parsed)
        if isinstance(parsed, ox.QuerySolutions):
            return _solutions(parsed, version)
        return [version.unversion(t) for t in parsed]

    def _answer(self, request: PublicQuery) -> QueryResult:
        info, fmt, cap = request.info, request.format, request.max_rows
        if request.base_iri:  # the protocol's base: a BASE in the query's prologue still wins
            info = replace(info, text=f"BASE {ox.NamedNode(request.base_iri)}\n{info.text}")
        version, answer = self._run(
            info, request.default_graph_uris, request.named_graph_uris, request.timeout
        )
        server_cut = answer.truncated_at
        if server_cut is not None:  # announce it as the row cap that applied
            cap = server_cut if cap is None else min(cap, server_cut)
        parsed = _parse(answer.body, info.form)
        if isinstance(parsed, ox.QueryBoolean):
            fmt = fmt if fmt in ("json", "xml") else "json"
            body = parsed.serialize(format=RESULT_FORMATS[fmt])
            return QueryResult(body, fmt, ASK, 1, False, cap)
        if isinstance(parsed, ox.QuerySolutions):
            body, rows, truncated = _capped(parsed, version, fmt, cap)
            return QueryResult(body, fmt, SELECT, rows, truncated or server_cut is not None, cap)
        triples = [version.unversion(t) for t in parsed]
        truncated = server_cut is not None or (cap is not None and len(triples) > cap)
        triples = triples[:cap] if cap is not None else triples
        prefixes = {"prefixes": info.prefixes} if info.prefixes and fmt != "ntriples" else {}
        body = ox.serialize(triples, format=RDF_FORMATS[fmt], **prefixes)
        return QueryResult(body, fmt, info.form, len(triples), truncated, cap)

    def triple_count(self) -> int:
        return self.version().triples

    def named_graphs(self) -> list[str]:
        return sorted(self.version().graphs)

    def serialize(self, result_format: str, graph: str | None = None) -> bytes:
        """A graph, the dataset or the merge, read with the Graph Store Protocol (no row cap)."""
        if result_format not in RDF_FORMATS:
            raise QueryRejected(f"Unknown serialization {result_format!r}")
        version = self.version()
        rdf_format = RDF_FORMATS[result_format]
        if graph is not None:
            if graph not in version.graphs:
                raise UnknownGraph(f"<{graph}> is not a graph in this dataset.")
            return ox.serialize(self._read_graph(version, version.name(graph)), format=rdf_format)
        if rdf_format.supports_datasets:
            quads = []
            for g in sorted(version.graphs):
                name = ox.NamedNode(g)
                quads += [ox.Quad(*t, name) for t in self._read_graph(version, version.name(g))]
            return ox.serialize(quads, format=rdf_format)
        return ox.serialize(self._read_graph(version, version.merge), format=rdf_format)

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""

    # -- helpers -------------------------------------------------------------------------

    def _read_graph(self, version: Version, stored: str) -> list[ox.Triple]:
        data = self.http.get_graph(stored)
        return [version.unversion(q.triple) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]

    def _run(self, info: QueryInfo, default_uris, named_uris, timeout):
        version = self.version()
        requested = list(default_uris or []) + list(named_uris or [])
        unknown = [g for g in (*info.from_graphs, *info.from_named_graphs, *requested)]
        unknown = [g for g in unknown if g not in version.graphs]
        if unknown:
            raise UnknownGraph(
                f"<{unknown[0]}> is not a graph in this dataset; nothing is ever fetched. "
                "Ask the service description (GET without a query) for the graph names."
            )
        if default_uris or named_uris:
            default = [version.name(g) for g in default_uris or []]
            named = [version.name(g) for g in named_uris or []] or [NO_GRAPH]
        elif info.from_graphs or info.from_named_graphs:
            default = [version.name(g) for g in info.from_graphs] or [NO_GRAPH]
            named = [version.name(g) for g in info.from_named_graphs] or [NO_GRAPH]
        else:
            default = [version.merge]
            named = version.stored_graphs() if _uses_graph(info) else [NO_GRAPH]
        text = version.rewrite_query(info.text, info.prefixes)
        accept = JSON_RESULTS if info.form in (SELECT, ASK) else NTRIPLES
        limit = self.timeout if timeout is None else timeout
        answer = self.http.query(
            text, accept=accept, default_graphs=default, named_graphs=named, timeout=limit
        )
        return version, answer


def read_current(http: SparqlHttp, known: Version | None, timeout: float = 10.0) -> Version:
    """The registry's serving version; the graph list is re-read only when it changes."""
    answer = http.query(CURRENT_QUERY, default_graphs=[http.endpoints.registry], timeout=timeout)
    rows = list(ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON))
    if not rows:
        raise NoBuild("The remote store holds no published version: run `diplograph push`.")
    vid = version_id(rows[0]["v"].value)
    seq, triples = int(rows[0]["seq"].value), int(rows[0]["triples"].value)
    if known is not None and known.id == vid:
        return known
    return read_version(http, vid, triples, seq, timeout)


def read_version(http, vid: str, triples: int, seq: int | None, timeout: float = 10.0) -> Version:
    registry = [http.endpoints.registry]
    answer = http.query(graphs_query(vid), default_graphs=registry, timeout=timeout)
    graphs = frozenset(
        row["g"].value
        for row in ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    )
    return Version(vid, graphs, triples, seq)


def _uses_graph(info: QueryInfo) -> bool:
    """Whether the query has a GRAPH pattern (only then are the named graphs listed)."""
    return "GRAPH" in info.text.upper()


def _parse(body: bytes, form: str):
    try:
        if form in (SELECT, ASK):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if form in (CONSTRUCT, DESCRIBE):
            return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"Unreadable answer from the remote store: {exc}") from None
    raise StoreError(f"Unknown query form {form!r}")


def _tsv(solutions: ox.QuerySolutions, version: Version, cap: int | None):
    lines = ["\t".join(str(v) for v in solutions.variables)]
    rows, truncated = 0, False
    for solution in solutions:
        if cap is not None and rows >= cap:
            truncated = True
            break
        lines.append("\t".join("" if t is None else str(version.unversion(t)) for t in solution))
        rows += 1
    return "".join(line + "\n" for line in lines), rows, truncated


def _solutions(solutions: ox.QuerySolutions, version: Version) -> ox.QuerySolutions:
    tsv, _rows, _cut = _tsv(solutions, version, None)
    return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)


def _capped(solutions, version, fmt, cap):
    tsv, rows, truncated = _tsv(solutions, version, cap)
    capped = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return capped.serialize(format=RESULT_FORMATS[fmt]), rows, truncated
