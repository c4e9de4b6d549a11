"""`diplograph serve` with several processes: every process answers, the per-client limit
holds across them, a new build reaches them all, a dead one is replaced, and stopping the
server (or killing its parent) leaves no process behind."""

from __future__ import annotations

import errno
import os
import random
import signal
import socket
import subprocess
import sys
import threading
from urllib.parse import urlencode

import pytest
from reliability_support import COUNT_QUERY, MINIMAL, build_into, variant
from serving_support import WAIT, alive, descendants, serving, wait_for

from diplograph.web.ratelimit import ClientLimiter, SharedCounts

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
NEW_PERSON = "https://w3id.org/diplograph/id/delta-reliability"


@pytest.fixture
def instance(tmp_path):
    home = tmp_path / "instance"
    build_into(MINIMAL, home)
    return home


def post(conn, query: str, **params) -> tuple[int, str]:
    body = urlencode({"query": query, **params})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"}
    conn.request("POST", "/sparql", body, headers)
    response = conn.getresponse()
    return response.status, response.read().decode()


def get(conn, query: str) -> tuple[int, str]:
    conn.request("GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": "text/csv"})
    response = conn.getresponse()
    return response.status, response.read().decode()


def count(conn) -> int:
    status, text = post(conn, COUNT_QUERY)
    assert status == 200, text
    return int(text.split()[-1])


def lookup(conn, iri: str, method=post) -> list[str]:
    status, text = method(conn, f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    assert status == 200, text
    return text.splitlines()[1:]


# -- the tests --------------------------------------------------------------------------


def test_every_process_answers_lookups_and_queries_with_its_own_workers(instance):
    with serving(instance, "--processes", "2", "--threads", "2") as server:
        wait_for(lambda: len(server.children()) == 2, "two server processes")
        held = server.connections_per_child(2)
        assert set(held) == server.children()
        counts = {count(conn) for conn in held.values()}  # a worker's answer
        assert len(counts) == 1 and counts.pop() > 0
        for conn in held.values():
            rows = lookup(conn, "https://w3id.org/diplograph/id/alpha")
            assert rows and rows == lookup(conn, "https://w3id.org/diplograph/id/alpha", get)
        for pid in held:  # each process forked its own query workers, under itself
            assert descendants(pid), pid


def test_one_socket_listens_from_the_announcement_and_no_other_can_join_the_port(instance):
    """The parent listens before any worker starts (granian's own Linux sockets would
    refuse connections until each worker made its own), on a port nobody can share."""
    with serving(instance, "--processes", "2") as server:
        conn = server.connect()  # at once: the workers may not have started yet
        assert count(conn) > 0
        intruder = socket.socket()
        intruder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        with intruder, pytest.raises(OSError) as refused:
            intruder.bind(("127.0.0.1", server.port))
        assert refused.value.errno == errno.EADDRINUSE


def test_the_per_client_limit_holds_across_processes(instance):
    with serving(
        instance,
        "--processes",
        "2",
        FLASK_SPARQL_CLIENT_CONCURRENCY="1",
        FLASK_QUERY_TIMEOUT="3",
    ) as server:
        held = list(server.connections_per_child(2).values())
        statuses = []

        def slow(conn):
            statuses.append(post(conn, SLOW)[0])

        threads = [threading.Thread(target=slow, args=(conn,)) for conn in held]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT)
        # One ran to its time limit; the other, in the other process, was refused at once.
        assert sorted(statuses) == [429, 503]
        assert all(count(conn) > 0 for conn in held)  # the slot was given back


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_parent_stops_every_process(instance, signum):
    with serving(instance, "--processes", "2") as server:
        for conn in server.connections_per_child(2).values():
            assert count(conn) > 0  # every process now has a query worker
        tree = descendants(server.proc.pid)
        assert len(tree) > 2
        os.kill(server.proc.pid, signum)
        assert server.proc.wait(WAIT) == 0
        wait_for(lambda: not any(alive(pid) for pid in tree), "every process to stop")


