"""Second pass of a build: turn curated records into quads, one named graph per source.

Every node gets an IRI minted from curated ids (no blank nodes), so partners
can link to participations, status reports, quantities and excerpts too.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from diplograph.loaders.assertions import AssertionMixin
from diplograph.loaders.curated import Curated, Record, as_list
from diplograph.loaders.dates import parse_date
from diplograph.loaders.errors import Problem, suggest
from diplograph.loaders.quads import Quads
from diplograph.loaders.vocab import Vocabulary, snake
from diplograph.loaders.yamlsrc import Map
from diplograph.ontology import BASE, DG, closed

RDF = closed(RDF)
XSD = closed(XSD)

WIKIDATA = Namespace("http://www.wikidata.org/entity/")
KEY_ALIASES = {
    "aliases": "alias",
    "topics": "topic",
    "excerpts": "excerpt",
    "parties": "party",
    "destinations": "destination",
    "authors": "author",
    "cues": "cue",
    "types": "type",
    "participants": "participants",
    "positions": "positions",
}
SPECIAL = {
    "id",
    "type",
    "excerpt",
    "participants",
    "status",
    "positions",
    "wikidata",
    "broader",
    "file",
    "source",
    "agenda",
    "discussed",
    "not_raised",
}
TERM_KINDS = {
    DG.role: "role",
    DG.eventStatus: "event-status",
    DG.bound: "bound",
    DG.unit: "unit",
    DG.rateBasis: "rate-basis",
    DG.occupation: "occupation",
    DG.holdingStatus: "holding-status",
}
_DURATION = re.compile(
    r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class Emitter(AssertionMixin):
    def __init__(self, cur: Curated, vocab: Vocabulary, base: str = BASE):
        self.cur, self.vocab = cur, vocab
        self.ID = Namespace(base + "id/")
        self.GRAPH = Namespace(base + "graph/")
        self.ds = Quads()
        self.problems: list[Problem] = []
        self.excerpts: list[tuple[str, str, str, int]] = []  # source, text, file, line
        self.excerpt_nodes: set[URIRef] = set()
        self.excerpt_uses: set[tuple[str, str]] = set()
        self.source_dates: dict[str, str] = {}

    # -- helpers ---------------------------------------------------------
    def iri(self, ident: str) -> URIRef:
        return self.ID[ident]

    def problem(
        self,
        rec: Record,
        key: str | None,
        message: str,
        rule: str = "curation",
        line: int | None = None,
    ):
        line = line or (getattr(rec.data.get(key), "line", None) if key else None)
        self.problems.append(Problem(rec.file, line or rec.where(key), message, rule))

    def graph_for(self, rec: Record, source_id: str | None = None):
        if rec.kind == "fact":
            return self.ds.graph(self.GRAPH[rec.source_id])
        if source_id:
            return self.ds.graph(self.GRAPH[source_id])
        if rec.kind == "source":
            return self.ds.graph(self.GRAPH[rec.id])
        if rec.kind == "disagreement":
            return self.ds.graph(self.GRAPH["curation"])
        return self.ds.graph(self.GRAPH["entities"])

    def label(self, ident: str) -> str:
        return self.cur.labels.get(ident, ident)

    def ref(self, rec: Record, key: str, value) -> URIRef | None:
        ident = str(value)
        if ident not in self.cur.definitions:
            self.problem(
                rec,
                key,
                f"unknown id '{ident}' in '{key}'{suggest(ident, self.cur.definitions)}",
                "unknown-id",
                getattr(value, "line", None),
            )
            return None
        return self.iri(ident)

    def classes_of(self, ident: str) -> list[URIRef]:
        return [
            self.vocab.classes[t] for t in self.cur.types.get(ident, []) if t in self.vocab.classes
        ]

    def is_a(self, ident: str, ancestor: URIRef) -> bool:
        return any(
            c == ancestor or self.vocab.is_subclass(c, ancestor) for c in self.classes_of(ident)
        )

    def date_node(self, g, rec: Record, key: str, value) -> URIRef | None:
        try:
            fuzzy = parse_date(str(value))
        except ValueError as exc:
            self.problem(rec, key, f"{key}: {exc}", "date")
            return None
        node = self.ID[f"date/{fuzzy.text}"]
        g.add((node, RDF.type, DG.TimeDescription))
        g.add((node, DG.label, Literal(fuzzy.text)))
        g.add((node, DG.dateValue, fuzzy.literal))
        g.add((node, DG.precision, fuzzy.precision))
        g.add((node, DG.earliest, Literal(fuzzy.earliest.isoformat(), datatype=XSD.date)))
        g.add((node, DG.latest, Literal(fuzzy.latest.isoformat(), datatype=XSD.date)))
        return node

    def term(self, rec: Record, key: str, kind: str, value) -> URIRef | None:
        table = self.vocab.terms.get(kind, {})
        found = table.get(str(value))
        if found is None:
            self.problem(
                rec,
                key,
                f"'{value}' is not a {kind}; expected one of: {', '.join(sorted(table))}",
                "controlled-term",
                getattr(value, "line", None),
            )
        return found

    def literal(self, rec: Record, key: str, prop: URIRef, value) -> Literal | None:
        text = str(value)
        rng = self.vocab.ranges.get(prop)
        try:
            if rng in (XSD.decimal, XSD.integer):
                number = Decimal(text)
                if rng == XSD.integer and number != number.to_integral_value():
                    raise InvalidOperation
                return Literal(str(int(number)) if rng == XSD.integer else text, datatype=rng)
            if rng == XSD.boolean:
                if text not in ("true", "false"):
                    raise InvalidOperation
                return Literal(text, datatype=XSD.boolean)
        except InvalidOperation:
            self.problem(
                rec, key, f"{key}: '{text}' is not a valid {rng.split('#')[-1]}", "datatype"
            )
            return None
        if rng == XSD.duration or prop == DG.duration:
            if not _DURATION.match(text):
                self.problem(
                    rec,
                    key,
                    f"{key}: '{text}' is not an ISO 8601 duration (e.g. P3Y6M)",
                    "datatype",
                )
                return None
            return Literal(text, datatype=XSD.duration)
        if rng == XSD.language:
            if not _LANG.match(text):
                self.problem(rec, key, f"{key}: '{text}' is not a language code", "datatype")
                return None
            return Literal(text, datatype=XSD.language)
        if rng == XSD.anyURI:
            return Literal(text, datatype=XSD.anyURI)
        return Literal(text)

    # -- generic properties ---------------------------------------------------
    def add_property(self, g, rec: Record, subject: URIRef, key: str, value):
        name = KEY_ALIASES.get(key, key)
        prop = self.vocab.properties.get(name)
        if prop is None:
            self.problem(
                rec,
                key,
                f"unknown field '{key}'{suggest(name, self.vocab.properties)}",
                "unknown-field",
            )
            return
        quantity = self.vocab.ranges.get(prop) in (DG.Quantity, DG.MonetaryAmount)
        for item in as_list(value):
            item, support = self.unwrap(rec, key, item, quantity)
            if item is None:
                continue
            obj = self.value_for(g, rec, subject, key, prop, item)
            if obj is not None:
                g.add((subject, prop, obj))
                self.assert_value(g, rec, subject, prop, obj, item, support)

    def value_for(self, g, rec: Record, subject: URIRef, key: str, prop: URIRef, item):
        rng = self.vocab.ranges.get(prop)
        if isinstance(item, Map):
            if rng in (DG.Quantity, DG.MonetaryAmount):
                return self.quantity(g, rec, subject, key, prop, item)
            self.problem(rec, key, f"{key}: expected a single value, not a mapping", "datatype")
            return None
        if prop not in self.vocab.object_properties:
            return self.literal(rec, key, prop, item)
        if rng == DG.TimeDescription:
            return self.date_node(g, rec, key, item)
        if prop in TERM_KINDS:
            return self.term(rec, key, TERM_KINDS[prop], item)
        if prop == DG.claimedProperty:
            target = self.vocab.properties.get(snake(str(item)))
            if target is None:
                self.problem(
                    rec,
                    key,
                    f"claimed_property: '{item}' is not an ontology property"
                    f"{suggest(snake(str(item)), self.vocab.properties)}",
                    "unknown-field",
                )
            return target
        if rng in (DG.Quantity, DG.MonetaryAmount):
            self.problem(
                rec, key, f"{key}: expected a mapping with value and unit/currency", "required"
            )
            return None
        return self.ref(rec, key, item)

    def quantity(self, g, rec: Record, subject: URIRef, key: str, prop: URIRef, item: Map):
        suffix = f"/{rec.source_id}" if rec.source_id else ""
        node = URIRef(f"{subject}/{snake(prop.split('#')[-1])}{suffix}")
        money = prop == DG.amount
        g.add((node, RDF.type, DG.MonetaryAmount if money else DG.Quantity))
        for sub, value in item.items():
            if sub == "value":
                lit = self.literal(rec, key, DG.numericValue, value)
                if lit is not None:
                    g.add((node, DG.numericValue, lit))
            elif sub == "currency" and money:
                if not re.fullmatch(r"[A-Z]{3}", str(value)):
                    self.problem(
                        rec,
                        key,
                        f"currency '{value}' is not an ISO 4217 code (e.g. USD)",
                        "datatype",
                    )
                g.add((node, DG.currency, Literal(str(value))))
            elif sub in ("unit", "bound"):
                found = self.term(rec, key, sub, value)
                if found is not None:
                    g.add((node, DG[sub], found))
            else:
                self.problem(
                    rec,
                    key,
                    f"{key}: unknown field '{sub}' (use value, unit, bound"
                    f"{', currency' if money else ''})",
                    "unknown-field",
                )
        text = " ".join(
            str(item.get(k, "")) for k in ("bound", "value", "unit", "currency")
        ).strip()
        g.add((node, DG.label, Literal(f"{self.label(rec.id)}: {text}")))
        return node

    # -- evidence ---------------------------------------------------------------
    def evidence(self, g, rec: Record, subject: URIRef, source_id: str, texts: list) -> None:
        if not texts:
            self.problem(
                rec,
                None,
                f"'{rec.id}' has no excerpt: every fact must quote the "
                "passage of its source that supports it",
                "required",
            )
            return
        source = self.iri(source_id)
        for text in texts:
            g.add((subject, DG.evidence, self.excerpt_node(g, rec, source_id, text)))
        g.add((subject, DG.source, source))

    def curated_in(self, g, rec: Record, subject: URIRef):
        g.add((subject, DG.curatedIn, Literal(f"{rec.file}:{rec.line}")))
