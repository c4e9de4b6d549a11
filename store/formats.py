"""The one format table: every serialisation the project reads or writes, in one row each.

A row ties a serializer key (what the store backends produce) to its media type, the
other media types clients send for it, its file suffix (which is also the name of its
`diplograph export --format`), its W3C format IRI (for service descriptions and VoID)
and pyoxigraph's own format object. The store's lists of keys, the web layer's content
negotiation, the export writers and the dataset description all derive from this table,
so a media type or a suffix is written here and nowhere else (rdflib-endpoint's one
content-type table is the model).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

FORMATS_NS = "http://www.w3.org/ns/formats/"

RESULTS, GRAPH, DATASET = "results", "graph", "dataset"


@dataclass(frozen=True)
class Format:
    key: str  # serializer key understood by the store module
    kind: str  # "results" (SELECT/ASK), "graph" (triples) or "dataset" (quads)
    media_type: str
    aliases: tuple[str, ...]
    suffix: str | None
    rdflib: str | None  # rdflib's serializer name, for graphs built in Python
    w3c: str  # local name in http://www.w3.org/ns/formats/
    label: str
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat
    boolean: bool = False  # a results format that can also carry an ASK answer

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "n-triples", "n-quads", "trig")
        )
        return f"{self.media_type}; charset=utf-8" if text else self.media_type

    @property
    def export(self) -> str | None:
        """The format's name for `diplograph export` and the downloads: its suffix."""
        return self.suffix[1:] if self.kind != RESULTS and self.suffix else None

    @property
    def w3c_iri(self) -> str:
        return FORMATS_NS + self.w3c

    @property
    def keeps_graphs(self) -> bool:
        """Whether a dump in this format keeps the named graphs (JSON-LD does, as @graph)."""
        return isinstance(self.oxigraph, ox.RdfFormat) and self.oxigraph.supports_datasets


_R, _Q = ox.RdfFormat, ox.QueryResultsFormat

TABLE: tuple[Format, ...] = (
    Format(
        "json",
        RESULTS,
        "application/sparql-results+json",
        ("application/json",),
        ".srj",
        None,
        "SPARQL_Results_JSON",
        "SPARQL results (JSON)",
        _Q.JSON,
        boolean=True,
    ),
    Format(
        "xml",
        RESULTS,
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        ".srx",
        None,
        "SPARQL_Results_XML",
        "SPARQL results (XML)",
        _Q.XML,
        boolean=True,
    ),
    Format("csv", RESULTS, "text/csv", (), ".csv", None, "SPARQL_Results_CSV", "CSV", _Q.CSV),
    Format(
        "tsv",
        RESULTS,
        "text/tab-separated-values",
        (),
        ".tsv",
        None,
        "SPARQL_Results_TSV",
        "TSV",
        _Q.TSV,
    ),
    Format(
        "turtle",
        GRAPH,
        "text/turtle",
        ("application/x-turtle",),
        ".ttl",
        "turtle",
        "Turtle",
        "Turtle",
        _R.TURTLE,
    ),
    Format(
        "ntriples",
        GRAPH,
        "application/n-triples",
        ("text/plain",),
        ".nt",
        "nt",
        "N-Triples",
        "N-Triples",
        _R.N_TRIPLES,
    ),
    Format(
        "jsonld",
        GRAPH,
        "application/ld+json",
        ("application/json",),
        ".jsonld",
        "json-ld",
        "JSON-LD",
        "JSON-LD",
        _R.JSON_LD,
    ),
    Format(
        "rdfxml",
        GRAPH,
        "application/rdf+xml",
        ("application/xml", "text/xml"),
        ".rdf",
        "xml",
        "RDF_XML",
        "RDF/XML",
        _R.RDF_XML,
    ),
    # TriG before N-Quads: the downloads list (and so the exports' index) keeps that order.
    Format("trig", DATASET, "application/trig", (), ".trig", "trig", "TriG", "TriG", _R.TRIG),
    Format(
        "nquads",
        DATASET,
        "application/n-quads",
        (),
        ".nq",
        "nquads",
        "N-Quads",
        "N-Quads",
        _R.N_QUADS,
    ),
)

BY_KEY = {f.key: f for f in TABLE}
#: Serializer keys by the kind of answer they fit.
RESULT_KEYS = tuple(f.key for f in TABLE if f.kind == RESULTS)
BOOLEAN_KEYS = tuple(f.key for f in TABLE if f.boolean)
GRAPH_KEYS = tuple(f.key for f in TABLE if f.kind == GRAPH)
DATASET_KEYS = tuple(f.key for f in TABLE if f.kind == DATASET)
#: pyoxigraph's format objects by serializer key.
OX_RESULTS = {f.key: f.oxigraph for f in TABLE if f.kind == RESULTS}
OX_RDF = {f.key: f.oxigraph for f in TABLE if f.kind != RESULTS}
#: The dump formats by export name (`ttl`, `nt`, `jsonld`, `rdf`, `trig`, `nq`), in order.
EXPORTS = {f.export: f for f in TABLE if f.export}
