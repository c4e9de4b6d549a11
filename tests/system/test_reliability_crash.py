"""Crash safety: a build killed at any point leaves the last good build intact and serving,
and a killed query worker costs at most the one request it was answering.

The builds run in their own process and are SIGKILLed, either by themselves at the named
fault points in `cli/build.py` (DIPLOGRAPH_FAULT) or from outside at arbitrary moments.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from reliability_support import (
    COUNT_QUERY,
    MINIMAL,
    SOURCES,
    build_into,
    build_process,
    variant,
)

from diplograph.cli.build import FAULT_POINTS, load_graphs, nquads
from diplograph.store import current_build
from diplograph.web import create_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def fingerprint(build_dir: Path) -> dict[str, str]:
    """Every file of a build with its digest: a build left intact has the same fingerprint."""
    return {
        str(p.relative_to(build_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(build_dir.rglob("*"))
        if p.is_file() and p.parent.name != "store"  # RocksDB rewrites its logs on open
    }


def quads_of(data_dir: Path) -> int:
    return nquads(load_graphs(data_dir, sources_dir=SOURCES).dataset).count(b"\n")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash-data")
    new = variant(root, "b")
    return {"new": new, "old_quads": quads_of(MINIMAL), "new_quads": quads_of(new)}


@pytest.fixture
def served(tmp_path, data):
    """An instance with build A published, and an app serving it."""
    instance = tmp_path / "instance"
    good = build_into(MINIMAL, instance).build_dir
    app = create_app({"TESTING": True, "DIPLOGRAPH_HOME": str(instance), "WORKERS": 1})
    yield instance, good, app.test_client()
    app.extensions["diplograph.store"].close()


def count(client) -> int:
    response = client.get(f"/sparql?query={quote(COUNT_QUERY)}&format=csv")
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_data(as_text=True).split()[-1])


def test_fault_points_are_real_points_of_the_build():
    source = (Path(__file__).parents[2] / "cli" / "build.py").read_text()
    for point in FAULT_POINTS:
        assert f'_checkpoint("{point}")' in source, point


def test_fault_hook_is_inert_without_the_variable(tmp_path, data):
    proc = build_process(data["new"], tmp_path / "instance")
    assert proc.wait(60) == 0, proc.stderr.read().decode()
    assert current_build(tmp_path / "instance") is not None


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_build_killed_at_a_fault_point_leaves_the_last_good_build_serving(point, served, data):
    instance, good, client = served
    before = fingerprint(good)
    assert count(client) == data["old_quads"]

    proc = build_process(data["new"], instance, fault=point)
    assert proc.wait(60) == -signal.SIGKILL, proc.stderr.read().decode()

    live = current_build(instance)
    if point == "published":  # killed after the switch: the new build is live, and whole
        assert live != good.resolve()
        assert count(client) == data["new_quads"]
    else:
        assert live == good.resolve()
        assert count(client) == data["old_quads"]
    assert fingerprint(good) == before
    # The next build is not blocked by what the killed one left behind.
    build_into(data["new"], instance)
    assert count(client) == data["new_quads"]


def test_build_killed_at_arbitrary_moments_never_serves_a_partial_graph(served, data):
    instance, good, client = served
    before = fingerprint(good)
    started = time.monotonic()
    proc = build_process(data["new"], instance)
    assert proc.wait(60) == 0
    full = time.monotonic() - started
    from diplograph.store import publish

    publish(instance, good)  # back to A
    rng = random.Random(9)
    for _ in range(6):
        proc = build_process(data["new"], instance)
        time.sleep(rng.uniform(0.3, 1.0) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
        assert count(client) in (data["old_quads"], data["new_quads"])
        publish(instance, good)
    assert fingerprint(good) == before
    assert count(client) == data["old_quads"]


def test_regression_killed_idle_worker_is_replaced_unseen(served, data):
    _instance, _good, client = served
    store = client.application.extensions["diplograph.store"]
    assert count(client) == data["old_quads"]
    (pid,) = store.worker_pids()
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert count(client) == data["old_quads"]
    assert pid not in store.worker_pids()


def test_regression_worker_killed_mid_query_gives_503_not_500(tmp_path, data):
    instance = tmp_path / "instance"
    build_into(MINIMAL, instance)
    app = create_app(
        {"TESTING": True, "DIPLOGRAPH_HOME": str(instance), "WORKERS": 1, "QUERY_TIMEOUT": 60}
    )
    client = app.test_client()
    store = app.extensions["diplograph.store"]
    try:
        assert count(client) == data["old_quads"]
        (pid,) = store.worker_pids()
        answers = []
        runaway = threading.Thread(
            target=lambda: answers.append(client.get(f"/sparql?query={quote(RUNAWAY)}"))
        )
        runaway.start()
        time.sleep(0.5)  # the runaway now holds the only worker
        os.kill(pid, signal.SIGKILL)
        runaway.join(30)
        (response,) = answers
        assert response.status_code == 503
        assert "worker died" in response.get_data(as_text=True)
        assert response.headers["Retry-After"]
        assert count(client) == data["old_quads"]
        assert client.get("/").status_code == 200
    finally:
        store.close()
