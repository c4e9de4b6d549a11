"""The private Virtuoso of `.ci/virtuoso` as a test backend: start it, push a dataset to it.

Starting the server and naming a registry of one's own are bench/virtuoso.py's (the
benches use the same server), imported from there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from bench.virtuoso import endpoints, virtuoso_env
from diplograph.store.publish_remote import push
from diplograph.store.remote import RemoteStore

# virtuoso_env and endpoints are the tests' too.
__all__ = [
    "crowd",
    "endpoints",
    "in_written_order",
    "pushed_store",
    "virtuoso_env",
    "write_build",
]


def write_build(folder: Path, body: bytes, build_id: str = "test") -> Path:
    """A minimal build directory (graph.nq and manifest.json), as `push` reads it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.nq").write_bytes(body)
    (folder / "manifest.json").write_text(json.dumps({"build_id": build_id}))
    return folder


def pushed_store(env, name: str, body: bytes, folder: Path, **options) -> RemoteStore:
    """A RemoteStore serving `body` (N-Quads), pushed into registry `name`."""
    ends = endpoints(env, name)
    push(write_build(folder, body), ends)
    return RemoteStore(ends, **options)


def crowd(body: bytes, prefix: str, copies: int) -> bytes:
    """Other deployments' copies of the shared date nodes (`<prefix>`...), one graph per copy.

    What a store serving several deployments (and two versions of each) holds: the same
    triples in many graphs. On Virtuoso 7.2 that is when an index range bounded only by
    `<=` loses rows (docs/scaling.md).
    """
    quads = ox.parse(body, format=ox.RdfFormat.N_QUADS)
    shared = {q.triple for q in quads if q.subject.value.startswith(prefix)}
    out = [
        ox.Quad(*t, ox.NamedNode(f"urn:diplograph:test:crowd:{i}"))
        for i in range(copies)
        for t in sorted(shared, key=str)
    ]
    return ox.serialize(out, format=ox.RdfFormat.N_QUADS)


#: Virtuoso's pragma to join the patterns in the order the query writes them.
WRITTEN_ORDER = 'define sql:select-option "order"'


class _Pragma:
    """The client's HTTP side, with a Virtuoso pragma before every query text it sends."""

    def __init__(self, http, pragma: str):
        self._http, self._pragma = http, pragma

    def __getattr__(self, name):
        return getattr(self._http, name)

    def query(self, text: str, **options):
        return self._http.query(f"{self._pragma}\n{text}", **options)


def in_written_order(store: RemoteStore) -> RemoteStore:
    """The same deployment, with Virtuoso joining in the order each query is written.

    A second plan, fixed, beside the one the optimiser picks from its sampled statistics:
    those depend on the server's history, so a plan-dependent defect can hide on one server
    and show on another (docs/scaling.md).
    """
    twin = RemoteStore(store.http.endpoints, timeout=store.timeout, max_rows=store.max_rows)
    twin.http = _Pragma(twin.http, WRITTEN_ORDER)
    return twin
