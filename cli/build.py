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
import gc
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import version as dist_version
from itertools import chain
from pathlib import Path

from rdflib import Dataset, URIRef

from diplograph import store
from diplograph.cli.incremental import Plan, input_hashes, load_store, plan
from diplograph.cli.validation import (
    BuildError,
    validate_store,
    validation_stage,
)
from diplograph.cli.warm import Warm
from diplograph.data import DATA_DIR
from diplograph.exports.graph_files import write_graph_files
from diplograph.exports.process import FAULT_ENV, ExportFailed, ExportProcess
from diplograph.loaders.counts import count_types
from diplograph.loaders.curated import Curated, read_curated
from diplograph.loaders.entailment import Entailer, materialise
from diplograph.loaders.errors import CurationError, Problem
from diplograph.loaders.excerpts import ExcerptUse, missing_excerpts
from diplograph.loaders.quads import Quads, write_lines
from diplograph.loaders.records import emit_dataset
from diplograph.loaders.vocab import load_vocabulary
from diplograph.ontology import BASE, ONTOLOGY_IRI
from diplograph.store.builds import instance_dir

#: The work this process's builds leave for the next (cli/warm.py).
_WARM = Warm()

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


@dataclass
class Graphs:
    quads: Quads
    curated: Curated
    excerpts: list[ExcerptUse] = field(default_factory=list)

    @cached_property
    def dataset(self) -> Dataset:
        """An rdflib view of the quads, made on first use (tests, small data; never the build)."""
        return self.quads.to_dataset()


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


def emit_graphs(
    data_dir: Path, *, base: str = BASE, warm: Warm | None = None
) -> tuple[Graphs, list[Problem]]:
    """Read the curated files and emit their RDF, one named graph per source.

    The files' own problems raise CurationError; what the emitter found (references,
    required values) comes back beside the graphs, so a caller can check the excerpts alone.
    `warm`: the files an earlier build parsed and emitted, replayed where they hold.
    """
    vocab = load_vocabulary()
    parsed, units = (warm.parsed, warm.units) if warm is not None else (None, None)
    cur = read_curated(Path(data_dir), vocab, parsed)
    emitter = emit_dataset(cur, vocab, base, units)
    graphs = Graphs(emitter.ds, cur, [ExcerptUse(*e) for e in emitter.excerpts])
    return graphs, list(emitter.problems)


def load_graphs(data_dir: Path, *, base: str = BASE, sources_dir: Path | None = None) -> Graphs:
    """Read, check and emit the curated data; raise CurationError with every problem found."""
    graphs = checked_graphs(data_dir, base=base, sources_dir=sources_dir)
    materialise(graphs.quads, load_vocabulary().graph)
    return graphs


def checked_graphs(
    data_dir: Path, *, base: str = BASE, sources_dir: Path | None = None, warm: Warm | None = None
) -> Graphs:
    """load_graphs without the entailments: emitted, checked, and with the ontology's graph.
    `warm`: where the files an earlier build parsed and emitted may be found (cli/warm.py)."""
    vocab = load_vocabulary()
    graphs, problems = emit_graphs(data_dir, base=base, warm=warm)
    if sources_dir is not None:
        problems += check_excerpts(graphs, sources_dir)
    if problems:
        raise CurationError(problems)
    graphs.quads.graph(URIRef(ONTOLOGY_IRI)).update(vocab.canonical)
    return graphs


def nquads(quads: Quads | Dataset) -> bytes:
    """Sorted N-Quads: the same facts always give the same bytes."""
    if isinstance(quads, Dataset):
        quads = Quads.from_dataset(quads)
    return quads.nquads()


def validate_graphs(graphs: Graphs, *, owl: bool = True, progress=lambda _m: None) -> dict:
    """The validation report of loaded graphs (the `validate` command): see validate_store."""
    return validate_store(graphs.quads.to_store(), owl=owl, progress=progress)


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
    full: bool = False,
    once: bool = False,
    progress: Callable[[str], None] = lambda _m: None,
) -> BuildResult:
    """Build the graph from `data_dir` into a new directory under `instance`, then publish it.

    Read and emit; write the sorted N-Quads; then, on two cores, the exports in a process
    of their own while this one loads the on-disk store and validates it (SHACL, with
    HermiT alongside). Only a valid build, with every file written, is renamed into place.
    Unless `full`, a change limited to facts files updates a copy of the last build's store
    (cli/incremental.py). `once`: this process builds no more (the `build` command), so
    nothing is kept for a next build (cli/warm.py).
    """
    # a full build reads nothing an earlier one left
    warm = Warm(retain=not once) if full or once else _WARM
    # started now, its start overlaps the reading (begun once the lines exist); or kept
    exports = warm.export_process()
    try:
        with collector_paused():
            result = _build(
                Path(data_dir or DATA_DIR),
                Path(instance or instance_dir()),
                exports,
                _Options(sources_dir, base, validate, publish, full),
                progress,
                warm,
            )
    except BaseException:
        if exports.begun or once:  # at work on this build's files: never handed on
            exports.stop()
        else:
            _WARM.keep(exports)
        raise
    if once:
        exports.stop()
    else:
        _WARM.keep(exports)
    return result


