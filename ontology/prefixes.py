"""The one prefix table: the namespaces the project writes, each spelled once.

The exports (Turtle, TriG, RDF/XML headers, the JSON-LD @context), the dataset
description, the ontology page and the query code all take their namespace IRIs from
here. The ontology is the bottom layer, so every other folder may import it.
"""

from __future__ import annotations

from diplograph.ontology import BASE, DG_IRI

#: Prefixes of every export, in the order of their names.
STANDARD_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "dg": DG_IRI,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "vf": "https://w3id.org/valueflows/ont/vf#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: Namespaces the ontology cites that no export needs a prefix for.
OTHER_PREFIXES = {"unit": "http://qudt.org/vocab/unit/"}

NAMESPACES = {**STANDARD_PREFIXES, **OTHER_PREFIXES}
XSD = NAMESPACES["xsd"]
DCTERMS = NAMESPACES["dcterms"]


def prefixes(base: str = BASE) -> dict[str, str]:
    """The export prefix table for a build whose entities live under `base`."""
    return {**STANDARD_PREFIXES, "id": base + "id/", "graph": base + "graph/"}
