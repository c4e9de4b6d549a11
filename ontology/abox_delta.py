"""The summary HermiT reads, kept from build to build and updated from a change.

HermiT's input is a function of the ontology and of a few sets (abox_summary.py): which
signatures the data's individuals fall into, which (data property, literal) pairs it
holds, and, for the report, how many individuals there are. `Summary` is that state, with
how many sameAs roots have each signature, written into a build's manifest. A change to
the merge (the triples that left it and joined it) alters only the signatures of the
individuals it touches and their sameAs groups; `updated` reads those individuals' own
triples, before and after the change, and moves their roots from the old signatures to
the new ones, so an incremental build knows HermiT's input without reading the store.
It gives up (None: read everything) where that is not exact: a changed owl:sameAs, a
change that states schema or takes the data outside the summarisable fragment, a TBox
node used as an individual among the touched ones, a count that would go below zero.
tests/ontology/test_abox_delta.py compares it with a full scan of the changed data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from diplograph.ontology.abox_summary import Scan, Signatures, representative, summary_triples
from diplograph.ontology.owl_schema import Schema
from diplograph.ontology.owl_terms import SAME_AS

_KINDS = ("type", "out", "in", "data")


@dataclass
class Summary:
    """Signature (its features, the TBox node it pins or None) -> roots having it; the
    (data property, literal) pairs HermiT sees; the number of individuals."""

    signatures: dict
    pairs: set
    individuals: int

    @classmethod
    def of(cls, scan: Scan, sigs: Signatures) -> Summary:
        found = dict(zip(zip(sigs.keys, sigs.pins, strict=True), sigs.counts, strict=True))
        return cls(found, set(scan.pairs), scan.individuals())

    def triples(self, schema: Schema):
        """What HermiT gets besides the schema (abox_summary.summary_triples)."""
        signatures = ((representative(feats, pin), feats) for feats, pin in self.signatures)
        return summary_triples(schema, signatures, self.pairs)

    def record(self) -> dict:
        """The summary as JSON data, sorted: [[features as text], pin or None, roots]..."""
        signatures = sorted(
            [sorted(f"{kind} {term}" for kind, term in feats), None if pin is None else str(pin), n]
            for (feats, pin), n in self.signatures.items()
        )
        pairs = sorted([str(p), str(literal)] for p, literal in self.pairs)
        return {"signatures": signatures, "pairs": pairs, "individuals": self.individuals}

    @classmethod
    def from_record(cls, record: dict) -> Summary:
        signatures = {}
        for feats, pin, n in record["signatures"]:
            parts = (f.partition(" ") for f in feats)
            key = frozenset((kind, _iri(term)) for kind, _, term in parts)
            signatures[(key, None if pin is None else _iri(pin))] = n
        pairs = {(_iri(p), _literal(literal)) for p, literal in record["pairs"]}
        return cls(signatures, pairs, record["individuals"])


def _iri(text: str) -> ox.NamedNode:
    return ox.NamedNode(text[1:-1])


def _literal(text: str) -> ox.Literal:
    data = f"<urn:s> <urn:p> {text} .\n".encode()
    return next(iter(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))).object


def _around(store: ox.Store, nodes: set) -> set:
    """Every triple (in any graph) with one of `nodes` as its subject or object."""
    found = set()
    for node in nodes:
        found.update(q.triple for q in store.quads_for_pattern(node, None, None))
        found.update(q.triple for q in store.quads_for_pattern(None, None, node))
    return found


def _same_as_group(store: ox.Store, node) -> tuple[frozenset, bool]:
    """The node's owl:sameAs group (walked over the store) and whether it has one."""
    group, todo = {node}, [node]
    while todo:
        current = todo.pop()
        linked = [q.object for q in store.quads_for_pattern(current, SAME_AS, None)]
        linked += [q.subject for q in store.quads_for_pattern(None, SAME_AS, current)]
        for other in linked:
            if not isinstance(other, ox.Literal) and other not in group:
                group.add(other)
                todo.append(other)
    same = (
        any(
            not isinstance(q.object, ox.Literal)
            for q in store.quads_for_pattern(node, SAME_AS, None)
        )
        or next(store.quads_for_pattern(None, SAME_AS, node), None) is not None
    )
    return frozenset(group), same


def updated(
    store: ox.Store, schema: Schema, last: Summary, removed: list, added: list
) -> Summary | None:
    """The summary of the store's data, from `last` (the data before the change) and the
    merge's `removed` and `added` triples (ox.Triple, exactly those that left and joined
    it); None when it cannot be updated exactly (the caller scans the whole store)."""
    if schema.outside_fragment():
        return None
    probe = Scan.of_triples(schema, [*removed, *added])
    if probe.outside or probe.same.parent:
        return None
    groups = {_same_as_group(store, node) for node in probe.features}
    if any(member in schema.nodes for group, _same in groups for member in group):
        return None
    signatures, individuals = dict(last.signatures), last.individuals
    gone, joined = set(removed), set(added)
    for group, same in groups:
        after = _around(store, group)
        before = (after - joined) | {t for t in gone if t.subject in group or t.object in group}
        for triples, sign in ((before, -1), (after, 1)):
            features = Scan.of_triples(schema, triples).features
            own = [features[m] for m in group if features.get(m)]
            if own or same:
                key = (frozenset().union(*own), None)
                signatures[key] = signatures.get(key, 0) + sign
            if not same:
                individuals += sign * len(own)
    if any(n < 0 for n in signatures.values()):
        return None
    pairs = set(last.pairs)
    for p, literal in Scan.of_triples(schema, removed).pairs:
        if next(store.quads_for_pattern(None, p, literal), None) is None:
            pairs.discard((p, literal))
    pairs |= Scan.of_triples(schema, added).pairs
    return Summary({k: n for k, n in signatures.items() if n}, pairs, individuals)