def test_ctrl_c_stops_every_process_gracefully_and_quietly(instance):
    """Ctrl-C: SIGINT to the terminal's process group. The parent alone gets it and stops
    each worker, which stops its query workers; nothing prints a KeyboardInterrupt.

    (Not asserted: that no worker had to be killed. Granian's parent SIGKILLs a worker that
    has not stopped 15 s after its SIGTERM; that happened once in a clean-clone run and in
    none of 70 runs here, so the suite would only be flaky.)"""
    with serving(instance, "--processes", "2") as server:
        for conn in server.connections_per_child(2).values():
            assert count(conn) > 0  # every worker now has query workers
        tree = descendants(server.proc.pid)
        assert len(tree) > 2
        os.killpg(server.proc.pid, signal.SIGINT)
        assert server.proc.wait(WAIT) == 0
        wait_for(lambda: not any(alive(pid) for pid in tree), "every process to stop")
        log = "".join(server.lines)
        assert "Stopped worker-1" in log and "Stopped worker-2" in log
        assert "Traceback" not in log and "KeyboardInterrupt" not in log


def test_the_processes_stop_when_the_parent_is_killed(instance):
    with serving(instance, "--processes", "2") as server:
        for conn in server.connections_per_child(2).values():
            assert count(conn) > 0
        tree = descendants(server.proc.pid)
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait(WAIT)
        wait_for(lambda: not any(alive(pid) for pid in tree), "orphans to stop")


def test_a_single_process_server_stops_cleanly_too(instance):
    with serving(instance, "--processes", "1") as server:
        conn = server.connect()
        assert count(conn) > 0
        tree = descendants(server.proc.pid)
        assert tree  # its query worker
        os.kill(server.proc.pid, signal.SIGTERM)
        assert server.proc.wait(WAIT) == 0
        wait_for(lambda: not any(alive(pid) for pid in tree), "its workers to stop")


def test_a_process_that_dies_is_replaced(instance):
    with serving(instance, "--processes", "2") as server:
        held = server.connections_per_child(2)  # both are up and serving
        victim = min(held)
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: len(server.children()) == 2 and victim not in server.children(),
            "a replacement",
        )
        held = server.connections_per_child(2)
        assert set(held) == server.children() and victim not in held
        assert len({count(conn) for conn in held.values()}) == 1
        assert any("Respawning worker-" in line for line in server.lines)  # granian's log


def test_sighup_replaces_every_worker_and_the_server_serves_on(instance):
    """Granian's reload: each worker is replaced, the new one started before the old one
    stops, so it claims a spare column of the per-client counts."""
    with serving(instance, "--processes", "2", FLASK_SPARQL_CLIENT_CONCURRENCY="1") as server:
        before = set(server.connections_per_child(2))
        os.kill(server.proc.pid, signal.SIGHUP)
        wait_for(
            lambda: len(server.children()) == 2 and not server.children() & before,
            "two new workers",
        )
        held = server.connections_per_child(2)
        assert not set(held) & before
        assert len({count(conn) for conn in held.values()}) == 1  # a limit of 1, one each
        os.kill(server.proc.pid, signal.SIGTERM)
        assert server.proc.wait(WAIT) == 0


# Every worker's app fails as it is made: serve's options are checked before anything
# starts, so the failure comes from an app factory that raises, as a broken deployment's.
CANNOT_START = """
import sys
from diplograph.web import server
from diplograph.web.settings import ServeSettings

def broken(settings):
    raise RuntimeError("this app cannot start")

settings = ServeSettings(home=sys.argv[1], port=0, processes=2)
sys.exit(server.serve(settings, make_app=broken))
"""


