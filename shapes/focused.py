"""Core SHACL on only the focus nodes a change can affect (the incremental build's validation).

An incremental build changes a few named graphs of the last build's store. A shape's result
for a focus node is a function of the triples its paths reach from that node, so a node
whose neighbourhood the change did not touch keeps the last build's results; only the
others are validated again. That is exact, not a heuristic, when the reach is bounded:

- `radius` reads the shapes: how many path steps from a focus node the deepest triple a
  core shape reads lies (a path step is one hop, `sh:class` reads the types of the node it
  is at). Any path through rdf:type, an unbounded path (`sh:zeroOrMorePath` ...), or an
  inverse step that does not start at the focus node (it could start at a literal), or a
  target that may make a literal a focus node (`sh:targetObjectsOf`, `sh:targetNode`) gives
  None: the caller validates everything;
- `reach` adds which predicates the paths step over (forwards; backwards, first step only)
  and which a shape reads at a node it reached (the paths', rdf:type, the targets');
- `affected`: the nodes that read a changed triple (its subject; its object for a predicate
  stepped over backwards) and those whose paths reach one of them within the radius, over
  the old and the new edges;
- the affected nodes' results come from the compiled engine run on a small in-memory
  store holding every triple it reads for them (the nodes their paths reach, each with its
  outgoing triples of the read predicates, their incoming ones of the inverse predicates,
  and the ontology);
- every other focus node's results are the last build's, carried in its manifest with
  their terms, so their curated file:line is looked up again on the new store.

A changed rdfs:subClassOf triple (which classes a target or sh:class lists) validates
everything too.

SHACL-SPARQL constraints and the violation queries are global and run on the whole store as
in a full build; the evidence support is checked again on the graphs the change can affect
(support.py, `since`). tests/cli/test_incremental.py compares the
report with a full build's, tests/shapes/test_focused.py the results with the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from diplograph.ontology import ONTOLOGY_IRI
from diplograph.ontology.terms import to_ox, to_rdflib
from diplograph.shapes import compiled
from diplograph.shapes.results import Result
from diplograph.shapes.shape_reader import TARGETS, remembered

_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_DEFAULT = ox.DefaultGraph()
_NESTED = (SH["or"], SH["and"], SH.xone)  # lists of shapes applied to the same node
_SINGLE = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
_DEEPEST = 6  # no shape of ours nests deeper; deeper is treated as unbounded


@dataclass
class Change:
    """What an incremental build changed in the last build's store: the triples that left
    and joined the merge (N-Triples text, no final dot), as the store update made them, the
    named graphs whose quads changed, and what the last build's manifest keeps of its
    validation (`last`: "shacl_core" its core results, "evidence" its support check by
    graph, "owl_summary" the summary HermiT read); a part it lacks is validated in full."""

    removed: list[str]
    added: list[str]
    graphs: list[str] = field(default_factory=list)
    last: dict = field(default_factory=dict)
    #: the ontology graph's N-Quads lines as the build wrote them (the store holds the same:
    #: an incremental build never changes it), so the sub-store need not read them from a
    #: freshly copied store, whose first reads are slow (~0.04-0.3 s for these 1,578)
    ontology: list[str] | None = None

    @cached_property
    def triples(self) -> tuple[list[ox.Triple], list[ox.Triple]]:
        """The removed and added triples, parsed."""
        return _parsed(self.removed), _parsed(self.added)


def _length(shapes: Graph, path, first: bool) -> int | None:
    """Hops of a path; None if it is unbounded, steps over rdf:type, or steps backwards
    anywhere but first from the focus node."""
    if isinstance(path, URIRef):
        return None if path == RDF.type else 1
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return _length(shapes, inverse, first) if first else None
    alternative = shapes.value(path, SH.alternativePath)
    if alternative is not None:
        lengths = [_length(shapes, p, first) for p in Collection(shapes, alternative)]
        return None if None in lengths or not lengths else max(lengths)
    if (path, RDF.first, None) in shapes:
        steps = list(Collection(shapes, path))
        lengths = [_length(shapes, p, first and i == 0) for i, p in enumerate(steps)]
        return None if None in lengths or not lengths else sum(lengths)
    return None  # zero-or-more and the like


def _reach(shapes: Graph, shape, depth: int) -> int | None:
    """The farthest hop (from the focus) at which `shape`, applied at `depth`, reads a
    node's triples; -1 if it reads none; None if unbounded."""
    if depth > _DEEPEST:
        return None
    reach = -1
    path = shapes.value(shape, SH.path)
    if path is not None:
        length = _length(shapes, path, first=depth == 0)
        if length is None:
            return None
        reach, depth = depth + length - 1, depth + length  # the path's values are one further
    if (shape, SH["class"], None) in shapes:
        reach = max(reach, depth)
    inner = [
        m for p in _NESTED for lst in shapes.objects(shape, p) for m in Collection(shapes, lst)
    ]
    inner += [m for p in _SINGLE for m in shapes.objects(shape, p)]
    for member in inner:
        found = _reach(shapes, member, depth)
        if found is None:
            return None
        reach = max(reach, found)
    return reach


