"""An entity's page as data: its names, the summary box, its relations, the disagreements.

The reading is `reader.py`'s; rows are grouped by relation in a fixed order
(`relations.py`), after a summary box of the essentials for the entity's kind
(`summary.py`), with the disagreements about it (`disputes.py`).
"""

from __future__ import annotations

from diplograph.web import display, relations, summary
from diplograph.web import disputes as dispute_reader
from diplograph.web.assertions import assertion_evidence
from diplograph.web.entity_view import Dispute, EntityView, Node, Relation, Status, Support, href
from diplograph.web.graphdata import DG, OWL_SAMEAS, local_id
from diplograph.web.reader import DATE_PREDICATES, Reader

__all__ = [
    "DATE_PREDICATES",
    "Describer",
    "Dispute",
    "EntityView",
    "Node",
    "Relation",
    "Status",
    "Support",
    "href",
]


class Describer(Reader):
    """A Reader that assembles whole pages."""

    def disputes_of(self, disagreements: list[str]) -> list[Dispute]:
        return dispute_reader.disputes_of(self, disagreements)

    # -- the page -------------------------------------------------------------------
    def describe(self, iri: str) -> EntityView | None:
        inc = self.load(iri)
        q = self.q
        if not q.quads(iri) and not inc:
            return None
        self.assertions = assertion_evidence(self.select, {iri} | {s for s, _p, _g in inc})
        rows = relations.rows(self, iri, inc)
        types = q.types.get(iri, set())
        view = EntityView(
            iri=iri,
            id=local_id(iri),
            label=q.label(iri),
            kind=summary.kind_of(types),
            types=[display.term_label(t) for t in display.specific_types(types)],
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
            groups=relations.ordered_groups(rows),
            disputes=dispute_reader.disputes(self, iri, inc),
            is_source="Source" in types,
        )
        view.summary = summary.facts(self, view, rows)
        view.cues = sorted({o.value for o in q.objects(iri, "cue")}, key=str.casefold)
        return view
