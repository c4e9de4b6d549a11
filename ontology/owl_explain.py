"""Why an inconsistent graph is inconsistent, in words a curator can act on.

A cheap step run only after HermiT has refused a graph. The ontology is made of
sub-class, domain, range, inverse, disjointness and datatype-range axioms, so
its contradictions come from an individual that ends up in two disjoint classes
(by its own types, by the properties it is used with, or by being owl:sameAs
another individual) or from a literal outside a property's datatype range.
Each is named with the curated file:line of the node when the graph has it.
On a summary of the data, `findings` tells which representatives clash, so that
only their real members need to be looked at (`reasoning._why`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD

DG_CURATED_IN = URIRef("https://w3id.org/diplograph/def#curatedIn")
ACCEPTS = {
    XSD.decimal: {XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger},
    XSD.integer: {XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger},
    XSD.boolean: {XSD.boolean},
    XSD.string: {XSD.string, None},
    XSD.anyURI: {XSD.anyURI},
    XSD.language: {XSD.language},
}
MAX_LINES = 20


def _disjoint_pairs(graph: Graph) -> set[frozenset]:
    pairs = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.disjointWith)}
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(axiom, OWL.members)
        if members is not None:
            pairs.update(frozenset(p) for p in combinations(list(Collection(graph, members)), 2))
    return {p for p in pairs if len(p) == 2}


class _SameAs:
    """Union-find over owl:sameAs: merged individuals share their types."""

    def __init__(self, graph: Graph):
        self.parent: dict = {}
        for a, b in graph.subject_objects(OWL.sameAs):
            self.parent[self.find(a)] = self.find(b)

    def find(self, x):
        while x in self.parent:
            x = self.parent[x]
        return x


def _name(graph: Graph, term) -> str:
    if not isinstance(term, URIRef):
        return str(term)
    try:
        short = graph.namespace_manager.normalizeUri(term)
    except Exception:  # rdflib refuses some IRIs
        return str(term)
    return str(term) if short.startswith("<") else short


@dataclass(frozen=True)
class Finding:
    """One cause: the individuals it names, and the (property, literal) out of its range."""

    text: str
    nodes: frozenset
    value: tuple | None = None


def explain_inconsistency(graph: Graph, only: set | None = None) -> list[str]:
    """One line per individual in disjoint classes and per out-of-range literal.

    `only`: name just these individuals (the graph may hold their neighbours too).
    """
    lines = sorted({f.text for f in findings(graph) if only is None or f.nodes & only})
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"... and {len(lines) - MAX_LINES} more"]
    return lines


def findings(graph: Graph) -> list[Finding]:
    """Every individual in disjoint classes and every literal outside its property's range."""
    graph.namespace_manager.bind("dg", "https://w3id.org/diplograph/def#", override=False)
    types = _Types(graph)
    found: list[Finding] = []
    for s, p, o in graph:
        if s not in types.ontology_nodes:
            found += types.read(s, p, o)
    return found + _disjoint_clashes(graph, types)


class _Types:
    """What each individual is, and the most direct reason why (asserted first)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._supers: dict = {}
        self._prop_supers: dict = {}
        self.domains, self.ranges, self.inverse = defaultdict(set), defaultdict(set), {}
        for p, d in graph.subject_objects(RDFS.domain):
            self.domains[p].add(d)
        for p, r in graph.subject_objects(RDFS.range):
            self.ranges[p].add(r)
        for p, q in graph.subject_objects(OWL.inverseOf):
            self.inverse[p], self.inverse[q] = q, p
        self.datatype_props = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
        self.ontology_nodes = set(graph.subjects(RDF.type, OWL.Class)) | set(
            graph.subjects(RDF.type, OWL.ObjectProperty)
        )
        self.same = _SameAs(graph)
        self.of: dict = defaultdict(dict)  # individual -> class -> (rank, reason)

    def name(self, term) -> str:
        return _name(self.graph, term)

    def closure(self, cls) -> set:
        if cls not in self._supers:
            self._supers[cls] = set(self.graph.transitive_objects(cls, RDFS.subClassOf))
        return self._supers[cls]

    def give(self, node, cls, reason, rank) -> None:
        """Record that `node` is a `cls`, keeping the most direct reason (asserted first)."""
        known = self.of[self.same.find(node)]
        for sup in self.closure(cls):
            step = (rank, 0 if sup == cls else 1)
            if sup not in known or step < known[sup][0]:
                text = reason if sup == cls else f"{reason}, a kind of {self.name(sup)}"
                known[sup] = (step, text)

    def read(self, s, p, o) -> list[Finding]:
        """The types one statement gives; a finding if its literal is outside the range."""
        n = self.name
        if p == RDF.type:
            if isinstance(o, URIRef) and o not in (OWL.NamedIndividual, OWL.Thing):
                self.give(s, o, f"typed {n(o)}", 0)
            return []
        if p not in self._prop_supers:
            self._prop_supers[p] = set(self.graph.transitive_objects(p, RDFS.subPropertyOf))
        found = []
        for q in self._prop_supers[p]:
            for d in self.domains.get(q, ()):
                self.give(s, d, f"subject of {n(p)} (domain {n(d)})", 1)
            if isinstance(o, Literal):
                for r in self.ranges.get(q, ()) if q in self.datatype_props else ():
                    if r in ACCEPTS and o.datatype not in ACCEPTS[r]:
                        text = f"{n(s)}{_where(self.graph, s)}: {n(p)} is {o.n3()}, "
                        text += f"but its range is {n(r)}"
                        found.append(Finding(text, frozenset({s}), (p, o)))
                continue
            for r in self.ranges.get(q, ()):
                self.give(o, r, f"object of {n(p)} (range {n(r)})", 1)
            if q in self.inverse:
                for d in self.domains.get(self.inverse[q], ()):
                    self.give(o, d, f"object of {n(p)} (inverse of {n(self.inverse[q])})", 1)
                for r in self.ranges.get(self.inverse[q], ()):
                    self.give(s, r, f"subject of {n(p)} (inverse of {n(self.inverse[q])})", 1)
        return found


def _disjoint_clashes(graph: Graph, types: _Types) -> list[Finding]:
    """An individual (with those owl:sameAs it) in two classes declared disjoint."""
    n = types.name
    pairs = _disjoint_pairs(graph)
    members = defaultdict(list)
    for node in {*graph.subjects(), *graph.objects()}:
        if isinstance(node, URIRef) and node not in types.ontology_nodes:
            members[types.same.find(node)].append(node)
    found = []
    for key, classes in types.of.items():
        clashes = [p for p in pairs if p <= classes.keys()]
        if not clashes:
            continue
        # the clash closest to what was asserted: fewest "a kind of" steps
        a, b = min(
            (sorted(p, key=str) for p in clashes),
            key=lambda ab, classes=classes: (sorted(classes[c][0] for c in ab), str(ab)),
        )
        who = sorted(members.get(key) or [key], key=str)
        names = " = ".join(f"{n(m)}{_where(graph, m)}" for m in who)
        text = (
            f"{names} is a {n(a)} ({classes[a][1]}) and a {n(b)} ({classes[b][1]}), "
            f"but the ontology declares {n(a)} and {n(b)} disjoint"
        )
        found.append(Finding(text, frozenset([*who, key])))
    return found


def _where(graph: Graph, node) -> str:
    found = sorted(str(w) for w in graph.objects(node, DG_CURATED_IN))
    return f" (curated in {', '.join(found)})" if found else ""
