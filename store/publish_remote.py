"""Push a build to a remote SPARQL store: load a new version, check it, then switch.

1. Describe the version in the registry (staged: not yet served).
2. Load every graph, renamed for this version, and the version's merge graph, with the
   Graph Store Protocol in chunks (POST appends; nothing live is ever overwritten).
3. Check it: the triple count of every stored graph equals the build's, and every
   `*-violation.rq` query, run on the staged version only, finds nothing.
4. Switch: one `INSERT DATA` of one triple gives the version the next sequence number.
5. Drop versions older than the newest `keep` (the previous one stays, so a reader that
   cached it a moment ago still reads a whole graph), and what failed pushes left.

Any failure before step 4 drops what was loaded and leaves the previous version serving.
One writer at a time: pushes are not meant to run concurrently against one store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from diplograph.loaders.merge import merged
from diplograph.queries import QUERIES_DIR
from diplograph.queries.catalogue import VIOLATION_SUFFIX, execute, load_query
from diplograph.store.base import StoreError
from diplograph.store.http import Endpoints, SparqlHttp
from diplograph.store.nquads import read_quad_lines, split_graph
from diplograph.store.remote import RemoteStore
from diplograph.store.versions import (
    LIST_QUERY,
    Version,
    forget_update,
    graphs_query,
    staged_update,
    switch_update,
    version_id,
)

CHUNK_TRIPLES = 50_000


class PublishError(StoreError):
    """A push was refused or failed; the previous version still serves."""


@dataclass(frozen=True)
class Pushed:
    version: Version
    seq: int
    dropped: list[str]


def push(
    build_dir: Path | str,
    endpoints: Endpoints,
    *,
    keep: int = 2,
    chunk: int = CHUNK_TRIPLES,
    check_queries: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> Pushed:
    """Load build_dir's graph.nq as a new version, check it, switch to it, tidy up."""
    build_dir = Path(build_dir)
    manifest_file = build_dir / "manifest.json"
    manifest = (
        json.loads(manifest_file.read_text(encoding="utf-8"))
        if manifest_file.is_file()
        else {"build_id": build_dir.name}
    )
    http = SparqlHttp(endpoints)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")[:-3] + "Z"
    by_graph, merge = _split(build_dir / "graph.nq")
    digest = manifest.get("sha256", "")[:8] or "build"
    vid = f"{stamp}-{digest}"  # a re-push of one build is a new version
    version = Version(vid, frozenset(by_graph), sum(map(len, by_graph.values())))
    existing = list_versions(http)
    try:
        http.update(staged_update(version, manifest["build_id"], stamp, endpoints.registry))
        for graph, lines in sorted(by_graph.items()):
            progress(f"Loading {len(lines)} triples into <{version.name(graph)}>...")
            _load(http, version, version.name(graph), lines, chunk)
        progress(f"Loading the merge ({len(merge)} triples) into <{version.merge}>...")
        _load(http, version, version.merge, merge, chunk)
        check_version(http, version, {g: len(v) for g, v in by_graph.items()}, len(merge))
        if check_queries:
            progress("Running the violation queries on the new version...")
            check_violations(endpoints, version)
        seq = 1 + max((s for _v, s, _t in existing if s is not None), default=0)
        http.update(switch_update(version, seq, endpoints.registry))
    except BaseException as exc:
        progress(f"Push failed ({exc}); dropping version {vid}, the previous one still serves.")
        _drop(http, vid, version.stored_graphs() + [version.merge], quiet=True)
        if isinstance(exc, StoreError) and not isinstance(exc, PublishError):
            raise PublishError(f"Push failed, nothing switched: {exc}") from exc
        raise
    progress(f"Switched to version {vid} (#{seq}).")
    dropped = tidy(http, keep=keep, current=vid)
    return Pushed(version, seq, dropped)


