"""An entity's page as data: its names, its relations as sentences, and the disagreements.

Each row keeps the named graph it was read from ("who says so"); its evidence is that of
its own triple's dg:Assertion (web/assertions.py), never the whole record's excerpts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from diplograph.web import display
from diplograph.web.assertions import assertion_evidence
from diplograph.web.graphdata import (
    DG,
    OWL_SAMEAS,
    Quads,
    Select,
    incoming,
    local_id,
    source_id,
)
from diplograph.web.sources import SourceIndex

# Predicates shown in dedicated parts of the page, or plumbing nobody reads as a relation.
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
}
HIDDEN_IN = {"agent", "holder", "statusOf", "inSource", "source", "about"}
DATE_PREDICATES = {"date", "startDate", "endDate", "deadline", "publicationDate", "asOf"}
NESTED = {"evidence", "statusReport", "participation", "quantity", "amount"} | DATE_PREDICATES


@dataclass
class Node:
    """The far end of a relation: a link, or a literal value."""

    label: str
    href: str | None = None
    note: str = ""


@dataclass
class Support:
    """One source's backing for a relation: the source and the excerpts it cites."""

    source: str
    source_label: str
    excerpts: list[str] = field(default_factory=list)
    implied: str = ""


@dataclass
class Relation:
    subject: Node
    phrase: str
    object: Node
    support: list[Support] = field(default_factory=list)

    @property
    def unsupported(self) -> bool:  # no source quotes an excerpt for it, nor says it is implied
        return not any(s.excerpts or s.implied for s in self.support)


@dataclass
class Status:
    status: str
    when: str
    source: str
    source_label: str
    excerpts: list[str]


@dataclass
class Side:
    """One side of a disagreement: what is claimed, by whom, on whose report."""

    fact: Node
    who: str
    says: str
    support: list[Support]


@dataclass
class Dispute:
    label: str
    href: str
    description: str
    sides: list[Side]


@dataclass
class EntityView:
    iri: str
    id: str
    label: str
    types: list[str]
    aliases: list[str]
    descriptions: list[str]
    wikidata: list[str]
    texts: list[tuple[str, list[Support]]]
    when: list[tuple[str, str]]
    statuses: list[Status]
    positions: list[Relation]
    groups: list[tuple[str, list[Relation]]]
    disputes: list[Dispute]
    is_source: bool


def href(iri: str) -> str | None:
    entity = local_id(iri)
    return None if entity == iri else f"/id/{entity}"


