"""The focus nodes of a shape, and instances of a class, as SPARQL patterns.

pyshacl follows rdfs:subClassOf in the data it is given, the ontology
included; the sub-classes are read once from the store and listed in each
pattern, so a query never walks the class hierarchy per node.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import RDFS, BNode
from rdflib.namespace import SH

from diplograph.loaders.entailment import reachable
from diplograph.ontology.terms import to_rdflib
from diplograph.shapes.query_text import sparql_term
from diplograph.shapes.shape_reader import ShapeReader


def subclass_closure(store: ox.Store) -> dict:
    """Class -> every class below it, from the rdfs:subClassOf of every graph."""
    below: dict = {}
    rows = store.query(f"SELECT DISTINCT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> ?sup }}")
    for row in rows:
        below.setdefault(to_rdflib(row["sup"]), set()).add(to_rdflib(row["sub"]))
    return {cls: reachable(below, cls) for cls in below}


class Targets:
    """Patterns binding a variable to the focus nodes of a shape or the instances of classes."""

    def __init__(self, reader: ShapeReader, store: ox.Store):
        self.reader = reader
        self._subclasses = subclass_closure(store)

    def targets(self, shape) -> str | None:
        """A group pattern binding ?this to every focus node of `shape`, or None if it has none."""
        values = self.reader.values
        groups = []
        classes = values(shape, SH.targetClass)
        if classes:
            groups.append(self.typed("?this", classes, "?_tc"))
        for prop in values(shape, SH.targetSubjectsOf):
            groups.append(f"?this {sparql_term(prop)} ?_to .")
        for prop in values(shape, SH.targetObjectsOf):
            groups.append(f"?_ts {sparql_term(prop)} ?this .")
        nodes = values(shape, SH.targetNode)
        if nodes:
            groups.append(f"VALUES ?this {{ {' '.join(sparql_term(n) for n in nodes)} }}")
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
            ways = [f"{{ {var} a/<{RDFS.subClassOf}>* {sparql_term(c)} }}" for c in classes]
            return " UNION ".join(ways)
        return f"VALUES {t} {{ {' '.join(sparql_term(c) for c in sorted(below))} }} {var} a {t} ."
