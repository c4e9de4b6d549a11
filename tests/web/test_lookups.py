"""Bounded lookups skip the worker: only provably bounded queries, with the same answers.

Which queries qualify (store/bounded.py), that they are answered in the web
process (no worker is ever started) while anything else still runs in a worker under the
time limit, and that both paths give the same status, headers and bytes in every results
format, the row cap and its announcement included.
"""

from __future__ import annotations

import pytest

from diplograph import store as st
from diplograph.store.bounded import bounded_text
from diplograph.web import create_app, ratelimit
from diplograph.web.context import STORE_KEY

EX = "http://example.org/"
CAP = 25
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def nquads() -> str:
    lines = [f"<{EX}hub> <{EX}link> <{EX}o/{i:02d}> <{EX}g1> ." for i in range(60)]
    lines += [f"<{EX}s/{i:02d}> <{EX}points> <{EX}hub> <{EX}g2> ." for i in range(30)]
    thing = f"<{EX}thing>"
    objects = [
        '"plain"',
        '"hello"@en',
        '"\\u7FD2\\u8FD1\\u5E73"@zh-Hans',
        '"42"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"2025-10-30T11:00:00+09:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
        '"line\\nbreak\\ttab \\"quoted\\" back\\\\slash"',
        "_:b1",
        f"<{EX}Thing>",
    ]
    lines += [f"{thing} <{EX}has> {o} <{EX}g1> ." for o in objects]
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines += [f"{thing} {rdf_type} <{EX}Thing> <{EX}{g}> ." for g in ("g1", "g2")]
    return "\n".join(lines) + "\n"


def publish(home, name: str, text: str) -> None:
    build = home / "builds" / name
    build.mkdir(parents=True)
    (build / "graph.nq").write_text(text, encoding="utf-8")
    st.load_nquads(build / "graph.nq", build / "store")
    st.publish(home, build)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("lookups")
    publish(home, "one", nquads())
    return home


def make_app(home, fast: bool, **config):
    settings = {"TESTING": True, "DIPLOGRAPH_HOME": str(home), "WORKERS": 1}
    settings |= {"MAX_ROWS": CAP, "QUERY_TIMEOUT": 2, "SPARQL_FAST_LOOKUPS": fast, **config}
    return create_app(settings)


@pytest.fixture
def apps(home):
    fast, slow = make_app(home, True), make_app(home, False)
    yield fast, slow
    for app in (fast, slow):
        app.extensions[STORE_KEY].close()


BOUNDED = [
    f"SELECT ?p ?o WHERE {{ <{EX}thing> ?p ?o }}",
    f"select * {{ <{EX}thing> ?p ?o . }}",
    f"SELECT ?o ?p WHERE {{ <{EX}thing> ?p ?o }} LIMIT 3",
    f"SELECT $p ?o {{ <{EX}thing> $p ?o }}",
    f"SELECT ?t WHERE {{ <{EX}thing> a ?t }}",
    f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link> ?o }}",  # 60 rows: cut to the cap
    f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link> ?o }} LIMIT 25",
    f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link> ?o }} LIMIT 26",
    f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link> ?o }} limit 100000",
    f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link> ?o }} LIMIT 0",
    f"SELECT ?s WHERE {{ ?s <{EX}points> <{EX}hub> }}",
    f"PREFIX ex: <{EX}>\nSELECT ?s ?p {{ ?s ?p ex:hub }}",
    f"BASE <{EX}> SELECT ?p ?o {{ <thing> ?p ?o }}",
    "SELECT ?p ?o { <thing> ?p ?o }",  # relative: resolved against the endpoint's URL
    f"SELECT ?p ?o WHERE {{ <{EX}nothing> ?p ?o }}",
    "SELECT ?p WHERE { ex:thing ?p ?o }",  # undeclared prefix: the same 400 both ways
]