def radius(shapes: Graph) -> int | None:
    """How many hops from a focus node the core shapes read (None: unbounded)."""
    if next(shapes.subjects(SH.targetObjectsOf, None), None) is not None:
        return None  # its focus nodes may be literals, which a walk does not reach
    if next(shapes.subjects(SH.targetNode, None), None) is not None:
        return None
    reach = 0  # a target reads the focus node's own triples
    for shape in {s for p in TARGETS for s in shapes.subjects(p, None)}:
        found = _reach(shapes, shape, 0)
        if found is None:
            return None
        reach = max(reach, found)
    return reach


@dataclass
class Reach:
    """What the core shapes read from a focus node: `hops` path steps over the `forward`
    predicates (the first step may go backwards over an `inverse` one), and at every node
    reached its outgoing triples of the `read` predicates (the path's, rdf:type, the
    targets' and the pair constraints'): nothing else."""

    hops: int
    forward: set
    inverse: set
    read: set


def reach(shapes: Graph) -> Reach | None:
    """The shapes' Reach, or None when it is unbounded (see radius); worked out once per
    shapes graph (reading the shapes through rdflib is most of the time it takes)."""
    return remembered(shapes, ("reach",), lambda: _reach_of(shapes))


def _reach_of(shapes: Graph) -> Reach | None:
    hops = radius(shapes)
    if hops is None:
        return None
    forward: set = set()
    inverse: set = set()
    for path in shapes.objects(None, SH.path):
        _steps(shapes, path, False, forward, inverse)
    read = forward | inverse | {_TYPE}
    for p in (SH.targetSubjectsOf, SH.lessThanOrEquals, SH.lessThan, SH.equals, SH.disjoint):
        read |= {to_ox(o) for o in shapes.objects(None, p)}
    return Reach(hops, forward, inverse, read)


def _steps(shapes: Graph, path, backwards: bool, forward: set, inverse: set) -> None:
    if isinstance(path, URIRef):
        (inverse if backwards else forward).add(to_ox(path))
        return
    inner = shapes.value(path, SH.inversePath)
    if inner is not None:
        _steps(shapes, inner, not backwards, forward, inverse)
        return
    alternative = shapes.value(path, SH.alternativePath)
    for step in Collection(shapes, alternative if alternative is not None else path):
        _steps(shapes, step, backwards, forward, inverse)


