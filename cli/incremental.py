"""Incremental builds: reuse the last published build for the named graphs that did not change.

What decides (recorded in each manifest under "inputs", so the next build can compare):

- a hash of everything global by nature: sources.yaml, disagreements.yaml, the entity
  files, the ontology, the shapes and violation queries, the code, the source texts and the
  build options. Any difference there means a full build;
- a hash per facts file (data/facts/<source>.yaml). When only these differ, the build is
  incremental.

An incremental build still reads and emits every file (the emitter resolves references
across files, labels and extensions, so a graph's quads are not a function of its own file
alone), then compares each named graph's digest with the last build's ("graphs" in the
manifest): only the graphs whose quads differ are changed in a copy of the last store
(Oxigraph's backup, hard links to its immutable files) in one SPARQL update, which also
keeps the stored merge (the default graph) right when a triple leaves its last graph.
Entailments are materialised inside each named graph from that graph alone
(loaders/entailment.py), so a changed graph's entailments come with its new quads.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import version as dist_version
from pathlib import Path

import pyoxigraph as ox

from diplograph.ontology import ONTOLOGY_DIR
from diplograph.ontology.hermit import run_hermit
from diplograph.shapes import SHAPES_DIR
from diplograph.store import load_nquads
from diplograph.store.builds import current_build

#: The code a build's output depends on (hashed as "code"): not the server's or the CLI's.
_CODE = Path(__file__).resolve().parent.parent
_CODE_GLOBS = (
    "loaders/*.py",
    "ontology/*.py",
    "shapes/*.py",
    "exports/*.py",
    "queries/**/*.rq",
    "data/*.py",
    "store/embedded.py",
    "store/merge.py",
    "store/nquads.py",
    "store/formats.py",
    "cli/build.py",
    "cli/incremental.py",
    "cli/warm.py",
    "cli/validation.py",
)
_GLOBAL_DATA = ("sources.yaml", "disagreements.yaml")


class FullBuildNeeded(Exception):
    """The change cannot be applied to the last build: the caller builds in full."""


def _hash_files(paths: Iterable[Path], root: Path, digest) -> None:
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def input_hashes(data_dir: Path, sources_dir: Path | None, options: dict) -> dict:
    """{"global": hex, "facts": {file stem: hex}}: what the next build compares."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    digest.update(dist_version("diplograph").encode())
    data_dir = Path(data_dir)
    _hash_files([data_dir / name for name in _GLOBAL_DATA], data_dir, digest)
    _hash_files((data_dir / "entities").glob("*"), data_dir, digest)
    for folder in (ONTOLOGY_DIR, SHAPES_DIR):  # their data files (their code is below)
        files = [p for p in Path(folder).rglob("*") if p.suffix not in (".py", ".pyc")]
        _hash_files(files, Path(folder), digest)
    for pattern in _CODE_GLOBS:
        _hash_files(_CODE.glob(pattern), _CODE, digest)
    if sources_dir is not None and Path(sources_dir).is_dir():
        _hash_files(Path(sources_dir).glob("*"), Path(sources_dir), digest)
    facts = {
        path.stem: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((data_dir / "facts").glob("*.yaml"))
    }
    return {"global": digest.hexdigest(), "facts": facts}


def graph_of(line: str) -> str:
    """The graph term of an N-Quads line written by the build (`<iri>`, the last term)."""
    return line[line.rindex(" <", 0, len(line) - 3) + 1 : -3]


@dataclass
class Plan:
    """What an incremental build reuses: the last build and the graphs to change in it."""

    previous: Path
    manifest: dict
    changed: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # the facts files that differ
    merge: tuple[list[str], list[str]] = ([], [])  # triples that left and joined the merge
    store: ox.Store | None = None  # the updated store, still open: validation reads it next

    def record(self) -> dict:
        return {
            "mode": "incremental",
            "from": self.manifest["build_id"],
            "changed_facts": self.facts,
            "changed_graphs": self.changed,
        }


def plan(instance: Path, inputs: dict, full: bool) -> Plan | str:
    """The plan of an incremental build, or why this one must be full."""
    if full:
        return "--full asked"
    previous = current_build(instance)
    if previous is None or not (previous / "manifest.json").is_file():
        return "no published build"
    manifest = json.loads((previous / "manifest.json").read_text())
    old = manifest.get("inputs")
    if not old or "graphs" not in manifest:
        return "the published build records no inputs"
    if manifest.get("validation", {}).get("skipped"):
        return "the published build was not validated"
    if old["global"] != inputs["global"]:
        return "a global input changed (entities, sources, disagreements, ontology, shapes, code)"
    names = set(old["facts"]) | set(inputs["facts"])
    facts = sorted(n for n in names if old["facts"].get(n) != inputs["facts"].get(n))
    return Plan(previous, manifest, facts=facts)


def old_lines(nq: Path, graphs: set[str]) -> dict[str, set[str]]:
    """The lines of `graphs` in a build's graph.nq."""
    found: dict[str, set[str]] = {g: set() for g in graphs}
    with open(nq, encoding="utf-8") as handle:
        for line in handle:
            g = graph_of(line)
            if g in found:
                found[g].add(line)
    return found


def _triple(line: str) -> str:
    return line[: line.rindex(" <", 0, len(line) - 3)]