class Describer:
    """Fetches what a page about one node needs, then reads sentences off it."""

    def __init__(self, select: Select, sources: SourceIndex):
        self.select = select
        self.sources = sources
        self.q = Quads()
        self.assertions: dict[tuple, tuple[list[str], str]] = {}  # see web/assertions.py

    # -- fetching -----------------------------------------------------------------
    def load(self, iri: str) -> list[tuple[str, str, str]]:
        self.q.fetch(self.select, [iri])
        inc = incoming(self.select, iri)
        first = self.q.iri_objects(iri) | {s for s, _p, _g in inc}
        self.q.fetch(self.select, first)
        self.load_nested([iri, *first])
        return inc

    def row_support(self, s: str, p: str, o, graphs) -> list[Support]:
        out = []
        for g in sorted(set(graphs)):
            sid = source_id(g)
            if sid is None:
                continue
            texts, implied = self.assertions.get((s, p, o, g), ([], ""))
            out.append(Support(sid, self.sources.short(sid), list(texts), implied))
        return out

    def load_nested(self, nodes) -> None:
        """Excerpts, status reports, dates, participations and quantities of `nodes`."""
        frontier = list(nodes)
        for _depth in range(2):
            nested = {
                o.value
                for n in frontier
                for p, o, _g in self.q.quads(n)
                if isinstance(o, ox.NamedNode) and p[len(DG) :] in NESTED
            }
            self.q.fetch(self.select, nested)
            frontier = list(nested)

    # -- reading ------------------------------------------------------------------
    def node(self, iri: str) -> Node:
        return Node(self.q.label(iri), href(iri), self.note(iri))

    def when(self, date_node: str) -> display.When | None:
        written = self.q.labels.get(date_node)
        return display.parse_written(written) if written else None

    def date_text(self, fact: str) -> str:
        found = [self.when(o.value) for o in self.q.objects(fact, "date")]
        return " / ".join(sorted({w.text for w in found if w}))

    def statuses(self, fact: str) -> list[Status]:
        out = []
        for report in self.q.objects(fact, "statusReport"):
            r = report.value
            graph = next((g for _p, _o, g in self.q.quads(r, "eventStatus")), "")
            status = self.q.text(r, "eventStatus") or ""
            as_of = self.q.value(r, "asOf")
            when = self.when(as_of.value) if as_of is not None else None
            sid = source_id(graph) or ""
            out.append(
                Status(
                    display.status_name(status),
                    when.text if when else "",
                    sid,
                    self.sources.short(sid),
                    self.q.evidence(r, graph),
                )
            )
        return sorted(out, key=lambda s: (s.when and self._as_of(s), s.source))

    def _as_of(self, status: Status):
        found = display.parse_written(status.when) if status.when else None
        return found.earliest if found else status.when

    def latest_status(self, fact: str) -> str | None:
        """The status of the most recent report; same-day ties go to the firmest status."""
        best = None
        for report in self.q.objects(fact, "statusReport"):
            r = report.value
            status = display.status_name(self.q.text(r, "eventStatus") or "")
            as_of = self.q.value(r, "asOf")
            when = self.when(as_of.value) if as_of is not None else None
            order = display.STATUS_ORDER.index(status) if status in display.STATUS_ORDER else 99
            key = (when.earliest if when else None, -order)
            if best is None or (key[0] or 0, key[1]) > (best[0][0] or 0, best[0][1]):
                best = (key, status)
        return best[1] if best else None

    def note(self, iri: str) -> str:
        """A short parenthesis for events and dated facts: "planned, April 2026"."""
        bits = []
        status = self.latest_status(iri)
        if status:
            bits.append(display.term_label(status))
        date = self.date_text(iri)
        if date:
            bits.append(date)
        return ", ".join(bits)

    def support(self, fact: str, graphs) -> list[Support]:
        out = []
        for g in sorted(set(graphs)):
            sid = source_id(g)
            if sid is None:
                continue
            out.append(Support(sid, self.sources.short(sid), self.q.evidence(fact, g)))
        return out

    def literal(self, o: ox.Literal) -> Node:
        return Node(display.number(o.value) if "decimal" in o.datatype.value else o.value)

    def object_node(self, p: str, o) -> Node:
        if isinstance(o, ox.Literal):
            return self.literal(o)
        if p in DATE_PREDICATES:
            when = self.when(o.value)
            return Node(when.text if when else self.q.label(o.value))
        if p in ("quantity", "amount"):
            return Node(self.quantity(o.value))
        if o.value.startswith(DG):
            return Node(display.term_label(o.value[len(DG) :]))
        return self.node(o.value)

    def quantity(self, node: str) -> str:
        value = self.q.text(node, "numericValue") or ""
        unit = self.q.text(node, "unit")
        bound = self.q.text(node, "bound")
        currency = self.q.text(node, "currency")
        parts = [display.term_label(bound[len(DG) :]) if bound else "", display.number(value)]
        parts.append(currency or (display.term_label(unit[len(DG) :]) if unit else ""))
        return " ".join(p for p in parts if p)

    def roles(self, event: str, agent: str, graph: str) -> list[str]:
        roles = []
        for part in self.q.objects(event, "participation"):
            if self.q.text(part.value, "agent") == agent:
                roles += [
                    display.term_label(o.value[len(DG) :])
                    for _p, o, g in self.q.quads(part.value, "role")
                    if g == graph
                ]
        return sorted(set(roles))

    # -- the page -------------------------------------------------------------------
    def describe(self, iri: str) -> EntityView | None:
        inc = self.load(iri)
        q = self.q
        if not q.quads(iri) and not inc:
            return None
        self.assertions = assertion_evidence(self.select, {iri} | {s for s, _p, _g in inc})
        me = Node(q.label(iri), href(iri))
        groups: dict[str, list[Relation]] = defaultdict(list)
        out: dict[tuple[str, ox.Term], list[str]] = defaultdict(list)
        for p, o, g in q.quads(iri):
            local = p[len(DG) :] if p.startswith(DG) else ""
            if local and local not in HIDDEN_OUT and local != "curatedIn":
                out[(local, o)].append(g)
        for (local, o), graphs in out.items():
            obj = self.object_node(local, o)
            phrase = display.term_label(local)
            if local == "participant":
                roles = sorted({r for g in graphs for r in self.roles(iri, o.value, g)})
                if roles:
                    obj.note = ", ".join(roles)
            support = self.row_support(iri, DG + local, o, graphs)
            groups[phrase].append(Relation(me, phrase, obj, support))
        by_in: dict[tuple[str, str], list[str]] = defaultdict(list)
        for s, p, g in inc:
            local = p[len(DG) :]
            if local in HIDDEN_IN or "/" in local_id(s) and local != "claimedValue":
                continue
            by_in[(local, s)].append(g)
        for (local, s), graphs in by_in.items():
            phrase = display.inverse_label(local)
            if local == "participant":
                roles = sorted({r for g in graphs for r in self.roles(s, iri, g)})
                if roles:
                    phrase = f"participant ({', '.join(roles)}) in"
            support = self.row_support(s, DG + local, ox.NamedNode(iri), graphs)
            rel = Relation(me, phrase, self.node(s), support)
            groups[display.inverse_label(local)].append(rel)
        for rels in groups.values():
            rels.sort(key=lambda r: r.object.label.casefold())
        types = display.specific_types(q.types.get(iri, set()))
        return EntityView(
            iri=iri,
            id=local_id(iri),
            label=q.label(iri),
            types=[display.term_label(t) for t in types],
            aliases=sorted({o.value for o in q.objects(iri, "alias")}, key=str.casefold),
            descriptions=[o.value for o in q.objects(iri, "description")],
            wikidata=sorted(
                {o.value for o in q.objects(iri, "wikidata") + q.objects(iri, OWL_SAMEAS)}
            ),
            texts=[
                (o.value, self.support(iri, q.graphs(iri, DG + "text", o)))
                for o in q.objects(iri, "text")
            ],
            when=[(w.text, n) for w, n in self.dates(iri)],
            statuses=self.statuses(iri),
            positions=self.positions(iri, inc),
            groups=sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])),
            disputes=self.disputes(iri, inc),
            is_source="Source" in q.types.get(iri, set()),
        )

    def dates(self, fact: str) -> list[tuple[display.When, str]]:
        notes = [o.value for o in self.q.objects(fact, "dateNote")]
        found = [self.when(o.value) for o in self.q.objects(fact, "date")]
        return [(w, "; ".join(notes)) for w in found if w]

    def positions(self, iri: str, inc) -> list[Relation]:
        holdings = sorted({s for s, p, _g in inc if p == DG + "holder"})
        out = []
        for h in holdings:
            post = self.q.value(h, "post")
            if post is None:
                continue
            obj = self.node(post.value)
            status = self.q.text(h, "positionStatus")
            obj.note = status or ""
            graphs = [g for _p, _o, g in self.q.quads(h, "post")]
            out.append(Relation(Node(self.q.label(iri)), "holds", obj, self.support(h, graphs)))
        return out

    def disputes(self, iri: str, inc) -> list[Dispute]:
        q = self.q
        found = {s for s, p, _g in inc if p in (DG + "about", DG + "disputes")}
        found |= {o.value for o in q.objects(iri, "disputes")}
        found |= {iri}
        disagreements = sorted(d for d in found if "Disagreement" in q.types.get(d, set()))
        return self.disputes_of(disagreements)

    def disputes_of(self, disagreements: list[str]) -> list[Dispute]:
        """Each disagreement with its sides: who claims what, on which source's report."""
        q = self.q
        q.fetch(self.select, disagreements)
        sides_of = {d: [o.value for o in q.objects(d, "disputes")] for d in disagreements}
        facts = {f for fs in sides_of.values() for f in fs}
        q.fetch(self.select, facts)
        self.load_nested(facts)
        q.fetch_labels(self.select, {o for f in facts for o in q.iri_objects(f)})
        out = []
        for d in disagreements:
            sides = [self.side(f) for f in sides_of[d]]
            desc = q.text(d, "description") or ""
            out.append(Dispute(q.label(d), href(d) or "", desc, sides))
        return out

    def side(self, fact: str) -> Side:
        q = self.q
        who_iri = q.value(fact, "claimant") or q.value(fact, "speaker")
        graphs = [g for _p, _o, g in q.quads(fact, "source")]
        if who_iri is not None:
            who = q.label(who_iri.value)
        else:
            who = ", ".join(s.source_label for s in self.support(fact, graphs))
        says = q.text(fact, "text") or ""
        prop = q.text(fact, "claimedProperty")
        value = q.value(fact, "claimedValue") or q.value(fact, "claimedLiteral")
        if prop and value is not None:
            shown = q.label(value.value) if isinstance(value, ox.NamedNode) else value.value
            says = f"{display.term_label(prop[len(DG) :])}: {shown}" + (
                f" — “{says}”" if says else ""
            )
        elif not says:
            says = q.label(fact)
        return Side(self.node(fact), who, says, self.support(fact, graphs))
