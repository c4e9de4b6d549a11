"""Emission file by file, with what each file read and wrote, so a later build in the
same process replays the files whose emission would come out the same.

A curated file's RDF depends on its own text and on a few shared tables: which ids are
defined and by which record (`definitions`), their types and labels, the sources'
publication dates, and the excerpt nodes and uses already made. While a file is emitted,
those tables are read through proxies that note the first value each key had (and the
writes the file makes: a statement's derived label, a source's date, an excerpt node);
its triples go to a set of graphs of its own. A later build replays the file, adding its
triples and writes without running the emitter, when the file's bytes are the same, the
vocabulary and base are the same objects, and every noted key still has the value the
file saw. A file's emission is a function of exactly these, so the replay gives exactly
what running it would: only unchanged files that read nothing that changed are replayed
(a relabelled entity re-emits the files naming it; a new definition of an id a file
named, the file). A file that met a problem, or iterated a table, is never kept.

Values of `definitions` are records: noted as (file, its digest, its place in the file),
which names the same record in any build of the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from diplograph.loaders.curated import Curated, Record
from diplograph.loaders.quads import Quads

_ABSENT = ("absent",)  # a key missing from its table (a tuple: compared by value)
_WRITTEN = ("written",)  # first touched by the file's own write: not a dependency


@dataclass
class Unit:
    """One file's emission: what it read (first values), wrote, and the triples it made."""

    reads: dict[tuple[str, object], object] = field(default_factory=dict)
    writes: list[tuple[str, object, object]] = field(default_factory=list)
    quads: dict = field(default_factory=dict)
    excerpts: list = field(default_factory=list)
    whole: bool = False  # a table was iterated: every key was read


class _Map:
    """A dict read and written through a unit's log."""

    __slots__ = ("_name", "_target", "_unit", "_fp")

    def __init__(self, name: str, target: dict, unit: Unit, fp: Callable):
        self._name, self._target, self._unit, self._fp = name, target, unit, fp

    def _note(self, key) -> None:
        noted = (self._name, key)
        if noted not in self._unit.reads:
            self._unit.reads[noted] = self._fp(self._target.get(key, _ABSENT))

    def get(self, key, default=None):
        self._note(key)
        return self._target.get(key, default)

    def __contains__(self, key) -> bool:
        self._note(key)
        return key in self._target

    def __getitem__(self, key):
        self._note(key)
        return self._target[key]

    def __setitem__(self, key, value) -> None:
        self._unit.reads.setdefault((self._name, key), _WRITTEN)
        self._unit.writes.append((self._name, key, value))
        self._target[key] = value

    def __iter__(self):
        self._unit.whole = True
        return iter(self._target)

    def __len__(self) -> int:
        self._unit.whole = True
        return len(self._target)


class _Set:
    """A set read and added to through a unit's log."""

    __slots__ = ("_name", "_target", "_unit")

    def __init__(self, name: str, target: set, unit: Unit):
        self._name, self._target, self._unit = name, target, unit

    def __contains__(self, key) -> bool:
        noted = (self._name, key)
        if noted not in self._unit.reads:
            self._unit.reads[noted] = key in self._target
        return key in self._target

    def add(self, key) -> None:
        self._unit.reads.setdefault((self._name, key), _WRITTEN)
        self._unit.writes.append((self._name, key, None))
        self._target.add(key)


@dataclass
class _View:
    """What a unit's handlers see as `emitter.cur`."""

    definitions: _Map
    labels: _Map
    types: _Map
    data_dir: object


