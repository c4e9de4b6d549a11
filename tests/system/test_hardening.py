"""Issue 22: attacks on the served server (`diplograph serve`, granian), each one that
succeeded before its fix. One process of four threads and two query workers, so that one
attacker with a handful of connections could hold everything."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from serving_support import descendants, serving

from diplograph.web.protocol import MAX_TARGET_BYTES, PUBLIC_QUERY_BYTES

pytestmark = pytest.mark.slow

BODY_TIMEOUT = 3
WORKER_MEMORY_MIB = 700
QUERY_TIMEOUT = 6
SERVE = [
    "--processes", "1",
    "--threads", "4",
    "--query-workers", "2",
    "--query-timeout", str(QUERY_TIMEOUT),
    "--body-timeout", str(BODY_TIMEOUT),
    "--worker-memory", str(WORKER_MEMORY_MIB),
]  # fmt: skip
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PROMPT = 4  # seconds: a page or query under attack must answer within this (unloaded: ms)


@pytest.fixture(scope="module")
def server(project_instance):
    with serving(project_instance, *SERVE) as running:
        # Pages build their per-build caches on first use (seconds on a busy machine):
        # build them before any attack. A page whose queries meet the 6 s limit answers
        # 503 with Retry-After, by design; what it finished is kept, so ask again.
        for path in ("/", "/downloads"):
            assert warm(running, path) == 200, path
        yield running


def warm(server, path: str, patience: float = 300) -> int:
    deadline = time.monotonic() + patience
    while True:
        response = requests.get(url(server, path), timeout=patience)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response.status_code
        time.sleep(float(response.headers.get("Retry-After", "1")))


def url(server, path: str = "/") -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def connect_from(server, address: str, rcvbuf: int | None = None) -> socket.socket:
    """A connection from another loopback address: another client to the per-client limit."""
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.bind((address, 0))
    sock.connect(("127.0.0.1", server.port))
    return sock


def timed_get(server, path: str = "/") -> tuple[int, float, str]:
    started = time.monotonic()
    response = requests.get(url(server, path), timeout=30)
    return response.status_code, time.monotonic() - started, response.text[:300]


def answer_of(sock: socket.socket, wait: float = 30) -> bytes:
    sock.settimeout(wait)
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in data:
            part = sock.recv(65536)
            if not part:
                break
            data += part
    return data


def test_slow_request_bodies_leave_threads_for_others(server):
    """Eight form POSTs from eight addresses send their headers and a few bytes of body."""
    slow = []
    for n in range(8):
        sock = connect_from(server, f"127.0.0.{n + 2}")
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
            b"query=SEL"
        )
        slow.append(sock)
    try:
        time.sleep(0.5)
        for path in ("/", "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})):
            status, took, text = timed_get(server, path)
            assert status == 200 and took < PROMPT, (path, status, took, text)
        # Slow bodies are refused: 503 at once past the readers' cap, 408 at the deadline.
        # (One answer is sometimes not sent while its body is unfinished: left open.)
        answers = [answer_of(sock, BODY_TIMEOUT + 2) for sock in slow]
        statuses = [a.split(b" ", 2)[1] for a in answers if a]
        assert set(statuses) <= {b"408", b"503"} and len(statuses) >= 6, statuses
    finally:
        for sock in slow:
            sock.close()


def test_slow_readers_of_a_download_leave_threads_for_others(server, project_instance):
    size = (project_instance / "current" / "exports" / "diplograph.nq").stat().st_size
    assert size > 2_000_000
    stalled = []
    for _ in range(8):
        sock = connect_from(server, "127.0.0.1", rcvbuf=4096)
        sock.sendall(b"GET /downloads/diplograph.nq HTTP/1.1\r\nHost: x\r\n\r\n")
        stalled.append(sock)  # and never read
    try:
        time.sleep(1)
        for path in ("/", "/downloads"):
            status, took, text = timed_get(server, path)
            assert status == 200 and took < PROMPT, (path, status, took, text)
        whole = requests.get(url(server, "/downloads/diplograph.nq"), timeout=30)
        assert whole.status_code == 200 and len(whole.content) == size
        assert whole.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        for sock in stalled:
            sock.close()


def test_bodies_over_the_limit_are_refused_unread(server):
    """A 100 MB form with no query was read whole and answered 200 (the service
    description): MAX_CONTENT_LENGTH was never set."""
    sock = connect_from(server, "127.0.0.1")
    sock.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 104857600\r\n\r\n" + b"x=" + b"a" * 65536
    )
    answer = answer_of(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # Chunked, so no length to refuse up front: refused once it passes the limit.
    chunk = b"a" * 100_000

    def chunks():
        yield b"x="
        for _ in range(1000):  # 100 MB
            yield chunk

    response = requests.post(
        url(server, "/sparql"),
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=60,
    )
    assert response.status_code == 413
    assert "Request too large" in response.text
    assert f"queries are limited to {PUBLIC_QUERY_BYTES} bytes" in response.text


def _query_of(size: int) -> str:
    """An ASK of exactly `size` UTF-8 bytes, padded by a comment of 'é' (each of its two
    bytes percent-encodes to three: the longest a query of that size gets in a URL)."""
    head = "ASK {} #"
    pad = size - len(head)
    return head + "é" * (pad // 2) + "x" * (pad % 2)


def test_get_and_post_share_the_query_limit_and_its_message(server):
    """Item 8: a GET over about 64 KB got hyper's empty 414, so the 100,000-byte limit and
    its message held for POST only. The public limit now fits any query in a GET."""
    for size, status in ((PUBLIC_QUERY_BYTES, 200), (PUBLIC_QUERY_BYTES + 1, 413)):
        query = _query_of(size)
        assert len(query.encode()) == size
        get = requests.get(url(server, "/sparql"), params={"query": query}, timeout=60)
        assert len(get.request.path_url) < MAX_TARGET_BYTES
        form = requests.post(url(server, "/sparql"), data={"query": query}, timeout=60)
        direct = requests.post(
            url(server, "/sparql"),
            data=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=60,
        )
        answers = [(r.status_code, r.text) for r in (get, form, direct)]
        assert {code for code, _ in answers} == {status}, (size, answers)
        if status == 413:
            message = f"Query is larger than the {PUBLIC_QUERY_BYTES}-byte limit.\n"
            assert {text for _, text in answers} == {message}


def test_a_get_too_long_for_the_http_layer_is_refused_there(server):
    """Left open, and documented: a target over 65,534 bytes never reaches the app (414),
    and a request head past granian's read buffer (max_buffer_size) gets 431."""
    for size, status in ((MAX_TARGET_BYTES + 1, 414), (1024 * 1024, 431)):
        target = "/sparql?query=" + "x" * (size - len("/sparql?query="))
        sock = connect_from(server, "127.0.0.1")
        with contextlib.suppress(OSError):
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answer = answer_of(sock)
        sock.close()
        assert answer.startswith(f"HTTP/1.1 {status}".encode()), (size, answer[:200])


