"""Per-client limits on /sparql: 429 with Retry-After past the limit, others unaffected;
and pages answer 503 (not 500) when the store is busy."""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

import pytest
import requests
from reliability_support import MINIMAL, build_into, live_server, served_count

from diplograph import store as st
from diplograph.web import create_app
from diplograph.web.ratelimit import ClientLimiter

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    instance = tmp_path_factory.mktemp("ratelimit") / "instance"
    build_into(MINIMAL, instance)
    return instance


def make_app(instance, **config):
    settings = {"TESTING": True, "DIPLOGRAPH_HOME": str(instance), "WORKERS": 2}
    return create_app({**settings, **config})


def test_limiter_counts_per_client_and_forgets_idle_ones():
    limiter = ClientLimiter(2)
    assert limiter.acquire("a") and limiter.acquire("a")
    assert not limiter.acquire("a")
    assert limiter.acquire("b")
    limiter.release("a")
    assert limiter.acquire("a")
    for client in ("a", "a", "b"):
        limiter.release(client)
    assert limiter.active("a") == 0 and not limiter._active


def test_client_over_its_limit_gets_429_with_retry_after_and_others_are_served(instance):
    app = make_app(instance, SPARQL_CLIENT_CONCURRENCY=1, QUERY_TIMEOUT=3, SPARQL_RETRY_AFTER=7)
    client = app.test_client()
    try:
        first = []
        slow = threading.Thread(
            target=lambda: first.append(client.get(f"/sparql?query={quote(SLOW)}"))
        )
        slow.start()
        limiter = app.extensions["diplograph.ratelimit"]
        deadline = time.monotonic() + 5
        while limiter.active("127.0.0.1") == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        refused = client.get("/sparql?query=ASK{}")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "7"
        assert "at most 1" in refused.get_data(as_text=True)
        other = client.get("/sparql?query=ASK{}", environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert other.status_code == 200
        assert client.get("/").status_code == 200  # pages are not limited
        slow.join(30)
        assert first[0].status_code == 503  # the slow query's own time-out
        assert client.get("/sparql?query=ASK{}").status_code == 200  # slot given back
        assert limiter.active("127.0.0.1") == 0
    finally:
        app.extensions["diplograph.store"].close()


def test_limit_is_released_after_errors_and_refusals(instance):
    app = make_app(instance, SPARQL_CLIENT_CONCURRENCY=1)
    client = app.test_client()
    try:
        for bad in ("INSERT DATA { <a:b> <a:c> <a:d> }", "SELECT nonsense", "ASK { SERVICE"):
            assert client.get(f"/sparql?query={quote(bad)}").status_code in (400, 403)
        assert client.get("/sparql?query=ASK{}").status_code == 200
        assert app.extensions["diplograph.ratelimit"].active("127.0.0.1") == 0
    finally:
        app.extensions["diplograph.store"].close()


def test_limit_holds_over_real_connections(instance):
    app = make_app(instance, SPARQL_CLIENT_CONCURRENCY=2, QUERY_TIMEOUT=3, WORKERS=3)
    try:
        with live_server(app) as base:
            statuses = []

            def fire():
                statuses.append(requests.get(f"{base}/sparql?query={quote(SLOW)}").status_code)

            threads = [threading.Thread(target=fire) for _ in range(5)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert sorted(statuses) == [429, 429, 429, 503, 503]
            assert served_count(requests.Session(), base) > 0
    finally:
        app.extensions["diplograph.store"].close()


def test_limit_can_be_turned_off(instance):
    app = make_app(instance, SPARQL_CLIENT_CONCURRENCY=0)
    try:
        assert "diplograph.ratelimit" not in app.extensions
        assert app.test_client().get("/sparql?query=ASK{}").status_code == 200
    finally:
        app.extensions["diplograph.store"].close()


class BusyStore:
    def __init__(self, error):
        self.error = error

    def query(self, sparql, **_kw):
        raise self.error


@pytest.mark.parametrize(
    "error", [st.StoreBusy("all busy"), st.QueryTimeout("too slow"), st.NoBuild("none")]
)
def test_regression_busy_store_gives_pages_503_not_500(instance, monkeypatch, error):
    app = make_app(instance)
    monkeypatch.setitem(app.extensions, "diplograph.store", BusyStore(error))
    monkeypatch.setitem(app.extensions, "diplograph.pages", {})
    response = app.test_client().get("/search?q=alpha")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "Traceback" not in response.get_data(as_text=True)
