"""SHACL-SPARQL constraints evaluated once per shape instead of once per focus node.

pyshacl runs a SPARQL constraint's query once for every focus node, parsing
it anew each time: a few milliseconds each, minutes at a million triples. The
queries here are written so that leaving `$this` unbound and keeping the rows
whose `?this` is a target of the shape gives the same solutions as
pre-binding it; so each runs once over the whole graph. The validation runs
pyshacl on the shapes without their `sh:sparql` and adds these results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

SH = Namespace("http://www.w3.org/ns/shacl#")
_THIS = re.compile(r"\$this\b")
_SUBST = re.compile(r"\{[?$](\w+)\}")


@dataclass
class SparqlConstraint:
    shape: URIRef
    node: object
    query: str
    messages: list[str]
    severity: URIRef


def constraints(shapes: Graph) -> list[SparqlConstraint]:
    """Every active SPARQL constraint of a node shape, its query made stand-alone."""
    found = []
    for shape, node in shapes.subject_objects(SH.sparql):
        if shapes.value(node, SH.deactivated) == Literal(True):
            continue
        if shapes.value(shape, SH.path) is not None:
            raise ValueError(f"{shape}: SPARQL constraints on property shapes are not supported")
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for p in shapes.objects(node, SH.prefixes)
            for d in shapes.objects(p, SH.declare)
        )
        # as pyshacl reports them: the shape's messages, then the constraint's new ones
        messages = [str(m) for m in shapes.objects(shape, SH.message)]
        messages += [m for m in map(str, shapes.objects(node, SH.message)) if m not in messages]
        severity = shapes.value(shape, SH.severity) or SH.Violation
        query = prefixes + _THIS.sub("?this", str(shapes.value(node, SH.select)))
        found.append(SparqlConstraint(shape, node, query, messages, severity))
    return found


def without_sparql(shapes: Graph) -> Graph:
    """A copy of the shapes without their SPARQL constraints, for pyshacl to run the rest."""
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns)
    return core


def targets(shapes: Graph, shape, data: Graph, ontology: Graph) -> set:
    """The focus nodes of `shape` in `data`; class targets reach sub-classes via the ontology."""
    nodes: set = set(shapes.objects(shape, SH.targetNode))
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in {cls, *ontology.transitive_subjects(RDFS.subClassOf, cls)}:
            nodes.update(data.subjects(RDF.type, sub))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    return nodes


def evaluate(shapes: Graph, data: Graph, ontology: Graph) -> list[dict]:
    """Results of every SPARQL constraint over `data`: focus, value, path, shape, messages."""
    results = []
    for c in constraints(shapes):
        focus_nodes = targets(shapes, c.shape, data, ontology)
        if not focus_nodes:
            continue
        for row in data.query(c.query):
            values = row.asdict()
            this = values.get("this")
            if this not in focus_nodes:
                continue
            messages = [
                _SUBST.sub(lambda m, v=values: str(v.get(m[1], m[0])), text) for text in c.messages
            ]
            results.append(
                {
                    "focus": this,
                    "value": values.get("value"),
                    "path": values.get("path"),
                    "shape": c.shape,
                    "messages": messages,
                    "severity": c.severity,
                }
            )
    return results
