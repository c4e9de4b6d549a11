"""The SPARQL 1.1 Protocol's request and answer, shared by the endpoint (sparql.py) and its
fast lane (lookups.py): strict parameter decoding, request bodies read with a deadline,
and the result headers.

Bodies. A WSGI server hands the app a blocking `wsgi.input`; a client that sends its
headers and then trickles (or never sends) its body would hold the app thread reading it.
Here a body is read by one of a few reader threads per process (`BODY_READERS`) while the
app thread waits at most `BODY_TIMEOUT` seconds: a slow body gets 408 and frees the app
thread; when every reader is still stuck on a slow client, further bodies get 503 at once
instead of waiting. Bodies over `MAX_CONTENT_LENGTH` get 413 unread (chunked ones once
they pass it). The per-client limit (ratelimit.py) applies before any body is read.

Query size. Granian's HTTP layer (hyper's `http` crate) refuses a request target longer
than MAX_TARGET_BYTES with an empty 414 before the app sees it, and granian 2.8 has no
setting for it. So the public query limit (`PUBLIC_QUERY_BYTES`) is small enough that
any query within it, percent-encoded at worst (three bytes a byte), fits a GET's target
with room for the other parameters: GET and POST accept the same queries, and refuse a
larger one with the same 413 and message whenever it reaches the app.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from io import BytesIO
from urllib.parse import parse_qsl

from flask import Flask

from diplograph import store as st
from diplograph.web import negotiation

EXPOSED = "X-SPARQL-Rows, X-SPARQL-Max-Rows, X-SPARQL-Truncated"
BODY_KEY = "diplograph.bodies"
#: Set by the fast lane on the environ once it has read (or failed to read) the body.
READ_KEY = "diplograph.body"
CHUNK = 64 * 1024
#: Seconds a body waits for a free reader. Not 0: a body that has arrived holds its reader
#: only briefly, but 8 clients posting at once to a busy process found every reader taken
#: for that instant and got 503s (102 of 1,760 in bench/http_bench.py; none at 0.05 s).
#: Kept short: it holds an app thread (at 0.5 s a GET in the slow-body test timed out).
SLOT_WAIT = 0.05
#: The longest request target granian 2.8 hands the app (hyper's `http` crate caps a URI
#: at u16::MAX - 1 bytes); a longer GET gets an empty 414 from the HTTP layer.
MAX_TARGET_BYTES = 65_534
#: Bytes of a public query (/sparql, GET or POST): 3 x 20,000 percent-encoded plus
#: "/sparql?query=" leaves 5,520 bytes of a GET's target for format and graph parameters.
PUBLIC_QUERY_BYTES = 20_000
DEFAULTS = {"BODY_TIMEOUT": 10.0, "BODY_READERS": 4, "PUBLIC_QUERY_BYTES": PUBLIC_QUERY_BYTES}


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def max_body_bytes(max_query_bytes: int) -> int:
    """A form-encoded query can be three times its text, plus a few parameters."""
    return 3 * int(max_query_bytes) + 4096


def too_large(config) -> ProtocolError:
    return ProtocolError(
        413,
        f"Request too large: queries are limited to {config['PUBLIC_QUERY_BYTES']} bytes "
        f"(request bodies to {config['MAX_CONTENT_LENGTH']} bytes).",
    )


def over_public_limit(query: str, config) -> st.QueryTooLarge | None:
    """The refusal of a public query over PUBLIC_QUERY_BYTES (the store's words), or None."""
    limit = int(config["PUBLIC_QUERY_BYTES"])
    if len(query.encode("utf-8", "surrogatepass")) <= limit:
        return None
    return st.QueryTooLarge(f"Query is larger than the {limit}-byte limit.")


def decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The {what} is not valid UTF-8 ({exc.reason}).") from None


def pairs(raw: bytes, what: str) -> list[tuple[str, str]]:
    text = decode(raw, what)
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=200)
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The {what} is not valid UTF-8 ({exc.reason}).") from None
    except ValueError as exc:
        raise ProtocolError(400, f"Malformed {what}: {exc}") from None


