"""The one module that touches the graph store.

Views, the CLI and the build import this facade only; which backend answers is
decided here: the embedded on-disk Oxigraph store (`embedded.py`, the default), or any
SPARQL 1.1 store over HTTP (`remote.py`) when a `store_url` is configured.
"""

from __future__ import annotations

import os
from pathlib import Path

from diplograph.store.base import (
    ASK,
    BOOLEAN_FORMATS,
    CONSTRUCT,
    DATASET_FORMATS,
    DESCRIBE,
    GRAPH_FORMATS,
    RESULT_FORMATS,
    SELECT,
    NoBuild,
    QueryInfo,
    QueryRejected,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    ServiceRefused,
    Store,
    StoreBusy,
    StoreError,
    UnknownGraph,
    UpdateRefused,
    formats_for,
)
from diplograph.store.builds import current_build, publish
from diplograph.store.checks import DEFAULT_MAX_QUERY_BYTES, check_query
from diplograph.store.embedded import EmbeddedStore, load_nquads
from diplograph.store.pool import DEFAULT_MEMORY_LIMIT
from diplograph.store.remote import RemoteStore

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000


def default_workers() -> int:
    """At least two, so one runaway query never leaves the endpoint without a worker."""
    return max(2, os.cpu_count() or 1)


def open_store(
    instance_dir: Path | str,
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
    store_url: str | None = None,
    build: Path | str | None = None,
    worker_memory: int | None = DEFAULT_MEMORY_LIMIT,
) -> Store:
    """The store serving the published build of instance_dir (or the version last pushed
    to the SPARQL store at store_url), with the public limits.

    `build` pins the embedded store to one build directory instead of `current` (the
    command line's `--build`); a remote store serves its registry's version only.
    """
    if store_url:
        if build is not None:
            raise ValueError("a remote store serves the version last pushed to it, not a build")
        return RemoteStore(
            store_url, timeout=timeout, max_rows=max_rows, max_query_bytes=max_query_bytes
        )
    return EmbeddedStore(
        instance_dir,
        workers=workers or default_workers(),
        timeout=timeout,
        max_rows=max_rows,
        max_query_bytes=max_query_bytes,
        build=build,
        worker_memory=worker_memory,
    )


__all__ = [
    "ASK",
    "BOOLEAN_FORMATS",
    "CONSTRUCT",
    "DATASET_FORMATS",
    "DEFAULT_MAX_QUERY_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "DESCRIBE",
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "SELECT",
    "EmbeddedStore",
    "NoBuild",
    "QueryInfo",
    "QueryRejected",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooLarge",
    "RemoteStore",
    "ServiceRefused",
    "Store",
    "StoreBusy",
    "StoreError",
    "UnknownGraph",
    "UpdateRefused",
    "check_query",
    "current_build",
    "default_workers",
    "formats_for",
    "load_nquads",
    "open_store",
    "publish",
]
