"""The build pipeline: curated YAML to a validated, published graph.

Read and check the curated files, emit RDF (a named graph per source),
verify excerpts against the source texts, materialise entailments, validate
(SHACL and OWL), then write the build into a fresh directory and switch it
in atomically. Any failure leaves the last good build serving, untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version as dist_version
from pathlib import Path

from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from ..ontology import BASE, DG, ONTOLOGY_IRI
from . import paths
from .curated import Curated, read_curated
from .entailment import materialise
from .errors import CurationError, Problem
from .excerpts import ExcerptUse, missing_excerpts
from .records import emit_dataset
from .vocab import load_vocabulary

COUNTED = [
    "Source",
    "Person",
    "Organisation",
    "Polity",
    "Country",
    "Place",
    "City",
    "Post",
    "Topic",
    "Event",
    "Meeting",
    "PhoneCall",
    "Trip",
    "Conference",
    "Commitment",
    "Measure",
    "Statement",
    "Quotation",
    "Paraphrase",
    "Claim",
    "Disagreement",
    "StatusReport",
    "Participation",
    "PositionHolding",
    "Excerpt",
]


FAULT_ENV = "DIPLOGRAPH_FAULT"
#: The named points where the crash-safety tests kill a build (tests/test_reliability_crash.py).
FAULT_POINTS = (
    "curated-read",
    "graph-written",
    "store-loaded",
    "exports-written",
    "renamed",
    "published",
)


def _checkpoint(name: str) -> None:
    """Fault injection: SIGKILL this process here when DIPLOGRAPH_FAULT names this point.

    A real kill, so no `finally` or cleanup runs: the tests prove that a build dying at
    any of these points leaves the last good build intact and serving. Inert otherwise.
    """
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def _build_lock(instance: Path):
    """One build writes into an instance at a time; the lock dies with its process."""
    with open(instance / ".build.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_debris(instance: Path) -> None:
    """Remove what killed builds left behind (never served): half-written build
    directories and temporary `current` links. Safe under the build lock."""
    for tmp in (instance / "builds").glob(".tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    for link in instance.glob(".current.*.tmp"):
        link.unlink(missing_ok=True)


class BuildError(Exception):
    """A build refused: carries the report, and nothing was published."""

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.report = report or {}


@dataclass
class Graphs:
    dataset: Dataset
    curated: Curated
    excerpts: list[ExcerptUse] = field(default_factory=list)


def source_files(cur: Curated, sources_dir: Path | None) -> dict[str, Path]:
    if sources_dir is None:
        return {}
    return {
        r.id: Path(sources_dir) / str(r.data["file"])
        for r in cur.records
        if r.kind == "source" and "file" in r.data
    }


def check_excerpts(graphs: Graphs, sources_dir: Path) -> list[Problem]:
    """Problems for every excerpt that does not occur in its source's text."""
    files = source_files(graphs.curated, sources_dir)
    problems = []
    for use in missing_excerpts(graphs.excerpts, files):
        path = files.get(use.source_id)
        if path is None or not path.is_file():
            problems.append(
                Problem(
                    use.file,
                    use.line,
                    f"source text for '{use.source_id}' not found in {sources_dir}",
                    "excerpt",
                )
            )
        else:
            short = use.text if len(use.text) < 80 else use.text[:77] + "..."
            problems.append(
                Problem(
                    use.file, use.line, f'excerpt not found in {path.name}: "{short}"', "excerpt"
                )
            )
    return problems


def load_graphs(data_dir: Path, *, base: str = BASE, sources_dir: Path | None = None) -> Graphs:
    """Read, check and emit the curated data; raise CurationError with every problem found."""
    vocab = load_vocabulary()
    cur = read_curated(Path(data_dir), vocab)
    emitter = emit_dataset(cur, vocab, base)
    graphs = Graphs(emitter.ds, cur, [ExcerptUse(*e) for e in emitter.excerpts])
    problems = list(emitter.problems)
    if sources_dir is not None:
        problems += check_excerpts(graphs, sources_dir)
    if problems:
        raise CurationError(problems)
    onto = graphs.dataset.graph(URIRef(ONTOLOGY_IRI))
    for triple in to_canonical_graph(vocab.graph):
        onto.add(triple)
    materialise(graphs.dataset, vocab.graph)
    return graphs