class Units:
    """The last build's units, keyed on (pass, file, digest); only the last build's kept."""

    def __init__(self) -> None:
        self.done: dict[tuple[str, str, str], Unit] = {}
        self.context: tuple = ()
        self._next: dict[tuple[str, str, str], Unit] = {}

    def begin(self, emitter) -> None:
        """Start a build: units of another vocabulary or base are never replayed."""
        vocab, base = emitter.vocab, str(emitter.ID)
        if not self.context or self.context[0] is not vocab or self.context[1] != base:
            self.done = {}
        self.context, self._next = (vocab, base), {}
        self._tables = _Tables(emitter)

    def end(self) -> None:
        self.done, self._next, self._tables = self._next, {}, None

    def run(self, emitter, name: str, records: list[Record], handle: Callable) -> bool:
        """Emit `records` (one file's) with `handle`, replaying the last build's unit when
        it still holds. Returns whether it was replayed."""
        cur: Curated = emitter.cur
        key = (name, records[0].file, cur.digests.get(records[0].file, ""))
        tables = self._tables
        unit = self.done.get(key)
        if unit is not None and all(tables.now(k, v) == v for k, v in unit.reads.items()):
            tables.replay(unit)
            self._next[key] = unit
            return True
        unit, failed = tables.record(records, handle)
        if not unit.whole and not failed:
            self._next[key] = unit
        return False


class _Tables:
    """The emitter's shared tables: their values now, and a unit run or replayed on them."""

    def __init__(self, emitter):
        self.emitter, self.cur = emitter, emitter.cur
        cur = self.cur
        #: each record as (file, digest, place in file): the same record in any build of
        #: the same bytes
        self.places: dict[int, tuple] = {}
        counted: Counter = Counter()
        for r in cur.records:
            self.places[id(r)] = (r.file, cur.digests.get(r.file, ""), counted[r.file])
            counted[r.file] += 1
        self.live = {
            "definitions": cur.definitions,
            "labels": cur.labels,
            "types": cur.types,
            "source_dates": emitter.source_dates,
            "excerpt_nodes": emitter.excerpt_nodes,
            "excerpt_uses": emitter.excerpt_uses,
        }

    def _record_fp(self, rec) -> object:
        return _ABSENT if rec is _ABSENT else self.places[id(rec)]

    def _fp(self, table: str) -> Callable:
        if table == "definitions":
            return self._record_fp
        if table == "types":
            return lambda v: v if v is _ABSENT else tuple(v)
        return lambda v: v

    def now(self, noted: tuple, was) -> object:
        if was is _WRITTEN:
            return was
        table, key = noted
        target = self.live[table]
        if isinstance(target, set):
            return key in target
        return self._fp(table)(target.get(key, _ABSENT))

    def replay(self, unit: Unit) -> None:
        for table, key, value in unit.writes:
            target = self.live[table]
            if isinstance(target, set):
                target.add(key)
            else:
                target[key] = value
        self._add_output(unit)

    def _add_output(self, unit: Unit) -> None:
        """A unit's triples and excerpt uses, added to the emitter's (run or replayed)."""
        for name, triples in unit.quads.items():
            self.emitter.ds.graph(name).update(triples)
        self.emitter.excerpts.extend(unit.excerpts)

    def record(self, records: list[Record], handle: Callable) -> tuple[Unit, bool]:
        """Run the handler on each record with the tables behind proxies; the unit's triples
        in graphs of its own, then merged into the emitter's."""
        emitter, unit, cur = self.emitter, Unit(), self.cur
        saved = (emitter.cur, emitter.ds, emitter.problems, emitter.excerpts)
        saved += (emitter.source_dates, emitter.excerpt_nodes, emitter.excerpt_uses)
        emitter.cur = _View(
            *(_Map(t, self.live[t], unit, self._fp(t)) for t in ("definitions", "labels", "types")),
            cur.data_dir,
        )
        emitter.ds, emitter.problems, emitter.excerpts = Quads(), [], []
        emitter.source_dates = _Map(
            "source_dates", self.live["source_dates"], unit, self._fp("source_dates")
        )
        emitter.excerpt_nodes = _Set("excerpt_nodes", self.live["excerpt_nodes"], unit)
        emitter.excerpt_uses = _Set("excerpt_uses", self.live["excerpt_uses"], unit)
        try:
            for rec in records:
                handle(rec)
            made, problems, excerpts = emitter.ds, emitter.problems, emitter.excerpts
        finally:
            (emitter.cur, emitter.ds, emitter.problems, emitter.excerpts) = saved[:4]
            (emitter.source_dates, emitter.excerpt_nodes, emitter.excerpt_uses) = saved[4:]
        unit.quads, unit.excerpts = made.graphs, excerpts
        emitter.problems.extend(problems)
        self._add_output(unit)  # its writes went to the live tables as it ran
        return unit, bool(problems)
