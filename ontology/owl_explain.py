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
NUMERIC = {XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.double}
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
    supers: dict = {}

    def closure(cls) -> set:
        if cls not in supers:
            supers[cls] = set(graph.transitive_objects(cls, RDFS.subClassOf))
        return supers[cls]

    prop_supers = {}
    domains, ranges, inverse = defaultdict(set), defaultdict(set), {}
    for p, d in graph.subject_objects(RDFS.domain):
        domains[p].add(d)
    for p, r in graph.subject_objects(RDFS.range):
        ranges[p].add(r)
    for p, q in graph.subject_objects(OWL.inverseOf):
        inverse[p], inverse[q] = q, p
    datatype_props = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    ontology_nodes = set(graph.subjects(RDF.type, OWL.Class)) | set(
        graph.subjects(RDF.type, OWL.ObjectProperty)
    )
    same = _SameAs(graph)
    types: dict = defaultdict(dict)  # individual -> class -> reason
    found: list[Finding] = []

    def give(node, cls, reason, rank):
        """Record that `node` is a `cls`, keeping the most direct reason (asserted first)."""
        known = types[same.find(node)]
        for sup in closure(cls):
            step = (rank, 0 if sup == cls else 1)
            if sup not in known or step < known[sup][0]:
                text = reason if sup == cls else f"{reason}, a kind of {_n(sup)}"
                known[sup] = (step, text)

    def _n(term):
        return _name(graph, term)

    for s, p, o in graph:
        if s in ontology_nodes:
            continue
        if p == RDF.type:
            if isinstance(o, URIRef) and o not in (OWL.NamedIndividual, OWL.Thing):
                give(s, o, f"typed {_n(o)}", 0)
            continue
        if p not in prop_supers:
            prop_supers[p] = set(graph.transitive_objects(p, RDFS.subPropertyOf))
        for q in prop_supers[p]:
            for d in domains.get(q, ()):
                give(s, d, f"subject of {_n(p)} (domain {_n(d)})", 1)
            if isinstance(o, Literal):
                for r in ranges.get(q, ()) if q in datatype_props else ():
                    if r in ACCEPTS and o.datatype not in ACCEPTS[r]:
                        text = f"{_n(s)}{_where(graph, s)}: {_n(p)} is {o.n3()}, "
                        text += f"but its range is {_n(r)}"
                        found.append(Finding(text, frozenset({s}), (p, o)))
                continue
            for r in ranges.get(q, ()):
                give(o, r, f"object of {_n(p)} (range {_n(r)})", 1)
            if q in inverse:
                for d in domains.get(inverse[q], ()):
                    give(o, d, f"object of {_n(p)} (inverse of {_n(inverse[q])})", 1)
                for r in ranges.get(inverse[q], ()):
                    give(s, r, f"subject of {_n(p)} (inverse of {_n(inverse[q])})", 1)

    pairs = _disjoint_pairs(graph)
    members = defaultdict(list)
    for node in {*graph.subjects(), *graph.objects()}:
        if isinstance(node, URIRef) and node not in ontology_nodes:
            members[same.find(node)].append(node)
    for key, classes in types.items():
        clashes = [p for p in pairs if p <= classes.keys()]
        if not clashes:
            continue
        # the clash closest to what was asserted: fewest "a kind of" steps
        a, b = min(
            (sorted(p, key=str) for p in clashes),
            key=lambda ab: (sorted(classes[c][0] for c in ab), str(ab)),
        )
        who = sorted(members.get(key) or [key], key=str)
        names = " = ".join(f"{_n(m)}{_where(graph, m)}" for m in who)
        text = (
            f"{names} is a {_n(a)} ({classes[a][1]}) and a {_n(b)} ({classes[b][1]}), "
            f"but the ontology declares {_n(a)} and {_n(b)} disjoint"
        )
        found.append(Finding(text, frozenset([*who, key])))
    return found


def _where(graph: Graph, node) -> str:
    found = sorted(str(w) for w in graph.objects(node, DG_CURATED_IN))
    return f" (curated in {', '.join(found)})" if found else ""
