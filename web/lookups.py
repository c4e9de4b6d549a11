"""The short path for bounded lookups: /sparql answered before Flask dispatches.

A point lookup costs well under a millisecond in Oxigraph; Flask's request machinery,
run under the GIL by every server thread, cost several times that. This WSGI layer
answers only the plainest requests (a GET, or a POST of an application/x-www-form-urlencoded
form with a Content-Length within MAX_CONTENT_LENGTH, carrying `query` and at most one
`format` parameter, a query `bounded.py` accepts) and gives every other request, and every
failure, to Flask untouched (a form it read, or failed to read, is handed on with the
request: protocol.read_body): refusals, errors and their messages stay in one place.

What Flask would apply is applied here too, in the same order: the per-client concurrency
limit first (the same limiter; a client over its limit is handed to Flask, which answers
429 without reading the body), then the body, read with the same deadline, negotiation by
the same table, the row cap and its headers, CORS and `nosniff`. A test checks that both
paths answer the same requests with the same status, headers and bytes.
"""

from __future__ import annotations

from urllib.parse import unquote

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header
from werkzeug.wrappers import Request

from diplograph import store as st
from diplograph.web import negotiation, ratelimit
from diplograph.web.context import STORE_KEY
from diplograph.web.protocol import (
    EXPOSED,
    ProtocolError,
    bounded,
    over_public_limit,
    pairs,
    read_body,
    result_headers,
)

#: Headers every /sparql answer carries (sparql._cors and security.add_security_headers).
COMMON = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED),
    ("Vary", "Accept"),
    ("X-Content-Type-Options", "nosniff"),
]
#: Entries kept in each small memo (Accept header -> format, host and path -> base IRI).
MEMO_SIZE = 256
_URL_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")
FORM = "application/x-www-form-urlencoded"


class FastLane:
    """WSGI middleware in front of the Flask app (installed by the sparql blueprint)."""

    def __init__(self, wsgi_app, app):
        self.wsgi_app = wsgi_app
        self.app = app
        self._formats: dict = {}
        self._bases: dict = {}

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/sparql" and self._plain(environ):
            limiter = self.app.extensions.get(ratelimit.KEY)
            client = environ.get("REMOTE_ADDR") or "unknown"
            if limiter is None or limiter.acquire(client):  # else Flask answers the 429
                try:
                    answer = self._answer(environ)
                finally:
                    if limiter is not None:
                        limiter.release(client)
                if answer is not None:
                    headers, body = answer
                    start_response("200 OK", headers)
                    return [body]
        return self.wsgi_app(environ, start_response)

    def _plain(self, environ) -> bool:
        """A GET, or a POST of a UTF-8 form with a Content-Length Flask would accept."""
        if self.app.config.get("TRUSTED_HOSTS") is not None:
            return False  # Flask validates the Host header first; keep one place doing that
        method = environ.get("REQUEST_METHOD")
        if method == "GET":
            return True
        if method != "POST" or environ.get("QUERY_STRING"):
            return False
        kind = environ.get("CONTENT_TYPE", "")
        if kind != FORM:
            mimetype, options = parse_options_header(kind)
            charset = options.get("charset", "utf-8").lower()
            if mimetype != FORM or charset not in ("utf-8", "utf8"):
                return False
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return False  # chunked or malformed: Flask decides
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        return length >= 0 and (limit is None or length <= limit)  # else Flask answers 413

    def _answer(self, environ):
        """(headers, body), or None: let Flask answer (and refuse, or explain, if need be)."""
        if environ["REQUEST_METHOD"] == "GET":
            raw, what = environ.get("QUERY_STRING", "").encode("latin-1"), "query string"
        else:
            try:
                raw, what = read_body(environ, self.app), "form body"
            except ProtocolError:
                return None  # read_body noted it: Flask answers with the same error
        query, fmt = self._params(environ, raw, what)
        if query is None or fmt is None or over_public_limit(query, self.app.config):
            return None  # Flask answers (a query over the public limit: 413, its message)
        try:
            store = self.app.extensions[STORE_KEY]
            result = bounded(store, query, fmt.key, self._base_iri(environ))
        except st.StoreError:
            return None  # Flask runs it again and maps the error to its status
        if result is None:
            return None
        headers = result_headers(result)
        headers.append(("Content-Length", str(len(result.body))))
        return headers + COMMON, result.body

    def _params(self, environ, raw: bytes, what: str):
        """(query, results format), decoded as strictly as protocol.pairs; None: not plain."""
        try:
            text = raw.decode("utf-8")
            if text.startswith("query=") and "&" not in text:  # parse_qsl's one-field case
                params = [("query", unquote(text[6:].replace("+", " "), errors="strict"))]
            else:
                params = pairs(raw, what)
        except (ProtocolError, UnicodeError):
            return None, None
        queries = [value for name, value in params if name == "query"]
        formats = [value for name, value in params if name == "format"]
        if len(queries) != 1 or len(formats) > 1 or len(queries) + len(formats) != len(params):
            return None, None
        key = ("format", formats[0]) if formats else ("accept", environ.get("HTTP_ACCEPT"))
        fmt = self._formats.get(key)
        if fmt is None:
            if formats:
                fmt = negotiation.by_name(formats[0], st.RESULT_FORMATS)
            else:
                accept = parse_accept_header(environ.get("HTTP_ACCEPT"), MIMEAccept)
                fmt = negotiation.best(accept, st.RESULT_FORMATS)
            _remember(self._formats, key, fmt)
        return queries[0], fmt  # fmt None: 406, with Flask's message

    def _base_iri(self, environ) -> str:
        """Flask's request.base_url, computed once per host and path."""
        key = tuple(environ.get(k) for k in _URL_KEYS) + (environ.get("PATH_INFO"),)
        base = self._bases.get(key)
        if base is None:
            base = Request(environ).base_url
            _remember(self._bases, key, base)
        return base


def _remember(memo: dict, key, value) -> None:
    if len(memo) >= MEMO_SIZE:
        memo.clear()  # headers vary little; a client varying them only empties the memo
    memo[key] = value
