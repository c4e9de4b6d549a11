"""The ontology's schema statements as the OWL check reads them, and what follows for the data.

The summary of the data (abox_summary.py) is only sound when the ontology stays
inside the fragment where an individual's consistency hangs on its own edges;
`Schema.outside_fragment` says, from the schema itself, when it does not.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from diplograph.ontology.owl_terms import (
    ALL_DISJOINT,
    ANNOTATION_PROPERTY,
    ANNOTATIONS,
    AXIOM_NAMESPACES,
    DISJOINT,
    DOMAIN,
    EQ_CLASS,
    EQ_PROP,
    FIRST,
    INDIVIDUAL_TYPES,
    INVERSE,
    LOCAL_TYPES,
    MEMBERS,
    NAMED_AXIOMS,
    RANGE,
    REIFICATION,
    REST,
    SAME_AS,
    STATEMENT,
    SUB_PROP,
    SYMMETRIC,
    TRANSITIVE,
    TYPE,
    is_schema,
    short,
)


class Schema:
    """The ontology graph's schema statements, and what follows from them for the data."""

    def __init__(self, store: ox.Store, graph) -> None:
        quads = list(store.quads_for_pattern(None, None, None, graph))
        #: TBox nodes: classes, properties, axioms and their lists, the ontology itself
        self.nodes: set = set()
        for s, p, o, _g in quads:
            if p in REIFICATION or (p == TYPE and o == STATEMENT):
                continue  # a statement node beside its triple is data, not schema
            if p == TYPE:
                if is_schema(o) and o not in INDIVIDUAL_TYPES:
                    self.nodes.add(s)
            elif is_schema(p) and p not in ANNOTATIONS and p != SAME_AS:
                self.nodes.add(s)
        #: their schema statements (an rdf:type to a plain class makes a punned individual)
        self.triples: set = {
            (s, p, o)
            for s, p, o, _g in quads
            if s in self.nodes and is_schema(p) and p != SAME_AS and (p != TYPE or is_schema(o))
        }
        self.annotation = {s for s, p, o in self.triples if p == TYPE and o == ANNOTATION_PROPERTY}
        self._supers: dict = defaultdict(set)
        self._domains: dict = defaultdict(set)
        self._ranges: dict = defaultdict(set)
        #: terms outside AXIOM_NAMESPACES that still carry an axiom
        self.constrained: set = set()
        for s, p, o in self.triples:
            self._read(s, p, o)
        self._closure: dict = {}
        self._lines: frozenset[str] | None = None

    def _read(self, s, p, o) -> None:
        """Index one schema statement: super-properties, domains, ranges, constrained terms."""
        if p in (SUB_PROP, EQ_PROP):
            self._supers[s].add(o)
            if p == EQ_PROP:
                self._supers[o].add(s)
        elif p == DOMAIN:
            self._domains[s].add(o)
        elif p == RANGE:
            self._ranges[s].add(o)
        if p in NAMED_AXIOMS:
            self.constrained.add(s)
            if p in (EQ_CLASS, DISJOINT, EQ_PROP, INVERSE):
                self.constrained.add(o)
        elif p == FIRST or (p == TYPE and o not in LOCAL_TYPES):
            self.constrained.add(o if p == FIRST else s)
        elif p == TYPE and o in (TRANSITIVE, SYMMETRIC):
            self.constrained.add(s)

    def supers(self, prop) -> set:
        """`prop` and its super-properties (equivalent ones both ways)."""
        found = self._closure.get(prop)
        if found is None:
            found, todo = {prop}, [prop]
            while todo:
                for sup in self._supers.get(todo.pop(), ()):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._closure[prop] = found
        return found

    def domains(self, prop) -> set:
        return {d for q in self.supers(prop) for d in self._domains.get(q, ())}

    def ranges(self, prop) -> set:
        return {r for q in self.supers(prop) for r in self._ranges.get(q, ())}

    def relevant(self, term) -> bool:
        """A term HermiT can do something with: ours, OWL/RDF(S), or given an axiom."""
        return term.value.startswith(AXIOM_NAMESPACES) or term in self.constrained

    def outside_fragment(self) -> list[str]:
        """Why the summary would not decide consistency (empty: it does)."""
        disjoint = {s for s, p, o in self.triples if p == TYPE and o == ALL_DISJOINT}
        found = []
        for s, p, o in sorted(self.triples, key=str):
            if p == TYPE:
                if o not in LOCAL_TYPES:
                    found.append(f"{short(s)} is a {short(o)}")
            elif p in NAMED_AXIOMS:
                if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)):
                    found.append(f"{short(p)} with a class or property expression")
            elif p == MEMBERS:
                if s not in disjoint:
                    found.append(f"{short(p)} outside owl:AllDisjointClasses")
            elif p == FIRST:
                if not isinstance(o, ox.NamedNode):
                    found.append("a list of class expressions")
            elif p == REST or p in ANNOTATIONS:
                continue
            else:
                found.append(f"{short(p)} ({short(s)})")
        return sorted(set(found))

    def statements(self):
        """The schema statements HermiT gets (annotations have no meaning for consistency)."""
        for s, p, o in self.triples:
            if p not in ANNOTATIONS:
                yield s, p, o

    def statement_lines(self) -> frozenset[str]:
        """`statements` as N-Triples lines, made once (a Schema may serve several builds)."""
        if self._lines is None:
            self._lines = frozenset(f"{s} {p} {o} .\n" for s, p, o in self.statements())
        return self._lines
