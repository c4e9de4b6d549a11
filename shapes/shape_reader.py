"""Reading the shapes graph for the compiled engine, refusing what it does not compile.

Only the constraint components our shapes use are compiled: a shape that says
anything else raises UnsupportedShape, naming the shape and what it says,
rather than being skipped (a skipped constraint would pass everything).
"""

from __future__ import annotations

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH

from diplograph.shapes.query_text import sparql_term
from diplograph.shapes.results import UnsupportedShape

# What a shape may say besides its constraints, and the constraint parameters compiled here.
TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
ABOUT = {RDF.type, SH.message, SH.severity, SH.deactivated, SH.name, SH.description}
ABOUT |= {SH.order, SH.group, SH.property, SH.path, SH.sparql, SH.prefixes}
VALUE = {SH["class"], SH.nodeKind, SH.datatype, SH["in"], SH["or"], SH.minInclusive}
VALUE |= {SH.pattern, SH.minLength}
COUNT = {SH.minCount, SH.maxCount}
SUPPORTED = VALUE | COUNT | {SH.lessThanOrEquals, SH.flags}


#: What was read from each shapes graph, by its id: (the graph, its size, the reads). The
#: shapes are a loaded file that nothing changes (validation.shapes_graph is cached); a build
#: compiles them again for each store (the queries depend on the data's classes and
#: literals), and reading them through rdflib was half of an incremental build's validation.
_READS: dict[int, tuple[Graph, int, dict]] = {}


def remembered(shapes: Graph, key: tuple, make):
    """`make()`, once per shapes graph and key (see _READS): what depends on the shapes
    alone, never on the data (the value must not be changed by its users)."""
    return ShapeReader(shapes)._read(key, lambda: [make()])[0]


class ShapeReader:
    """The statements of the shapes, read one parameter at a time (each read once per
    shapes graph: see _READS; a graph whose size changed is read afresh)."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        held = _READS.get(id(shapes))
        if held is None or held[0] is not shapes or held[1] != len(shapes):
            if len(_READS) >= 4:
                _READS.clear()
            held = _READS[id(shapes)] = (shapes, len(shapes), {})
        self._reads = held[2]

    def _read(self, key: tuple, read) -> list:
        found = self._reads.get(key)
        if found is None:
            found = self._reads[key] = read()
        return list(found)  # a copy: callers may change theirs

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
        return self._read(
            ("v", node, predicate), lambda: list(self.shapes.objects(node, predicate))
        )

    def one(self, node, predicate):
        found = self.values(node, predicate)
        if len(found) > 1:
            raise self.refuse(node, f"more than one {predicate}")
        return found[0] if found else None

    def members(self, node) -> list:
        """The members of an RDF list in the shapes (sh:in, sh:or, path sequences)."""
        return self._read(("m", node), lambda: list(Collection(self.shapes, node)))

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
        """Refuse a shape that says anything the engine does not compile."""
        for predicate in set(self._read(("p", node), lambda: list(self.shapes.predicates(node)))):
            if not str(predicate).startswith(str(SH)):
                continue
            if predicate in TARGETS and not top:
                raise self.refuse(node, "targets on a nested or property shape")
            if predicate not in TARGETS | ABOUT | SUPPORTED:
                raise self.refuse(node, f"{self.shapes.qname(predicate)}")
        for kind in self.values(node, RDF.type):
            if kind in (RDFS.Class, OWL.Class):
                raise self.refuse(node, "implicit class targets (a shape that is a class)")

    def path(self, node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return sparql_term(node)
        inverse = self.one(node, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        alternative = self.one(node, SH.alternativePath)
        if alternative is not None:
            return "(" + "|".join(self.path(p) for p in self.members(alternative)) + ")"
        if (node, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(p) for p in self.members(node)) + ")"
        kinds = ", ".join(sorted(self.shapes.qname(p) for p in self.shapes.predicates(node)))
        raise UnsupportedShape(
            f"a property path with {kinds}: only IRIs and inverse, alternative and sequence "
            "paths are compiled (engine='pyshacl' runs the others)"
        )
