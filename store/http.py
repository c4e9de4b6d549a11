"""SPARQL 1.1 over HTTP: queries through SPARQLWrapper, updates and Graph Store loads with urllib.

Three habits of Virtuoso shape this module, and they are handled here so no caller can
forget them:

- it answers HTTP 200 with a silently shortened result when a result exceeds its
  `ResultSetMaxRows` (header `X-SPARQL-MaxRows`), and when a query runs out of time
  (header `X-SQL-State: S1TAT`, "returning incomplete results"): both are read from the
  response headers and reported (`truncated_at`, or `QueryTimeout`), never passed on as
  a complete answer;
- it hangs on a POST with `Content-Type: application/sparql-query`: queries go as
  form-encoded POSTs (`application/x-www-form-urlencoded`), which every SPARQL 1.1 server
  accepts and which has no URL-length limit;
- writes need digest authentication: a private urllib opener carries the credentials
  (SPARQLWrapper's digest support installs a process-wide opener, which we avoid).
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from diplograph.store.base import QuerySyntaxError, QueryTimeout, StoreError
from diplograph.store.formats import BY_KEY

# Virtuoso echoes the request's dataset back as one response header per few graphs
# (X-SPARQL-named-graph): with hundreds of sources that passes http.client's limit of 100
# header lines, which would fail every answer. The limit guards against hostile servers;
# the store is ours.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 10_000)

JSON_RESULTS = BY_KEY["json"].media_type
NTRIPLES = BY_KEY["ntriples"].media_type
TIMEOUT_STATE = "S1TAT"


class RemoteError(StoreError):
    """The remote store refused or failed a request."""


@dataclass(frozen=True)
class Answer:
    """A raw answer: its bytes, and the row count at which the server cut it (or None)."""

    body: bytes
    content_type: str
    truncated_at: int | None


@dataclass(frozen=True)
class Endpoints:
    """Where a store listens. Virtuoso's write endpoints are derived from its /sparql URL."""

    query: str
    update: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = None
    #: The registry graph naming the serving version: one per deployment sharing a store.
    registry: str = "urn:diplograph:versions"

    @classmethod
    def for_url(cls, url: str, user=None, password=None, registry: str | None = None):
        """Virtuoso's layout: /sparql (anonymous, read), /sparql-auth, /sparql-graph-crud-auth."""
        base = url.rstrip("/")
        extra = {"registry": registry} if registry else {}
        if base.endswith("/sparql"):
            return cls(base, base + "-auth", base + "-graph-crud-auth", user, password, **extra)
        return cls(base, base, None, user, password, **extra)


