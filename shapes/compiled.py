"""Core SHACL compiled to SPARQL and run on an Oxigraph store, with pyshacl's results.

pyshacl walks every focus node in Python over an rdflib graph: a minute and
several GB at a million quads. Here each constraint of a shape becomes one
SPARQL query over all its focus nodes, run on the build's store, whose
default graph holds the merge of every graph, the ontology's included, as
pyshacl mixes the ontology it is given into the data (merged_default_graph).
Only the constraint components our shapes use are compiled; any other raises
UnsupportedShape rather than being skipped.

Where pyshacl's outcome hangs on rdflib's reading of a literal (is it
well-typed, how it compares, a Python regular expression), the distinct
values at stake are fetched and judged in Python with pyshacl's own rules,
and the few that fail are written into the query: the same answers, but
judged once per distinct value rather than once per focus node.

One difference stays: values are reported (and counted) as the store holds
them, and Oxigraph writes valid numbers and dates in canonical form
("01"^^xsd:integer is "1", so "1" and "01" are one value), where rdflib keeps
each spelling. The loader writes canonical literals, so the build never sees it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import count

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD

from diplograph.loaders.entailment import reachable
from diplograph.ontology.terms import to_rdflib

SH = Namespace("http://www.w3.org/ns/shacl#")

# What a shape may say besides its constraints, and the constraint parameters compiled here.
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
_ABOUT = {RDF.type, SH.message, SH.severity, SH.deactivated, SH.name, SH.description}
_ABOUT |= {SH.order, SH.group, SH.property, SH.path, SH.sparql, SH.prefixes}
_VALUE = {SH["class"], SH.nodeKind, SH.datatype, SH["in"], SH["or"], SH.minInclusive}
_VALUE |= {SH.pattern, SH.minLength}
_COUNT = {SH.minCount, SH.maxCount}
_SUPPORTED = _VALUE | _COUNT | {SH.lessThanOrEquals, SH.flags}

_NODE_KINDS = {
    SH.IRI: "isIRI({0})",
    SH.BlankNode: "isBlank({0})",
    SH.Literal: "isLiteral({0})",
    SH.BlankNodeOrIRI: "(isIRI({0}) || isBlank({0}))",
    SH.BlankNodeOrLiteral: "(isBlank({0}) || isLiteral({0}))",
    SH.IRIOrLiteral: "(isIRI({0}) || isLiteral({0}))",
}


class UnsupportedShape(ValueError):
    """A shape uses SHACL that this engine does not compile: run pyshacl on it instead."""


@dataclass
class Result:
    """One validation result, as pyshacl would report it (terms as rdflib terms)."""

    focus: object
    value: object
    path: object
    shape: object
    messages: list[str]
    severity: URIRef


def _sparql_term(term) -> str:
    """A term written into a query: IRIs and literals only (a blank node there is a variable)."""
    if isinstance(term, ox.BlankNode | BNode):
        raise UnsupportedShape(f"blank node {term} cannot be named in a query")
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)
    return term.n3()


def _any_of(var: str, terms) -> str:
    """True when `var` is one of `terms`, compared as terms (not as values)."""
    terms = sorted({_sparql_term(t) for t in terms})
    return "(" + " || ".join(f"sameTerm({var}, {t})" for t in terms) + ")" if terms else "false"


# -- pyshacl's judgement of single literals, in Python ------------------------------------


def _actual_datatype(value, datatype) -> bool:
    """pyshacl's check that a literal's Python value suits its datatype."""
    kinds = {
        XSD.string: (str, bytes),
        RDF.langString: (str, bytes),
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: date,
        XSD.time: time,
        XSD.dateTime: datetime,
    }
    kind = kinds.get(datatype)
    return True if kind is None else isinstance(value, kind)


def _well_typed(literal: Literal, datatype) -> bool:
    """sh:datatype as pyshacl judges a literal whose datatype is the one required."""
    if getattr(literal, "ill_typed", None) is True:
        return False
    return _actual_datatype(literal.value, datatype)


def _min_inclusive(literal: Literal, bound: Literal) -> bool:
    from pyshacl.rdfutil.compare import compare_literal

    if isinstance(bound.value, str) != isinstance(literal.value, str):
        return False
    try:
        return compare_literal(literal, bound) >= 0
    except (TypeError, NotImplementedError):
        return False


def _string_of(term) -> str:
    """The text sh:pattern and sh:minLength look at (pyshacl's value_node_to_string)."""
    literal = isinstance(term, Literal) and term.value is not None
    if literal and term.datatype in (None, RDF.langString, XSD.string):
        return str(term.value)
    return str(term)


def _less_or_equal(value, other) -> bool:
    """sh:lessThanOrEquals as pyshacl compares one pair of values."""
    if isinstance(value, BNode) or isinstance(other, BNode):
        raise UnsupportedShape("sh:lessThanOrEquals cannot compare a blank node")

    def plain(term):
        if isinstance(term, URIRef):
            return str(term), True
        if isinstance(term, Literal) and isinstance(term.value, str):
            return term.value, True
        return term, False

    (a, a_text), (b, b_text) = plain(value), plain(other)
    if a_text != b_text:
        return False
    return bool(a <= b)


# -- the compiler -------------------------------------------------------------------------


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


@dataclass
class _Context:
    """Where a variable gets its values: the group pattern that binds it."""

    pattern: str
    fresh: count = field(default_factory=count)

    def var(self, stem: str) -> str:
        return f"?_{stem}{next(self.fresh)}"


class Compiler:
    """Turns the shapes into queries against one store (some literals judged on the way).

    Queries read the store's default graph, which must hold the merge of every
    graph, the ontology's included (merged_default_graph).
    """

    def __init__(self, shapes: Graph, store: ox.Store):
        self.shapes = shapes
        self.store = store
        self._subclasses = _subclass_closure(store)
        if next(shapes.subjects(RDF.type, SH.ConstraintComponent), None) is not None:
            raise UnsupportedShape("custom constraint components (sh:ConstraintComponent)")

    # -- running queries

    def select(self, query: str):
        return self.store.query(query)

    def distinct(self, var: str, ctx: _Context, condition: str) -> list:
        """The distinct terms `var` takes in `ctx` that meet `condition`, as rdflib terms."""
        query = f"SELECT DISTINCT {var} WHERE {{ {ctx.pattern} FILTER ({condition}) }}"
        name = var[1:]
        return [to_rdflib(row[name]) for row in self.select(query)]

    # -- reading the shapes

    def refuse(self, node, what: str) -> UnsupportedShape:
        """The error for a shape the engine cannot compile, naming the shape and what."""
        where = str(node)
        parent = next(self.shapes.subjects(SH.property, node), None)
        if isinstance(node, BNode) and parent is not None:
            where = f"a property shape of {parent} ({self.shapes.value(node, SH.path)})"
        elif isinstance(node, BNode):
            where = "a nested shape"
        return UnsupportedShape(
            f"{where}: {what}: not supported by the compiled SHACL engine "
            "(engine='pyshacl' runs it)"
        )

    def values(self, node, predicate) -> list:
        return list(self.shapes.objects(node, predicate))

    def one(self, node, predicate):
        found = self.values(node, predicate)
        if len(found) > 1:
            raise self.refuse(node, f"more than one {predicate}")
        return found[0] if found else None

    def deactivated(self, node) -> bool:
        flag = self.one(node, SH.deactivated)
        return isinstance(flag, Literal) and bool(flag.value)

    def messages(self, node) -> list[str]:
        found = [str(m) for m in self.values(node, SH.message)]
        if not found:
            raise self.refuse(node, "no sh:message (pyshacl's generic ones are not reproduced)")
        return found

    def severity(self, node):
        return self.one(node, SH.severity) or SH.Violation

    def check_known(self, node, *, top: bool) -> None:
        for predicate in set(self.shapes.predicates(node, None)):
            if not str(predicate).startswith(str(SH)):
                continue
            if predicate in _TARGETS and not top:
                raise self.refuse(node, "targets on a nested or property shape")
            if predicate not in _TARGETS | _ABOUT | _SUPPORTED:
                raise self.refuse(node, f"{self.shapes.qname(predicate)}")
        for kind in self.values(node, RDF.type):
            if kind in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")):
                raise self.refuse(node, "implicit class targets (a shape that is a class)")

    def path(self, node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return _sparql_term(node)
        inverse = self.one(node, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        alternative = self.one(node, SH.alternativePath)
        if alternative is not None:
            return "(" + "|".join(self.path(p) for p in Collection(self.shapes, alternative)) + ")"
        if (node, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(p) for p in Collection(self.shapes, node)) + ")"
        kinds = ", ".join(sorted(self.shapes.qname(p) for p in self.shapes.predicates(node)))
        raise UnsupportedShape(
            f"a property path with {kinds}: only IRIs and inverse, alternative and sequence "
            "paths are compiled (engine='pyshacl' runs the others)"
        )

    # -- targets

    def targets(self, shape) -> str | None:
        """A group pattern binding ?this to every focus node of `shape`, or None if it has none."""
        groups = []
        classes = self.values(shape, SH.targetClass)
        if classes:
            groups.append(self.typed("?this", classes, "?_tc"))
        for prop in self.values(shape, SH.targetSubjectsOf):
            groups.append(f"?this {_sparql_term(prop)} ?_to .")
        for prop in self.values(shape, SH.targetObjectsOf):
            groups.append(f"?_ts {_sparql_term(prop)} ?this .")
        nodes = self.values(shape, SH.targetNode)
        if nodes:
            groups.append(f"VALUES ?this {{ {' '.join(_sparql_term(n) for n in nodes)} }}")
        if not groups:
            return None
        return " UNION ".join(f"{{ {g} }}" for g in groups)

    def typed(self, var: str, classes, t: str) -> str:
        """A pattern matching when `var` is an instance of one of `classes` or of a sub-class.

        pyshacl follows rdfs:subClassOf in the data (ontology included): the sub-classes
        are listed once here, unless one is a blank node, which a query cannot name.
        """
        below = set()
        for cls in classes:
            below |= {cls, *self._subclasses.get(cls, ())}
        if any(isinstance(c, BNode) for c in below):
            ways = [f"{{ {var} a/<{RDFS.subClassOf}>* {_sparql_term(c)} }}" for c in classes]
            return " UNION ".join(ways)
        return f"VALUES {t} {{ {' '.join(_sparql_term(c) for c in sorted(below))} }} {var} a {t} ."

    # -- conformance of one node, as a SPARQL expression

    def value_ok(self, shape, var: str, ctx: _Context) -> list[str]:
        """An expression for each value constraint of `shape`, true when the node `var` passes.

        The expressions raise no SPARQL error (each function is guarded by a test of
        the term's kind), so a FILTER on their negation keeps exactly the failures.
        """
        found = []
        for cls in self.values(shape, SH["class"]):
            found.append(f"EXISTS {{ {self.typed(var, [cls], ctx.var('t'))} }}")
        kind = self.one(shape, SH.nodeKind)
        if kind is not None:
            if kind not in _NODE_KINDS:
                raise self.refuse(shape, f"sh:nodeKind {kind}")
            found.append(_NODE_KINDS[kind].format(var))
        datatype = self.one(shape, SH.datatype)
        if datatype is not None:
            found.append(self.datatype_ok(datatype, var, ctx))
        listed = self.one(shape, SH["in"])
        if listed is not None:
            members = list(Collection(self.shapes, listed))
            if not all(isinstance(m, URIRef) for m in members):
                raise self.refuse(shape, "sh:in with literals (only IRIs are compiled)")
            found.append(_any_of(var, members))
        for bound in self.values(shape, SH.minInclusive):
            bad = [
                v
                for v in self.distinct(var, ctx, f"isLiteral({var})")
                if not _min_inclusive(v, bound)
            ]
            found.append(f"(isLiteral({var}) && !{_any_of(var, bad)})")
        patterns = self.values(shape, SH.pattern)
        if patterns:
            flags = 0
            for text in map(str, self.values(shape, SH.flags)[:1]):
                flags |= (re.I if "i" in text.lower() else 0) | (re.M if "m" in text.lower() else 0)
            candidates = self.distinct(var, ctx, f"!isBlank({var})")
            for pattern in patterns:
                regex = re.compile(str(pattern), flags)
                bad = [v for v in candidates if not regex.search(_string_of(v))]
                found.append(f"(!isBlank({var}) && !{_any_of(var, bad)})")
        length = self.one(shape, SH.minLength)
        if length is not None:
            n = int(length)
            ok = "true" if n == 0 else f"(!isBlank({var}) && STRLEN(STR({var})) >= {n})"
            found.append(ok)
        for options in self.values(shape, SH["or"]):
            either = [self.conforms(s, var, ctx) for s in Collection(self.shapes, options)]
            found.append("(" + " || ".join(either or ["false"]) + ")")
        return found

    def datatype_ok(self, datatype, var: str, ctx: _Context) -> str:
        if datatype == RDFS.Literal:
            return f"isLiteral({var})"
        if datatype == RDF.langString:
            return f'(isLiteral({var}) && LANG({var}) != "")'
        if datatype == RDFS.Datatype:
            raise UnsupportedShape("sh:datatype rdfs:Datatype (Oxigraph has no untyped literals)")
        same = f"(isLiteral({var}) && sameTerm(DATATYPE({var}), {_sparql_term(datatype)}))"
        if datatype == XSD.string:
            return same
        bad = [v for v in self.distinct(var, ctx, same) if not _well_typed(v, datatype)]
        return f"({same} && !{_any_of(var, bad)})"

    def conforms(self, shape, var: str, ctx: _Context) -> str:
        """An expression true when the node `var` conforms to the (nested) shape."""
        self.check_known(shape, top=False)
        if self.deactivated(shape):
            return "true"
        if self.values(shape, SH.lessThanOrEquals):
            raise self.refuse(shape, "sh:lessThanOrEquals inside sh:or")
        if self.values(shape, SH.sparql):
            raise self.refuse(shape, "SPARQL constraints inside sh:or")
        parts = []
        path = self.one(shape, SH.path)
        if path is None:
            if any(self.values(shape, p) for p in _COUNT):
                raise self.refuse(shape, "sh:minCount/maxCount without sh:path")
            parts += self.value_ok(shape, var, ctx)
        else:
            step = self.path(path)
            low, high = self.one(shape, SH.minCount), self.one(shape, SH.maxCount)
            if low is not None and int(low) > 0:
                parts.append(f"EXISTS {{ {_distinct_values(var, step, int(low), ctx)} }}")
            if high is not None:
                too_many = _distinct_values(var, step, int(high) + 1, ctx)
                parts.append(f"NOT EXISTS {{ {too_many} }}")
            value = ctx.var("v")
            inner = _Context(f"{ctx.pattern} {var} {step} {value} .", ctx.fresh)
            for ok in self.value_ok(shape, value, inner):
                parts.append(f"NOT EXISTS {{ {var} {step} {value} . FILTER (!{ok}) }}")
        for prop in self.values(shape, SH.property):
            parts.append(self.conforms(prop, var, ctx))
        return "(" + " && ".join(parts or ["true"]) + ")"

    # -- top-level shapes

    def checks(self) -> list[_Check | _FocusCheck]:
        """The queries for every active shape that has targets."""
        found: list = []
        shapes = {s for p in _TARGETS for s in self.shapes.subjects(p, None)}
        for shape in sorted(shapes, key=str):
            self.check_known(shape, top=True)
            if self.one(shape, SH.path) is not None:
                raise self.refuse(shape, "a property shape with targets")
            if self.deactivated(shape):
                continue
            targets = self.targets(shape)
            if targets is None:
                continue
            tests = self.node_tests(shape, targets)
            for prop in self.values(shape, SH.property):
                self.check_known(prop, top=False)
                if not self.deactivated(prop):
                    found += self.property_checks(prop, targets, tests)
            if tests:
                found.append(_focus_check(targets, tests))
        return found

    def node_tests(self, shape, targets: str) -> list[_Test]:
        """A node shape's own constraints: its value node is the focus node."""
        if any(self.values(shape, p) for p in _COUNT | {SH.lessThanOrEquals}):
            raise self.refuse(shape, "count or pair constraints without sh:path")
        found = self.value_ok(shape, "?this", _Context(targets))
        if not found:
            return []
        messages, severity = self.messages(shape), self.severity(shape)
        return [_Test(ok, shape, None, messages, severity) for ok in found]

    def property_checks(self, prop, targets: str, tests: list[_Test]) -> list[_Check]:
        """A property shape's constraints, each over every value its path reaches.

        Value constraints hang on the value alone: they are judged once per
        distinct value of the path (whoever's it is), and only the failures are
        joined back to the focus nodes that have them. Too many values are counted
        per subject of the path, then matched with the focus nodes; too few are
        looked up per focus node, in `tests`, which share one pass over them.
        """
        path = self.one(prop, SH.path)
        if path is None:
            raise self.refuse(prop, "a property shape needs one sh:path")
        if self.values(prop, SH.property):
            raise self.refuse(prop, "sh:property inside a property shape")
        step = self.path(path)
        messages, severity = self.messages(prop), self.severity(prop)

        def check(query, with_value):
            return _Check(query, prop, path, messages, severity, with_value)

        found = []
        low, high = self.one(prop, SH.minCount), self.one(prop, SH.maxCount)
        if low is not None and 0 < int(low) <= 4:
            enough = _distinct_values("?this", step, int(low), _Context(""))
            tests.append(_Test(f"EXISTS {{ {enough} }}", prop, path, messages, severity))
        elif low is not None and int(low) > 4:
            enough = _with_count(step, f">= {int(low)}")
            found.append(check(f"SELECT ?this WHERE {{ {_focus(targets)} MINUS {enough} }}", False))
        if high is not None:
            too_many = _with_count(step, f"> {int(high)}")
            found.append(
                check(f"SELECT ?this WHERE {{ {too_many} FILTER EXISTS {{ {targets} }} }}", False)
            )
        ctx = _Context(f"?_s {step} ?value .")
        for ok in self.value_ok(prop, "?value", ctx):
            values = f"SELECT DISTINCT ?value WHERE {{ ?_s {step} ?value }}"
            failing = f"SELECT ?value WHERE {{ {{ {values} }} FILTER (!{ok}) }}"
            found.append(
                check(
                    f"SELECT DISTINCT ?this ?value WHERE {{ {{ {failing} }} "
                    f"?this {step} ?value . FILTER EXISTS {{ {targets} }} }}",
                    True,
                )
            )
        for other in self.values(prop, SH.lessThanOrEquals):
            if not isinstance(other, URIRef):
                raise self.refuse(prop, "sh:lessThanOrEquals takes an IRI")
            pairs = f"?this {step} ?value . ?this {_sparql_term(other)} ?other ."
            rows = self.select(f"SELECT DISTINCT ?value ?other WHERE {{ {pairs} }}")
            bad = [
                (row["value"], row["other"])
                for row in rows
                if not _less_or_equal(to_rdflib(row["value"]), to_rdflib(row["other"]))
            ]
            if bad:
                listed = " ".join(f"({_sparql_term(v)} {_sparql_term(o)})" for v, o in bad)
                found.append(
                    check(
                        f"SELECT DISTINCT ?this ?value ?other WHERE {{ "
                        f"VALUES (?value ?other) {{ {listed} }} {pairs} "
                        f"FILTER EXISTS {{ {targets} }} }}",
                        True,  # one result per failing pair, as pyshacl gives
                    )
                )
        return found

    def results(self) -> list[Result]:
        found = []
        for check in self.checks():
            for row in self.select(check.query):
                focus = to_rdflib(row["this"])
                if isinstance(check, _FocusCheck):
                    for i, test in enumerate(check.tests):
                        if row[f"ok{i}"].value == "false":
                            value = focus if test.path is None else None
                            found.append(
                                Result(
                                    focus,
                                    value,
                                    test.path,
                                    test.shape,
                                    test.messages,
                                    test.severity,
                                )  # fmt: skip
                            )
                    continue
                value = to_rdflib(row["value"]) if check.with_value else None
                found.append(
                    Result(focus, value, check.path, check.shape, check.messages, check.severity)
                )
        return found


def _focus_check(targets: str, tests: list[_Test]) -> _FocusCheck:
    """One pass over the focus nodes for every test of them, each bound to ?okN."""
    binds = " ".join(f"BIND ({t.ok} AS ?ok{i})" for i, t in enumerate(tests))
    failing = " || ".join(f"!?ok{i}" for i in range(len(tests)))
    query = f"SELECT * WHERE {{ {_focus(targets)} {binds} FILTER ({failing}) }}"
    return _FocusCheck(query, tests)


def _focus(targets: str) -> str:
    """The focus nodes, each once however many of the target classes it has."""
    return f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"


def _with_count(step: str, test: str) -> str:
    """A subquery of the nodes whose number of distinct values along `step` passes `test`."""
    return (
        f"{{ SELECT ?this WHERE {{ ?this {step} ?_c }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_c) {test}) }}"
    )


def _distinct_values(var: str, step: str, n: int, ctx: _Context) -> str:
    """A pattern that matches when `var` has at least `n` distinct values along `step`."""
    names = [ctx.var("n") for _ in range(n)]
    pattern = " ".join(f"{var} {step} {v} ." for v in names)
    apart = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
    return pattern + (f" FILTER ({' && '.join(apart)})" if apart else "")


def _subclass_closure(store: ox.Store) -> dict:
    """Class -> every class below it, from the rdfs:subClassOf of every graph."""
    below: dict = {}
    rows = store.query(f"SELECT DISTINCT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> ?sup }}")
    for row in rows:
        below.setdefault(to_rdflib(row["sup"]), set()).add(to_rdflib(row["sub"]))
    return {cls: reachable(below, cls) for cls in below}


@contextmanager
def merged_default_graph(store: ox.Store):
    """Make the store's default graph the merge of its graphs for the time of the block.

    Oxigraph's union default graph repeats a triple once per graph that holds it,
    and joins multiply the repeats: a node that a few hundred sources mention
    turns a 1 ms query into a minute at a million quads. The build's store
    already keeps the merge in its default graph (store.embedded.load_nquads);
    a store whose default graph is empty gets it here, and loses it after.
    """
    default = ox.DefaultGraph()
    empty = next(store.quads_for_pattern(None, None, None, default), None) is None
    if empty:
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    try:
        yield store
    finally:
        if empty:
            store.clear_graph(default)


def validate(shapes: Graph, store: ox.Store) -> list[Result]:
    """Every core SHACL result of the shapes over the store (SPARQL constraints aside)."""
    with merged_default_graph(store):
        return Compiler(shapes, store).results()
