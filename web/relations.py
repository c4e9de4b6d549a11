"""An entity's relations as rows, grouped by relation, the groups in a fixed order.

The order answers "who, where, when, what came of it" before the rest, the way Wikidata
puts instance-of and dates before everything else: never by how many rows a group has.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from diplograph.web import display
from diplograph.web.entity_view import Node, Relation, href
from diplograph.web.graphdata import DG, local_id
from diplograph.web.reader import Reader

# Shown in dedicated parts of the page, or plumbing nobody reads as a relation.
HIDDEN_OUT = {
    "evidence",
    "source",
    "participation",
    "statusReport",
    "label",
    "alias",
    "description",
    "reportedStatus",
    "status",
    "wikidata",
    "holdsPost",
    "text",
    "statusOf",
    "termKind",
    "curatedIn",
    "cue",
    "date",
    "dateNote",
}
HIDDEN_IN = {"agent", "holder", "statusOf", "inSource", "source", "about"}

# Group keys: an outgoing predicate's local name, or "^name" for an incoming one.
ORDER = [
    "participant",
    "^participant",
    "obligor",
    "^obligor",
    "beneficiary",
    "^beneficiary",
    "party",
    "^party",
    "speaker",
    "^speaker",
    "addressee",
    "^addressee",
    "claimant",
    "^claimant",
    "initiator",
    "^initiator",
    "imposer",
    "^imposer",
    "target",
    "^target",
    "resource",
    "quantity",
    "amount",
    "deadline",
    "duration",
    "startDate",
    "endDate",
    "place",
    "^place",
    "locatedIn",
    "^locatedIn",
    "onSidelinesOf",
    "^onSidelinesOf",
    "madeAt",
    "^madeAt",
    "occasion",
    "^occasion",
    "madeIn",
    "^madeIn",
    "partOf",
    "^partOf",
    "follows",
    "^follows",
    "respondsTo",
    "^respondsTo",
    "nationality",
    "^nationality",
    "postIn",
    "^postIn",
    "governmentOf",
    "^governmentOf",
]
LAST = ["topic", "^topic", "^claimedValue", "^disputes", "^resource"]


def rank(key: str) -> tuple[int, str]:
    if key in ORDER:
        return (0, f"{ORDER.index(key):03d}")
    if key in LAST:
        return (2, f"{LAST.index(key):03d}")
    return (1, key.lstrip("^"))


def rows(describer: Reader, iri: str, inc) -> dict[str, list[Relation]]:
    """Every shown relation of `iri`, by group key, each with its own assertion's support."""
    q = describer.q
    me = Node(q.label(iri), href(iri))
    groups: dict[str, list[Relation]] = defaultdict(list)
    out: dict[tuple[str, ox.Term], list[str]] = defaultdict(list)
    for p, o, g in q.quads(iri):
        local = p[len(DG) :] if p.startswith(DG) else ""
        if local and local not in HIDDEN_OUT:
            out[(local, o)].append(g)
    for (local, o), graphs in out.items():
        obj = describer.object_node(local, o)
        if local == "participant":
            obj.note = ", ".join(
                sorted({r for g in graphs for r in describer.roles(iri, o.value, g)})
            )
        support = describer.row_support(iri, DG + local, o, graphs)
        key = isinstance(o, ox.NamedNode) and describer.earliest(o.value) or ()
        groups[local].append(Relation(me, display.term_label(local), obj, support, key))
    by_in: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s, p, g in inc:
        local = p[len(DG) :]
        if local in HIDDEN_IN or "/" in local_id(s) and local != "claimedValue":
            continue
        by_in[(local, s)].append(g)
    for (local, s), graphs in by_in.items():
        obj = describer.node(s)
        if local == "participant":
            roles = sorted({r for g in graphs for r in describer.roles(s, iri, g)})
            obj.note = ", ".join(b for b in (", ".join(roles), obj.note) if b)
        support = describer.row_support(s, DG + local, ox.NamedNode(iri), graphs)
        rel = Relation(me, display.inverse_label(local), obj, support, describer.earliest(s))
        groups["^" + local].append(rel)
    for rels in groups.values():
        rels.sort(key=lambda r: r.object.label.casefold())
    return groups


def ordered_groups(groups: dict[str, list[Relation]]) -> list[tuple[str, list[Relation]]]:
    """(heading, rows) in the fixed order; dated rows (events) newest first."""
    out = []
    for key in sorted(groups, key=rank):
        rels = groups[key]
        if any(r.sort_key for r in rels):
            rels = sorted(rels, key=lambda r: r.sort_key, reverse=True)
        out.append((rels[0].phrase, rels))
    return out
