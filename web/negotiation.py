"""The one content-negotiation table, shared by every view.

Each row ties a serializer key (what `diplograph.store` and rdflib produce)
to its media type, the other media types clients send for it, its file suffix and
its W3C format IRI (for service descriptions). Accept headers, `format=` parameters
and `.ttl`-style suffixes are all resolved against this table and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, current_app
from werkzeug.datastructures import MIMEAccept

FORMATS_NS = "http://www.w3.org/ns/formats/"


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

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "n-triples", "n-quads", "trig")
        )
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


TABLE: tuple[Format, ...] = (
    Format(
        "json",
        "results",
        "application/sparql-results+json",
        ("application/json",),
        ".srj",
        None,
        "SPARQL_Results_JSON",
        "SPARQL results (JSON)",
    ),
    Format(
        "xml",
        "results",
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        ".srx",
        None,
        "SPARQL_Results_XML",
        "SPARQL results (XML)",
    ),
    Format("csv", "results", "text/csv", (), ".csv", None, "SPARQL_Results_CSV", "CSV"),
    Format(
        "tsv",
        "results",
        "text/tab-separated-values",
        (),
        ".tsv",
        None,
        "SPARQL_Results_TSV",
        "TSV",
    ),
    Format(
        "turtle",
        "graph",
        "text/turtle",
        ("application/x-turtle",),
        ".ttl",
        "turtle",
        "Turtle",
        "Turtle",
    ),
    Format(
        "ntriples",
        "graph",
        "application/n-triples",
        ("text/plain",),
        ".nt",
        "nt",
        "N-Triples",
        "N-Triples",
    ),
    Format(
        "jsonld",
        "graph",
        "application/ld+json",
        ("application/json",),
        ".jsonld",
        "json-ld",
        "JSON-LD",
        "JSON-LD",
    ),
    Format(
        "rdfxml",
        "graph",
        "application/rdf+xml",
        ("application/xml", "text/xml"),
        ".rdf",
        "xml",
        "RDF_XML",
        "RDF/XML",
    ),
    Format("nquads", "dataset", "application/n-quads", (), ".nq", "nquads", "N-Quads", "N-Quads"),
    Format("trig", "dataset", "application/trig", (), ".trig", "trig", "TriG", "TriG"),
)

BY_KEY = {f.key: f for f in TABLE}
RDF_KEYS = tuple(f.key for f in TABLE if f.kind == "graph")


def get(key: str) -> Format:
    return BY_KEY[key]


def alternates() -> list[tuple[str, str]]:
    """(media type, suffix) of every RDF twin an HTML page can advertise."""
    return [(f.media_type, f.suffix) for f in TABLE if f.kind == "graph"]


def by_name(name: str, keys: tuple[str, ...]) -> Format | None:
    """A `format=` value: a key (`json`), a suffix with or without dot, or a media type."""
    wanted = name.strip().lower()
    for f in TABLE:
        if f.key not in keys:
            continue
        names = {f.key, f.media_type, *f.aliases}
        if f.suffix:
            names |= {f.suffix, f.suffix.lstrip(".")}
        if wanted in names:
            return f
    return None


def best(accept: MIMEAccept, keys: tuple[str, ...], html: bool = False) -> Format | str | None:
    """The client's preferred format among keys (first key wins `*/*` and an empty Accept).

    With html=True, "text/html" competes too and is returned as the string "html".
    None means the client accepts none of them (answer 406).
    """
    if not accept:
        return "html" if html else BY_KEY[keys[0]]
    offers: list[tuple[str, Format | str]] = [("text/html", "html")] if html else []
    for key in keys:
        f = BY_KEY[key]
        offers.append((f.media_type, f))
    for key in keys:
        offers.extend((alias, BY_KEY[key]) for alias in BY_KEY[key].aliases)
    match = accept.best_match([media for media, _ in offers])
    if match is None:
        return None
    return next(target for media, target in offers if media == match)


def split_suffix(path: str) -> tuple[str, str | None]:
    """`scott-bessent.ttl` -> (`scott-bessent`, `turtle`); no RDF suffix -> (path, None)."""
    for f in TABLE:
        if f.kind == "graph" and f.suffix and path.endswith(f.suffix):
            return path[: -len(f.suffix)], f.key
    return path, None


def from_accept(request) -> str | None:
    """The RDF format key a client prefers over HTML, or None to serve the page."""
    chosen = best(request.accept_mimetypes, RDF_KEYS, html=True)
    return chosen.key if isinstance(chosen, Format) else None


def rdf_response(iri: str, key: str) -> Response:
    """The resource's description in the given RDF format (404 when the graph says nothing)."""
    from diplograph.web.context import STORE_KEY

    result = current_app.extensions[STORE_KEY].describe(iri, key)
    if result.rows == 0:
        abort(404)
    response = Response(result.body, content_type=get(key).content_type)
    response.headers["Vary"] = "Accept"
    return response