def test_a_process_that_cannot_start_stops_the_server(instance):
    proc = subprocess.run(
        [sys.executable, "-c", CANNOT_START, str(instance)],
        capture_output=True,
        text=True,
        timeout=WAIT * 4,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output  # serve's status (the command then says so)
    assert "crash loop" in output  # granian says why


def test_a_new_build_reaches_every_process(instance, tmp_path):
    with serving(instance, "--processes", "2") as server:
        held = list(server.connections_per_child(2).values())
        before = {count(conn) for conn in held}
        assert len(before) == 1
        assert [lookup(conn, NEW_PERSON) for conn in held] == [[], []]
        build_into(variant(tmp_path, "b"), instance)
        after = {count(conn) for conn in held}  # the same keep-alive connections
        assert len(after) == 1 and after != before
        for conn in held:
            assert lookup(conn, NEW_PERSON) and lookup(conn, NEW_PERSON, get)


# -- the shared counts themselves -------------------------------------------------------


def test_shared_counts_are_seen_and_limited_across_forked_processes():
    counts = SharedCounts(2)
    pid = os.fork()
    if pid == 0:  # the other server process: takes one slot of the client and exits
        os._exit(0 if counts.limiter(counts.claim(), 2).acquire("192.0.2.1") else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    here = counts.limiter(1, 2)
    assert here.active("192.0.2.1") == 1
    assert here.acquire("192.0.2.1") and not here.acquire("192.0.2.1")
    assert here.acquire("192.0.2.2")  # other clients are unaffected
    assert counts.claim() == 0  # it died holding its slot: its column is taken over, cleared
    assert here.active("192.0.2.1") == 1 and here.acquire("192.0.2.1")


def test_a_process_claims_a_free_column_or_one_whose_process_has_stopped():
    """A worker takes its column at start; a replacement takes over a dead worker's, with
    the counts its requests held dropped; a running worker's column is never taken."""
    counts = SharedCounts(2)
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()

    def worker(stay: bool) -> int:
        pid = os.fork()
        if pid == 0:
            index = counts.claim()
            counts.limiter(index, 5).acquire("192.0.2.7")
            os.write(ready_w, bytes([index]))
            if stay:
                os.read(go_r, 1)
            os._exit(0)
        return pid

    dead = worker(stay=False)
    assert os.read(ready_r, 1) == b"\x00"
    os.waitid(os.P_PID, dead, os.WEXITED | os.WNOWAIT)  # stopped, not reaped: a zombie
    running = worker(stay=True)
    assert os.read(ready_r, 1) == b"\x00"  # took over the dead one's column ...
    assert counts.active("192.0.2.7") == 1  # ... and dropped what it held
    assert counts.claim() == 1 and counts.claim() == 1  # the free one; claiming again: same
    assert counts.active("192.0.2.7") == 1
    os.write(go_w, b"x")
    for pid in (dead, running):
        os.waitpid(pid, 0)
    assert counts.claim() == 1  # its own
    other = os.fork()
    if other == 0:
        os._exit(0 if counts.claim() == 0 else 1)  # the stopped worker's column
    assert os.waitstatus_to_exitcode(os.waitpid(other, 0)[1]) == 0
    assert counts.active("192.0.2.7") == 0


def test_every_column_held_by_running_processes_is_an_error():
    counts = SharedCounts(1)
    assert counts.claim() == 0  # this process, running
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            counts.claim()
        except RuntimeError as exc:
            code = 0 if "held by running processes" in str(exc) else 2
        os._exit(code)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def test_shared_counts_behave_like_the_in_process_limiter():
    """Random acquires and releases on a tiny table (collisions, deletions in probe runs)
    give the same answers as ClientLimiter, and idle clients hold no slot."""
    counts = SharedCounts(3, slots=8)
    limiters = [counts.limiter(i, 3) for i in range(3)]
    reference = ClientLimiter(3)
    held: list[tuple[int, str]] = []
    rng = random.Random(7)
    clients = [f"10.0.0.{n}" for n in range(7)]
    for _ in range(5000):
        if held and rng.random() < 0.45:
            index, client = held.pop(rng.randrange(len(held)))
            limiters[index].release(client)
            reference.release(client)
        else:
            index, client = rng.randrange(3), rng.choice(clients)
            got = limiters[index].acquire(client)
            assert got == reference.acquire(client)
            if got:
                held.append((index, client))
        assert all(counts.active(c) == reference.active(c) for c in clients)
        assert counts.clients() == len(reference._active)
    for index, client in held:
        limiters[index].release(client)
    assert counts.clients() == 0


def test_processes_share_out_the_query_workers_two_at_least(monkeypatch):
    from diplograph.web.settings import workers_per_process

    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert [workers_per_process(n) for n in (1, 4, 16)] == [16, 4, 2]
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert [workers_per_process(n) for n in (1, 2, 3)] == [2, 2, 2]


def test_serve_builds_the_graph_first_when_there_is_none(tmp_path):
    """The build runs in a child process of its own, then the server forks its processes."""
    with serving(tmp_path / "empty", "--processes", "1") as server:
        assert any(line.startswith("Published build") for line in server.lines)
        assert lookup(server.connect(), "https://w3id.org/diplograph/id/xi-jinping")
        assert count(server.connect()) > 10_000
