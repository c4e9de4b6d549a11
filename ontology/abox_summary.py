"""A summary of the data for HermiT: one representative individual per signature.

As in SHER (Dolby et al., "Scalable semantic retrieval through summarization and
refinement"), individuals merged by owl:sameAs and grouped by their signature
(classes, outgoing and incoming object properties, data properties) stand or fall
together when the ontology stays in the fragment owl_schema.py checks. One pass over
the store (`Scan`) finds each individual's signature and the literals HermiT must
see; `summary_triples` writes the representatives, `full_triples` the whole data,
reduced the same way, for when the summary would not decide.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pyoxigraph as ox

from diplograph.ontology.owl_schema import Schema
from diplograph.ontology.owl_terms import (
    ANNOTATIONS,
    INDIVIDUAL_TYPES,
    LANG_STRING,
    LANG_STRINGY,
    NAMED_INDIVIDUAL,
    NOTHING,
    OUTSIDE_OWL2,
    REIFICATION,
    SAME_AS,
    STATEMENT,
    STRINGY,
    SUMMARY_NS,
    TYPE,
    XSD_STRING,
    is_schema,
    short,
)


class SameAsGroups:
    """Union-find over owl:sameAs; `parent` holds every node that took part."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        if x not in parent:
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        self.parent.setdefault(a, a)
        self.parent.setdefault(b, b)
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def members(self) -> dict:
        groups = defaultdict(list)
        for node in self.parent:
            groups[self.find(node)].append(node)
        return groups


# What a predicate (or, for SCHEMA and SKIP, a class) is to the scan.
SKIP, TYPED, SAME, SCHEMA, PROP = range(5)


def graphs_to_read(store: ox.Store, ontology_graph) -> list:
    """The graphs to read. In a build's store the default graph is empty or the merge of
    the named ones (the store loader writes it for queries): reading it would read every
    triple twice, so only the named graphs are read when the ontology is one of them."""
    named = list(store.named_graphs())
    if isinstance(ontology_graph, ox.DefaultGraph) or not named:
        return [ox.DefaultGraph(), *named]
    return named


class Scan:
    """One pass over the data: each individual's signature, the literals HermiT must see."""

    def __init__(self, store: ox.Store | None, schema: Schema, ontology_graph=None) -> None:
        self.schema = schema
        self.features: dict = defaultdict(set)
        self.pairs: set = set()
        self.same = SameAsGroups()
        self.outside: set = set()
        self._kinds: dict = {}
        self._classes: dict = {}
        self._drops: dict = {}
        self._stated: set = set()  # schema terms the data uses (one example each)
        for graph in graphs_to_read(store, ontology_graph) if store is not None else ():
            self._read(store.quads_for_pattern(None, None, None, graph), graph == ontology_graph)

    @classmethod
    def of_triples(cls, schema: Schema, triples) -> Scan:
        """The same pass over some data triples (ox.Triple) alone: what they give the
        individuals they touch (abox_delta.py reads a change and its nodes' triples)."""
        scan = cls(None, schema)
        scan._read(((t.subject, t.predicate, t.object, None) for t in triples), False)
        return scan

    def _read(self, quads, in_ontology: bool) -> None:
        """The hot loop: dictionary look-ups bound to locals, one branch per kind."""
        features, pairs, kinds, classes = self.features, self.pairs, self._kinds, self._classes
        nodes, same = self.schema.nodes, self.same
        for s, p, o, _g in quads:
            kind = kinds.get(p)
            if kind is None:
                kind = kinds[p] = self._kind(p)
            k = kind[0]
            if k == SKIP:
                continue
            if k == PROP:
                if isinstance(o, ox.Literal):
                    features[s].add(kind[3])
                    if not self.drops(p, o):
                        pairs.add((p, o))
                else:
                    features[s].add(kind[1])
                    features[o].add(kind[2])
            elif k == TYPED:
                feature = classes.get(o)
                if feature is None:
                    feature = classes[o] = self._class(o)
                if feature is SCHEMA:
                    self._schema(s, p, o, in_ontology)
                elif feature is not SKIP:
                    features[s].add(feature)
            elif k == SAME:
                if not isinstance(o, ox.Literal):
                    same.union(s, o)
            elif s in nodes:
                self._schema(s, p, o, in_ontology)
            elif p not in self._stated:
                self._stated.add(p)
                self.outside.add(f"the data states {short(p)} (of {short(s)}...)")

    def _schema(self, s, p, o, in_ontology: bool) -> None:
        if s not in self.schema.nodes:
            if o not in self._stated:
                self._stated.add(o)
                self.outside.add(f"the data makes individuals a {short(o)} ({short(s)}...)")
        elif not in_ontology and (s, p, o) not in self.schema.triples:
            self.outside.add(f"schema outside the ontology graph ({short(s)} {short(p)})")

    def _kind(self, p) -> tuple:
        """What predicate `p` is to the scan: (SKIP,), (TYPED,), ... or PROP and its features."""
        if p == TYPE:
            return (TYPED,)
        if p == SAME_AS:
            return (SAME,)
        if p in ANNOTATIONS or p in self.schema.annotation or not self.schema.relevant(p):
            return (SKIP,)
        if p in REIFICATION:
            return (SKIP,)
        if is_schema(p):
            return (SCHEMA,)
        return (PROP, ("out", p), ("in", p), ("data", p))

    def _class(self, c):
        """What being a `c` adds to a signature: ("type", c), or SKIP, or SCHEMA (punning)."""
        if not isinstance(c, ox.NamedNode) or c in INDIVIDUAL_TYPES - {NOTHING} or c == STATEMENT:
            return SKIP
        if is_schema(c) and c not in INDIVIDUAL_TYPES:
            return SCHEMA
        return ("type", c) if self.schema.relevant(c) else SKIP

    def drops(self, p, literal) -> bool:
        """Whether HermiT can skip this literal: outside its datatypes, or a string of strings."""
        dt = literal.datatype
        found = self._drops.get((p, dt))
        if found is None:
            if dt in OUTSIDE_OWL2:
                found = True
            elif dt == XSD_STRING:
                found = self.schema.ranges(p) <= STRINGY
            elif dt == LANG_STRING:
                found = self.schema.ranges(p) <= LANG_STRINGY
            else:
                found = False
            self._drops[(p, dt)] = found
        return found

    def individuals(self) -> int:
        return len(self.features.keys() | self.same.parent.keys())

    def summarise(self) -> Signatures:
        merged: dict = {}
        find = self.same.find
        for node in self.same.parent:
            merged.setdefault(find(node), set())
        for node, feats in self.features.items():
            root = find(node)
            found = merged.get(root)
            if found is None:
                merged[root] = feats
            else:
                found |= feats
        pinned = {}
        for node in self.schema.nodes:
            if node in self.features or node in self.same.parent:
                pinned[find(node)] = node
        return Signatures(merged, pinned)


