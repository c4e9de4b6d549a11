"""What every store backend promises: the interface, the result type and the errors.

Views and the CLI program against `Store`; the embedded Oxigraph backend and the
remote (SPARQL-over-HTTP) backend both derive from it. Nothing here knows about HTTP:
the web layer maps these errors to status codes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from diplograph.store.formats import BOOLEAN_KEYS, DATASET_KEYS, GRAPH_KEYS, RESULT_KEYS

#: Serializer keys a backend understands, by the kind of answer they fit: rows of the one
#: format table (store/formats.py), which the web layer's negotiation reads too.
RESULT_FORMATS = RESULT_KEYS
BOOLEAN_FORMATS = BOOLEAN_KEYS
GRAPH_FORMATS = GRAPH_KEYS
DATASET_FORMATS = DATASET_KEYS

#: Query forms, as the pre-flight check reports them.
SELECT, ASK, CONSTRUCT, DESCRIBE = "SELECT", "ASK", "CONSTRUCT", "DESCRIBE"


def formats_for(form: str) -> tuple[str, ...]:
    """The serializer keys that can carry the answer to a query of this form."""
    if form == SELECT:
        return RESULT_FORMATS
    if form == ASK:
        return BOOLEAN_FORMATS
    return GRAPH_FORMATS


@dataclass(frozen=True)
class QueryInfo:
    """What the pre-flight check learnt about a query without running it."""

    text: str
    form: str
    prefixes: dict[str, str] = field(default_factory=dict)
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryResult:
    """A serialized answer: the bytes to send and what the row cap did to them."""

    body: bytes
    format: str
    form: str
    rows: int
    truncated: bool
    max_rows: int | None


class StoreError(Exception):
    """Base class: something went wrong on the server side."""


class NoBuild(StoreError):
    """No build has been published yet (run `diplograph build`)."""


class QueryRejected(StoreError):
    """The request is at fault: refuse it before (or instead of) running it."""


class QuerySyntaxError(QueryRejected):
    """The parser's message, with line and column."""


class QueryTooLarge(QueryRejected):
    """The query text exceeds the configured maximum size."""


class UpdateRefused(QueryRejected):
    """The endpoint is read-only."""


class ServiceRefused(QueryRejected):
    """SERVICE would make the server call out to another host."""


class UnknownGraph(QueryRejected):
    """FROM / FROM NAMED names a graph this dataset does not hold (nothing is fetched)."""


class QueryTimeout(StoreError):
    """The query ran past the time limit and its worker was killed."""


class StoreBusy(StoreError):
    """Every worker stayed busy for the whole time limit."""


@dataclass(frozen=True)
class PublicQuery:
    """A checked public query with its answer format, row cap and dataset settled."""

    info: QueryInfo
    format: str
    max_rows: int | None
    default_graph_uris: Sequence[str] | None = None
    named_graph_uris: Sequence[str] | None = None
    timeout: float | None = None
    base_iri: str | None = None


class Store(ABC):
    """The one interface to the graph store.

    The part of a public query that does not depend on the backend (the pre-flight check,
    the answer format, the row cap) and DESCRIBE are written here once; each backend
    answers the settled query (`_answer`) its own way.
    """

    max_rows: int | None

    @abstractmethod
    def check(self, sparql: str) -> QueryInfo:
        """Refuse what must not run (update, SERVICE, oversize); report the query form."""

    @abstractmethod
    def query(self, sparql: str, *, timeout: float | None = None, build: Path | None = None):
        """A trusted query (pages, catalogue): pyoxigraph solutions, a bool or triples.

        `build` pins a published build directory, so that the queries of one page read
        the same build even if another is switched in meanwhile (backends with a single
        live version may ignore it).
        """

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
        """A public query, serialized and capped; protocol-given graphs replace the merge."""
        info = sparql if isinstance(sparql, QueryInfo) else self.check(sparql)
        fmt = result_format or formats_for(info.form)[0]
        if fmt not in formats_for(info.form):
            raise QueryRejected(f"A {info.form} query cannot be answered as {fmt!r}.")
        cap = self.max_rows if max_rows is None else max_rows
        return self._answer(
            PublicQuery(info, fmt, cap, default_graph_uris, named_graph_uris, timeout, base_iri)
        )

    @abstractmethod
    def _answer(self, request: PublicQuery) -> QueryResult:
        """Run a checked public query; serialize and cap its answer as `request` says."""

    def describe(self, iri: str, result_format: str = "turtle") -> QueryResult:
        """The resource's description (SPARQL DESCRIBE over the union graph)."""
        if result_format not in GRAPH_FORMATS:
            raise QueryRejected(f"Cannot describe as {result_format!r}.")
        node = ox.NamedNode(iri)  # validates: never paste an unchecked IRI into query text
        return self.execute(QueryInfo(f"DESCRIBE {node}", DESCRIBE), result_format=result_format)

    @abstractmethod
    def triple_count(self) -> int:
        """Quads in the published dataset."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs in the published dataset, sorted."""

    @abstractmethod
    def serialize(self, result_format: str, graph: str | None = None) -> bytes:
        """Export one named graph, or the whole dataset (nquads/trig) or union (triples)."""

    @abstractmethod
    def close(self) -> None:
        """Release workers and files."""
