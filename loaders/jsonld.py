"""Compact JSON-LD with the project's own @context, written as a stream.

The @context is generated from the ontology (one term per dg: class and
property) and embedded in every dump, so no processor ever has to fetch it.
The writer compacts by rule rather than through a JSON-LD library: terms for
dg: properties, prefixed names elsewhere, explicit value objects for anything
a term would coerce wrongly. That keeps a million quads to a single pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph, URIRef

from ..ontology import BASE, DG_IRI

RDF_TYPE = str(RDF.type)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Prefixes shared by the Turtle, TriG, RDF/XML and JSON-LD exports.
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


def prefixes(base: str = BASE) -> dict[str, str]:
    """The prefix table for a build whose entities live under `base`."""
    return {**STANDARD_PREFIXES, "id": base + "id/", "graph": base + "graph/"}


def build_context(ontology: Graph, base: str = BASE) -> dict:
    """The @context: prefixes, a term per dg: class, and a term per dg: property.

    Object properties coerce values to IRIs; other terms coerce nothing, so a
    literal's datatype or language always travels with it.
    """
    ctx: dict = dict(sorted(prefixes(base).items()))
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "id"}
    kinds |= {OWL.DatatypeProperty: "plain", OWL.AnnotationProperty: "plain"}
    terms: dict[str, dict | str] = {}
    for kind_class, kind in kinds.items():
        for term in ontology.subjects(RDF.type, kind_class):
            if not isinstance(term, URIRef) or not str(term).startswith(DG_IRI):
                continue
            name = str(term)[len(DG_IRI) :]
            if not name or name in ctx:
                continue
            if kind == "id":
                terms[name] = {"@id": f"dg:{name}", "@type": "@id"}
            elif kind == "plain":
                terms[name] = {"@id": f"dg:{name}"}
            else:
                terms[name] = f"dg:{name}"
    ctx.update(sorted(terms.items()))
    return ctx


def context_document(context: dict) -> str:
    return json.dumps({"@context": context}, indent=2, ensure_ascii=False) + "\n"


def project_context() -> str:
    """The context document for the default base, as committed in ontology/context.jsonld."""
    from . import paths

    return context_document(build_context(Graph().parse(paths.ONTOLOGY_FILE), BASE))


class Compactor:
    """Turns pyoxigraph terms into compact JSON-LD keys and values, with caches."""

    def __init__(self, context: dict):
        spaces = [(ns, p) for p, ns in context.items() if isinstance(ns, str) and ns[-1] in "/#"]
        self._spaces = sorted(spaces, key=lambda item: -len(item[0]))
        self._keys: dict[str, tuple[str, bool]] = {}
        self._iris: dict[str, str] = {}
        by_iri = {}
        for name, value in context.items():
            if isinstance(value, dict) and value["@id"].startswith("dg:"):
                by_iri[DG_IRI + value["@id"][3:]] = (name, value.get("@type") == "@id")
        self._terms = by_iri
        self._classes = {
            DG_IRI + v[3:]: k for k, v in context.items() if isinstance(v, str) and v[:3] == "dg:"
        }

    def iri(self, iri: str) -> str:
        found = self._iris.get(iri)
        if found is None:
            found = iri
            for ns, prefix in self._spaces:
                if iri.startswith(ns) and len(iri) > len(ns) and iri[len(ns) :][:2] != "//":
                    found = f"{prefix}:{iri[len(ns) :]}"
                    break
            self._iris[iri] = found
        return found

    def type_name(self, iri: str) -> str:
        return self._classes.get(iri) or self.iri(iri)

    def key(self, predicate: str) -> tuple[str, bool]:
        """(key, coerces-to-IRI) for a predicate."""
        found = self._keys.get(predicate)
        if found is None:
            found = self._terms.get(predicate) or (self.iri(predicate), False)
            self._keys[predicate] = found
        return found

    def node_id(self, term) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return self.iri(term.value)

    def value(self, term, coerced: bool):
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            datatype = term.datatype.value
            if datatype == XSD_STRING:
                return {"@value": term.value} if coerced else term.value
            return {"@value": term.value, "@type": self.iri(datatype)}
        ident = self.node_id(term)
        return ident if coerced else {"@id": ident}


def _node(compactor: Compactor, subject, pairs: list) -> dict:
    node: dict = {"@id": compactor.node_id(subject)}
    types: list = []
    props: dict[str, list] = {}
    for predicate, obj in pairs:
        if predicate == RDF_TYPE and not isinstance(obj, ox.Literal):
            types.append(compactor.type_name(obj.value) if isinstance(obj, ox.NamedNode) else obj)
            continue
        key, coerced = compactor.key(predicate)
        props.setdefault(key, []).append(compactor.value(obj, coerced))
    if types:
        node["@type"] = [t if isinstance(t, str) else "_:" + t.value for t in types]
        if len(types) == 1:
            node["@type"] = node["@type"][0]
    for key, values in props.items():
        node[key] = values[0] if len(values) == 1 else values
    return node


def write_jsonld(quads: Iterable, out: IO[bytes], context: dict) -> None:
    """Stream quads (grouped by graph, then subject) as one compact JSON-LD document.

    Nodes of the default graph sit at the top level; each named graph is an
    object with its own @graph. One node per line keeps diffs readable.
    """
    compactor = Compactor(context)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    out.write(b'{"@context": ' + dumps(context).encode() + b',\n"@graph": [\n')
    first_graph = True
    current_graph = current_subject = None
    pairs: list = []
    first_node = True

    def flush_node():
        nonlocal first_node
        if current_subject is None:
            return
        prefix = b"" if first_node else b",\n"
        indent = b"  " if not isinstance(current_graph, ox.DefaultGraph) else b""
        out.write(prefix + indent + dumps(_node(compactor, current_subject, pairs)).encode())
        first_node = False

    def close_graph():
        if current_graph is not None and not isinstance(current_graph, ox.DefaultGraph):
            out.write(b"\n]}")

    for quad in quads:
        graph, subject = quad.graph_name, quad.subject
        if graph != current_graph:
            flush_node()
            close_graph()
            if not first_graph:
                out.write(b",\n")
            if not isinstance(graph, ox.DefaultGraph):
                name = dumps(compactor.node_id(graph)).encode()
                out.write(b'{"@id": ' + name + b', "@graph": [\n')
            current_graph, current_subject, pairs, first_node = graph, None, [], True
            first_graph = False
        if subject != current_subject:
            flush_node()
            current_subject, pairs = subject, []
        pairs.append((quad.predicate.value, quad.object))
    flush_node()
    close_graph()
    out.write(b"\n]}\n")


# Regenerate the committed file: python -m diplograph.loaders.jsonld > ontology/context.jsonld
if __name__ == "__main__":
    print(project_context(), end="")