NOT_BOUNDED = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    f"SELECT ?s WHERE {{ ?s <{EX}points> ?o }}",  # only the predicate is bound
    f"SELECT DISTINCT ?p WHERE {{ ?s ?p <{EX}hub> }}",
    f"SELECT ?p WHERE {{ <{EX}thing> ?p ?p }}",  # a repeated variable filters a whole scan
    f"SELECT ?x WHERE {{ <{EX}thing> ?p ?o }}",
    f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link>* ?o }}",
    f"SELECT ?o WHERE {{ <{EX}hub> (<{EX}link>|^<{EX}link>)+ ?o }}",
    f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link>/<{EX}link> ?o }}",
    f"SELECT ?o WHERE {{ <{EX}hub> ?p ?o . ?o ?q ?r }}",
    f"SELECT * WHERE {{ <{EX}hub> ?p ?o . <{EX}hub> ?q ?r }}",
    f"SELECT ?o WHERE {{ <{EX}hub> ?p ?o FILTER(REGEX(STR(?o), '(a*)*b')) }}",
    f"SELECT ?o WHERE {{ <{EX}hub> ?p ?o OPTIONAL {{ ?o ?q ?r }} }}",
    f"SELECT ?o WHERE {{ {{ SELECT ?o WHERE {{ ?s ?p ?o }} }} <{EX}hub> ?p ?o }}",
    f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}hub> ?p ?o }}",
    f"SELECT ?o WHERE {{ <{EX}hub> ?p ?o }} ORDER BY ?o",
    f"SELECT ?o WHERE {{ <{EX}hub> ?p ?o }} OFFSET 10",
    f"SELECT ?o WHERE {{ <{EX}hub> ?p ?o }} # LIMIT 1",
    f"SELECT ?o WHERE {{ GRAPH ?g {{ <{EX}hub> ?p ?o }} }}",
    f"SELECT ?o FROM <{EX}g1> WHERE {{ <{EX}hub> ?p ?o }}",
    f'SELECT ?s WHERE {{ ?s <{EX}has> "plain" }}',
    "SELECT ?p WHERE { _:b ?p ?o }",
    f"ASK {{ <{EX}hub> ?p ?o }}",
    f"CONSTRUCT WHERE {{ <{EX}hub> ?p ?o }}",
    f"DESCRIBE <{EX}hub>",
]


@pytest.mark.parametrize("query", BOUNDED)
def test_lookup_shapes_are_bounded_with_the_limit_at_most_cap_plus_one(query):
    text = bounded_text(query, CAP)
    assert text is not None and text.startswith(query.split(" LIMIT")[0].split(" limit")[0])
    assert bounded_text(query, None) in (None, query)  # no cap: only a LIMIT bounds it


@pytest.mark.parametrize("query", NOT_BOUNDED)
def test_other_shapes_are_not_bounded(query):
    assert bounded_text(query, CAP) is None


def test_the_limit_is_set_to_the_cap_plus_one():
    q = f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link> ?o }}"
    assert bounded_text(q, CAP).endswith("\nLIMIT 26\n")
    assert bounded_text(q + " LIMIT 5", CAP) == q + " LIMIT 5"
    assert bounded_text(q + " LIMIT 500", CAP) == q + " LIMIT 26\n"


def _answer(client, method: str, query: str, fmt: str):
    headers = {"Accept": MEDIA[fmt]}
    if method == "get":
        response = client.get("/sparql", query_string={"query": query}, headers=headers)
    elif method == "format":
        response = client.get("/sparql", query_string={"query": query, "format": fmt})
    else:
        response = client.post("/sparql", data={"query": query}, headers=headers)
    headers = sorted((k, v) for k, v in response.headers.items() if k not in ("Date", "Server"))
    return response.status_code, headers, response.data


@pytest.mark.parametrize("method", ["get", "format", "post"])
def test_both_paths_give_the_same_answers_and_the_fast_one_starts_no_worker(apps, method):
    fast, slow = apps
    fast_client, slow_client = fast.test_client(), slow.test_client()
    for query in BOUNDED:
        for fmt in MEDIA:
            expected = _answer(slow_client, method, query, fmt)
            assert _answer(fast_client, method, query, fmt) == expected, (query, fmt)
    statuses = {_answer(fast_client, method, q, "json")[0] for q in BOUNDED}
    assert statuses == {200, 400}
    assert fast.extensions[STORE_KEY].worker_pids() == set()  # answered in process
    assert slow.extensions[STORE_KEY].worker_pids()  # the baseline did use its worker


def test_the_row_cap_is_applied_and_announced_on_the_fast_path(apps):
    fast, _ = apps
    query = f"SELECT ?o WHERE {{ <{EX}hub> <{EX}link> ?o }}"
    response = fast.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    assert len(response.json["results"]["bindings"]) == CAP
    assert response.headers["X-SPARQL-Rows"] == str(CAP)
    assert response.headers["X-SPARQL-Max-Rows"] == str(CAP)
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert f"first {CAP} rows" in response.headers["Warning"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert fast.extensions[STORE_KEY].worker_pids() == set()


def test_a_runaway_shaped_query_still_goes_to_a_worker_and_is_killed(apps):
    fast, _ = apps
    store = fast.extensions[STORE_KEY]
    runaway = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}hub> ?p ?o . "
        + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6))
        + " }"
    )  # a lookup followed by a cross product: ~100^6 rows to count
    assert bounded_text(runaway, CAP) is None
    client = fast.test_client()
    response = client.get("/sparql", query_string={"query": runaway})
    assert response.status_code == 503 and "2 s time limit" in response.text
    assert store.worker_pids() == set()  # its worker was killed (replaced when next needed)
    lookup = f"SELECT ?p ?o WHERE {{ <{EX}thing> ?p ?o }}"
    assert client.get("/sparql", query_string={"query": lookup}).status_code == 200


