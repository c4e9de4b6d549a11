"""Evidence per assertion: each value a fact record gives gets its own statement node.

The direct triple stays (simple queries stay simple); beside it, in the same named graph,
a node with a deterministic IRI reifies it in plain RDF 1.1 (`rdf:Statement`, with
`rdf:subject`, `rdf:predicate`, `rdf:object`) and carries the excerpts that support that
one value (`dg:evidence`), the source (`dg:source`), or why the value is inferred rather
than quoted (`dg:implied`). docs/architecture.md, "Evidence per assertion", says why.

Which excerpts support a value:
- its own, when the curator wrote them on the value (`{id: taiwan, excerpt: "..."}`);
- none when it says `implied: <why>`;
- otherwise those of its record's excerpts that mention it (loaders/mentions.py): for a
  named value (an entity or a fact) by its label, aliases or cues; for a date, a number
  or a string by how a text writes it. A named value no excerpt mentions gets none, and
  the support check reports it; an unnamed value (a status, a quantity, a date no excerpt
  spells out) falls back to all its record's excerpts, the passage it was read from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import RDF, Literal, URIRef

from diplograph.loaders.curated import Record, as_list
from diplograph.loaders.mentions import date_names, mentions, number_names
from diplograph.loaders.yamlsrc import Map
from diplograph.ontology import DG, closed

RDF = closed(RDF)

EVIDENCE_KEYS = ("excerpt", "excerpts", "implied")
#: Keys naming the value itself in a value written as a mapping.
VALUE_KEYS = ("id", "value")


def bare(item):
    """A curated value without its evidence: the id or value of `{id: x, excerpt: ...}`."""
    if isinstance(item, Map):
        return next((item[k] for k in VALUE_KEYS if k in item), item)
    return item


@dataclass
class Support:
    """What a curator wrote on one value: its own excerpts, or why it is implied."""

    texts: list
    implied: str | None = None
    line: int | None = None

    @property
    def own(self) -> bool:
        return bool(self.texts) or self.implied is not None


def support_of(item) -> Support:
    if not isinstance(item, Map):
        return Support([], None, getattr(item, "line", None))
    texts = as_list(item.get("excerpt")) + as_list(item.get("excerpts"))
    implied = item.get("implied")
    return Support(texts, None if implied is None else str(implied), item.line)


def record_texts(rec: Record) -> list:
    return as_list(rec.data.get("excerpt")) + as_list(rec.data.get("excerpts"))


class AssertionMixin:
    """Methods of the Emitter that make statement nodes (see the module's doc)."""

    def unwrap(self, rec: Record, key: str, item, quantity: bool):
        """(the value, its Support) of a curated value, plain or written as a mapping."""
        if not isinstance(item, Map) or not any(k in item for k in EVIDENCE_KEYS):
            return item, support_of(None if isinstance(item, Map) else item)
        support = support_of(item)
        rest = Map({k: v for k, v in item.items() if k not in EVIDENCE_KEYS})
        rest.line, rest.key_lines = item.line, item.key_lines
        if quantity:
            return rest, support
        found = [k for k in VALUE_KEYS if k in rest]
        if len(found) != 1 or len(rest) != 1:
            self.problem(
                rec,
                key,
                f"{key}: a value with its own excerpt is written "
                "{id: <id>, excerpt: ...} or {value: <value>, excerpt: ...} "
                "(or implied: <why> instead of excerpt)",
                "required",
                item.line,
            )
            return None, support
        return rest[found[0]], support

    def names_of(self, rec: Record, prop: URIRef, value, obj) -> tuple[list[str] | None, bool]:
        """How an excerpt may name `value`, and whether the support check counts it."""
        if (
            isinstance(obj, URIRef)
            and str(value) in self.cur.definitions
            and obj == self.iri(str(value))
        ):
            return self.entity_names(str(value)), True
        if self.vocab.ranges.get(prop) == DG.TimeDescription:
            notes = [str(n) for n in as_list(rec.data.get("date_note"))]
            return date_names(str(value)) + notes, False
        if isinstance(obj, Literal):
            return number_names(str(value)), False
        return None, False

    def entity_names(self, ident: str) -> list[str]:
        data = self.cur.definitions[ident].data
        names = [self.cur.labels.get(ident, "")]
        for key in ("aliases", "alias", "cues", "cue"):
            names += [str(n) for n in as_list(data.get(key))]
        return [n for n in names if n]

    def assert_value(self, g, rec: Record, subject, prop, obj, value, support: Support):
        """The statement node for (subject, prop, obj) in rec's source graph; its excerpts."""
        if rec.kind != "fact" or obj is None:
            return []
        names, checked = self.names_of(rec, prop, value, obj)
        texts = self.supporting(rec, names, checked, support)
        line = support.line or getattr(value, "line", None) or rec.line
        return self.statement(g, rec, subject, prop, obj, texts, support.implied, line)

    @staticmethod
    def supporting(rec: Record, names, checked: bool, support: Support) -> list:
        """The texts supporting one value: its own, or its record's that mention it."""
        if support.own:
            return support.texts
        texts = record_texts(rec)
        if names is None:
            return texts
        found = [t for t in texts if mentions(str(t), names)]
        # Named values take only what mentions them (the support check reports the rest);
        # a date or number no excerpt spells out keeps the passage it was read from.
        return found if found or checked else texts

    def statement(self, g, rec: Record, subject, prop, obj, texts, implied, line) -> list:
        source_id = rec.source_id
        node = URIRef(f"{subject}/assertion/{source_id}/{prop.split('#')[-1]}/{self.key_of(obj)}")
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.type, DG.Assertion))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, prop))
        g.add((node, RDF.object, obj))
        g.add((node, DG.source, self.iri(source_id)))
        g.add((node, DG.curatedIn, Literal(f"{rec.file}:{line}")))
        if implied is not None:
            g.add((node, DG.implied, Literal(implied)))
        excerpts = [self.excerpt_node(g, rec, source_id, t) for t in texts]
        for excerpt in excerpts:
            g.add((node, DG.evidence, excerpt))
        return excerpts

    def key_of(self, obj) -> str:
        """A stable IRI segment for an object: its curated id, its term name, or a digest."""
        text = str(obj)
        prefix = str(self.ID)
        if isinstance(obj, URIRef) and text.startswith(prefix):
            return text[len(prefix) :].replace("/", ".")
        if isinstance(obj, URIRef) and text.startswith(str(DG)):
            return text[len(str(DG)) :]
        return hashlib.sha1(obj.n3().encode()).hexdigest()[:12]

    def excerpt_node(self, g, rec: Record, source_id: str, text) -> URIRef:
        digest = hashlib.sha1(f"{source_id}\n{text}".encode()).hexdigest()[:12]
        node = self.ID[f"excerpt/{source_id}/{digest}"]
        if node not in self.excerpt_nodes:
            self.excerpt_nodes.add(node)
            short = str(text) if len(text) <= 70 else str(text)[:67] + "..."
            g.add((node, RDF.type, DG.Excerpt))
            g.add((node, DG.exact, Literal(" ".join(str(text).split()))))
            g.add((node, DG.inSource, self.iri(source_id)))
            g.add((node, DG.label, Literal(f"“{short}”")))
        if (source_id, str(text)) not in self.excerpt_uses:
            self.excerpt_uses.add((source_id, str(text)))
            self.excerpts.append((source_id, str(text), rec.file, getattr(text, "line", rec.line)))
        return node
