"""Load shedding: a per-client concurrency limit on /sparql, and 503s when the store is full.

Public SPARQL endpoints cap how many queries one client may run at once, so a single
client (or one runaway script) cannot hold every query worker while everyone else
waits. A client over its limit gets `429 Too Many Requests` with `Retry-After` at once,
before its query is parsed. The client is the connection's address (`remote_addr`):
behind a reverse proxy, put werkzeug's ProxyFix in front so that is the real client.

Pages run trusted queries on the same workers; when those time out or find every
worker busy, the page answers `503` with `Retry-After` instead of a bare 500.

Settings: SPARQL_CLIENT_CONCURRENCY (queries one address may run at once; 0 turns the
limit off) and SPARQL_RETRY_AFTER (seconds, sent in Retry-After).
"""

from __future__ import annotations

import threading

from flask import Flask, Response, current_app, g, request

from ..loaders import store as st

DEFAULTS = {"SPARQL_CLIENT_CONCURRENCY": 2, "SPARQL_RETRY_AFTER": 1}
LIMITED_ENDPOINTS = frozenset({"sparql.endpoint"})
KEY = "diplograph.ratelimit"


class ClientLimiter:
    """Counts each client's requests in flight; thread-safe (waitress serves from threads)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._active: dict[str, int] = {}

    def acquire(self, client: str) -> bool:
        with self._lock:
            running = self._active.get(client, 0)
            if running >= self.limit:
                return False
            self._active[client] = running + 1
            return True

    def release(self, client: str) -> None:
        with self._lock:
            running = self._active.get(client, 0) - 1
            if running > 0:
                self._active[client] = running
            else:
                self._active.pop(client, None)  # idle clients cost no memory

    def active(self, client: str) -> int:
        with self._lock:
            return self._active.get(client, 0)


def _text(status: int, message: str) -> Response:
    retry = str(current_app.config["SPARQL_RETRY_AFTER"])
    response = Response(message + "\n", status, content_type="text/plain; charset=utf-8")
    response.headers["Retry-After"] = retry
    return response


def _limit_client():
    if request.endpoint not in LIMITED_ENDPOINTS:
        return None
    limiter: ClientLimiter | None = current_app.extensions.get(KEY)
    if limiter is None:
        return None
    client = request.remote_addr or "unknown"
    if not limiter.acquire(client):
        response = _text(
            429,
            f"Too many queries at once from {client}: at most {limiter.limit} may run "
            "concurrently. Wait for one to finish and try again.",
        )
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    g.dg_limited_client = client
    return None


def _release_client(_exc=None) -> None:
    client = g.pop("dg_limited_client", None)
    if client is not None:
        current_app.extensions[KEY].release(client)


def _store_unavailable(exc: st.StoreError):
    """Pages: a timed-out or starved trusted query is a transient 503, never a 500."""
    if isinstance(exc, st.NoBuild):
        return _text(503, "No build has been published yet: run `diplograph build`.")
    return _text(503, f"The graph store is busy ({exc}) Please try again.")


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    limit = int(app.config["SPARQL_CLIENT_CONCURRENCY"])
    if limit > 0:
        app.extensions[KEY] = ClientLimiter(limit)
    app.before_request(_limit_client)
    app.teardown_request(_release_client)
    for transient in (st.QueryTimeout, st.StoreBusy, st.NoBuild):
        app.register_error_handler(transient, _store_unavailable)
