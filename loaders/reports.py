"""Reports a source makes on a date: statuses, topics (agenda, outcome, negatives) and roles.

What one source says of a thing that changes (an event's, a measure's, a commitment's or a
position's status; whether a topic was expected at, discussed at or not raised at an event)
is a report node in that source's graph, dated by the source's publication (`dg:asOf`), with
the excerpts of its value. The direct triple stays beside it where it is true, so simple
queries stay simple: `dg:status` on a measure or commitment, `dg:topic` for a topic a source
reports as discussed (never for an agenda topic or one reported as not raised).
"""

from __future__ import annotations

from rdflib import RDF, Literal, URIRef

from diplograph.loaders.assertions import support_of
from diplograph.loaders.curated import Record, as_list
from diplograph.ontology import DG, closed

RDF = closed(RDF)

#: The status report's property for each kind of status.
STATUS_PROPERTY = {
    "event-status": DG.eventStatus,
    "measure-status": DG.measureStatus,
    "commitment-status": DG.commitmentStatus,
    "holding-status": DG.holdingStatus,
}
#: Curated key of a topic report -> (topic status notation, the event's shortcut property).
TOPIC_KEYS = {
    "agenda": ("expected", DG.agendaTopic),
    "discussed": ("discussed", DG.discussedTopic),
    "not_raised": ("not-raised", DG.notRaisedTopic),
}


class ReportMixin:
    """Methods of the record emitter that make dated, per-source report nodes."""

    def publisher_label(self, source_id: str) -> str:
        publishers = as_list(self.cur.definitions[source_id].data.get("publisher"))
        return " / ".join(self.label(str(p)) for p in publishers) or source_id

    def as_of(self, g, node: URIRef, source_id: str) -> str | None:
        """Date a report by its source's publication; the date's text, or None."""
        when = self.source_dates.get(source_id)
        if when:
            source = self.cur.definitions[source_id]
            date = self.date_node(g, source, "publication_date", when)
            if date is not None:
                g.add((node, DG.asOf, date))
        return when

    def status_report(self, g, rec: Record, subject, kind: str, term, value, chosen, name=None):
        """`rec`'s source reports `subject` (named `name`, by default the record's label) in
        status `term` (of `kind`), as of the source's publication date."""
        node = URIRef(f"{subject}/status/{rec.source_id}/{value}")
        g.add((subject, DG.statusReport, node))
        g.add((node, RDF.type, DG.StatusReport))
        g.add((node, STATUS_PROPERTY[kind], term))
        g.add((node, DG.statusOf, subject))
        when = self.as_of(g, node, rec.source_id)
        by = self.publisher_label(rec.source_id)
        name = name or self.label(rec.id)
        g.add((node, DG.label, Literal(f"{name}: {value} (per {by}, {when})")))
        self.node_evidence(g, rec, node, chosen, record_or_value_texts(rec))
        return node

    # -- topics: agenda, outcome, negatives ---------------------------------------------
    def topic_reports(self, g, rec: Record, event: URIRef) -> None:
        for key in TOPIC_KEYS:
            if key not in rec.data:
                continue
            if not self.is_a(rec.id, DG.Event):
                message = f"'{key}' applies to events (the topics of a meeting or call)"
                self.problem(rec, key, message, "unknown-field")
                continue
            for item in as_list(rec.data[key]):
                self.topic_report(g, rec, event, key, item)

    def topic_report(self, g, rec: Record, event: URIRef, key: str, item) -> None:
        notation, shortcut = TOPIC_KEYS[key]
        term = self.vocab.terms["topic-status"][notation]
        value, support = self.unwrap(rec, key, item, False)
        if value is None:
            return
        topic = self.ref(rec, key, value)
        if topic is None:
            return
        if not self.is_a(str(value), DG.Topic):
            self.problem(rec, key, f"'{key}' lists topics; '{value}' is not one", "wrong-type")
            return
        g.add((event, shortcut, topic))
        chosen = self.assert_value(g, rec, event, shortcut, topic, value, support)
        if shortcut == DG.discussedTopic:
            # where it is true, the simple triple every topic query reads
            g.add((event, DG.topic, topic))
            self.assert_value(g, rec, event, DG.topic, topic, value, support)
        node = URIRef(f"{event}/topic-report/{rec.source_id}/{notation}/{value}")
        g.add((event, DG.topicReport, node))
        g.add((node, RDF.type, DG.TopicReport))
        g.add((node, DG.topicReportOf, event))
        g.add((node, DG.reportedTopic, topic))
        g.add((node, DG.topicStatus, term))
        when = self.as_of(g, node, rec.source_id)
        by = self.publisher_label(rec.source_id)
        text = f"{self.label(str(value))} {notation.replace('-', ' ')} at {self.label(rec.id)}"
        g.add((node, DG.label, Literal(f"{text} (per {by}, {when})")))
        self.node_evidence(g, rec, node, chosen, record_or_value_texts(rec))

    # -- roles ----------------------------------------------------------------------------
    def roles(self, g, rec: Record, node: URIRef, data) -> None:
        """A participant's roles, each asserted on the source's word (roles can differ)."""
        for role in as_list(data.get("role")) + as_list(data.get("roles")):
            term = self.term(rec, "participants", "role", role)
            if term is not None:
                g.add((node, DG.role, term))
                self.assert_value(g, rec, node, DG.role, term, role, support_of(data))


def record_or_value_texts(rec: Record) -> list:
    return as_list(rec.data.get("excerpt")) + as_list(rec.data.get("excerpts"))