def test_the_per_client_limit_applies_to_fast_lookups(home):
    app = make_app(home, True, SPARQL_CLIENT_CONCURRENCY=1)
    try:
        limiter = app.extensions[ratelimit.KEY]
        client = app.test_client()
        lookup = f"SELECT ?p ?o WHERE {{ <{EX}thing> ?p ?o }}"
        env = {"REMOTE_ADDR": "192.0.2.7"}
        assert limiter.acquire("192.0.2.7")  # one query of this client is running
        response = client.get("/sparql", query_string={"query": lookup}, environ_base=env)
        assert response.status_code == 429 and response.headers["Retry-After"]
        limiter.release("192.0.2.7")
        response = client.get("/sparql", query_string={"query": lookup}, environ_base=env)
        assert response.status_code == 200 and limiter.active("192.0.2.7") == 0
    finally:
        app.extensions[STORE_KEY].close()


def test_refusals_are_unchanged_for_lookup_shaped_queries(apps):
    fast, slow = apps
    service = f"PREFIX service: <{EX}> SELECT ?p ?o {{ service:thing ?p ?o }}"
    huge = f"SELECT ?p ?o {{ <{EX}{'x' * 200_000}> ?p ?o }}"
    for query, status in ((service, 403), (huge, 413)):
        for method in ("get", "post"):
            answers = [_answer(app.test_client(), method, query, "json") for app in (fast, slow)]
            assert answers[0] == answers[1] and answers[0][0] == status


def test_a_new_build_is_read_as_soon_as_it_is_published(tmp_path):
    publish(tmp_path, "a", f'<{EX}x> <{EX}v> "a" <{EX}g> .\n')
    app = make_app(tmp_path, True)
    try:
        client = app.test_client()
        lookup = f"SELECT ?v WHERE {{ <{EX}x> <{EX}v> ?v }}"

        def value():
            response = client.get("/sparql", query_string={"query": lookup})
            return [b["v"]["value"] for b in response.json["results"]["bindings"]]

        assert value() == ["a"]
        publish(tmp_path, "b", f'<{EX}x> <{EX}v> "b" <{EX}g> .\n')
        assert value() == ["b"]
        assert app.extensions[STORE_KEY].worker_pids() == set()
    finally:
        app.extensions[STORE_KEY].close()


def test_plain_form_posts_skip_flask_and_other_posts_are_flasks_alike(apps):
    """A form POST of a lookup is answered before Flask, like a GET; any other POST (another
    charset, parameters also in the URL, a direct query body, a dataset, an oversized body)
    goes to Flask, which reads the same body and answers as the baseline does."""
    fast, slow = apps
    reached_flask = []
    fast.before_request(lambda: reached_flask.append(1))
    lookup = f"SELECT ?p ?o WHERE {{ <{EX}thing> ?p ?o }}"
    form = "application/x-www-form-urlencoded"
    cases = [
        ({"query": lookup}, form, "", False),
        ({"query": lookup, "format": "csv"}, form + "; charset=UTF-8", "", False),
        ({"query": lookup}, form + "; charset=latin-1", "", True),
        ({"format": "tsv"}, form, "?query=" + lookup.replace(" ", "+"), True),
        (lookup.encode(), "application/sparql-query", "", True),
        ({"query": lookup, "default-graph-uri": f"{EX}g1"}, form, "", True),
        ({"query": lookup + " " * 400_000}, form, "", True),
    ]
    for data, kind, url, via_flask in cases:
        answers = []
        for app in (fast, slow):
            response = app.test_client().post(
                "/sparql" + url, data=data, content_type=kind, headers={"Accept": MEDIA["json"]}
            )
            headers = sorted(response.headers.items())
            answers.append((response.status_code, headers, response.data))
        assert answers[0] == answers[1], (data, kind, url)
        assert bool(reached_flask) == via_flask, (data, kind, url)
        reached_flask.clear()
