"""Code that runs inside a query worker process.

Oxigraph cannot cancel a running query, so each query runs here, in a process the
parent may kill. A worker keeps the published store open read-only and reopens it
when the parent names a different build directory.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import resource

import pyoxigraph as ox

from diplograph.store.base import (
    ASK,
    CONSTRUCT,
    SELECT,
    QueryRejected,
    QuerySyntaxError,
    StoreBusy,
    StoreError,
    UnknownGraph,
)
from diplograph.store.formats import OX_RDF, OX_RESULTS

RESULT_FORMATS = OX_RESULTS  # pyoxigraph's format objects, from the one format table
RDF_FORMATS = OX_RDF
_PREFIXED = {"turtle", "rdfxml", "trig"}


class _Opened:
    def __init__(self, path: str):
        self.path = path
        self.store = ox.Store.read_only(path)
        self.graphs = frozenset(g.value for g in self.store.named_graphs())


def _execute(opened, text, default_graphs=None, named_graphs=None, from_graphs=(), base_iri=None):
    """Run on the stored merge (the default graph) unless the request names its dataset.

    The protocol's default-graph-uri / named-graph-uri, when given, replace the query's
    FROM / FROM NAMED (SPARQL 1.1 Protocol, 2.1.4); a graph they name that this dataset
    does not hold is an empty graph, as the W3C protocol tests require (query_post_form:
    ASK {} over an unknown default-graph-uri answers true). A FROM naming one is refused,
    so that nobody takes its answer for the fetched document's.
    """
    if default_graphs is None and named_graphs is None:
        missing = [g for g in from_graphs if g not in opened.graphs]
        if missing:
            raise UnknownGraph(
                f"FROM <{missing[0]}> is not a graph in this dataset; nothing is ever fetched. "
                "Ask the service description (GET without a query) for the graph names."
            )
    kwargs = {"base_iri": base_iri} if base_iri else {}
    if default_graphs is not None or named_graphs is not None:
        kwargs["default_graph"] = _iris(default_graphs or [], "default-graph-uri")
        kwargs["named_graphs"] = _iris(named_graphs or [], "named-graph-uri")
    try:
        return opened.store.query(text, **kwargs)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"Query syntax error: {exc}") from None


def _iris(values, what):
    try:
        return [ox.NamedNode(v) for v in values]
    except ValueError as exc:
        raise QueryRejected(f"Invalid {what}: {exc}") from exc


def run_query(
    opened, text, fmt, default_graphs, named_graphs, from_graphs, max_rows, prefixes, base_iri
):
    """Execute, cap and serialize one query; the parent has already checked its text."""
    result = _execute(opened, text, default_graphs, named_graphs, from_graphs, base_iri)
    if isinstance(result, ox.QueryBoolean):
        fmt = fmt if fmt in ("json", "xml") else "json"
        return result.serialize(format=RESULT_FORMATS[fmt]), fmt, ASK, 1, False
    if isinstance(result, ox.QuerySolutions):
        fmt = fmt if fmt in RESULT_FORMATS else "json"
        body, rows, truncated = _capped_solutions(result, fmt, max_rows)
        return body, fmt, SELECT, rows, truncated
    fmt = fmt if fmt in RDF_FORMATS and fmt not in ("nquads", "trig") else "turtle"
    limit = None if max_rows is None else max_rows + 1
    triples = list(itertools.islice(result, limit))
    truncated = max_rows is not None and len(triples) > max_rows
    if truncated:
        triples = triples[:max_rows]
    body = ox.serialize(triples, format=RDF_FORMATS[fmt], **_prefix_arg(fmt, prefixes))
    return body, fmt, CONSTRUCT, len(triples), truncated


def _capped_solutions(result, fmt, max_rows):
    """Take at most max_rows solutions, then let Oxigraph serialize them.

    QuerySolutions cannot be sliced, so the kept rows go through TSV (one line per
    row, terms in N-Triples syntax) and back: the output is still Oxigraph's own.
    """
    variables = result.variables
    lines = ["\t".join(str(v) for v in variables)]
    rows, truncated = 0, False
    for solution in result:
        if max_rows is not None and rows >= max_rows:
            truncated = True
            break
        lines.append("\t".join("" if term is None else str(term) for term in solution))
        rows += 1
    tsv = "".join(line + "\n" for line in lines)
    capped = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return capped.serialize(format=RESULT_FORMATS[fmt]), rows, truncated


def _prefix_arg(fmt, prefixes):
    return {"prefixes": prefixes} if prefixes and fmt in _PREFIXED else {}


def run_internal(opened, text):
    """A trusted query for the pages, uncapped, sent back in a form the parent re-parses."""
    result = _execute(opened, text)
    if isinstance(result, ox.QueryBoolean):
        return "boolean", bool(result)
    if isinstance(result, ox.QuerySolutions):
        return "solutions", result.serialize(format=ox.QueryResultsFormat.TSV)
    return "triples", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)


def dump(opened, fmt, graph):
    """A named graph, the dataset (quad formats) or the merge (triple formats)."""
    if fmt not in RDF_FORMATS:
        raise QueryRejected(f"Unknown serialization {fmt!r}")
    rdf_format = RDF_FORMATS[fmt]
    if graph is not None:
        return opened.store.dump(format=rdf_format, from_graph=ox.NamedNode(graph))
    if rdf_format.supports_datasets:
        named = (q for q in opened.store if not isinstance(q.graph_name, ox.DefaultGraph))
        return ox.serialize(named, format=rdf_format)
    return opened.store.dump(format=rdf_format, from_graph=ox.DefaultGraph())


def count(opened):
    """Quads in the named graphs (the stored merge in the default graph is not counted)."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    return int(next(iter(opened.store.query(query)))[0].value)


