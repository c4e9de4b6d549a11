"""The one conversion between rdflib's terms and Oxigraph's.

It lives with the ontology, at the bottom of the package, because every layer above
(the loader's quads, the SHACL engine, the OWL check) crosses between the two libraries.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

_XSD_STRING = str(XSD.string)


def to_rdflib(term, *, typed_strings: bool = False):
    """An Oxigraph term as rdflib's: xsd:string literals plain, as the loader makes them
    (rdflib tells the two apart), or typed with `typed_strings`."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    plain = datatype == _XSD_STRING and not typed_strings
    return Literal(term.value, datatype=None if plain else URIRef(datatype))


def to_ox(term):
    """An rdflib term as Oxigraph's."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