class SparqlHttp:
    """One remote store's HTTP endpoints. Thread-safe: every request is independent."""

    def __init__(self, endpoints: Endpoints, agent: str = "diplograph"):
        self.endpoints = endpoints
        self.agent = agent
        handlers = []
        if endpoints.user and endpoints.password:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (endpoints.update, endpoints.graph_store):
                if url:
                    manager.add_password(None, url, endpoints.user, endpoints.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self._opener = urllib.request.build_opener(*handlers)

    # -- reading -----------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        accept: str = JSON_RESULTS,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float = 10.0,
    ) -> Answer:
        """Run a query with an explicit dataset; raise on a timed-out (partial) answer."""
        wrapper = SPARQLWrapper(self.endpoints.query, agent=self.agent)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)  # never application/sparql-query: Virtuoso hangs
        wrapper.setOnlyConneg(True)
        wrapper.setQuery(text)
        wrapper.addCustomHttpHeader("Accept", accept)
        wrapper.setTimeout(max(1, int(timeout + 2.5)))  # socket limit: the server's, plus slack
        # Virtuoso's own limit, in ms; other servers ignore the parameter.
        wrapper.addParameter("timeout", str(max(1, int(timeout * 1000))))
        for iri in default_graphs:
            wrapper.addParameter("default-graph-uri", iri)
        for iri in named_graphs:
            wrapper.addParameter("named-graph-uri", iri)
        try:
            result = wrapper.query()
            headers = result.info()
            body = result.response.read()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(f"Query syntax error (remote store): {_detail(exc)}") from None
        except (EndPointNotFound, Unauthorized, EndPointInternalError) as exc:
            raise _internal_error(exc) from None
        except SPARQLWrapperException as exc:
            raise RemoteError(f"Remote store: {_detail(exc)}") from None
        except TimeoutError:
            raise QueryTimeout(
                f"Query stopped: the remote store did not answer within {timeout:g} s."
            ) from None
        except urllib.error.HTTPError as exc:
            raise RemoteError(f"Remote store answered HTTP {exc.code}: {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteError(f"Remote store unreachable: {exc}") from None
        headers = {k.lower(): v for k, v in headers.items()}
        if headers.get("x-sql-state", "").strip() == TIMEOUT_STATE:
            raise QueryTimeout(
                f"Query stopped: it ran longer than the {timeout:g} s time limit "
                "(the remote store returned an incomplete answer, which is discarded)."
            )
        cut = headers.get("x-sparql-maxrows")
        return Answer(body, headers.get("content-type", ""), int(cut) if cut else None)

    # -- writing -----------------------------------------------------------------------

    def update(self, text: str, timeout: float = 600.0) -> None:
        """SPARQL 1.1 Update, form-encoded, with the write credentials."""
        if not self.endpoints.update:
            raise RemoteError("No SPARQL Update endpoint configured for the remote store.")
        body = urllib.parse.urlencode({"update": text}).encode("ascii")
        form = "application/x-www-form-urlencoded"
        self._send("POST", self.endpoints.update, body, form, timeout)

    def post_triples(self, graph: str, ntriples: bytes, timeout: float = 600.0) -> None:
        """Append N-Triples to a graph (Graph Store Protocol POST: merges, never replaces)."""
        url = self._graph_url(graph)
        # N-Triples is Turtle; text/turtle is the one type every Graph Store accepts.
        self._send("POST", url, ntriples, "text/turtle; charset=utf-8", timeout)

    def get_graph(self, graph: str, timeout: float = 600.0) -> bytes:
        """A whole graph as N-Triples (not capped by the server's result-row limit)."""
        return self._send("GET", self._graph_url(graph), None, None, timeout, accept=NTRIPLES)

    def _graph_url(self, graph: str) -> str:
        if not self.endpoints.graph_store:
            raise RemoteError("No Graph Store Protocol endpoint configured for the remote store.")
        return f"{self.endpoints.graph_store}?{urllib.parse.urlencode({'graph': graph})}"

    def _send(self, method, url, body, content_type, timeout, accept=None) -> bytes:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("User-Agent", self.agent)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace").strip()
            raise RemoteError(f"{method} {url.split('?')[0]}: HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteError(f"{method} {url.split('?')[0]}: {exc}") from None


def _detail(exc: Exception) -> str:
    text = str(exc)
    return text.split("Response:", 1)[-1].strip().replace("\\n", " ")[:500] or type(exc).__name__


def _internal_error(exc: Exception) -> StoreError:
    text = _detail(exc)
    # Virtuoso's time limit shows as a transaction timeout (SR171) or, when the query is
    # cancelled while it runs, as HY008 / SR203 "Async statement killed by SQLCancel".
    if any(code in text for code in ("SR171", "SR203", "HY008")) or "timed out" in text.lower():
        return QueryTimeout(f"Query stopped by the remote store's time limit: {text}")
    if "estimated execution time" in text:  # refused before running, on a guess
        return RemoteError(
            "The remote store refused the query on its cost estimate, which counts every "
            "version's copy of a triple: set MaxQueryCostEstimationTime = 0 in the [SPARQL] "
            f"section of virtuoso.ini (docs/scaling.md). {text}"
        )
    return RemoteError(f"Remote store error: {text}")