def update_store(
    previous: Path, target: Path, old: dict[str, set[str]], new: dict[str, set[str]]
) -> tuple[ox.Store, list[str], list[str]]:
    """Copy the last build's store to `target` and change the graphs of `old`/`new` in it.

    One SPARQL update, so one transaction: the named graphs' removed and added quads, and
    the merge (default graph): a triple leaves it only when no named graph holds it any
    more. Returns the store, still open (validation reads it next: opening costs more than
    the update), and the triples (N-Triples text) that left the merge and those that joined
    it (held before by no graph): exactly what changed in what validation reads.
    """
    removed = [line for g in old for line in old[g] - new.get(g, set())]
    added = [line for g in new for line in new[g] - old.get(g, set())]
    if any("_:" in line for line in removed + added):
        raise FullBuildNeeded("a changed graph holds blank nodes (DELETE DATA cannot name them)")
    ox.Store.read_only(str(previous / "store")).backup(str(target))
    store = ox.Store(str(target))
    # a triple is in a graph's lines as "<triple> <graph> .\n": looked up, not collected
    leaving = sorted({t for t in map(_triple, removed) if not _in_any(t, new)})
    gone = _unheld(store, leaving, set(old) | set(new))
    insert_merge = sorted({_triple(line) for line in added})
    fresh = [t for t in insert_merge if not _in_any(t, old)]  # held before by no changed graph
    joined = _unheld(store, fresh, set(old) | set(new))
    store.update(
        f"DELETE DATA {{ {_data(removed)} {''.join(t + ' . ' for t in gone)} }} ;\n"
        f"INSERT DATA {{ {_data(added)} {''.join(t + ' . ' for t in insert_merge)} }}"
    )
    store.flush()
    return store, gone, joined


def _in_any(triple: str, graphs: dict[str, set[str]]) -> bool:
    """Whether one of `graphs` (graph term -> its lines) holds `triple` (N-Triples text)."""
    return any(f"{triple} {g} .\n" in lines for g, lines in graphs.items())


def _data(lines: list[str]) -> str:
    return " ".join(f"GRAPH {graph_of(line)} {{ {_triple(line)} . }}" for line in lines)


def _unheld(store: ox.Store, triples: list[str], changed: set[str]) -> list[str]:
    """The triples (N-Triples text) that no named graph outside `changed` holds."""
    if not triples:
        return []
    parsed = ox.parse("".join(t + " .\n" for t in triples), format=ox.RdfFormat.N_TRIPLES)
    gone = []
    for text, triple in zip(triples, parsed, strict=True):
        held = any(
            not isinstance(q.graph_name, ox.DefaultGraph) and str(q.graph_name) not in changed
            for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
        )
        if not held:
            gone.append(text)
    return gone


def load_store(
    tmp: Path,
    lines: list[str],
    graphs: dict[str, tuple[list[str], str]],
    chosen: Plan | str,
    inputs: dict,
    progress,
    warm=None,
) -> tuple[dict, Plan | None]:
    """Fill `tmp/store`: a copy of the last build's store with the changed graphs changed,
    or (a full build, or a change the update cannot make) a fresh bulk load of every line.
    `graphs`: each graph's sorted lines and their digest; `warm` (cli/warm.py) may hold
    the last build's lines, read from its graph.nq otherwise.

    Returns what the manifest records about it, and the plan if one was followed.
    """
    record = {"inputs": inputs, "graphs": {g: d for g, (_lines, d) in sorted(graphs.items())}}
    if isinstance(chosen, Plan):
        before, after = chosen.manifest["graphs"], record["graphs"]
        chosen.changed = sorted(
            g for g in before.keys() | after.keys() if before.get(g) != after.get(g)
        )
        progress(
            f"Updating a copy of build {chosen.manifest['build_id']}: "
            f"{len(chosen.changed)} changed graph(s) of {len(after)}..."
        )
        try:
            old = _old_lines(chosen, warm)
            new = {g: set(graphs[g][0]) if g in graphs else set() for g in chosen.changed}
            chosen.store, *merge = update_store(chosen.previous, tmp / "store", old, new)
            chosen.merge = tuple(merge)
            record["reused"] = chosen.record()
            return record, chosen
        except (FullBuildNeeded, SyntaxError) as exc:  # SyntaxError: a line SPARQL refused
            shutil.rmtree(tmp / "store", ignore_errors=True)
            chosen = f"the update could not be made ({exc})"
    progress(f"Loading {len(lines)} quads into the store...")
    load_nquads(tmp / "graph.nq", tmp / "store", lines=lines)
    record["reused"] = {"mode": "full", "reason": chosen}
    return record, None


def _old_lines(chosen: Plan, warm) -> dict[str, set[str]]:
    """The last build's lines of the changed graphs: kept by this process, or read."""
    kept = warm.lines_of(chosen.manifest["build_id"], chosen.manifest["sha256"]) if warm else None
    if kept is None:
        return old_lines(chosen.previous / "graph.nq", set(chosen.changed))
    return {g: set(kept.get(g, ())) for g in chosen.changed}


class ReusedHermit:
    """HermiT's answer for the triples handed to it, reused from the last build when they
    are the same triples (a summary of the data changes only when a new combination of
    types and properties appears); otherwise HermiT runs. `record` goes in the manifest."""

    def __init__(self, previous: dict | None):
        self.previous = previous or {}
        self.record: dict = {}

    def __call__(self, lines: list[str]) -> tuple[bool, list[str], str]:
        digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
        if self.previous.get("sha256") == digest:
            self.record = dict(self.previous, reused=True)
            return True, [], ""
        consistent, unsat, said = run_hermit(lines)
        if consistent and not unsat:  # only a published build's answer is ever reused
            self.record = {"sha256": digest, "consistent": True}
        return consistent, unsat, said
