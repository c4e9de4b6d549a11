"""Property-based fuzzing of every public route: hostile paths, parameters and headers
never give a 500 or a traceback.

The routes come from the app's own URL map, and a test fails when one appears that no
strategy below covers, so a new route is fuzzed from the day it is added.
"""

from __future__ import annotations

from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import MINIMAL, build_into

from diplograph.queries import catalogue as cat
from diplograph.web import create_app

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: a failure is reproducible in CI
)

NASTY = [
    "",
    " ",
    "..",
    "../../etc/passwd",
    "..%2F..%2Fpackage.json",
    "%00",
    "%ff%fe",
    "%c0%ae%c0%ae/",
    "\u202egnp.exe",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    '" } ; DROP ALL ; #',
    "} SERVICE <http://example.org/> {",
    "\\u0000",
    "a" * 5000,
    "x/" * 300,
    "🙂" * 100,
    "Xi Jinping",
    "alpha",
    "mini-2025-10-24",
]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
MEDIA = [
    "text/html",
    "application/json",
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
    "application/sparql-results+json",
    "text/csv",
    "*/*",
    "image/png",
    "text/*;q=0.1",
]
accept = st.one_of(
    st.lists(
        st.tuples(
            st.sampled_from(MEDIA), st.sampled_from(["", ";q=0", ";q=0.5", ";q=1.1", ";q=x"])
        ),
        max_size=4,
    ).map(lambda items: ", ".join(m + q for m, q in items)),
    st.text(max_size=80).filter(lambda s: "\n" not in s and "\r" not in s),
)
header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=100)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    instance = tmp_path_factory.mktemp("fuzz") / "instance"
    build_into(MINIMAL, instance)
    app = create_app(
        {
            "TESTING": True,
            "DIPLOGRAPH_HOME": str(instance),
            "WORKERS": 2,
            "QUERY_TIMEOUT": 5,
            "SPARQL_CLIENT_CONCURRENCY": 0,
        }
    )
    yield app.test_client()
    app.extensions["diplograph.store"].close()


def assert_handled(response, what) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (what, response.status_code, body[:500])
    assert "Traceback (most recent call last)" not in body, what
    if response.mimetype == "text/html":
        assert "<script>alert(1)</script>" not in body, what


# The routes each strategy covers, by endpoint name; the static asset routes are served
# by Flask and werkzeug's own file handling.
COVERED = {
    "static",
    "sparql.endpoint",
    "sparql.preflight",
    "assets.vendor",
    "pages.home",
    "pages.sources",
    "pages.source",
    "pages.disagreements",
    "pages.ontology",
    "pages.validation",
    "entities.entity",
    "search.search",
    "timeline.timeline",
    "timeline.timeline_data",
    "map.venue_map",
    "map.map_data",
    "network.network",
    "network.network_data",
    "catalogue_views.catalogue",
    "catalogue_views.query_page",
    "catalogue_views.editor",
    "permalinks.store_query",
    "permalinks.open_query",
    "exports.downloads",
    "exports.download",
    "exports.void",
    "exports.context",
    "pages.robots",
    "pages.sitemap",
    "entities.relations_data",
    "search.suggest",
    "timeline.timeline_table",
    "pages.source_facts_data",
}
FIXED = ["/", "/sources", "/disagreements", "/ontology", "/validation", "/search", "/timeline"]
FIXED += ["/timeline/data", "/map", "/map/data"]
FIXED += ["/network", "/network/data", "/queries", "/query-editor", "/downloads"]
FIXED += ["/.well-known/void", "/context.jsonld", "/sparql"]
FIXED += ["/robots.txt", "/sitemap.xml", "/search/suggest"]
FIXED += ["/timeline/table", "/sources/mini-2025-10-24/facts"]
WITH_SEGMENT = ["/id/", "/sources/", "/queries/", "/downloads/", "/vendor/", "/static/", "/q/"]
WITH_SEGMENT += ["/relations/"]


def test_every_route_is_fuzzed(client):
    endpoints = {rule.endpoint for rule in client.application.url_map.iter_rules()}
    assert endpoints == COVERED, endpoints ^ COVERED


@FUZZ
@given(prefix=st.sampled_from(WITH_SEGMENT), segment=text, raw=st.booleans())
def test_path_segments(client, prefix, segment, raw):
    path = prefix + (segment if raw else quote(segment, safe="/"))
    assert_handled(client.get(path), path)