def test_a_query_past_the_worker_memory_limit_gets_503_naming_it(server):
    """Five nested REPLACEs make a 500 MB string: the worker dies of its own limit alone."""
    text = "REPLACE(?t, 'x', 'xxxxxxxxxx')"
    for _ in range(4):
        text = f"REPLACE({text}, 'x', 'xxxxxxxxxx')"
    query = f"SELECT (STRLEN({text}) AS ?n) WHERE {{ BIND('{'x' * 5000}' AS ?t) }}"
    response = requests.post(url(server, "/sparql"), data={"query": query}, timeout=60)
    assert response.status_code == 503, response.text
    assert f"{WORKER_MEMORY_MIB} MiB memory limit" in response.text
    after = requests.get(url(server, "/sparql"), params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert after.status_code == 200  # a fresh worker took its place
    assert any("died" in line and "SIGABRT" in line for line in server.lines)


def test_one_client_cannot_hold_every_query_worker(server):
    """Its share (2 by default) equalled the process's two workers: while one client ran two
    runaway queries, nobody else's query could run."""
    results = []

    def runaway():
        sock = connect_from(server, "127.0.0.2")
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.sock = sock
        conn.request("GET", "/sparql?" + urlencode({"query": RUNAWAY}))
        results.append(conn.getresponse().status)
        conn.close()

    threads = [threading.Thread(target=runaway) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the runaways hold what they can
    started = time.monotonic()
    other = requests.get(url(server, "/sparql"), params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    took = time.monotonic() - started
    for thread in threads:
        thread.join()
    assert other.status_code == 200 and took < PROMPT, (other.status_code, took)
    assert sorted(results).count(429) >= 2, results  # one runs (to its time limit), the rest wait


@pytest.mark.parametrize(
    "expression",
    [
        "!" * 5_000 + "true",
        "||".join(["1"] * 2_500),  # `||` counts two
        "&&".join(["1"] * 2_500),
        "+".join(["1"] * 5_000),
    ],
)
def test_long_operator_chains_are_refused_before_they_run(server, expression):
    """10,000 operators overflowed the engine's stack; past 4,096 they are refused."""
    query = f"SELECT ?x WHERE {{ BIND({expression} AS ?x) }}"
    assert len(query.encode()) <= PUBLIC_QUERY_BYTES
    response = requests.post(url(server, "/sparql"), data={"query": query}, timeout=60)
    assert response.status_code == 400, response.text
    assert "operator symbols" in response.text


def test_thousands_of_binds_are_refused_before_they_run(server):
    """5,000 BINDs overflowed the engine's stack; past 1,000 clauses they are refused."""
    query = "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?{i:x})" for i in range(1100)) + " }"
    assert len(query.encode()) <= PUBLIC_QUERY_BYTES
    response = requests.post(url(server, "/sparql"), data={"query": query}, timeout=60)
    assert response.status_code == 400, response.text
    assert "clauses" in response.text


def test_a_query_worker_crash_is_logged_and_not_called_transient(server):
    """A worker that dies of a signal mid-query: the client is told it crashed, the log too."""
    holder = {}

    def ask():
        holder["response"] = requests.get(
            url(server, "/sparql"), params={"query": RUNAWAY}, timeout=60
        )

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(1.5)
    busy = [pid for pid in descendants(server.proc.pid) if _cpu_busy(pid)]
    assert busy, "no query worker was running the query"
    for pid in busy:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSEGV)
    thread.join()
    response = holder["response"]
    assert response.status_code == 503
    assert "crashed (signal SIGSEGV)" in response.text
    assert any("died" in line and "SIGSEGV" in line for line in server.lines)


def _cpu_busy(pid: int) -> bool:
    """Whether `pid` is a query worker using the CPU now (state R)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return stat[0] == "R" and b"forkserver" in cmdline


def test_graph_parameters_take_precedence_over_from(server):
    graphs = requests.get(
        url(server, "/sparql"), headers={"Accept": "application/n-triples"}, timeout=30
    ).text
    known = next(
        line.rsplit("<", 1)[1].split(">", 1)[0]
        for line in graphs.splitlines()
        if "sparql-service-description#name>" in line
    )
    unknown = "http://example.org/no-such-graph"
    ask = f"ASK FROM <{unknown}> {{ ?s ?p ?o }}"
    # FROM an unknown graph, overridden by a known named-graph-uri: the parameter wins.
    response = requests.get(
        url(server, "/sparql"),
        params={"query": ask, "default-graph-uri": known},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    # FROM an unknown graph is refused; a parameter naming one is an empty graph, as the
    # W3C protocol tests require (test_w3c_protocol: query_post_form).
    refused = requests.get(url(server, "/sparql"), params={"query": ask}, timeout=30)
    assert refused.status_code == 400, refused.text
    assert f"FROM <{unknown}> is not a graph in this dataset" in refused.text
    for params in (
        {"query": "ASK { ?s ?p ?o }", "default-graph-uri": unknown},
        {"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": unknown},
    ):
        empty = requests.get(
            url(server, "/sparql"),
            params=params,
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert empty.status_code == 200, (params, empty.text)
        assert empty.json()["boolean"] is False
