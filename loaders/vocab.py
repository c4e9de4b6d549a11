"""What the ontology declares, in the form the loader needs to read curated keys.

The loader is driven by the ontology: a YAML key is a property's local name in
snake_case, and what a value means (a reference, a date, a controlled term, a
number) follows from that property's declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.compare import to_canonical_graph

from diplograph.loaders.parsed_files import kept
from diplograph.ontology import DG, DG_IRI, ONTOLOGY_FILE


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass
class Vocabulary:
    graph: Graph
    classes: dict[str, URIRef] = field(default_factory=dict)
    properties: dict[str, URIRef] = field(default_factory=dict)  # snake key -> IRI
    object_properties: set[URIRef] = field(default_factory=set)
    ranges: dict[URIRef, URIRef] = field(default_factory=dict)
    terms: dict[str, dict[str, URIRef]] = field(default_factory=dict)  # kind -> notation -> IRI
    labels: dict[URIRef, str] = field(default_factory=dict)
    #: the ontology's triples with its blank nodes canonically labelled: the build's
    #: ontology graph, so the same ontology always gives the same lines
    canonical: frozenset = frozenset()
    _supers: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict, repr=False)

    def is_subclass(self, cls: URIRef, ancestor: URIRef) -> bool:
        return ancestor in self.superclasses(cls)

    def superclasses(self, cls: URIRef) -> frozenset[URIRef]:
        """Asked for every typed record: remembered, the ontology being read once."""
        found = self._supers.get(cls)
        if found is None:
            found = self._supers[cls] = frozenset(
                self.graph.transitive_objects(cls, RDFS.subClassOf)
            )
        return found


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The ontology's vocabulary: read once per process, and parsed once per machine
    (loaders/parsed_files.py)."""
    return kept("vocabulary", [ONTOLOGY_FILE], read_vocabulary)


def read_vocabulary() -> Vocabulary:
    """The vocabulary, from the ontology's file."""
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    vocab = Vocabulary(graph, canonical=frozenset(to_canonical_graph(graph)))
    for cls in graph.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(DG_IRI):
            vocab.classes[str(cls)[len(DG_IRI) :]] = cls
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in graph.subjects(RDF.type, kind):
            if isinstance(prop, URIRef) and str(prop).startswith(DG_IRI):
                vocab.properties[snake(str(prop)[len(DG_IRI) :])] = prop
                if kind == OWL.ObjectProperty:
                    vocab.object_properties.add(prop)
                rng = graph.value(prop, RDFS.range)
                if rng is not None:
                    vocab.ranges[prop] = rng
    for term in graph.subjects(RDF.type, DG.ControlledTerm):
        kind = str(graph.value(term, DG.termKind))
        notation = str(graph.value(term, SKOS.notation))
        vocab.terms.setdefault(kind, {})[notation] = term
    for s, o in graph.subject_objects(RDFS.label):
        vocab.labels[s] = str(o)
    return vocab
