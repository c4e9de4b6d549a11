"""The SPARQL 1.1 Protocol endpoint (queries only): GET, form POST and direct POST.

Request parameters are decoded strictly (werkzeug would silently replace invalid
UTF-8, protocol.py); every refusal is a 4xx with a plain-text message; results are the
store's serialized bytes, in the format chosen through the negotiation table.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD

from diplograph import store as st
from diplograph.web import negotiation, pages
from diplograph.web.context import STORE_KEY
from diplograph.web.lookups import FastLane
from diplograph.web.protocol import (
    EXPOSED,
    ProtocolError,
    bounded,
    decode,
    over_public_limit,
    pairs,
    read_body,
    result_headers,
    too_large,
)
from diplograph.web.syntax_errors import plain_message

bp = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace(negotiation.FORMATS_NS)
#: Config key: answer bounded lookups in process (and GET ones before Flask). On by default.
FAST_LOOKUPS = "SPARQL_FAST_LOOKUPS"

STATUS = [  # most specific first
    (st.UpdateRefused, 403),
    (st.ServiceRefused, 403),
    (st.QueryTooLarge, 413),
    (st.QueryRejected, 400),
    (st.QueryTimeout, 503),
    (st.StoreBusy, 503),
    (st.NoBuild, 503),
    (st.StoreError, 500),
]


def _text(status: int, message: str, **headers) -> Response:
    body = message.rstrip() + "\n"
    return Response(body, status, headers, content_type="text/plain; charset=utf-8")


@bp.errorhandler(413)
def _too_large(_exc):
    return _text(413, str(too_large(current_app.config)))


@bp.errorhandler(ProtocolError)
def _protocol_error(exc: ProtocolError):
    return _text(exc.status, str(exc))


@bp.errorhandler(st.StoreError)
def _store_error(exc: st.StoreError):
    status = next(code for cls, code in STATUS if isinstance(exc, cls))
    headers = {"Retry-After": "1"} if isinstance(exc, st.StoreBusy) else {}
    return _text(status, plain_message(exc, _read_request), **headers)


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    response.headers.add("Vary", "Accept")
    return response


@bp.record_once
def _fast_lane(state) -> None:
    """Bounded GET lookups skip Flask (lookups.py); off with SPARQL_FAST_LOOKUPS=False."""
    app = state.app
    app.config.setdefault(FAST_LOOKUPS, True)
    if app.config[FAST_LOOKUPS]:
        app.wsgi_app = FastLane(app.wsgi_app, app)


def _read_request() -> tuple[str | None, list[tuple[str, str]]]:
    """(query text or None, all parameters) from any of the protocol's three forms."""
    params = pairs(request.query_string, "query string")
    body_query = None
    if request.method == "POST":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"Only UTF-8 is accepted, not charset={charset}.")
        mimetype = request.mimetype
        if mimetype == "application/x-www-form-urlencoded":
            params += pairs(read_body(request.environ, current_app), "form body")
        elif mimetype == "application/sparql-query":
            body_query = decode(read_body(request.environ, current_app), "query")
        elif mimetype == "application/sparql-update":
            raise st.UpdateRefused("This endpoint is read-only: SPARQL Update is refused.")
        else:
            raise ProtocolError(
                415,
                "POST a query as application/sparql-query or as an "
                f"application/x-www-form-urlencoded form, not {mimetype or 'an untyped body'}.",
            )
    if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in params):
        raise st.UpdateRefused("This endpoint is read-only: SPARQL Update is refused.")
    queries = [value for name, value in params if name == "query"]
    if body_query is not None:
        queries.append(body_query)
    if len(queries) > 1:
        raise ProtocolError(400, "Exactly one query is allowed per request.")
    return (queries[0] if queries else None), params


def _choose(form: str, params: list[tuple[str, str]]) -> negotiation.Format:
    keys = st.formats_for(form)
    names = [value for name, value in params if name == "format"]
    if names:
        chosen = negotiation.by_name(names[-1], keys)
        if chosen is None:
            wanted = ", ".join(keys)
            raise ProtocolError(406, f"format={names[-1]} cannot carry a {form} result ({wanted}).")
        return chosen
    chosen = negotiation.best(request.accept_mimetypes, keys)
    if chosen is None:
        offered = ", ".join(negotiation.get(k).media_type for k in keys)
        raise ProtocolError(406, f"No acceptable format for a {form} result; offered: {offered}.")
    return chosen


@bp.route("/sparql", methods=["GET", "POST"], strict_slashes=False, provide_automatic_options=False)
def endpoint():
    query, params = _read_request()
    store = current_app.extensions[STORE_KEY]
    if query is None:  # a browser gets the editor (web/pages.py), a client the description
        return pages.sparql_home() or service_description(store, params)
    refusal = over_public_limit(query, current_app.config)
    if refusal is not None:
        raise refusal
    info = store.check(query)
    fmt = _choose(info.form, params)
    default = [value for name, value in params if name == "default-graph-uri"]
    named = [value for name, value in params if name == "named-graph-uri"]
    result = None
    if not (default or named) and current_app.config[FAST_LOOKUPS]:
        result = bounded(store, info, fmt.key, request.base_url)
    if result is None:
        result = store.execute(
            info,
            default_graph_uris=default or None,
            named_graph_uris=named or None,
            result_format=fmt.key,
            base_iri=request.base_url,  # the protocol lets the service choose; the usual one
        )
    return Response(result.body, headers=result_headers(result))


@bp.route("/sparql", methods=["OPTIONS"], strict_slashes=False)
def preflight():
    """CORS preflight: browsers ask before POSTing application/sparql-query."""
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def service_description(store, params) -> Response:
    """SPARQL 1.1 Service Description of this endpoint, in a negotiated RDF format."""
    fmt = _choose(st.CONSTRUCT, params)
    endpoint = URIRef(request.base_url)
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    # No sd:BasicFederatedQuery: SERVICE is refused.
    for f in negotiation.TABLE:
        if f.kind in ("results", "graph"):
            g.add((endpoint, SD.resultFormat, FORMATS[f.w3c]))
    dataset, default = BNode(), BNode()
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(store.triple_count(), datatype=XSD.integer)))
    for name in store.named_graphs():
        node = BNode()
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    body = g.serialize(format=fmt.rdflib, encoding="utf-8")
    return Response(body, content_type=fmt.content_type)