def count_types(ds: Dataset) -> dict[str, int]:
    onto = URIRef(ONTOLOGY_IRI)
    subjects: dict[str, set] = {name: set() for name in COUNTED}
    for s, _p, o, g in ds.quads((None, RDF.type, None, None)):
        if g is not None and getattr(g, "identifier", g) == onto:
            continue
        name = str(o)[len(str(DG)) :] if str(o).startswith(str(DG)) else None
        if name in subjects:
            subjects[name].add(s)
    return {name: len(found) for name, found in subjects.items()}


def nquads(ds: Dataset) -> bytes:
    """Sorted N-Quads: the same facts always give the same bytes."""
    data = ds.serialize(format="nquads", encoding="utf-8")
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return b"\n".join(lines) + b"\n"


def validate_graphs(graphs: Graphs, *, owl: bool = True, progress=lambda _m: None) -> dict:
    """The validation report: SHACL shapes, violation queries, then OWL consistency."""
    from ..shapes.validation import validate_dataset
    from .reasoning import check_consistency

    progress("Validating with SHACL shapes...")
    report = validate_dataset(graphs.dataset, graphs.curated)
    if owl:
        progress("Checking OWL consistency (HermiT)...")
        union = Graph()
        for s, p, o, _g in graphs.dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        result = check_consistency(union)
        report["owl"] = {
            "consistent": result.consistent,
            "unsatisfiable": result.unsatisfiable,
            "explanation": result.explanation,
            "text": result.text(),
        }
        report["conforms"] = report["conforms"] and result.ok
    return report


def _validate(graphs: Graphs, progress) -> dict:
    """Validate and refuse: a build with any violation raises, carrying the report."""
    report = validate_graphs(graphs, progress=progress)
    if not report["conforms"]:
        owl = report.get("owl", {})
        failed_owl = not owl.get("consistent", True) or owl.get("unsatisfiable")
        raise BuildError(owl["text"] if failed_owl else "SHACL validation failed", report)
    return report


@dataclass
class BuildResult:
    build_dir: Path
    build_id: str
    version: str
    triples: int
    counts: dict[str, int]
    report: dict


def build(
    data_dir: Path | None = None,
    instance: Path | None = None,
    *,
    sources_dir: Path | None = None,
    base: str = BASE,
    validate: bool = True,
    publish: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> BuildResult:
    """Build the graph from `data_dir` into a new directory under `instance`, then publish it."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    instance = Path(instance or paths.instance_dir())
    progress(f"Reading curated data from {data_dir}...")
    graphs = load_graphs(data_dir, base=base, sources_dir=sources_dir)
    _checkpoint("curated-read")
    report = _validate(graphs, progress) if validate else {"conforms": True, "skipped": True}
    body = nquads(graphs.dataset)
    digest = hashlib.sha256(body).hexdigest()
    version = f"{dist_version('diplograph')}+{digest[:12]}"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    build_id = f"{stamp}-{digest[:8]}"
    counts = count_types(graphs.dataset)
    builds = instance / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    with _build_lock(instance):
        _remove_debris(instance)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
        try:
            (tmp / "graph.nq").write_bytes(body)
            _checkpoint("graph-written")
            manifest = {
                "build_id": build_id,
                "version": version,
                "base": base,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "triples": body.count(b"\n"),
                "counts": counts,
                "sha256": digest,
                "validation": report,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
            progress(f"Loading {manifest['triples']} quads into the store...")
            from . import store

            store.load_nquads(tmp / "graph.nq", tmp / "store")
            _checkpoint("store-loaded")
            from . import export

            export.write_all(tmp / "graph.nq", tmp / "exports", manifest)
            _checkpoint("exports-written")
            final = builds / build_id
            os.replace(tmp, final)
            _checkpoint("renamed")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if publish:
            store.publish(instance, final)
            _checkpoint("published")
            progress(f"Published build {build_id}.")
    return BuildResult(final, build_id, version, manifest["triples"], counts, report)
