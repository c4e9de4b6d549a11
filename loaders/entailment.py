"""Materialise the entailments queries rely on, in the graph that asserted them.

A query for meetings must find state visits whatever store serves it, and a
GRAPH query must still see which source said so: so super-classes,
super-properties, inverses, symmetric and transitive properties are added
inside each named graph, not in a separate inference graph.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Dataset, Graph, URIRef


def closure(graph: Graph, term: URIRef, relation: URIRef) -> set[URIRef]:
    return {t for t in graph.transitive_objects(term, relation) if isinstance(t, URIRef)}


def materialise(ds: Dataset, ontology: Graph) -> int:
    """Add entailed triples to every named graph of `ds`; return how many were added."""
    supers_c: dict[URIRef, set[URIRef]] = {}
    supers_p: dict[URIRef, set[URIRef]] = {}
    inverse = {}
    for p, q in ontology.subject_objects(OWL.inverseOf):
        inverse[p], inverse[q] = q, p
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))

    added = 0
    for g in list(ds.graphs()):
        if len(g) == 0:
            continue
        new: set[tuple] = set()
        for s, p, o in g:
            if p == RDF.type and isinstance(o, URIRef):
                if o not in supers_c:
                    supers_c[o] = closure(ontology, o, RDFS.subClassOf)
                new.update((s, RDF.type, c) for c in supers_c[o] if c != o)
                continue
            if p not in supers_p:
                supers_p[p] = closure(ontology, p, RDFS.subPropertyOf)
            new.update((s, q, o) for q in supers_p[p] if q != p)
            if p in inverse and isinstance(o, URIRef):
                new.add((o, inverse[p], s))
            if p in symmetric:
                new.add((o, p, s))
        for p in transitive:
            for s in set(g.subjects(p, None)):
                new.update((s, p, o) for o in closure(g, s, p) if o != s)
        before = len(g)
        for triple in new:
            g.add(triple)
        added += len(g) - before
    return added
