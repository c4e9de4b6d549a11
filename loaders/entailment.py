"""Materialise the entailments queries rely on, in the graph that asserted them.

A query for meetings must find state visits whatever store serves it, and a
GRAPH query must still see which source said so: so super-classes,
super-properties, inverses, symmetric and transitive properties are added
inside each named graph, not in a separate inference graph.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from diplograph.loaders.quads import Quads


def closure(graph: Graph, term: URIRef, relation: URIRef) -> set[URIRef]:
    return {t for t in graph.transitive_objects(term, relation) if isinstance(t, URIRef)}


def materialise(quads: Quads, ontology: Graph) -> int:
    """Add entailed triples to every named graph of `quads`; return how many were added."""
    supers_c: dict[URIRef, set[URIRef]] = {}
    supers_p: dict[URIRef, set[URIRef]] = {}
    inverse = {}
    for p, q in ontology.subject_objects(OWL.inverseOf):
        inverse[p], inverse[q] = q, p
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))

    added = 0
    for g in list(quads.graphs.values()):
        new: set[tuple] = set()
        for s, p, o in g:
            if p == RDF.type and isinstance(o, URIRef):
                if o not in supers_c:
                    supers_c[o] = closure(ontology, o, RDFS.subClassOf) - {o}
                new.update((s, RDF.type, c) for c in supers_c[o])
                continue
            if p not in supers_p:
                supers_p[p] = closure(ontology, p, RDFS.subPropertyOf) - {p}
            new.update((s, q, o) for q in supers_p[p])
            if p in inverse and isinstance(o, URIRef):
                new.add((o, inverse[p], s))
            if p in symmetric:
                new.add((o, p, s))
        for p in transitive:
            edges: dict = {}
            for s, q, o in g:
                if q == p:
                    edges.setdefault(s, set()).add(o)
            for triple in list(new):
                if triple[1] == p:
                    edges.setdefault(triple[0], set()).add(triple[2])
            for s in edges:
                new.update((s, p, o) for o in reachable(edges, s) if o != s)
        before = len(g)
        g |= new
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
