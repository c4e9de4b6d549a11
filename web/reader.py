"""Reading an entity's neighbourhood off the graph: fetching its quads, then its values.

Each value keeps the named graph it was read from ("who says so"); a row's evidence is
that of its own triple's dg:Assertion (web/assertions.py), never the whole record's.
`describe.py` assembles a page from what this reads.
"""

from __future__ import annotations

import pyoxigraph as ox

from diplograph.web import display
from diplograph.web.entity_view import Node, Relation, Status, Support, href
from diplograph.web.graphdata import DG, Quads, Select, incoming, source_id
from diplograph.web.sources import SourceIndex

# Predicates whose objects are date nodes, and nodes read together with their subject.
DATE_PREDICATES = {"date", "startDate", "endDate", "deadline", "publicationDate", "asOf"}
NESTED = {"evidence", "statusReport", "participation", "quantity", "amount"} | DATE_PREDICATES


class Reader:
    """Fetches what a page about one node needs, then reads values and sentences off it."""

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

    def earliest(self, fact: str) -> tuple:
        """The fact's earliest date as a sort key; undated facts sort first."""
        found = [w.sort_key for w, _n in self.dates(fact)]
        return min(found) if found else ()

    def statuses(self, fact: str) -> list[Status]:
        """Each source's status report, oldest first (by the report's date, not its text)."""
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
                    when.sort_key if when else (),
                )
            )
        return sorted(out, key=lambda s: (s.order, s.source))

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

    def row_support(self, s: str, p: str, o, graphs) -> list[Support]:
        out = []
        for g in sorted(set(graphs)):
            sid = source_id(g)
            if sid is None:
                continue
            texts, implied = self.assertions.get((s, p, o, g), ([], ""))
            out.append(Support(sid, self.sources.short(sid), list(texts), implied))
        return out

    def literal(self, o: ox.Literal) -> Node:
        return Node(display.literal_text(o.value, o.datatype.value))

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
