"""A public endpoint protects itself: hostile requests against the live server."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
from urllib.parse import urlencode

import pytest
import requests
from endpoint_data import ENDPOINT_LIMITS, ROW_COUNT, ROWS_GRAPH

from diplograph.web.context import STORE_KEY

JSON_RESULTS = {"Accept": "application/sparql-results+json"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def get(base: str, query: str, **kwargs) -> requests.Response:
    return requests.get(f"{base}/sparql", params={"query": query}, timeout=60, **kwargs)


def get_from(address: str, base: str, query: str) -> tuple[int, bytes]:
    """GET from another loopback address: another client to the per-client limit."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(address, 0))
    conn.request("GET", "/sparql?" + urlencode({"query": query}), headers=JSON_RESULTS)
    response = conn.getresponse()
    answer = response.status, response.read()
    conn.close()
    return answer


def post_direct(base: str, body: bytes, **headers) -> requests.Response:
    headers = {"Content-Type": "application/sparql-query", **headers}
    return requests.post(f"{base}/sparql", data=body, headers=headers, timeout=60)


def quad_count(base: str) -> int:
    response = get(base, COUNT, headers=JSON_RESULTS)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    "how",
    ["form", "direct", "get", "query param"],
)
def test_update_is_refused_and_changes_nothing(served_endpoint, how):
    before = quad_count(served_endpoint)
    update = "DROP ALL ; INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }"
    url = f"{served_endpoint}/sparql"
    if how == "form":
        response = requests.post(url, data={"update": update}, timeout=30)
    elif how == "direct":
        response = requests.post(
            url, data=update, headers={"Content-Type": "application/sparql-update"}, timeout=30
        )
    elif how == "get":
        response = requests.get(url, params={"update": update}, timeout=30)
    else:
        response = requests.get(url, params={"query": update}, timeout=30)
    assert response.status_code == 403
    assert "read-only" in response.text
    assert quad_count(served_endpoint) == before


def test_service_is_refused_and_nothing_calls_out(served_endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    target = f"http://127.0.0.1:{port}/sparql"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{target}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"ASK {{ ?s ?p ?o OPTIONAL {{ SERVICE<{target}>{{ }} }} }}",
    ]
    try:
        for query in queries:
            response = get(served_endpoint, query)
            assert response.status_code == 403, query
            assert "SERVICE" in response.text
        with pytest.raises(socket.timeout):
            listener.accept()  # nothing arrived
    finally:
        listener.close()


def test_from_a_file_url_is_refused_and_never_read(served_endpoint):
    response = get(served_endpoint, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert response.status_code == 400
    assert "not a graph in this dataset" in response.text
    assert "root:" not in response.text


def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(live_server, endpoint_app):
    store = endpoint_app.extensions[STORE_KEY]
    for _ in range(ENDPOINT_LIMITS["WORKERS"]):  # start every worker (each on first use)
        store.query("ASK {}")
    assert len(store.worker_pids()) == ENDPOINT_LIMITS["WORKERS"]
    product = (
        "SELECT (COUNT(*) AS ?n) WHERE { "
        + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8))
        + " }"
    )  # ~43^8 combinations: hours of work if nobody stops it
    outcome = {}
    runaway = threading.Thread(target=lambda: outcome.update(r=get(live_server, product)))
    pids_before = store.worker_pids()
    runaway.start()
    answered_meanwhile = []
    while runaway.is_alive():  # another client: the runaway's holds its whole share
        status, body = get_from("127.0.0.2", live_server, "ASK { ?s ?p ?o }")
        answered_meanwhile.append(status == 200 and json.loads(body)["boolean"])
        if len(answered_meanwhile) >= 3:
            break
    runaway.join(timeout=ENDPOINT_LIMITS["QUERY_TIMEOUT"] * 10)
    assert not runaway.is_alive()
    assert answered_meanwhile and all(answered_meanwhile)
    response = outcome["r"]
    assert response.status_code == 503
    assert f"{ENDPOINT_LIMITS['QUERY_TIMEOUT']} s time limit" in response.text
    killed = pids_before - store.worker_pids()
    assert len(killed) == 1  # the runaway's worker, and only it
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)


def test_a_10_mb_query_is_refused(served_endpoint):
    big = b"ASK { " + b"?s ?p ?o . " * (10 * 1024 * 1024 // 11) + b"}"
    response = post_direct(served_endpoint, big)
    assert response.status_code == 413
    form = requests.post(f"{served_endpoint}/sparql", data={"query": big}, timeout=60)
    assert form.status_code == 413


@pytest.mark.parametrize(
    "send",
    [
        lambda base: requests.get(f"{base}/sparql?query=ASK%20%7B%7D%FF", timeout=30),
        lambda base: post_direct(base, b"ASK { ?s ?p '\xff\xfe' }"),
        lambda base: requests.post(
            f"{base}/sparql",
            data=b"query=ASK%20%7B%7D%C3%28",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=30,
        ),
    ],
    ids=["get", "direct post", "form post"],
)
def test_invalid_utf8_is_400(served_endpoint, send):
    response = send(served_endpoint)
    assert response.status_code == 400
    assert "not valid UTF-8" in response.text


def test_more_rows_than_the_cap_are_truncated_and_announced(served_endpoint):
    cap = ENDPOINT_LIMITS["MAX_ROWS"]
    assert cap < ROW_COUNT
    response = get(
        served_endpoint,
        f"SELECT ?s WHERE {{ GRAPH <{ROWS_GRAPH}> {{ ?s ?p ?o }} }}",
        headers=JSON_RESULTS,
    )
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == cap
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert response.headers["X-SPARQL-Max-Rows"] == str(cap)
    assert f"first {cap} rows" in response.headers["Warning"]


def test_a_result_under_the_cap_is_not_marked(served_endpoint):
    response = get(served_endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", headers=JSON_RESULTS)
    assert response.headers["X-SPARQL-Rows"] == "3"
    assert "X-SPARQL-Truncated" not in response.headers


def test_malformed_query_gets_the_parsers_message(served_endpoint):
    response = get(served_endpoint, "SELECT ?s\nWHERE { ?s ?p }")
    assert response.status_code == 400
    # The parser's position, in the plain words of web/syntax_errors.py (3a9da98).
    assert "error at line 2, column " in response.text
