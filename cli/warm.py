"""What a long-lived process keeps from its last build, so the next one redoes less.

`serve --watch` (and any caller of `build()` in a loop) builds again and again in one
process; most of the corpus is the same from one save to the next. What is kept is
keyed on the content it was made from and compared whole on use, so a hit gives
exactly what the work would have given:

- per named graph, keyed on the triples it was emitted with: the entailments added to it,
  its sorted N-Quads lines and their digest (a graph's entailments depend on that graph
  and the ontology alone: loaders/entailment.py);
- the published build's lines per graph, keyed on its id and graph digest, so an
  incremental build need not read the last graph.nq again for the graphs it changes;
- each curated file's parsed values, keyed on its bytes, and its emission (triples, and
  what it read and wrote of the tables files share), replayed when the file's bytes and
  everything it read are the same (loaders/units.py).

A full build (`build(full=True)`) reads none of it: it is the reference incremental builds
are compared with, so a fault here cannot hide on both sides of the comparison. It leaves
its own results for the builds after it. A process that builds once (the `build`
command: `build(once=True)`) notes none of it, since no build follows: at 1M quads the
notes cost a third of the build's memory (docs/benchmarks.md).

The export process is kept too, idle between builds (exports/process.py): only its
interpreter and imports, for it keeps nothing from one job to the next. So is the OWL
Schema read from the published build's store, for the builds copied from that store.
"""

from __future__ import annotations

import hashlib

from diplograph.exports.process import ExportProcess
from diplograph.loaders.entailment import Entailer
from diplograph.loaders.quads import Quads, graph_lines
from diplograph.loaders.units import Units

#: One graph's work: the entailed triples added, its sorted lines, their SHA-256.
Done = tuple[frozenset, list[str], str]


class Warm:
    """The last build's reusable work (see the module's docstring)."""

    def __init__(self, retain: bool = True) -> None:
        #: False in a process that builds once (the `build` command): nothing is noted for
        #: a next build, so the build holds its own data alone (a third less at 1M quads)
        self.retain = retain
        self.graphs: dict[frozenset, Done] = {}
        self.published: tuple[tuple[str, str], dict[str, list[str]]] | None = None
        self.parsed: dict[str, tuple[bytes, object]] | None = {} if retain else None
        self.units: Units | None = Units() if retain else None
        self.exports: ExportProcess | None = None
        self.schema: tuple[str, object] | None = None  # (build id, the Schema of its store)

    def export_process(self) -> ExportProcess:
        """The export process the last build left, if it can take a job; else a new one.
        It keeps nothing from one job to the next (exports/process.py): a fresh one gives
        the same files, so a full build may take it too."""
        kept, self.exports = self.exports, None
        if kept is not None and kept.ready():
            return kept
        if kept is not None:
            kept.stop()
        return ExportProcess()

    def keep(self, exports: ExportProcess) -> None:
        """Keep `exports` for the next build, if it can take a job (one is kept)."""
        if self.exports is not None and self.exports is not exports:
            self.exports.stop()
        self.exports = exports if exports.ready() else None
        if self.exports is None:
            exports.stop()

    def finish(self, quads: Quads, rules: Entailer) -> dict[str, tuple[list[str], str]]:
        """Add each graph's entailments to it and write its lines: {"<graph>": (sorted
        lines, SHA-256 of them)}, for the graphs that hold any triple. A graph emitted with
        the same triples as in the last build takes that build's work."""
        text: dict = {}  # terms already written, shared by the graphs made again
        kept: dict[frozenset, Done] = {}  # only this build's: memory stays one build's
        out = {}
        for name, triples in quads.graphs.items():
            key = frozenset(triples) if self.retain else None
            done = self.graphs.get(key)  # empty when nothing is retained
            if done is None:
                added = frozenset(rules.entailed(triples) - triples)
                triples |= added
                lines = graph_lines(name, triples, text)
                digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
                done = (added, lines, digest)
            else:
                triples |= done[0]
            if self.retain:
                kept[key] = done
            if done[1]:
                out[f"<{name}>"] = (done[1], done[2])  # the graph term as the lines write it
        self.graphs = kept
        return out

    def lines_of(self, build_id: str, sha256: str) -> dict[str, list[str]] | None:
        """The lines per graph of the build `build_id` with graph digest `sha256`, if it
        is the one this process published last."""
        if self.published is not None and self.published[0] == (build_id, sha256):
            return self.published[1]
        return None

    def publish(
        self, build_id: str, sha256: str, graphs: dict[str, tuple[list[str], str]], schema=None
    ):
        """Keep the published build's lines, and the OWL Schema read from its store."""
        if not self.retain:
            return
        self.published = ((build_id, sha256), {g: lines for g, (lines, _d) in graphs.items()})
        self.schema = None if schema is None else (build_id, schema)

    def schema_of(self, build_id: str):
        """The OWL Schema (ontology/owl_schema.py) read from the store of build `build_id`,
        if this process published it. A store copied from that one (an incremental build's)
        has the same ontology graph, blank nodes and all, so the same Schema; a freshly
        loaded store labels its blank nodes anew, and HermiT's input is written with them."""
        if self.schema is not None and self.schema[0] == build_id:
            return self.schema[1]
        return None

    def adopt(self, other: Warm) -> None:
        """Take another Warm's contents (a full build's, made without reading this one)."""
        self.graphs, self.published = other.graphs, other.published
        self.parsed, self.units, self.schema = other.parsed, other.units, other.schema