class BodyReader:
    """Reads request bodies on a few threads of its own, each read with a deadline."""

    def __init__(self, readers: int, timeout: float):
        self.readers = max(1, readers)
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(self.readers)
        self._pool = ThreadPoolExecutor(self.readers, thread_name_prefix="body-reader")

    def read(self, environ, limit: int, config) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            raise ProtocolError(400, "Malformed Content-Length header.") from None
        if length > limit:
            raise too_large(config)
        if length == 0:
            return b""
        if not self._slots.acquire(timeout=SLOT_WAIT):
            raise ProtocolError(
                503,
                f"Too many request bodies are arriving slowly ({self.readers} in this "
                "process): try again, or send the query by GET.",
            )
        stream = environ["wsgi.input"]
        future = self._pool.submit(self._read, stream, length, limit)
        try:
            body = future.result(self.timeout)
        except FutureTimeout:
            raise ProtocolError(
                408,
                f"The request body did not arrive within {self.timeout:g} s: send it at once.",
            ) from None
        if body is None:
            raise too_large(config)
        if length >= 0 and len(body) != length:
            raise ProtocolError(400, "The request body ended before its Content-Length.")
        return body

    def _read(self, stream, length: int, limit: int) -> bytes | None:
        """The body (None: over `limit`); the slot is held until the read ends, however late."""
        try:
            parts, size = [], 0  # chunked (length -1): read until the end, or past the limit
            while length < 0 or size < length:
                part = stream.read(CHUNK if length < 0 else min(CHUNK, length - size))
                if not part:
                    break
                size += len(part)
                if size > limit:
                    return None
                parts.append(part)
            return b"".join(parts)
        finally:
            self._slots.release()


def read_body(environ, app: Flask) -> bytes:
    """The request body, read once (the fast lane may have read it already); ProtocolError
    with 408, 413 or 503 when it is slow, too large or every reader is busy."""
    done = environ.get(READ_KEY)
    if isinstance(done, ProtocolError):
        raise done
    if done is None:
        try:
            done = app.extensions[BODY_KEY].read(
                environ, int(app.config["MAX_CONTENT_LENGTH"]), app.config
            )
        except ProtocolError as exc:
            environ[READ_KEY] = exc
            raise
        environ[READ_KEY] = done
        environ["wsgi.input"] = BytesIO(done)
        environ["CONTENT_LENGTH"] = str(len(done))
    return done


def bounded(store, info: st.QueryInfo, fmt: str, base_iri: str) -> st.QueryResult | None:
    """The in-process answer to a bounded lookup, if the backend has one (see bounded.py)."""
    execute_bounded = getattr(store, "execute_bounded", None)
    if execute_bounded is None:
        return None
    return execute_bounded(info, result_format=fmt, base_iri=base_iri)


def result_headers(result: st.QueryResult) -> list[tuple[str, str]]:
    """Content type and the row-cap headers (the CORS ones are added by the caller)."""
    headers = [
        ("Content-Type", negotiation.get(result.format).content_type),
        ("X-SPARQL-Rows", str(result.rows)),
    ]
    if result.max_rows is not None:
        headers.append(("X-SPARQL-Max-Rows", str(result.max_rows)))
    if result.truncated:
        headers.append(("X-SPARQL-Truncated", "true"))
        cut = f"the first {result.max_rows} rows (the row cap)"
        headers.append(("Warning", f'199 - "results truncated to {cut}"'))
    return headers


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = max_body_bytes(app.config["PUBLIC_QUERY_BYTES"])
    readers = int(app.config["BODY_READERS"])
    app.extensions[BODY_KEY] = BodyReader(readers, float(app.config["BODY_TIMEOUT"]))
