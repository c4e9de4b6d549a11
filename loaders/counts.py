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
    """Distinct subjects typed with each COUNTED class, in any graph but the ontology's.

    Predicates compared as strings (`str.__eq__`, in C): rdflib's term equality is Python
    code, and this looks at every triple of the build."""
    if isinstance(quads, Dataset):
        quads = Quads.from_dataset(quads)
    onto, rdf_type, same = URIRef(ONTOLOGY_IRI), str(RDF.type), str.__eq__
    wanted = {f"{DG}{name}": name for name in COUNTED}
    subjects: dict[str, set] = {name: set() for name in COUNTED}
    for g, triples in quads.graphs.items():
        if g == onto:
            continue
        for s, p, o in triples:
            if same(p, rdf_type):
                name = wanted.get(str(o))
                if name is not None:
                    subjects[name].add(s)
    return {name: len(found) for name, found in subjects.items()}
