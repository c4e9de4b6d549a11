"""The RDF, RDFS and OWL terms the OWL check reads, as Oxigraph terms, by what they mean to it.

The check (reasoning.py) reads the store quad by quad; comparing Oxigraph terms
with these, rather than converting every quad to rdflib, keeps a pass over a
million quads to seconds.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS, XSD

from diplograph.ontology import DG_IRI
from diplograph.ontology.prefixes import NAMESPACES


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _terms(namespace, names: str) -> frozenset:
    """The terms of a closed rdflib namespace named in `names` (a typo fails at import)."""
    return frozenset(_n(namespace[name]) for name in names.split())


OUTSIDE_OWL2 = _terms(XSD, "date gYear gYearMonth duration gMonth gDay")
#: Namespaces whose terms carry axioms HermiT can use: ours, and OWL/RDF(S) themselves.
#: The aligned vocabularies (PROV, schema.org, SKOS...) are only super-terms here; one
#: that the ontology does give an axiom is kept too (`Schema.constrained`).
AXIOM_NAMESPACES = (str(RDF), str(RDFS), str(OWL), DG_IRI)
SCHEMA_NAMESPACES = (str(RDF), str(RDFS), str(OWL))
SUMMARY_NS = "http://diplograph.invalid/summary#"

TYPE, SAME_AS = _n(RDF.type), _n(OWL.sameAs)
SUB_CLASS, EQ_CLASS, DISJOINT = _n(RDFS.subClassOf), _n(OWL.equivalentClass), _n(OWL.disjointWith)
SUB_PROP, EQ_PROP, INVERSE = _n(RDFS.subPropertyOf), _n(OWL.equivalentProperty), _n(OWL.inverseOf)
DOMAIN, RANGE = _n(RDFS.domain), _n(RDFS.range)
MEMBERS, FIRST, REST = _n(OWL.members), _n(RDF.first), _n(RDF.rest)
#: RDF 1.1 reification, which the statement nodes beside each asserted value use
#: (dg:Assertion): bookkeeping the ontology states no axiom about, outside OWL 2 DL's
#: vocabulary, so the consistency check passes over it (the dg:Assertion type stays).
REIFICATION = frozenset({_n(RDF.subject), _n(RDF.predicate), _n(RDF.object)})
STATEMENT = _n(RDF.Statement)
ALL_DISJOINT = _n(OWL.AllDisjointClasses)
NAMED_INDIVIDUAL, NOTHING = _n(OWL.NamedIndividual), _n(OWL.Nothing)
TRANSITIVE, SYMMETRIC = _n(OWL.TransitiveProperty), _n(OWL.SymmetricProperty)
XSD_STRING, LANG_STRING = _n(XSD.string), _n(RDF.langString)
ANNOTATION_PROPERTY = _n(OWL.AnnotationProperty)
#: Axioms between named terms: what the summary argument allows (with the types below).
NAMED_AXIOMS = frozenset({SUB_CLASS, EQ_CLASS, DISJOINT, SUB_PROP, EQ_PROP, INVERSE, DOMAIN, RANGE})
#: Declarations and property characteristics that only act along an individual's own edges.
LOCAL_TYPES = (
    _terms(OWL, "Class ObjectProperty DatatypeProperty AnnotationProperty Ontology")
    | _terms(OWL, "AllDisjointClasses TransitiveProperty SymmetricProperty")
    | _terms(RDFS, "Class Datatype")
    | _terms(RDF, "Property List")
)
#: Types an individual may have without stating schema; only owl:Nothing constrains it.
INDIVIDUAL_TYPES = _terms(OWL, "NamedIndividual Thing Nothing")
#: Annotations: no meaning for consistency.
ANNOTATIONS = _terms(RDFS, "label comment seeAlso isDefinedBy") | _terms(
    OWL, "versionInfo versionIRI priorVersion backwardCompatibleWith incompatibleWith deprecated"
)
STRINGY = frozenset({XSD_STRING, _n(RDFS.Literal)})
LANG_STRINGY = frozenset({_n(RDFS.Literal), _n(RDF.PlainLiteral), LANG_STRING})
#: The prefixes a report names terms by: a subset of the one prefix table.
PREFIXES = {NAMESPACES[name]: f"{name}:" for name in ("rdf", "rdfs", "owl", "dg")}


def is_schema(term) -> bool:
    """An RDF, RDFS or OWL term: one that states schema rather than data."""
    return isinstance(term, ox.NamedNode) and term.value.startswith(SCHEMA_NAMESPACES)


def short(term) -> str:
    """A term as the report names it (rdf:, rdfs:, owl: and dg: terms by their prefix)."""
    text = getattr(term, "value", str(term))
    for ns, prefix in PREFIXES.items():
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return str(term)