OPERATIONS = {
    "query": run_query,
    "internal": run_internal,
    "count": count,
    "graphs": lambda opened: sorted(opened.graphs),
    "dump": dump,
    "open": lambda opened: None,  # the store is opened by `serve`: the pool's warm-up
}


class WorkerOutOfMemory(StoreBusy):
    """The query needed more memory than a worker may have; the worker was replaced."""


def out_of_memory_message(limit: int) -> str:
    return (
        f"Query stopped: it needed more than the {limit // (1024 * 1024)} MiB memory limit "
        "of a query worker. Narrow it (fewer rows, shorter strings) before trying again."
    )


#: glibc's mallopt parameter for the number of malloc arenas.
_M_ARENA_MAX = -8


def limit_memory(limit: int | None) -> None:
    """Cap this process's address space: an allocation past it fails, and the engine aborts
    this worker alone (the pool reports the limit).

    glibc reserves 64 MiB of address space for each thread's malloc arena; under RLIMIT_AS
    those reservations, not the query's data, used up the cap on a busy machine, and the
    engine aborted when it could not start a thread ("Resource temporarily unavailable").
    Two arenas are enough for a worker that answers one query at a time."""
    if not limit:
        return
    # Not glibc (no mallopt): its allocator reserves no per-thread arena to limit.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 2)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(conn, memory_limit: int | None = None) -> None:
    """Answer (operation, store path, kwargs) requests until the parent hangs up."""
    limit_memory(memory_limit)
    opened = None
    while True:
        try:
            operation, path, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if opened is None or opened.path != path:
                opened = None  # close the old build before opening the new one
                opened = _Opened(path)
            reply = ("ok", OPERATIONS[operation](opened, **kwargs))
        except StoreError as exc:
            reply = ("error", exc)
        except MemoryError:  # Python's side of the limit: answer, then make way for a fresh one
            conn.send(("error", WorkerOutOfMemory(out_of_memory_message(memory_limit or 0))))
            os._exit(1)
        except Exception as exc:  # report, never die: the parent maps it to a 500
            reply = ("error", StoreError(f"{type(exc).__name__}: {exc}"))
        conn.send(reply)