@FUZZ
@given(path=st.sampled_from(FIXED + ["/id/alpha", "/sources/mini-2025-10-24"]), value=accept)
def test_accept_headers(client, path, value):
    response = client.get(path, headers={"Accept": value})
    assert_handled(response, (path, value))
    assert response.status_code in (200, 404, 406), (path, value, response.status_code)


@FUZZ
@given(
    path=st.sampled_from(FIXED),
    params=st.lists(st.tuples(text, text), max_size=4),
    # Granian passes raw UTF-8 in a request line on (invalid bytes get its 400): the app
    # sees them as PEP 3333 says, each byte a latin-1 character.
    raw=st.one_of(
        st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=200),
        st.binary(max_size=100).map(lambda b: quote_from_bytes(b, safe="=&")),
        st.text(max_size=50).map(lambda t: t.encode("utf-8", "surrogatepass").decode("latin-1")),
    ),
)
def test_query_strings(client, path, params, raw):
    assert_handled(client.get(path, query_string=params), (path, params))
    environ = {"QUERY_STRING": raw}  # as the client sent it, undecoded
    assert_handled(client.get(path, environ_overrides=environ), (path, raw))


@FUZZ
@given(q=text, fmt=st.sampled_from(["", "json", "html", "csv", "x"]), accept_value=accept)
def test_search(client, q, fmt, accept_value):
    response = client.get(
        "/search", query_string={"q": q, "format": fmt}, headers={"Accept": accept_value}
    )
    assert_handled(response, q)


@FUZZ
@given(name=st.sampled_from(sorted(cat.load_catalogue())), values=st.lists(text, max_size=6))
def test_catalogue_parameters(client, name, values):
    query = cat.get_query(name)
    params = {p.name: v for p, v in zip(query.params, values, strict=False)}
    fmt = ["html", "csv", "json"][len(values) % 3]
    response = client.get(f"/queries/{name}", query_string={**params, "run": "1", "format": fmt})
    assert_handled(response, (name, params))
    assert response.status_code in (200, 400), (name, params, response.status_code)


@FUZZ
@given(actor=text, topic=text, status=text, node=text)
def test_timeline_and_network_filters(client, actor, topic, status, node):
    response = client.get(
        "/timeline", query_string={"actor": actor, "topic": topic, "status": status}
    )
    assert_handled(response, (actor, topic, status))
    # the list as a table, with the same filters and a format (csv, json or anything)
    table = {"actor": actor, "topic": topic, "status": status, "format": node}
    assert_handled(client.get("/timeline/table", query_string=table), table)
    assert_handled(client.get("/network", query_string={"id": node}), node)
    assert_handled(client.get("/network/data", query_string={"id": node}), node)


sparql_text = st.one_of(
    text,
    st.sampled_from(
        [
            "ASK {}",
            "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
            "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3",
            "DESCRIBE <https://w3id.org/diplograph/id/alpha>",
        ]
    ),
)


@FUZZ
@given(
    query=sparql_text,
    fmt=st.sampled_from([None, "json", "xml", "csv", "tsv", "turtle", "x", ""]),
    graph=st.one_of(st.none(), text),
    accept_value=accept,
)
def test_sparql_get(client, query, fmt, graph, accept_value):
    params = [("query", query)]
    if fmt is not None:
        params.append(("format", fmt))
    if graph is not None:
        params.append(("default-graph-uri", graph))
    response = client.get("/sparql", query_string=params, headers={"Accept": accept_value})
    assert_handled(response, params)
    assert response.status_code != 503 or "time limit" in response.get_data(as_text=True)


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=300), sparql_text.map(str.encode)),
    content_type=st.one_of(
        st.sampled_from(
            [
                "application/sparql-query",
                "application/sparql-query; charset=latin-1",
                "application/x-www-form-urlencoded",
                "application/sparql-update",
                "text/plain",
                "multipart/form-data; boundary=x",
                "",
            ]
        ),
        header_text,
    ),
)
def test_sparql_post(client, body, content_type):
    response = client.post("/sparql", data=body, headers={"Content-Type": content_type})
    assert_handled(response, (body, content_type))


@FUZZ
@given(
    method=st.sampled_from(["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]),
    path=st.sampled_from(FIXED),
)
def test_other_methods(client, method, path):
    assert_handled(client.open(path, method=method), (method, path))
