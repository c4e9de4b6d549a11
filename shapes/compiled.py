"""Core SHACL compiled to SPARQL and run on an Oxigraph store, with pyshacl's results.

pyshacl walks every focus node in Python over an rdflib graph: a minute and
several GB at a million quads. Here each constraint of a shape becomes one
SPARQL query over all its focus nodes, run on the build's store, whose
default graph holds the merge of every graph, the ontology's included, as
pyshacl mixes the ontology it is given into the data (merged_default_graph).
Only the constraint components our shapes use are compiled; any other raises
UnsupportedShape rather than being skipped (shape_reader).

This module turns the top-level shapes into queries and their rows into
results; the pieces live apart: targets.py (focus nodes), value_constraints.py
(what a node must be), literal_rules.py (pyshacl's rules for literal values,
judged once per distinct value), query_text.py (the SPARQL they are written in).

One difference stays: values are reported (and counted) as the store holds
them, and Oxigraph writes valid numbers and dates in canonical form
("01"^^xsd:integer is "1", so "1" and "01" are one value), where rdflib keeps
each spelling. The loader writes canonical literals, so the build never sees it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from diplograph.loaders.merge import add_merge
from diplograph.ontology.terms import to_rdflib
from diplograph.shapes.literal_rules import less_or_equal
from diplograph.shapes.query_text import (
    Context,
    distinct_values,
    focus_nodes,
    sparql_term,
    with_count,
)
from diplograph.shapes.results import Result, UnsupportedShape
from diplograph.shapes.shape_reader import COUNT, TARGETS, ShapeReader
from diplograph.shapes.targets import Targets
from diplograph.shapes.value_constraints import ValueConstraints

__all__ = ["Compiler", "Result", "UnsupportedShape", "merged_default_graph", "validate"]

# Up to this many values, "at least n" is n distinct values joined per focus node; above,
# the values are counted per subject of the path.
_JOINED_MIN_COUNT = 4


@dataclass
class _Check:
    """One query whose rows are results: ?this, and ?value when the result has one."""

    query: str
    shape: object
    path: object
    messages: list[str]
    severity: URIRef
    with_value: bool


@dataclass
class _Test:
    """A test of each focus node of a shape: its own value constraints, or a minimum count."""

    ok: str  # an expression on ?this
    shape: object
    path: object  # None for the node shape's own constraints, whose value is the focus node
    messages: list[str]
    severity: URIRef


@dataclass
class _FocusCheck:
    """One query over a shape's focus nodes, with one ?okN per test: false is a result."""

    query: str
    tests: list[_Test]


