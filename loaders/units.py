"""Emission file by file and record by record, with what each read and wrote, so a later
build in the same process replays what would come out the same.

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
named, the file).

The same holds record by record, each record a unit of its own under its file's: when a
file is not replayed whole, each record whose text (its lines, first line, file, kind and
source) and reads are the same is replayed, and only the others are emitted again. A
unit that met a problem, or iterated a table, is never kept.

Values of `definitions` are records: noted as their record's text, which names the same
record in any build, whatever else its file holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

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


@dataclass
class FileUnit:
    """A file's record units, in order, and what the file read as a whole (the first value
    of each key any of them touched): the check that replays the file in one go."""

    reads: dict
    units: list[Unit]


class Units:
    """The last build's units: by (pass, file, digest) a file's, by (pass, record text) each
    record's. Only the last build's are kept."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, str, str], FileUnit] = {}
        self.records: dict[tuple[str, tuple], Unit] = {}
        self.texts: dict[tuple[str, str], list[tuple]] = {}  # (file, digest) -> record texts
        self.context: tuple = ()
        self._next: tuple[dict, dict] = ({}, {})

    def begin(self, emitter) -> None:
        """Start a build: units of another vocabulary or base are never replayed."""
        vocab, base = emitter.vocab, str(emitter.ID)
        if not self.context or self.context[0] is not vocab or self.context[1] != base:
            self.files, self.records = {}, {}
        self.context, self._next = (vocab, base), ({}, {})
        self._tables = _Tables(emitter, self.texts)
        self.texts = self._tables.texts_by_file

    def end(self) -> None:
        self.files, self.records = self._next
        self._next, self._tables = ({}, {}), None

    def run(self, emitter, name: str, records: list[Record], handle: Callable) -> bool:
        """Emit `records` (one file's) with `handle`, replaying the last build's units that
        still hold: the whole file's when its bytes and all it read are the same; else each
        record's whose text and reads are. Returns whether the whole file was replayed."""
        cur: Curated = emitter.cur
        key = (name, records[0].file, cur.digests.get(records[0].file, ""))
        tables, (files, kept) = self._tables, self._next
        whole = self.files.get(key)
        if whole is not None and all(tables.now(k, v) == v for k, v in whole.reads.items()):
            for unit, rec in zip(whole.units, records, strict=True):
                tables.replay(unit)
                kept[(name, tables.text(rec))] = unit
            files[key] = whole
            return True
        units: list[Unit | None] = []
        for rec in records:
            text = (name, tables.text(rec))
            unit = self.records.get(text)
            if unit is not None and all(tables.now(k, v) == v for k, v in unit.reads.items()):
                tables.replay(unit)
            else:
                unit, failed = tables.record([rec], handle)
                unit = None if unit.whole or failed else unit
            if unit is not None:
                kept[text] = unit
            units.append(unit)
        if None not in units:
            reads: dict = {}
            for unit in units:
                for k, v in unit.reads.items():
                    reads.setdefault(k, v)  # the file's first touch of each key
            files[key] = FileUnit(reads, units)
        return False


class _Tables:
    """The emitter's shared tables: their values now, and a unit run or replayed on them."""

    def __init__(self, emitter, last_texts: dict[tuple[str, str], list[tuple]]):
        self.emitter, self.cur = emitter, emitter.cur
        cur = self.cur
        #: each record's text, as (file, kind, source, first line, digest of its lines):
        #: the same record in any build, whatever else its file holds
        self.texts: dict[int, tuple] = {}
        self.texts_by_file: dict[tuple[str, str], list[tuple]] = {}
        for file, group in groupby(cur.records, key=attrgetter("file")):
            records = list(group)
            key = (file, cur.digests.get(file, ""))
            found = last_texts.get(key)
            if found is None or len(found) != len(records):
                found = _record_texts(cur.texts.get(file, b""), records)
            self.texts_by_file[key] = found
            self.texts.update(zip(map(id, records), found, strict=True))
        self.live = {
            "definitions": cur.definitions,
            "labels": cur.labels,
            "types": cur.types,
            "source_dates": emitter.source_dates,
            "excerpt_nodes": emitter.excerpt_nodes,
            "excerpt_uses": emitter.excerpt_uses,
        }

    def text(self, rec: Record) -> tuple:
        return self.texts[id(rec)]

    def _record_fp(self, rec) -> object:
        return _ABSENT if rec is _ABSENT else self.texts[id(rec)]

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


def _record_texts(raw: bytes, records: list[Record]) -> list[tuple]:
    """Each of one file's records (in file order) as (file, kind, source, first line, digest
    of its lines): its lines run from its first to the next record's first (the last to the
    file's end). Anchors and aliases are refused (yamlsrc.py), so a record's values and
    their lines are a function of these; comments and blank lines between records only
    make a record differ where it need not."""
    lines = raw.split(b"\n")
    starts = [r.line for r in records] + [len(lines) + 1]
    return [
        (
            r.file,
            r.kind,
            r.source_id,
            first,
            hashlib.blake2b(b"\n".join(lines[first - 1 : after - 1]), digest_size=16).digest(),
        )
        for r, first, after in zip(records, starts, starts[1:], strict=False)
    ]
