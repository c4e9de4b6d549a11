"""Graph isomorphism for the export tests, by Oxigraph's RDF canonicalisation (RDFC-1.0).

rdflib.compare.isomorphic took about 20 s a format on the SHACL shapes (hundreds of blank
nodes: property shapes and lists); canonicalising both sides in Rust and comparing the
quads answers the same question in a fraction of that.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from diplograph.ontology.terms import to_ox


def canonical(graph: Graph) -> set:
    """The graph's triples with blank nodes named canonically (RDFC-1.0), as a set."""
    dataset = ox.Dataset(ox.Quad(*(to_ox(t) for t in triple)) for triple in graph)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def isomorphic(a: Graph, b: Graph) -> bool:
    """Whether `a` and `b` are the same graph up to blank-node names."""
    return len(a) == len(b) and canonical(a) == canonical(b)