def _split(nq_path: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Lines by graph (as the data names it), and their merge (see merge.py)."""
    by_graph: dict[str, list[str]] = {}
    triples: list[str] = []
    for line in read_quad_lines(nq_path):
        triple, graph = (term.decode() for term in split_graph(line))
        by_graph.setdefault(graph[1:-1], []).append(triple)
        triples.append(triple)
    return by_graph, merged(triples)


def _load(http: SparqlHttp, version: Version, stored: str, triples: list[str], chunk: int) -> None:
    """POST in chunks; triples with blank nodes all go in the first, so they stay joined.

    (Each POST is its own document: a blank node label split over two would become two.)
    """
    blank = [t for t in triples if "_:" in t]
    plain = [t for t in triples if "_:" not in t]
    batches = [blank + plain[: max(0, chunk - len(blank))]]
    rest = plain[max(0, chunk - len(blank)) :]
    batches += [rest[i : i + chunk] for i in range(0, len(rest), chunk)]
    for batch in batches:
        if batch:
            text = "".join(version.rename_triple(t) + " .\n" for t in batch)
            http.post_triples(stored, text.encode("utf-8"))


def check_version(http: SparqlHttp, version: Version, counts: dict[str, int], merge: int) -> None:
    """Every stored graph holds exactly the build's triples, and the merge its set."""
    expected = {version.name(g): n for g, n in counts.items()} | {version.merge: merge}
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    answer = http.query(query, named_graphs=sorted(expected), timeout=600)
    found = {
        row["g"].value: int(row["n"].value)
        for row in ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    }
    wrong = {g: (n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n}
    if wrong:
        graph, (want, got) = sorted(wrong.items())[0]
        raise PublishError(
            f"Check failed: <{graph}> holds {got} triples, the build has {want} "
            f"({len(wrong)} graph(s) differ); not switching."
        )


def check_violations(endpoints: Endpoints, version: Version) -> None:
    """The data-quality rules (`*-violation.rq`) find nothing in the staged version."""
    staged = RemoteStore(endpoints, version=version, timeout=120.0, max_rows=None)
    for path in sorted(QUERIES_DIR.glob(f"*{VIOLATION_SUFFIX}.rq")):
        result = execute(staged, load_query(path).sparql)
        if result.rows:
            raise PublishError(
                f"Check failed: {path.name} finds {len(result.rows)} row(s) in the new "
                "version; not switching."
            )


def list_versions(http: SparqlHttp) -> list[tuple[str, int | None, str]]:
    """(version id, sequence number or None if never switched to, staged time) for each."""
    answer = http.query(LIST_QUERY, default_graphs=[http.endpoints.registry], timeout=60)
    rows = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    return [
        (
            version_id(r["v"].value),
            None if r["seq"] is None else int(r["seq"].value),
            r["staged"].value,
        )
        for r in rows
    ]


def tidy(http: SparqlHttp, *, keep: int = 2, current: str | None = None) -> list[str]:
    """Drop all but the newest `keep` published versions, and unpublished leftovers."""
    versions = list_versions(http)
    published = sorted((v for v in versions if v[1] is not None), key=lambda v: -v[1])
    keep_ids = {v[0] for v in published[: max(1, keep)]} | ({current} if current else set())
    dropped = []
    for vid, _seq, _staged in versions:
        if vid in keep_ids:
            continue
        answer = http.query(graphs_query(vid), default_graphs=[http.endpoints.registry], timeout=60)
        rows = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        probe = Version(vid, frozenset(r["g"].value for r in rows))
        _drop(http, vid, probe.stored_graphs() + [probe.merge])
        dropped.append(vid)
    return dropped


def drop_all(endpoints: Endpoints) -> list[str]:
    """Drop every version of the registry (a benchmark or test deployment, when done)."""
    http = SparqlHttp(endpoints)
    dropped = []
    for vid, _seq, _staged in list_versions(http):
        answer = http.query(graphs_query(vid), default_graphs=[http.endpoints.registry])
        rows = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        probe = Version(vid, frozenset(r["g"].value for r in rows))
        _drop(http, vid, probe.stored_graphs() + [probe.merge])
        dropped.append(vid)
    return dropped


def _drop(http: SparqlHttp, vid: str, graphs: list[str], quiet: bool = False) -> None:
    """Drop a version's graphs, then forget it (in that order: a crash leaves it findable)."""
    try:
        for start in range(0, len(graphs), 50):
            http.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[start : start + 50]))
        http.update(forget_update(vid, http.endpoints.registry))
    except StoreError:
        if not quiet:
            raise