class Compiler:
    """Turns the shapes into queries against one store (some literals judged on the way).

    Queries read the store's default graph, which must hold the merge of every
    graph, the ontology's included (merged_default_graph).
    """

    def __init__(self, shapes: Graph, store: ox.Store):
        self.shapes = shapes
        self.store = store
        self.reader = ShapeReader(shapes)
        self.focus = Targets(self.reader, store)
        self.value = ValueConstraints(self.reader, self.focus, store)
        if next(shapes.subjects(RDF.type, SH.ConstraintComponent), None) is not None:
            raise UnsupportedShape("custom constraint components (sh:ConstraintComponent)")

    def select(self, query: str):
        return self.store.query(query)

    def targets(self, shape) -> str | None:
        """A group pattern binding ?this to every focus node of `shape` (None: it has none)."""
        return self.focus.targets(shape)

    def checks(self) -> list[_Check | _FocusCheck]:
        """The queries for every active shape that has targets."""
        read = self.reader
        found: list = []
        shapes = {s for p in TARGETS for s in self.shapes.subjects(p, None)}
        for shape in sorted(shapes, key=str):
            read.check_known(shape, top=True)
            if read.one(shape, SH.path) is not None:
                raise read.refuse(shape, "a property shape with targets")
            if read.deactivated(shape):
                continue
            targets = self.targets(shape)
            if targets is None:
                continue
            tests = self.node_tests(shape, targets)
            for prop in read.values(shape, SH.property):
                read.check_known(prop, top=False)
                if not read.deactivated(prop):
                    found += self.property_checks(prop, targets, tests)
            if tests:
                found.append(_focus_check(targets, tests))
        return found

    def node_tests(self, shape, targets: str) -> list[_Test]:
        """A node shape's own constraints: its value node is the focus node."""
        read = self.reader
        if any(read.values(shape, p) for p in COUNT | {SH.lessThanOrEquals}):
            raise read.refuse(shape, "count or pair constraints without sh:path")
        found = self.value.value_ok(shape, "?this", Context(targets))
        if not found:
            return []
        messages, severity = read.messages(shape), read.severity(shape)
        return [_Test(ok, shape, None, messages, severity) for ok in found]

    def property_checks(self, prop, targets: str, tests: list[_Test]) -> list[_Check]:
        """A property shape's constraints, each over every value its path reaches.

        Value constraints hang on the value alone: they are judged once per
        distinct value of the path (whoever's it is), and only the failures are
        joined back to the focus nodes that have them. Too many values are counted
        per subject of the path, then matched with the focus nodes; too few are
        looked up per focus node, in `tests`, which share one pass over them.
        """
        read = self.reader
        path = read.one(prop, SH.path)
        if path is None:
            raise read.refuse(prop, "a property shape needs one sh:path")
        if read.values(prop, SH.property):
            raise read.refuse(prop, "sh:property inside a property shape")
        step = read.path(path)
        messages, severity = read.messages(prop), read.severity(prop)

        def check(query: str, with_value: bool) -> _Check:
            return _Check(query, prop, path, messages, severity, with_value)

        found = []
        low, high = read.one(prop, SH.minCount), read.one(prop, SH.maxCount)
        if low is not None and 0 < int(low) <= _JOINED_MIN_COUNT:
            enough = distinct_values("?this", step, int(low), Context(""))
            tests.append(_Test(f"EXISTS {{ {enough} }}", prop, path, messages, severity))
        elif low is not None and int(low) > _JOINED_MIN_COUNT:
            enough = with_count(step, f">= {int(low)}")
            missing = f"SELECT ?this WHERE {{ {focus_nodes(targets)} MINUS {enough} }}"
            found.append(check(missing, False))
        if high is not None:
            too_many = with_count(step, f"> {int(high)}")
            found.append(
                check(f"SELECT ?this WHERE {{ {too_many} FILTER EXISTS {{ {targets} }} }}", False)
            )
        found += [check(q, True) for q in self.value_queries(prop, step, targets)]
        found += [check(q, True) for q in self.pair_queries(prop, step, targets)]
        return found

    def value_queries(self, prop, step: str, targets: str) -> list[str]:
        """A query per value constraint: the failing distinct values, joined to focus nodes."""
        found = []
        ctx = Context(f"?_s {step} ?value .")
        for ok in self.value.value_ok(prop, "?value", ctx):
            values = f"SELECT DISTINCT ?value WHERE {{ ?_s {step} ?value }}"
            failing = f"SELECT ?value WHERE {{ {{ {values} }} FILTER (!{ok}) }}"
            found.append(
                f"SELECT DISTINCT ?this ?value WHERE {{ {{ {failing} }} "
                f"?this {step} ?value . FILTER EXISTS {{ {targets} }} }}"
            )
        return found

    def pair_queries(self, prop, step: str, targets: str) -> list[str]:
        """sh:lessThanOrEquals: the failing pairs judged in Python, one result per pair."""
        found = []
        for other in self.reader.values(prop, SH.lessThanOrEquals):
            if not isinstance(other, URIRef):
                raise self.reader.refuse(prop, "sh:lessThanOrEquals takes an IRI")
            pairs = f"?this {step} ?value . ?this {sparql_term(other)} ?other ."
            rows = self.select(f"SELECT DISTINCT ?value ?other WHERE {{ {pairs} }}")
            bad = [
                (row["value"], row["other"])
                for row in rows
                if not less_or_equal(to_rdflib(row["value"]), to_rdflib(row["other"]))
            ]
            if bad:
                listed = " ".join(f"({sparql_term(v)} {sparql_term(o)})" for v, o in bad)
                found.append(
                    f"SELECT DISTINCT ?this ?value ?other WHERE {{ "
                    f"VALUES (?value ?other) {{ {listed} }} {pairs} "
                    f"FILTER EXISTS {{ {targets} }} }}"
                )
        return found

    def results(self) -> list[Result]:
        found = []
        for check in self.checks():
            for row in self.select(check.query):
                focus = to_rdflib(row["this"])
                if isinstance(check, _FocusCheck):
                    found += _failed_tests(check, row, focus)
                    continue
                value = to_rdflib(row["value"]) if check.with_value else None
                found.append(
                    Result(focus, value, check.path, check.shape, check.messages, check.severity)
                )
        return found


def _failed_tests(check: _FocusCheck, row, focus) -> list[Result]:
    """The results of one focus node's row: a result per test whose ?okN is false."""
    found = []
    for i, test in enumerate(check.tests):
        if row[f"ok{i}"].value == "false":
            value = focus if test.path is None else None
            found.append(Result(focus, value, test.path, test.shape, test.messages, test.severity))
    return found


def _focus_check(targets: str, tests: list[_Test]) -> _FocusCheck:
    """One pass over the focus nodes for every test of them, each bound to ?okN."""
    binds = " ".join(f"BIND ({t.ok} AS ?ok{i})" for i, t in enumerate(tests))
    failing = " || ".join(f"!?ok{i}" for i in range(len(tests)))
    query = f"SELECT * WHERE {{ {focus_nodes(targets)} {binds} FILTER ({failing}) }}"
    return _FocusCheck(query, tests)


@contextmanager
def merged_default_graph(store: ox.Store):
    """Make the store's default graph the merge of its graphs for the time of the block.

    Oxigraph's union default graph repeats a triple once per graph that holds it,
    and joins multiply the repeats: a node that a few hundred sources mention
    turns a 1 ms query into a minute at a million quads. The build's store
    already keeps the merge in its default graph (store.embedded.load_nquads);
    a store whose default graph is empty gets it here, and loses it after.
    """
    added = add_merge(store)
    try:
        yield store
    finally:
        if added:
            store.clear_graph(ox.DefaultGraph())


def validate(shapes: Graph, store: ox.Store) -> list[Result]:
    """Every core SHACL result of the shapes over the store (SPARQL constraints aside)."""
    with merged_default_graph(store):
        return Compiler(shapes, store).results()
