"""Materialise the entailments queries rely on, in the graph that asserted them.

A query for meetings must find state visits whatever store serves it, and a
GRAPH query must still see which source said so: so super-classes,
super-properties, inverses, symmetric and transitive properties are added
inside each named graph, not in a separate inference graph.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from diplograph.loaders.quads import Quads
from diplograph.ontology import closed

OWL = closed(OWL)
RDF = closed(RDF)
RDFS = closed(RDFS)


def closure(graph: Graph, term: URIRef, relation: URIRef) -> set[URIRef]:
    return {t for t in graph.transitive_objects(term, relation) if isinstance(t, URIRef)}


class Entailer:
    """The ontology's entailment rules, read once, applied to one named graph at a time.

    A graph's entailments depend on that graph alone (and the ontology), which is what
    lets an incremental build reuse those of a graph whose triples did not change.
    """

    def __init__(self, ontology: Graph):
        self.ontology = ontology
        self.supers_c: dict[URIRef, set[URIRef]] = {}
        self.supers_p: dict[URIRef, set[URIRef]] = {}
        self.inverse = {}
        for p, q in ontology.subject_objects(OWL.inverseOf):
            self.inverse[p], self.inverse[q] = q, p
        self.symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))

    def entailed(self, g: set[tuple]) -> set[tuple]:
        """The triples the rules add to `g` (some may already be in it)."""
        new: set[tuple] = set()
        for s, p, o in g:
            if p == RDF.type and isinstance(o, URIRef):
                if o not in self.supers_c:
                    self.supers_c[o] = closure(self.ontology, o, RDFS.subClassOf) - {o}
                new.update((s, RDF.type, c) for c in self.supers_c[o])
                continue
            if p not in self.supers_p:
                self.supers_p[p] = closure(self.ontology, p, RDFS.subPropertyOf) - {p}
            new.update((s, q, o) for q in self.supers_p[p])
            if p in self.inverse and isinstance(o, URIRef):
                new.add((o, self.inverse[p], s))
            if p in self.symmetric:
                new.add((o, p, s))
        for p in self.transitive:
            edges: dict = {}
            for s, q, o in g:
                if q == p:
                    edges.setdefault(s, set()).add(o)
            for triple in list(new):
                if triple[1] == p:
                    edges.setdefault(triple[0], set()).add(triple[2])
            for s in edges:
                new.update((s, p, o) for o in reachable(edges, s) if o != s)
        return new


def materialise(quads: Quads, ontology: Graph) -> int:
    """Add entailed triples to every named graph of `quads`; return how many were added."""
    rules = Entailer(ontology)
    added = 0
    for g in list(quads.graphs.values()):
        before = len(g)
        g |= rules.entailed(g)
        added += len(g) - before
    return added


def reachable(edges: dict, start) -> set:
    """Every node `start` leads to through `edges` (node -> its successors)."""
    seen, todo = set(), [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