def _parsed(triples: list[str]) -> list[ox.Triple]:
    if not triples:
        return []
    text = "".join(t + " .\n" for t in triples)
    # the parser gives quads (in the default graph), which never equal a triple
    return [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


def affected(store: ox.Store, removed: list, added: list, shapes: Reach) -> set:
    """The focus nodes whose results the changed triples can change: those that read one
    (its subject, a node reading its outgoing triples; its object, when its predicate is
    stepped over backwards) and those that reach such a node within the shapes' hops,
    over the new store's merge and the removed triples (the old edges)."""
    changed = removed + added
    seeds = {t.subject for t in changed if t.predicate in shapes.read}
    seeds |= {t.object for t in changed if t.predicate in shapes.inverse}
    before: dict = {}  # the removed edges, walked backwards as the store's below
    for t in removed:
        if t.predicate in shapes.forward:
            before.setdefault(t.object, set()).add(t.subject)
        if t.predicate in shapes.inverse:
            before.setdefault(t.subject, set()).add(t.object)
    seen, frontier = set(seeds), {n for n in seeds if _node(n)}
    for _hop in range(shapes.hops):
        found: set = set()
        for node in frontier:
            found |= before.get(node, set())
            found |= {
                q.subject
                for q in store.quads_for_pattern(None, None, node, _DEFAULT)
                if q.predicate in shapes.forward
            }
            found |= _objects(store, node, shapes.inverse)
        frontier = found - seen
        seen |= frontier
    return seen


def _objects(store: ox.Store, node, predicates: set) -> set:
    return {
        q.object
        for q in store.quads_for_pattern(node, None, None, _DEFAULT)
        if q.predicate in predicates and _node(q.object)
    }


def substore(store: ox.Store, nodes: set, shapes: Reach, ontology: list[str] | None = None):
    """An in-memory store of every triple the shapes read for the focus nodes `nodes`:
    the nodes their paths reach, each with its outgoing triples of the read predicates;
    the focus nodes' incoming triples of the inverse ones; and the ontology (the classes:
    from its lines `ontology` when given, else from the store)."""
    reached = {n for n in nodes if _node(n)}
    frontier = set(reached)
    for hop in range(shapes.hops):
        found: set = set()
        for node in frontier:
            found |= _objects(store, node, shapes.forward)
            if hop == 0:
                found |= {
                    q.subject
                    for q in store.quads_for_pattern(None, None, node, _DEFAULT)
                    if q.predicate in shapes.inverse
                }
        frontier = found - reached
        reached |= frontier
    small = ox.Store()
    if ontology is None:
        onto = store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI))
        quads = [ox.Quad(q.subject, q.predicate, q.object) for q in onto]
    else:  # each line less its graph term: the ontology's triples in the default graph
        end = len(f" <{ONTOLOGY_IRI}> .\n")
        small.load("".join(line[:-end] + " .\n" for line in ontology), ox.RdfFormat.N_TRIPLES)
        quads = []
    for node in reached:
        quads += [
            q
            for q in store.quads_for_pattern(node, None, None, _DEFAULT)
            if q.predicate in shapes.read
        ]
    for node in nodes:
        quads += [
            q
            for q in store.quads_for_pattern(None, None, node, _DEFAULT)
            if q.predicate in shapes.inverse
        ]
    small.extend(quads)
    return small


def _node(term) -> bool:
    return isinstance(term, ox.NamedNode | ox.BlankNode)


def core_results(shapes: Graph, store: ox.Store, change: Change) -> tuple[list, list] | None:
    """(results of the affected focus nodes, the last build's entries for the others), or
    None when the change cannot be validated this way (the caller validates everything)."""
    bounds = reach(shapes)
    removed, added = change.triples
    entries = change.last.get("shacl_core")
    if entries is None or bounds is None or any(t.predicate == _SUBCLASS for t in removed + added):
        return None
    nodes = affected(store, removed, added, bounds)
    small = substore(store, nodes, bounds, change.ontology)
    mine = {to_rdflib(n) for n in nodes}
    fresh = [r for r in compiled.Compiler(shapes, small).results() if r.focus in mine]
    terms = {str(n) for n in nodes}
    kept = [e for e in entries if e["focus_term"] not in terms]
    return fresh, kept


def entry(item: dict, result: Result) -> dict:
    """What the next build keeps of a core result: its report item (bar the location,
    looked up again) and the terms the location is looked up from."""
    found = {k: v for k, v in item.items() if k != "where"}
    found["focus_term"] = _text(result.focus)
    found["value_term"] = _text(result.value)
    return found


def _text(term) -> str | None:
    return None if term is None else str(to_ox(term))


def term(text: str | None):
    """An entry's focus or value as the Oxigraph term the locator takes (None: a literal,
    which has no location)."""
    if text is None or text.startswith('"'):
        return None
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    return ox.NamedNode(text[1:-1])