class Signatures:
    """Roots of the sameAs groups, by signature; a TBox node used as an individual stays itself.

    Each signature's representative is named after the signature (`representative`), not
    after one of its members, so what HermiT gets depends on which signatures there are,
    not on the order the store was read in or on which member came first: an incremental
    build that updates the signatures (abox_delta.py) gives HermiT the same lines."""

    def __init__(self, merged: dict, pinned: dict) -> None:
        ids: dict = {}
        self.keys: list = []
        self.pins: list = []
        self.reps: list = []
        self.counts: list = []  # roots with each signature
        self.root_sig: dict = {}
        for root, feats in merged.items():
            pin = pinned.get(root)
            key = (frozenset(feats), pin)
            found = ids.get(key)
            if found is None:
                found = ids[key] = len(self.keys)
                self.keys.append(key[0])
                self.pins.append(pin)
                self.reps.append(representative(*key))
                self.counts.append(0)
            self.counts[found] += 1
            self.root_sig[root] = found


def feature_text(feature) -> str:
    """A feature as text: its kind and its term ("type <iri>", "out <iri>"...)."""
    return f"{feature[0]} {feature[1]}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def representative(features: frozenset, pin) -> ox.NamedNode:
    """The individual that stands for a signature: the TBox node it pins, or a fresh
    individual named after the signature's features."""
    if pin is not None:
        return pin
    return ox.NamedNode(f"{SUMMARY_NS}rep-{_digest(' '.join(sorted(map(feature_text, features))))}")


def summary_triples(schema: Schema, signatures, pairs):
    """One representative per signature (`signatures`: (representative, features) pairs),
    linked to and from fresh individuals, and each (data property, literal) of `pairs` on
    a fresh holder. Every fresh individual is named after what it stands for."""
    fresh: dict = {}

    def node(kind: str, prop) -> ox.NamedNode:
        found = fresh.get((kind, prop))
        if found is None:
            found = fresh[(kind, prop)] = ox.NamedNode(f"{SUMMARY_NS}{kind}-{_digest(prop.value)}")
        return found

    for rep, feats in signatures:
        yield rep, TYPE, NAMED_INDIVIDUAL
        for kind, term in feats:
            if kind == "type":
                yield rep, TYPE, term
            elif kind == "out":
                yield rep, term, node("to", term)
            elif kind == "in":
                yield node("from", term), term, rep
            else:
                for domain in schema.domains(term):
                    yield rep, TYPE, domain
    for p, literal in pairs:
        yield node("holder", p), p, literal
    for individual in fresh.values():
        yield individual, TYPE, NAMED_INDIVIDUAL


def full_triples(store: ox.Store, schema: Schema, scan: Scan, ontology_graph):
    """The whole data, reduced to what HermiT can use (the scan's caches shared)."""
    kinds, classes = scan._kinds, scan._classes
    for graph in graphs_to_read(store, ontology_graph):
        for s, p, o, _g in store.quads_for_pattern(None, None, None, graph):
            kind = kinds.get(p)
            if kind is None:
                kind = kinds[p] = scan._kind(p)
            k = kind[0]
            if k == PROP:
                if isinstance(o, ox.Literal) and scan.drops(p, o):
                    for domain in schema.domains(p):
                        yield s, TYPE, domain
                else:
                    yield s, p, o
            elif k == TYPED:
                feature = classes.get(o)
                if feature is None:
                    feature = classes[o] = scan._class(o)
                if feature is not SKIP and (
                    feature is not SCHEMA or (s, p, o) not in schema.triples
                ):
                    yield s, p, o
            elif k == SAME or (k == SCHEMA and (s, p, o) not in schema.triples):
                yield s, p, o
