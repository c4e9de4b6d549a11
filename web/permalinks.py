"""Short permalinks for the SPARQL editor's queries: the one write the public site takes.

`POST /q` with a query's text stores it content-addressed, as `<hash>.rq` under the
instance's `permalinks/` folder, the hash being the first 16 hex digits of the text's
SHA-256; the answer gives `/q/<hash>`. `GET /q/<hash>` opens the editor holding that query,
`GET /q/<hash>.rq` returns the text itself. The write is bounded twice: a query over the
public query limit (`PUBLIC_QUERY_BYTES`) is refused with 413, and past `PERMALINK_MAX`
stored queries a new one is refused with 507 (docs/reliability.md); the same text posted
again costs nothing. Writes go through a temporary file and a rename, under a file lock
shared by every server process, so the count holds across processes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, g, jsonify, request, url_for

from diplograph import store as st
from diplograph.web import catalogue_views
from diplograph.web.context import instance
from diplograph.web.graphdata import id_namespace
from diplograph.web.protocol import ProtocolError, decode, over_public_limit, pairs, read_body

bp = Blueprint("permalinks", __name__)

HASH_DIGITS = 16  # 64 bits of SHA-256: a collision is refused (409), never overwritten
FOLDER = "permalinks"
#: Config key: stored queries an instance keeps at most; past it a new query gets 507.
MAX_KEY = "PERMALINK_MAX"
DEFAULT_MAX = 10_000
_HASH = re.compile(f"[0-9a-f]{{{HASH_DIGITS}}}")


def query_hash(text: str) -> str:
    """The permalink of a query text: a prefix of its SHA-256 (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]


def folder() -> Path:
    return instance() / FOLDER


def stored(digest: str) -> str | None:
    """The query stored under `digest`, or None (also for anything that is not a hash)."""
    if not _HASH.fullmatch(digest):
        return None
    path = folder() / f"{digest}.rq"
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


@bp.app_context_processor
def editor_context() -> dict:
    """`entity_namespace()` in templates: the editor links IRIs under it to entity pages."""
    return {"entity_namespace": id_namespace}


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status, content_type="text/plain; charset=utf-8")


@bp.errorhandler(ProtocolError)
def _protocol_error(exc: ProtocolError):
    return _text(exc.status, str(exc))


@bp.errorhandler(st.QueryTooLarge)
def _too_large(exc: st.QueryTooLarge):
    return _text(413, str(exc))


def _posted_query() -> str:
    """The query from the body: the text itself, or a form's `query` field."""
    mimetype = request.mimetype
    if mimetype in ("application/sparql-query", "text/plain"):
        return decode(read_body(request.environ, current_app), "query")
    if mimetype == "application/x-www-form-urlencoded":
        fields = pairs(read_body(request.environ, current_app), "form body")
        texts = [value for name, value in fields if name == "query"]
        if len(texts) == 1:
            return texts[0]
        raise ProtocolError(400, "Send exactly one query field.")
    raise ProtocolError(415, "POST the query as application/sparql-query or as a form field.")


@contextmanager
def _locked(where: Path):
    where.mkdir(parents=True, exist_ok=True)
    with open(where / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def save(text: str, limit: int) -> tuple[str, bool]:
    """(hash, whether it was new); ProtocolError 507 when `limit` queries are stored, 409 on
    a hash collision with another text."""
    digest = query_hash(text)
    where = folder()
    path = where / f"{digest}.rq"
    with _locked(where):
        if path.exists():
            if path.read_text(encoding="utf-8") != text:
                raise ProtocolError(409, "Another query has this permalink's hash.")
            return digest, False
        if sum(1 for _ in where.glob("*.rq")) >= limit:
            raise ProtocolError(507, f"No room for new permalinks ({limit} stored queries).")
        fd, temp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    return digest, True


@bp.route("/q", methods=["POST"])
def store_query():
    text = _posted_query()
    refusal = over_public_limit(text, current_app.config)
    if refusal is not None:
        raise refusal
    if not text.strip():
        raise ProtocolError(400, "The query is empty.")
    digest, new = save(text, int(current_app.config.get(MAX_KEY, DEFAULT_MAX)))
    url = url_for("permalinks.open_query", name=digest)
    body = jsonify({"hash": digest, "url": url})
    return body, 201 if new else 200, {"Location": url}


@bp.route("/q/<name>")
def open_query(name: str):
    """The editor holding the stored query (`<hash>`), or its text (`<hash>.rq`)."""
    digest, dot, suffix = name.partition(".")
    text = stored(digest)
    if text is None or (dot and suffix != "rq"):
        abort(404)
    if dot:
        return Response(text, content_type="application/sparql-query; charset=utf-8")
    g.permalink = {"hash": digest, "query": text}
    return catalogue_views.editor()
