"""The remote backend: versioned push and atomic switch on a real Virtuoso, and the client's
handling of Virtuoso's silent answers (truncation, timeout) against a scripted server."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from virtuoso_support import endpoints, virtuoso_env, write_build

from diplograph import store as st
from diplograph.store.http import Endpoints
from diplograph.store.publish_remote import PublishError, list_versions, push
from diplograph.store.remote import RemoteStore, ResultTruncated
from diplograph.store.versions import Version

G = "https://w3id.org/diplograph/graph/"


def dataset(n: int, label: str) -> bytes:
    """n rows split over two graphs, one triple in both, and a triple naming graph a."""
    lines = [f'<urn:row:{i}> <urn:p> "{label}{i}" <{G}{"ab"[i % 2]}> .' for i in range(n)]
    lines.append(f'<urn:shared> <urn:p> "both" <{G}a> .')
    lines.append(f'<urn:shared> <urn:p> "both" <{G}b> .')
    lines.append(f"<urn:shared> <urn:about> <{G}a> <{G}b> .")
    return ("\n".join(sorted(lines)) + "\n").encode()


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(store) -> int:
    return int(next(iter(store.query(COUNT)))[0].value)


@pytest.fixture(scope="module")
def env():
    return virtuoso_env()


@pytest.fixture
def ends(env, request):
    name = request.node.name.replace("[", "-").replace("]", "")
    yield endpoints(env, name)


@pytest.mark.virtuoso
@pytest.mark.slow
def test_queries_see_the_current_version_only_with_graph_names_as_the_data_has_them(ends, tmp_path):
    push(write_build(tmp_path / "one", dataset(10, "old")), ends)
    push(write_build(tmp_path / "two", dataset(20, "new")), ends)
    store = RemoteStore(ends)
    assert count(store) == 22  # the merge: "both" once, not once per graph or version
    assert store.triple_count() == 23 and store.named_graphs() == [G + "a", G + "b"]
    rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert [r[0].value for r in rows] == [G + "a", G + "b"]
    [row] = store.query("SELECT ?x WHERE { <urn:shared> <urn:about> ?x }")
    assert row[0].value == G + "a"  # renamed back in answers...
    named = store.query(f"SELECT ?s WHERE {{ GRAPH <{G}b> {{ ?s <urn:about> <{G}a> }} }}")
    assert [r[0].value for r in named] == ["urn:shared"]  # ...and in query text
    assert not any("old" in r[0].value for r in store.query("SELECT ?o { ?s <urn:p> ?o }"))
    with pytest.raises(st.UnknownGraph):
        store.execute(f"SELECT * FROM <{G}c> WHERE {{ ?s ?p ?o }}")


@pytest.mark.virtuoso
@pytest.mark.slow
def test_public_answers_are_capped_and_serialized_like_the_embedded_store(ends, tmp_path):
    push(write_build(tmp_path / "b", dataset(30, "x")), ends)
    store = RemoteStore(ends, max_rows=5)
    result = store.execute("SELECT ?o WHERE { ?s <urn:p> ?o }", result_format="csv")
    assert result.truncated and result.rows == 5 and result.body.count(b"\n") == 6
    graph = store.execute("CONSTRUCT WHERE { ?s ?p ?o }", result_format="ntriples")
    assert graph.truncated and graph.rows == 5
    described = store.describe("urn:shared", "ntriples").body.decode()
    assert f"<{G}a>" in described and "?v=" not in described
    dump = store.serialize("nquads").decode()
    assert dump.count("\n") == 33 and "?v=" not in dump


@pytest.mark.virtuoso
@pytest.mark.slow
def test_readers_see_the_old_or_the_new_version_whole_during_a_push(ends, tmp_path):
    push(write_build(tmp_path / "old", dataset(2_000, "old")), ends)
    store = RemoteStore(ends, refresh=0)
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            seen.add(count(store))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        push(write_build(tmp_path / "new", dataset(30_000, "new")), ends, chunk=2_000)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert seen <= {2_002, 30_002} and 30_002 in seen
    assert count(store) == 30_002


@pytest.mark.virtuoso
@pytest.mark.slow
def test_a_failed_push_leaves_the_previous_version_serving_and_nothing_behind(
    ends, tmp_path, monkeypatch
):
    push(write_build(tmp_path / "good", dataset(10, "good")), ends)
    before = list_versions(RemoteStore(ends).http)
    from diplograph.store import http as remote_http

    real, calls = remote_http.SparqlHttp.post_triples, []

    def failing(self, graph, data, timeout=600.0):
        calls.append(graph)
        if len(calls) == 2:
            raise remote_http.RemoteError("connection reset (injected)")
        return real(self, graph, data, timeout)

    monkeypatch.setattr(remote_http.SparqlHttp, "post_triples", failing)
    with pytest.raises(PublishError, match="injected"):
        push(write_build(tmp_path / "bad", dataset(40, "bad")), ends)
    monkeypatch.undo()
    store = RemoteStore(ends)
    assert count(store) == 12 and list_versions(store.http) == before
    leftover = store.http.query(f"ASK {{ GRAPH <{calls[0]}> {{ ?s ?p ?o }} }}")
    assert b"false" in leftover.body  # the half-loaded graph was dropped


@pytest.mark.virtuoso
@pytest.mark.slow
def test_a_push_whose_check_fails_is_not_switched_to(ends, tmp_path, monkeypatch):
    push(write_build(tmp_path / "good", dataset(10, "good")), ends)
    from diplograph.store import publish_remote

    real = publish_remote._load

    def lossy(http, version, stored, triples, chunk):  # a store that loses a triple
        return real(http, version, stored, triples[:-1] if "/a?" in stored else triples, chunk)

    monkeypatch.setattr(publish_remote, "_load", lossy)
    with pytest.raises(PublishError, match="holds 20 triples, the build has 21"):
        push(write_build(tmp_path / "short", dataset(40, "x")), ends)
    assert count(RemoteStore(ends)) == 12


@pytest.mark.virtuoso
@pytest.mark.slow
def test_older_versions_are_dropped_keeping_the_previous_one(ends, tmp_path):
    for i in range(4):
        result = push(write_build(tmp_path / str(i), dataset(5 + i, "v")), ends, keep=2)
    versions = list_versions(RemoteStore(ends).http)
    assert len(versions) == 2 and result.version.id in {v for v, _s, _t in versions}


@pytest.mark.virtuoso
@pytest.mark.slow
def test_a_runaway_query_on_virtuoso_is_a_timeout_not_a_partial_answer(ends, tmp_path):
    push(write_build(tmp_path / "b", dataset(3_000, "x")), ends)
    store = RemoteStore(ends, timeout=0.5)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(st.QueryTimeout):
        store.query(runaway)


# -- a scripted server: Virtuoso's silent answers, reproduced exactly --------------------


class Scripted(http.server.BaseHTTPRequestHandler):
    answers: list[tuple[dict, dict]] = []
    seen: list[tuple[str, str]] = []

    def _reply(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append((self.command, self.headers.get("Content-Type", "")))
        headers, body = self.answers.pop(0)
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _reply

    def log_message(self, *args):
        pass


def _rows(n):
    return {
        "head": {"vars": ["x"]},
        "results": {"bindings": [{"x": {"type": "literal", "value": str(i)}} for i in range(n)]},
    }


REGISTRY_ROW = {
    "head": {"vars": ["v", "seq", "triples"]},
    "results": {
        "bindings": [
            {
                "v": {"type": "uri", "value": "urn:diplograph:version:v1"},
                "seq": {"type": "literal", "value": "1"},
                "triples": {"type": "literal", "value": "3"},
            }
        ]
    },
}
GRAPHS = {"head": {"vars": ["g"]}, "results": {"bindings": []}}


@pytest.fixture
def scripted():
    Scripted.answers, Scripted.seen = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


def test_a_result_cut_at_the_servers_row_limit_is_never_returned_as_complete(scripted):
    store = RemoteStore(Endpoints(scripted), version=Version("v1", frozenset()))
    Scripted.answers = [({"X-SPARQL-MaxRows": "3"}, _rows(3))] * 2
    with pytest.raises(ResultTruncated, match="cut the answer at 3 rows"):
        store.query("SELECT ?x WHERE { ?s ?p ?x }")
    result = store.execute("SELECT ?x WHERE { ?s ?p ?x }", result_format="json")
    assert result.truncated and result.rows == 3 and result.max_rows == 3


def test_a_timed_out_answer_is_a_timeout_even_with_http_200(scripted):
    store = RemoteStore(Endpoints(scripted), version=Version("v1", frozenset()))
    Scripted.answers = [({"X-SQL-State": "S1TAT"}, _rows(0))] * 2
    with pytest.raises(st.QueryTimeout):
        store.query("SELECT ?x WHERE { ?s ?p ?x }")
    with pytest.raises(st.QueryTimeout):
        store.execute("SELECT ?x WHERE { ?s ?p ?x }")


def test_queries_are_form_posts_never_application_sparql_query(scripted):
    store = RemoteStore(Endpoints(scripted), refresh=0)
    Scripted.answers = [({}, REGISTRY_ROW), ({}, GRAPHS), ({}, _rows(2)), ({}, REGISTRY_ROW)]
    assert len(list(store.query("SELECT ?x WHERE { ?s ?p ?x }"))) == 2
    assert store.triple_count() == 3
    assert Scripted.seen == [("POST", "application/x-www-form-urlencoded")] * 4


def test_open_store_selects_the_remote_backend_by_url(tmp_path):
    store = st.open_store(tmp_path, store_url="http://127.0.0.1:9/sparql")
    assert isinstance(store, RemoteStore)
    assert isinstance(st.open_store(tmp_path), st.EmbeddedStore)


@pytest.mark.virtuoso
@pytest.mark.slow
def test_cli_push_publishes_a_build_and_reports_the_version(env, ends, tmp_path):
    from click.testing import CliRunner

    from diplograph.cli.main import main

    secret = tmp_path / "password"
    secret.write_text(env["VIRTUOSO_PASSWORD"])
    build = write_build(tmp_path / "build", dataset(6, "cli"))
    args = ["push", "--store", ends.query, "--password-file", str(secret)]
    result = CliRunner().invoke(main, [*args, "--registry", ends.registry, "--build", str(build)])
    assert result.exit_code == 0, result.output
    assert "serves: 9 quads in 2 graphs" in result.output
    assert count(RemoteStore(ends)) == 8


# -- the /sparql endpoint on both backends ------------------------------------------------


@pytest.fixture(
    scope="module",
    params=["embedded", pytest.param("virtuoso", marks=[pytest.mark.virtuoso, pytest.mark.slow])],
)
def endpoint(request, tmp_path_factory):
    """A test client of the app over dataset(30), served by either backend."""
    from diplograph.web import create_app
    from diplograph.web.context import STORE_KEY

    home = tmp_path_factory.mktemp("endpoint-home")
    build = write_build(home / "builds" / "b1", dataset(30, "e"))
    config = {"TESTING": True, "DIPLOGRAPH_HOME": str(home), "WORKERS": 2, "MAX_ROWS": 10}
    if request.param == "embedded":
        st.load_nquads(build / "graph.nq", build / "store")
        st.publish(home, build)
    else:
        ends = endpoints(virtuoso_env(), "endpoint")
        push(build, ends)
        config["STORE_URL"] = ends.query
    app = create_app(config | {"SPARQL_CLIENT_CONCURRENCY": 8})
    if request.param == "virtuoso":  # the test registry, not the default one
        app.extensions[STORE_KEY] = RemoteStore(ends, max_rows=10)
    yield app.test_client()
    app.extensions[STORE_KEY].close()


JSON = {"Accept": "application/sparql-results+json"}


def test_endpoint_answers_with_the_row_cap_announced(endpoint):
    response = endpoint.get("/sparql", query_string={"query": COUNT}, headers=JSON)
    assert response.status_code == 200
    assert response.json["results"]["bindings"][0]["n"]["value"] == "32"
    capped = endpoint.post("/sparql", data={"query": "SELECT * { ?s ?p ?o }"}, headers=JSON)
    assert capped.headers["X-SPARQL-Truncated"] == "true"
    assert len(capped.json["results"]["bindings"]) == 10


def test_endpoint_graph_names_and_dataset_are_the_datas(endpoint):
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    response = endpoint.get("/sparql", query_string={"query": query}, headers=JSON)
    assert [b["g"]["value"] for b in response.json["results"]["bindings"]] == [G + "a", G + "b"]
    named = endpoint.get(
        "/sparql",
        query_string={
            "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
            "default-graph-uri": G + "b",
        },
        headers=JSON,
    )
    assert named.json["results"]["bindings"][0]["n"]["value"] == "17"
    description = endpoint.get("/sparql", headers={"Accept": "text/turtle"}).get_data(True)
    assert f"<{G}a>" in description and "?v=" not in description


def test_endpoint_refusals_are_the_same_on_both_backends(endpoint):
    update = endpoint.post("/sparql", data={"update": "DROP ALL"})
    assert update.status_code == 403
    service = endpoint.get("/sparql", query_string={"query": "SELECT * { SERVICE <x:y> {} }"})
    assert service.status_code == 403
    unknown = endpoint.get("/sparql", query_string={"query": f"SELECT * FROM <{G}z> {{ }}"})
    assert unknown.status_code == 400


def test_endpoint_resolves_relative_iris_against_the_endpoint_on_both_backends(endpoint):
    query = "SELECT ?o WHERE { <urn:shared> <urn:about> ?o FILTER (?o != <relative>) }"
    response = endpoint.get("/sparql", query_string={"query": query}, headers=JSON)
    assert response.status_code == 200, response.get_data(True)
    assert [b["o"]["value"] for b in response.json["results"]["bindings"]] == [G + "a"]


def test_cli_serve_store_serves_from_the_remote_backend(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from diplograph.cli.main import main
    from diplograph.web import create_app, server
    from diplograph.web.context import STORE_KEY

    home = tmp_path / "home"
    build = write_build(home / "builds" / "b1", dataset(3, "s"))
    st.load_nquads(build / "graph.nq", build / "store")
    st.publish(home, build)
    served = []
    monkeypatch.setenv("DIPLOGRAPH_HOME", str(home))

    def serve(settings, *, listening, make_app=create_app):
        listening()
        served.append(make_app(settings))  # each worker makes its app from the settings
        return 0

    monkeypatch.setattr(server, "serve", serve)
    url = "http://127.0.0.1:9/sparql"
    result = CliRunner().invoke(main, ["serve", "--store", url, "--processes", "1", "--port", "0"])
    assert result.exit_code == 0, result.output
    store = served[0].extensions[STORE_KEY]
    assert isinstance(store, RemoteStore) and store.http.endpoints.query == url
    assert f"Serving the store at {url}" in result.output


def test_regression_virtuoso_cancel_is_a_timeout():
    from diplograph.store.http import _internal_error

    cancelled = Exception(
        "Response: b'Virtuoso HY008 Error SR203: Async statement killed by SQLCancel.'"
    )
    assert isinstance(_internal_error(cancelled), st.QueryTimeout)
    other = Exception("Response: b'Virtuoso 37000 Error SP030: SPARQL compiler'")
    assert not isinstance(_internal_error(other), st.QueryTimeout)


def test_a_refusal_on_virtuosos_cost_estimate_names_the_setting_to_change():
    from diplograph.store.http import _internal_error

    refused = Exception(
        "Response: b'Virtuoso 42000 Error The estimated execution time -1678508032 (sec) "
        "exceeds the limit of 400 (sec).'"
    )
    error = _internal_error(refused)
    assert not isinstance(error, st.QueryTimeout)
    assert "MaxQueryCostEstimationTime = 0" in str(error)


def test_a_version_renames_each_iri_of_its_graphs_and_nothing_else():
    """Graph IRIs are renamed wherever they stand, whole IRIs only (a graph's name inside a
    longer IRI, or outside angle brackets, stays), as a bijection the client undoes."""
    graphs = frozenset(f"{G}{i}" for i in range(2000))
    version = Version("v9", graphs)
    inside = f'<{G}7> <{G}7x> "<{G}7> {G}8" <{G}1999>'
    assert version.rename_triple(inside) == (
        f'<{G}7?v=v9> <{G}7x> "<{G}7?v=v9> {G}8" <{G}1999?v=v9>'
    )
    untouched = f"<{G}x> <http://example.org/p> <{G}2000>"
    assert version.rename_triple(untouched) is untouched
