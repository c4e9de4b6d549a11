"""SHACL-SPARQL constraints evaluated once per shape instead of once per focus node.

pyshacl runs a SPARQL constraint's query once for every focus node, parsing
it anew each time: a few milliseconds each, minutes at a million triples. The
queries here are written so that leaving `$this` unbound and keeping the rows
whose `?this` is a target of the shape gives the same solutions as
pre-binding it; so each runs once, on the build's Oxigraph store.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from diplograph.ontology.terms import to_rdflib
from diplograph.shapes.results import Result, UnsupportedShape

_THIS = re.compile(r"\$this\b")
_SUBST = re.compile(r"\{[?$](\w+)\}")
_OWN_PROLOGUE = re.compile(r"\s*(PREFIX|BASE)\b", re.I)
_PRE_BOUND = re.compile(r"\$(shapesGraph|currentShape|PATH)\b")


@dataclass
class SparqlConstraint:
    shape: URIRef
    node: object
    prefixes: str
    select: str
    messages: list[str]
    severity: URIRef

    @property
    def query(self) -> str:
        return self.prefixes + self.select


def constraints(shapes: Graph) -> list[SparqlConstraint]:
    """Every active SPARQL constraint of a node shape, its query made stand-alone."""
    found = []
    for shape, node in shapes.subject_objects(SH.sparql):
        if shapes.value(node, SH.deactivated) == Literal(True):
            continue
        if shapes.value(shape, SH.path) is not None:
            raise UnsupportedShape(f"{shape}: SPARQL constraints on property shapes")
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for p in shapes.objects(node, SH.prefixes)
            for d in shapes.objects(p, SH.declare)
        )
        # as pyshacl reports them: the shape's messages, then the constraint's new ones
        messages = [str(m) for m in shapes.objects(shape, SH.message)]
        messages += [m for m in map(str, shapes.objects(node, SH.message)) if m not in messages]
        severity = shapes.value(shape, SH.severity) or SH.Violation
        select = _THIS.sub("?this", str(shapes.value(node, SH.select)))
        found.append(SparqlConstraint(shape, node, prefixes, select, messages, severity))
    return found


def evaluate(shapes: Graph, store, targets: Callable[[object], str | None]) -> list[Result]:
    """Results of every SPARQL constraint over the store's default graph (the merge).

    `targets(shape)` is a group pattern binding ?this to the shape's focus nodes
    (targets.Targets.targets): rows whose ?this is not one are dropped inside
    the query. Rows are distinct, as pyshacl keeps one result per distinct row.
    """
    results = []
    for c in constraints(shapes):
        if shapes.value(c.shape, SH.deactivated) == Literal(True):
            continue
        pattern = targets(c.shape)
        if pattern is None:
            continue
        if _OWN_PROLOGUE.match(c.select) or _PRE_BOUND.search(c.select):
            raise UnsupportedShape(f"{c.shape}: a SPARQL constraint this engine cannot run once")
        query = f"SELECT DISTINCT * WHERE {{ {{ {c.select} }} FILTER EXISTS {{ {pattern} }} }}"
        query = c.prefixes + query
        rows = store.query(query)
        names = [v.value for v in rows.variables]
        for row in rows:
            values = {n: to_rdflib(row[n]) for n in names if row[n] is not None}
            messages = [
                _SUBST.sub(lambda m, v=values: str(v.get(m[1], m[0])), text) for text in c.messages
            ]
            results.append(
                Result(
                    values.get("this"),
                    values.get("value"),
                    values.get("path"),
                    c.shape,
                    messages,
                    c.severity,
                )
            )
    return results
