"""How each kind of curated record becomes RDF: sources, entities, facts, disagreements."""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter

from rdflib import OWL, RDF, SKOS, Literal, URIRef

from diplograph.loaders.assertions import Support, bare, support_of
from diplograph.loaders.curated import Curated, Record, as_list
from diplograph.loaders.emit import SPECIAL, WIKIDATA, Emitter
from diplograph.loaders.errors import suggest
from diplograph.loaders.reports import ReportMixin
from diplograph.loaders.units import Units
from diplograph.loaders.vocab import Vocabulary
from diplograph.loaders.yamlsrc import Map
from diplograph.ontology import BASE, DG, closed

OWL = closed(OWL)
RDF = closed(RDF)
SKOS = closed(SKOS)

STATUS_KIND = {
    DG.Measure: "measure-status",
    DG.Commitment: "commitment-status",
    DG.Event: "event-status",
}
LABEL_REQUIRED = (DG.Event, DG.Commitment, DG.Measure, DG.Claim)


class RecordEmitter(ReportMixin, Emitter):
    def emit(self, units: Units | None = None) -> None:
        """Sources first (their dates are read by the rest), then each file's records in
        order; file by file through `units` (loaders/units.py) when given."""
        handlers = {"entity": self.entity, "fact": self.fact, "disagreement": self.disagreement}
        passes = [("source", [r for r in self.cur.records if r.kind == "source"], self.source)]
        for _file, group in groupby(self.cur.records, key=attrgetter("file")):
            records = [r for r in group if r.kind != "source"]
            if records:
                passes.append(("record", records, lambda r: handlers[r.kind](r)))
        if units is not None:
            units.begin(self)
        for name, records, handle in passes:
            if units is None:
                for rec in records:
                    handle(rec)
            elif records:
                units.run(self, name, records, handle)
        if units is not None:
            units.end()

    def types(self, g, rec: Record, subject: URIRef, allowed: tuple[URIRef, ...]) -> list[URIRef]:
        classes = []
        for name in self.cur.types.get(rec.id, []):
            cls = self.vocab.classes.get(name)
            if cls is None:
                self.problem(
                    rec,
                    "type",
                    f"unknown type '{name}'{suggest(name, self.vocab.classes)}",
                    "unknown-type",
                )
                continue
            if not any(cls == a or self.vocab.is_subclass(cls, a) for a in allowed):
                names = ", ".join(a.split("#")[-1] for a in allowed)
                self.problem(
                    rec,
                    "type",
                    f"type '{name}' does not belong in this file (expected a kind of {names})",
                    "wrong-type",
                )
                continue
            g.add((subject, RDF.type, cls))
            classes.append(cls)
        if not self.cur.types.get(rec.id):
            self.problem(rec, None, f"'{rec.id}' has no 'type'", "required")
        return classes

    def common(self, g, rec: Record, subject: URIRef, skip: set[str] = frozenset()) -> None:
        for key, value in rec.data.items():
            if key in SPECIAL or key in skip:
                continue
            self.add_property(g, rec, subject, key, value)

    # -- sources ------------------------------------------------------------------
    def source(self, rec: Record) -> None:
        g, subject = self.graph_for(rec), self.iri(rec.id)
        self.types(g, rec, subject, (DG.Source,))
        self.curated_in(g, rec, subject)
        for key in ("file", "publisher", "headline", "publication_date"):
            if key not in rec.data:
                self.problem(
                    rec, None, f"source '{rec.id}' is missing required field '{key}'", "required"
                )
        if "file" in rec.data:
            g.add((subject, DG.fileName, Literal(str(rec.data["file"]))))
        # The named graph of a source says which source it holds, so GRAPH ?g finds it.
        g.add((URIRef(str(self.GRAPH[rec.id])), DG.source, subject))
        if "publication_date" in rec.data:
            self.source_dates[rec.id] = str(rec.data["publication_date"])
        self.common(g, rec, subject)
        if "label" not in rec.data and "headline" in rec.data:
            g.add((subject, DG.label, Literal(str(rec.data["headline"]))))

    # -- entities -----------------------------------------------------------------
    def entity(self, rec: Record) -> None:
        g, subject = self.graph_for(rec), self.iri(rec.id)
        allowed = (DG.Agent, DG.Place, DG.Post, DG.Topic)
        classes = self.types(g, rec, subject, allowed)
        self.curated_in(g, rec, subject)
        if "label" not in rec.data:
            self.problem(rec, None, f"entity '{rec.id}' has no 'label'", "required")
        if DG.Topic in classes:
            g.add((subject, RDF.type, SKOS.Concept))
            g.add((subject, SKOS.inScheme, self.ID["topics"]))
            topics = self.ds.graph(self.GRAPH["entities"])
            topics.add((self.ID["topics"], RDF.type, SKOS.ConceptScheme))
            topics.add((self.ID["topics"], DG.label, Literal("diplograph topics")))
        for parent in as_list(rec.data.get("broader")):
            target = self.ref(rec, "broader", parent)
            if target is not None:
                g.add((subject, SKOS.broader, target))
        for qid in as_list(rec.data.get("wikidata")):
            if not str(qid).startswith("Q") or not str(qid)[1:].isdigit():
                self.problem(
                    rec, "wikidata", f"wikidata: '{qid}' is not a QID like Q22686", "datatype"
                )
                continue
            g.add((subject, DG.wikidata, WIKIDATA[str(qid)]))
            g.add((subject, OWL.sameAs, WIKIDATA[str(qid)]))
        self.common(g, rec, subject)
        for position in as_list(rec.data.get("positions")):
            self.position(rec, subject, position)

    def position(self, rec: Record, person: URIRef, item) -> None:
        if not isinstance(item, Map) or "post" not in item or "source" not in item:
            self.problem(
                rec, "positions", "a position needs 'post', 'source' and 'excerpt'", "required"
            )
            return
        source_id = str(item["source"])
        if self.ref(rec, "positions", source_id) is None:
            return
        post = self.ref(rec, "positions", item["post"])
        if post is None:
            return
        g = self.graph_for(rec, source_id)
        node = URIRef(f"{person}/position/{item['post']}")
        sub = Record(item, rec.file, "entity")
        g.add((node, RDF.type, DG.PositionHolding))
        g.add((node, DG.holder, person))
        g.add((node, DG.post, post))
        g.add((person, DG.holdsPost, post))
        as_fact = Record(item, rec.file, "fact", source_id)
        self.assert_value(g, as_fact, person, DG.holdsPost, post, item["post"], Support([]))
        g.add((node, DG.label, Literal(f"{self.label(rec.id)} as {self.label(str(item['post']))}")))
        org_id = self.cur.definitions.get(str(item["post"]))
        if org_id is not None and "post_in" in org_id.data:
            for org in as_list(org_id.data["post_in"]):
                if str(org) in self.cur.definitions:
                    g.add((node, DG.organisation, self.iri(str(org))))
        self.curated_in(g, sub, node)
        for key, value in item.items():
            if key not in ("post", "source", "excerpt", "excerpts", "status"):
                self.add_property(g, sub, node, key, value)
        texts = as_list(item.get("excerpt")) + as_list(item.get("excerpts"))
        self.evidence(g, sub, node, source_id, texts)
        name = f"{self.label(rec.id)} as {self.label(str(item['post']))}"
        for value in as_list(item.get("status")):
            self.holding_status(g, as_fact, node, value, name)

    def holding_status(self, g, rec: Record, node: URIRef, value, name: str) -> None:
        """current, former or designate, on the source's word: the shortcut on the holding
        and a dated status report (a post held now may be a former one in a later source)."""
        value, support = self.unwrap(rec, "positions", value, False)
        term = None if value is None else self.term(rec, "positions", "holding-status", value)
        if term is None:
            return
        g.add((node, DG.holdingStatus, term))
        chosen = self.assert_value(g, rec, node, DG.holdingStatus, term, value, support)
        self.status_report(g, rec, node, "holding-status", term, value, chosen, name)

    # -- facts --------------------------------------------------------------------
    def fact(self, rec: Record) -> None:
        if rec.source_id not in self.cur.definitions:
            self.problem(
                rec,
                None,
                f"unknown source '{rec.source_id}'{suggest(rec.source_id, self.cur.definitions)}",
                "unknown-id",
            )
            return
        g, subject = self.graph_for(rec), self.iri(rec.id)
        defining = self.cur.definitions.get(rec.id) is rec
        if defining:
            self.types(g, rec, subject, (DG.Fact,))
            if "label" not in rec.data and any(self.is_a(rec.id, c) for c in LABEL_REQUIRED):
                self.problem(rec, None, f"'{rec.id}' has no 'label'", "required")
            if self.is_a(rec.id, DG.Statement):
                for key in ("speaker", "text"):
                    if key not in rec.data:
                        self.problem(rec, None, f"statement '{rec.id}' has no '{key}'", "required")
                if "label" not in rec.data and "speaker" in rec.data and "text" in rec.data:
                    text = str(rec.data["text"])
                    short = text if len(text) <= 60 else text[:57] + "..."
                    speakers = " and ".join(
                        self.label(str(bare(x))) for x in as_list(rec.data["speaker"])
                    )
                    label = f"{speakers}: “{short}”"
                    self.cur.labels[rec.id] = label
                    g.add((subject, DG.label, Literal(label)))
        self.curated_in(g, rec, subject)
        self.common(g, rec, subject)
        texts = as_list(rec.data.get("excerpt")) + as_list(rec.data.get("excerpts"))
        self.evidence(g, rec, subject, rec.source_id, texts)
        for item in as_list(rec.data.get("participants")):
            self.participant(g, rec, subject, item, texts)
        for value in as_list(rec.data.get("status")):
            self.status(g, rec, subject, value)
        self.topic_reports(g, rec, subject)

    def participant(self, g, rec: Record, event: URIRef, item, texts) -> None:
        data = item if isinstance(item, Map) else Map(agent=item)
        if "agent" not in data:
            self.problem(
                rec, "participants", "a participant needs 'agent' (and optional 'role')", "required"
            )
            return
        agent = self.ref(rec, "participants", data["agent"])
        if agent is None:
            return
        node = URIRef(f"{event}/participation/{data['agent']}")
        g.add((event, DG.participant, agent))
        g.add((event, DG.participation, node))
        g.add((node, RDF.type, DG.Participation))
        g.add((node, DG.agent, agent))
        g.add(
            (node, DG.label, Literal(f"{self.label(str(data['agent']))} in {self.label(rec.id)}"))
        )
        self.roles(g, rec, node, data)
        support = support_of(item)
        chosen = self.assert_value(g, rec, event, DG.participant, agent, data["agent"], support)
        self.node_evidence(g, rec, node, chosen, texts)

    def node_evidence(self, g, rec: Record, node: URIRef, chosen: list, texts) -> None:
        """A participation's or status report's excerpts: its assertion's, else its record's
        (the node exists on the record's word; its row shows the assertion's)."""
        if not chosen:
            self.evidence(g, rec, node, rec.source_id, texts)
            return
        for excerpt in chosen:
            g.add((node, DG.evidence, excerpt))
        g.add((node, DG.source, self.iri(rec.source_id)))

    def status(self, g, rec: Record, subject: URIRef, value) -> None:
        """A status on a source's word: a dated status report for events, measures and
        commitments; the direct triple too where it is simple (a measure's, a commitment's
        dg:status; an event's dg:reportedStatus)."""
        value, support = self.unwrap(rec, "status", value, False)
        if value is None:
            return
        kind = next((k for cls, k in STATUS_KIND.items() if self.is_a(rec.id, cls)), None)
        if kind is None:
            self.problem(
                rec,
                "status",
                "'status' applies to events, measures and commitments",
                "unknown-field",
            )
            return
        term = self.term(rec, "status", kind, value)
        if term is None:
            return
        direct = DG.reportedStatus if kind == "event-status" else DG.status
        g.add((subject, direct, term))
        chosen = self.assert_value(g, rec, subject, direct, term, value, support)
        self.status_report(g, rec, subject, kind, term, value, chosen)

    # -- disagreements --------------------------------------------------------------
    def disagreement(self, rec: Record) -> None:
        g, subject = self.graph_for(rec), self.iri(rec.id)
        self.types(g, rec, subject, (DG.Disagreement,))
        self.curated_in(g, rec, subject)
        if "label" not in rec.data:
            self.problem(rec, None, f"disagreement '{rec.id}' has no 'label'", "required")
        if len(as_list(rec.data.get("disputes"))) < 2:
            self.problem(
                rec,
                "disputes",
                "a disagreement sets at least two facts or claims against each other ('disputes')",
                "required",
            )
        self.common(g, rec, subject)
        disputed = [
            str(d) for d in as_list(rec.data.get("disputes")) if str(d) in self.cur.definitions
        ]
        for a in disputed:
            for b in disputed:
                if a != b:
                    g.add((self.iri(a), DG.conflictsWith, self.iri(b)))


def emit_dataset(
    cur: Curated, vocab: Vocabulary, base: str = BASE, units: Units | None = None
) -> RecordEmitter:
    """The records' RDF; `units`: the last build's files to replay, left holding this one's."""
    emitter = RecordEmitter(cur, vocab, base)
    emitter.emit(units)
    return emitter
