"""How many entities of each kind a build holds: the manifest's counts, the pages' totals."""

from __future__ import annotations

from rdflib import RDF, Dataset, URIRef

from diplograph.loaders.quads import Quads
from diplograph.ontology import DG, ONTOLOGY_IRI

COUNTED = [
    "Source",
    "Person",
    "UnnamedCollective",
    "Organisation",
    "Polity",
    "Country",
    "Place",
    "City",
    "Post",
    "Topic",
    "Event",
    "Meeting",
    "PhoneCall",
    "Trip",
    "Conference",
    "Commitment",
    "Measure",
    "Statement",
    "Quotation",
    "Paraphrase",
    "Claim",
    "Disagreement",
    "StatusReport",
    "Participation",
    "PositionHolding",
    "Excerpt",
]


def count_types(quads: Quads | Dataset) -> dict[str, int]:
    if isinstance(quads, Dataset):
        quads = Quads.from_dataset(quads)
    onto = URIRef(ONTOLOGY_IRI)
    subjects: dict[str, set] = {name: set() for name in COUNTED}
    for s, _p, o, g in quads.quads(RDF.type):
        if g == onto:
            continue
        name = str(o)[len(str(DG)) :] if str(o).startswith(str(DG)) else None
        if name in subjects:
            subjects[name].add(s)
    return {name: len(found) for name, found in subjects.items()}