@contextlib.contextmanager
def collector_paused():
    """No automatic passes of Python's cyclic garbage collector while a build runs.

    A build makes millions of objects (terms, triples, lines) that live until it ends, and
    almost no reference cycles: each full pass walks them all to find nothing (reading the
    1M-quad corpus, 19 full passes collected 10 objects and took a third of the stage:
    13.0 s against 8.0 s without them; a full 1M build's peak rose 0.4%). Cycles made
    meanwhile are collected by the passes after it. Restores the collector's state as it
    found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Options:
    sources_dir: Path | None
    base: str
    validate: bool
    publish: bool
    full: bool


def _build(
    data_dir: Path, instance: Path, exports: ExportProcess, o: _Options, progress, warm: Warm
):
    """`build`, with its export process started, and what it may reuse (`warm`)."""
    sources_dir, base, validate, full = o.sources_dir, o.base, o.validate, o.full
    inputs = input_hashes(data_dir, sources_dir, {"base": base, "validate": validate})
    progress(f"Reading curated data from {data_dir}...")
    graphs = checked_graphs(data_dir, base=base, sources_dir=sources_dir, warm=warm)
    _checkpoint("curated-read")
    progress("Writing sorted N-Quads...")
    per_graph = warm.finish(graphs.quads, Entailer(load_vocabulary().graph))
    counts = count_types(graphs.quads)
    del graphs  # the sets of terms: the lines and then the store carry the graph from here
    lines = sorted(chain.from_iterable(lines for lines, _digest in per_graph.values()))
    builds = instance / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    with _build_lock(instance):
        _remove_debris(instance)
        chosen = plan(instance, inputs, full)  # under the lock: `current` stays put
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
        try:
            digest, triples = write_lines(lines, tmp / "graph.nq")
            _checkpoint("graph-written")
            manifest = _manifest(digest, triples, counts, base)
            reuse = chosen.previous / "exports" if isinstance(chosen, Plan) else None
            last = chosen.manifest.get("graphs") if isinstance(chosen, Plan) else None
            files = write_graph_files(tmp / "exports", per_graph, base, reuse, last)
            job = dict(manifest, graph_files=files)  # what the index and VoID list of them
            exports.begin(tmp / "graph.nq", tmp / "exports", job, reuse)
            record, followed = load_store(tmp, lines, per_graph, chosen, inputs, progress, warm)
            manifest.update(record)  # after the exports took theirs: they never see it
            del lines  # before validating: at a million quads they hold a gigabyte
            _checkpoint("store-loaded")
            onto = per_graph.get(f"<{ONTOLOGY_IRI}>", (None, ""))[0]
            schema = warm.schema_of(followed.manifest["build_id"]) if followed else None
            stage = validation_stage(tmp / "store", validate, followed, progress, onto, schema)
            manifest.update(stage[0])
            final = _finish(tmp, builds, manifest, exports, progress)
        except BaseException:
            if isinstance(chosen, Plan):
                chosen.store = None  # closed before its directory goes
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if o.publish:
            store.publish(instance, final)
            _checkpoint("published")
            warm.publish(manifest["build_id"], digest, per_graph, stage[1])
            progress(f"Published build {manifest['build_id']}.")
        if full and warm.retain:
            _WARM.adopt(warm)
    return BuildResult(
        final, manifest["build_id"], manifest["version"], triples, counts, manifest["validation"]
    )


def _manifest(digest: str, triples: int, counts: dict[str, int], base: str) -> dict:
    """The build's id, version and description, named after its graph's digest."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return {
        "build_id": f"{stamp}-{digest[:8]}",
        "version": f"{dist_version('diplograph')}+{digest[:12]}",
        "base": base,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "triples": triples,
        "counts": counts,
        "sha256": digest,
    }


def _finish(tmp: Path, builds: Path, manifest: dict, exports: ExportProcess, progress) -> Path:
    """Write the manifest, wait for the exports, then rename the build into place."""
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    progress("Writing the exports...")
    try:
        exports.wait()
    except ExportFailed as exc:
        raise BuildError(str(exc)) from exc
    _checkpoint("exports-written")
    final = builds / manifest["build_id"]
    os.replace(tmp, final)
    _checkpoint("renamed")
    return final
