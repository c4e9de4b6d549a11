"""The short path for bounded lookups: GET /sparql answered before Flask dispatches.

A point lookup costs well under a millisecond in Oxigraph; Flask's request machinery,
run under the GIL by every waitress thread, cost several times that. This WSGI layer
answers only the plainest requests (GET, `query` and at most one `format` parameter, a
query `bounded.py` accepts) and gives every other request, and every failure, to Flask
untouched: refusals, errors and their messages stay in one place.

What Flask would apply is applied here too: the per-client concurrency limit (the same
limiter; a client over its limit is handed to Flask, which answers 429), negotiation by
the same table, the row cap and its headers, CORS and `nosniff`. A test checks that both
paths answer the same requests with the same status, headers and bytes.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Request

from ..loaders import store as st
from . import negotiation, ratelimit
from .context import STORE_KEY

#: Headers every /sparql answer carries (sparql._cors and security.add_security_headers).
COMMON = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", None),  # filled from sparql.EXPOSED
    ("Vary", "Accept"),
    ("X-Content-Type-Options", "nosniff"),
]


class FastLane:
    """WSGI middleware in front of the Flask app (installed by the sparql blueprint)."""

    def __init__(self, wsgi_app, app):
        from . import sparql

        self.wsgi_app = wsgi_app
        self.app = app
        self.sparql = sparql
        self.common = [(k, v if v is not None else sparql.EXPOSED) for k, v in COMMON]

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/sparql" and environ.get("REQUEST_METHOD") == "GET":
            answer = self._answer(environ)
            if answer is not None:
                headers, body = answer
                start_response("200 OK", headers)
                return [body]
        return self.wsgi_app(environ, start_response)

    def _answer(self, environ):
        """(headers, body), or None: let Flask answer (and refuse, or explain, if need be)."""
        if self.app.config.get("TRUSTED_HOSTS") is not None:
            return None  # Flask validates the Host header first; keep one place doing that
        try:
            raw = environ.get("QUERY_STRING", "").encode("latin-1")
            params = self.sparql._pairs(raw, "query string")
        except (self.sparql.ProtocolError, UnicodeError):
            return None
        queries = [value for name, value in params if name == "query"]
        formats = [value for name, value in params if name == "format"]
        if len(queries) != 1 or len(formats) > 1 or len(queries) + len(formats) != len(params):
            return None
        limiter = self.app.extensions.get(ratelimit.KEY)
        client = environ.get("REMOTE_ADDR") or "unknown"
        if limiter is not None and not limiter.acquire(client):
            return None  # Flask answers the 429
        try:
            return self._run(environ, queries[0], formats)
        except st.StoreError:
            return None  # Flask runs it again and maps the error to its status
        finally:
            if limiter is not None:
                limiter.release(client)

    def _run(self, environ, query: str, formats: list[str]):
        store = self.app.extensions[STORE_KEY]
        info = store.check(query)
        if info.form != st.SELECT:
            return None
        keys = st.formats_for(info.form)
        if formats:
            fmt = negotiation.by_name(formats[0], keys)
        else:
            accept = parse_accept_header(environ.get("HTTP_ACCEPT"), MIMEAccept)
            fmt = negotiation.best(accept, keys)
        if fmt is None:
            return None  # 406, with Flask's message
        base_iri = Request(environ).base_url  # what Flask's request.base_url is
        result = self.sparql.bounded(store, info, fmt.key, base_iri)
        if result is None:
            return None
        headers = self.sparql.result_headers(result)
        headers.append(("Content-Length", str(len(result.body))))
        return headers + self.common, result.body
