"""Words for the pages: ontology labels, inverse phrasings, dates at their precision.

A date is shown as precisely as its source gives it and no more: a month reads
"April 2026", never "1 April 2026"; a week reads "week of 27 Oct 2025".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from diplograph.loaders.dates import MONTHS, read_date
from diplograph.ontology import DG_IRI, ONTOLOGY_FILE

TIME = "http://www.w3.org/2006/time#"

# How a relation reads from its object's side ("Xi Jinping — participant in — ...").
INVERSE = {
    "participant": "participant in",
    "speaker": "speaker of",
    "claimant": "claimant of",
    "about": "subject of",
    "topic": "topic of",
    "place": "place of",
    "imposer": "imposer of",
    "target": "target of",
    "obligor": "obligor of",
    "beneficiary": "beneficiary of",
    "party": "party to",
    "publisher": "publisher of",
    "author": "author of",
    "cites": "cited by",
    "reportedBy": "reported",
    "addressee": "addressed in",
    "locatedIn": "location of",
    "partOfOrganisation": "has part",
    "nationality": "nationality of",
    "postIn": "has post",
    "partOf": "has part",
    "onSidelinesOf": "has on its sidelines",
    "destination": "destination of",
    "origin": "origin of",
    "initiator": "initiator of",
    "occasion": "occasion of",
    "madeAt": "occasion of",
    "claimedValue": "claimed value in",
    "resource": "resource in",
    "respondsTo": "prompted",
    "follows": "followed by",
    "governmentOf": "has government",
    "affiliation": "affiliation of",
    "organisation": "organisation of",
    "madeIn": "statement behind",
    "disputes": "disputed in",
    "conflictsWith": "conflicts with",
    "broader": "broader than",
}

# Statuses that mean the event took place, and the order used to pick one when a source
# reports several on the same day.
HELD = {"Held"}
UPCOMING = {"Announced", "Planned", "Expected", "Confirmed", "Unconfirmed"}
STATUS_ORDER = [
    "Held",
    "Cancelled",
    "Postponed",
    "Confirmed",
    "Announced",
    "Planned",
    "Expected",
    "Unconfirmed",
]


@cache
def ontology_graph() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


@cache
def term_labels() -> dict[str, str]:
    """Local name -> English label of every dg: term."""
    graph = ontology_graph()
    return {
        str(s)[len(DG_IRI) :]: str(o)
        for s, o in graph.subject_objects(RDFS.label)
        if str(s).startswith(DG_IRI)
    }


def term_label(local: str) -> str:
    return term_labels().get(local, re.sub(r"(?<!^)([A-Z])", r" \1", local).lower())


def inverse_label(local: str) -> str:
    return INVERSE.get(local, f"{term_label(local)} of")


@cache
def class_depths() -> dict[str, int]:
    """How deep each dg: class sits under its roots, to show the most specific types first."""
    graph = ontology_graph()
    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(DG_IRI):
            parents[str(cls)[len(DG_IRI) :]] = {
                str(p)[len(DG_IRI) :]
                for p in graph.objects(cls, RDFS.subClassOf)
                if str(p).startswith(DG_IRI)
            }

    def depth(name: str, seen: frozenset = frozenset()) -> int:
        ups = parents.get(name, set()) - seen
        return 0 if not ups else 1 + max(depth(p, seen | {name}) for p in ups)

    return {name: depth(name) for name in parents}


def specific_types(types: set[str]) -> list[str]:
    """The most specific of `types` (those no other type in the set is a subclass of)."""
    graph = ontology_graph()
    supers: set[str] = set()
    for name in types:
        for sup in graph.transitive_objects(URIRef(DG_IRI + name), RDFS.subClassOf):
            if str(sup) != DG_IRI + name and str(sup).startswith(DG_IRI):
                supers.add(str(sup)[len(DG_IRI) :])
    keep = [t for t in types if t not in supers] or list(types)
    depths = class_depths()
    return sorted(keep, key=lambda t: (-depths.get(t, 0), t))


@dataclass(frozen=True)
class When:
    """A date as its source gives it."""

    written: str
    precision: str
    earliest: dt.date
    latest: dt.date

    @property
    def text(self) -> str:
        e = self.earliest
        if self.precision == "day":
            return f"{e.day} {MONTHS[e.month - 1][:3]} {e.year}"
        if self.precision == "week":
            return f"week of {e.day} {MONTHS[e.month - 1][:3]} {e.year}"
        if self.precision == "month":
            return f"{MONTHS[e.month - 1]} {e.year}"
        return str(e.year)

    @property
    def sort_key(self) -> tuple:
        return (self.earliest, self.latest)


def parse_written(written: str) -> When | None:
    """A curated date (`2025-10-30`, `2025-W44`, `2026-04`, `2026`) with its day range."""
    found = read_date(written)
    if found is None:
        return None
    return When(written, found.precision_name, found.earliest, found.latest)


def status_name(iri: str) -> str:
    return iri[len(DG_IRI) :] if iri.startswith(DG_IRI) else iri


def number(text: str) -> str:
    """A decimal as readers write it: 87500000 -> 87,500,000; 87.5 -> 87.5."""
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


def duration(text: str) -> str:
    """An xsd:duration as words: P3Y6M -> "3 years 6 months"; anything else unchanged."""
    found = _DURATION.match(text)
    if not found or text in ("P", "PT"):
        return text
    parts = []
    for unit, count in found.groupdict().items():
        if count is not None:
            n = int(count)
            parts.append(f"{n} {unit if n != 1 else unit[:-1]}")
    return " ".join(parts) or text


XSD = "http://www.w3.org/2001/XMLSchema#"


def literal_text(value: str, datatype: str) -> str:
    """A literal as a reader writes it: numbers grouped, durations in words, dates at precision."""
    kind = datatype[len(XSD) :] if datatype.startswith(XSD) else ""
    if kind in ("decimal", "integer", "double", "float", "nonNegativeInteger", "positiveInteger"):
        return number(value)
    if kind in ("duration", "dayTimeDuration", "yearMonthDuration"):
        return duration(value)
    if kind in ("date", "gYearMonth", "gYear"):
        found = parse_written(value)
        return found.text if found else value
    return value
