"""The one content-negotiation table, shared by every view.

The table itself is `diplograph.store.formats` (each row ties a serializer key to its
media type, the other media types clients send for it, its file suffix and its W3C
format IRI); it is re-exported here for the views. Accept headers, `format=` parameters
and `.ttl`-style suffixes are all resolved against it and nothing else.
"""

from __future__ import annotations

from flask import Response, abort, current_app
from werkzeug.datastructures import MIMEAccept

from diplograph.store.formats import BY_KEY, GRAPH_KEYS, TABLE, Format
from diplograph.store.formats import FORMATS_NS as FORMATS_NS  # re-exported
from diplograph.web.context import STORE_KEY

RDF_KEYS = GRAPH_KEYS


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
    result = current_app.extensions[STORE_KEY].describe(iri, key)
    if result.rows == 0:
        abort(404)
    response = Response(result.body, content_type=get(key).content_type)
    response.headers["Vary"] = "Accept"
    return response
