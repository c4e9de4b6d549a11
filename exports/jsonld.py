"""Compact JSON-LD with the project's own @context, written as a stream.

The @context is generated from the ontology (one term per dg: class and
property) and embedded in every dump, so no processor ever has to fetch it.
The writer compacts by rule rather than through a JSON-LD library: terms for
dg: properties, prefixed names elsewhere, explicit value objects for anything
a term would coerce wrongly. That keeps a million quads to a single pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO

from rdflib import OWL, RDF, Graph, URIRef

from diplograph.loaders.nterms import unescape
from diplograph.ontology import BASE, DG_IRI

RDF_TYPE_TERM = f"<{RDF.type}>".encode()
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_STRING_SUFFIX = f"^^<{XSD_STRING}>".encode()

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
    from diplograph.ontology import ONTOLOGY_FILE

    return context_document(build_context(Graph().parse(ONTOLOGY_FILE), BASE))


class Compactor:
    """N-Triples terms to compact JSON-LD keys and values (JSON text), cached."""

    def __init__(self, context: dict):
        spaces = [(ns, p) for p, ns in context.items() if isinstance(ns, str) and ns[-1] in "/#"]
        self._spaces = sorted(spaces, key=lambda item: -len(item[0]))
        self._prefix = dict(self._spaces)
        longest = "|".join(re.escape(ns) for ns, _ in self._spaces)
        self._longest = re.compile(longest).match if longest else lambda _iri: None
        terms = {}
        for name, value in context.items():
            if isinstance(value, dict) and value["@id"].startswith("dg:"):
                terms[DG_IRI + value["@id"][3:]] = (name, value.get("@type") == "@id")
        self._terms = terms
        self._classes = {
            DG_IRI + v[3:]: k for k, v in context.items() if isinstance(v, str) and v[:3] == "dg:"
        }
        self.ids: dict[bytes, bytes] = {}
        self.refs: dict[bytes, bytes] = {}
        self.keys: dict[bytes, tuple[bytes, int]] = {}
        self.types: dict[bytes, bytes] = {}
        self.suffixes: dict[bytes, bytes] = {}

    def iri(self, iri: str) -> str:
        match = self._longest(iri)
        if match and len(iri) > match.end() and iri[match.end() :][:2] != "//":
            return f"{self._prefix[match.group()]}:{iri[match.end() :]}"
        for ns, prefix in self._spaces:
            if iri.startswith(ns) and len(iri) > len(ns) and iri[len(ns) :][:2] != "//":
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def node_id(self, term: bytes) -> bytes:
        """A subject, object or graph name as a JSON string."""
        name = "_:" + term[2:].decode() if term[:2] == b"_:" else self.iri(unescape(term[1:-1]))
        found = self.ids[term] = _dumps(name).encode()
        return found

    def ref(self, term: bytes) -> bytes:
        found = self.refs[term] = b'{"@id": ' + (self.ids.get(term) or self.node_id(term)) + b"}"
        return found

    def key(self, predicate: bytes) -> tuple[bytes, int]:
        """(b'"key": ', how IRI values are written: REF, ID or TYPE) for a predicate."""
        iri = unescape(predicate[1:-1])
        name, coerced = self._terms.get(iri) or (self.iri(iri), False)
        mode = TYPE if predicate == RDF_TYPE_TERM else ID if coerced else REF
        found = self.keys[predicate] = (_dumps(name).encode() + b": ", mode)
        return found

    def type_name(self, term: bytes) -> bytes:
        if term[:1] == b"<":
            iri = unescape(term[1:-1])
            found = _dumps(self._classes.get(iri) or self.iri(iri)).encode()
        else:
            found = self.ids.get(term) or self.node_id(term)
        self.types[term] = found
        return found

    def suffix(self, suffix: bytes) -> bytes:
        """What follows a literal's "@value" for its language tag or datatype."""
        if suffix[:1] == b"@":
            found = b', "@language": ' + _dumps(suffix[1:].decode()).encode() + b"}"
        elif suffix[3:-1] == XSD_STRING.encode():
            found = b"}"
        else:
            found = b', "@type": ' + _dumps(self.iri(unescape(suffix[3:-1]))).encode() + b"}"
        self.suffixes[suffix] = found
        return found


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
# N-Triples strings are JSON strings, bar raw control characters and the \' and \U escapes.
_NOT_JSON = re.compile(rb"[\x00-\x1f]|\\[U']")
_CONTROL_OR_BACKSLASH = bytes(range(32)) + b"\\"
REF, ID, TYPE = 0, 1, 2  # how a predicate's IRI values are written


def _node(subject: bytes, types: list[bytes], props: dict[bytes, list[bytes]]) -> bytes:
    parts = [b'{"@id": ', subject]
    if types:
        parts.append(b', "@type": ')
        parts.append(types[0] if len(types) == 1 else b"[" + b", ".join(types) + b"]")
    for key, values in props.items():
        if not values:  # rdf:type, whose IRI values went to @type
            continue
        parts.append(b", " + key)
        parts.append(values[0] if len(values) == 1 else b"[" + b", ".join(values) + b"]")
    parts.append(b"}")
    return b"".join(parts)


def write_jsonld(lines: Iterable[bytes], out: IO[bytes], context: dict) -> None:
    """Write canonical N-Quads `lines` (sorted) as one compact JSON-LD document.

    Nodes of the default graph sit at the top level; each named graph is an
    object with its own @graph, in graph order. One node per line keeps diffs
    readable. A literal whose N-Triples spelling is already a JSON string (no
    control character, no \\' or \\U escape) is copied as it is.
    """
    c = Compactor(context)
    ids, refs, keys, types_, suffixes = c.ids, c.refs, c.keys, c.types, c.suffixes
    node_id, ref, key_of, type_name, suffix = c.node_id, c.ref, c.key, c.type_name, c.suffix
    not_json = _NOT_JSON.search
    groups: dict[bytes, list] = {}
    current = subject = None
    chunks: list[bytes] = []
    props: dict[bytes, list[bytes]] = {}
    types: list[bytes] = []
    pp = values = None
    mode = REF
    for line in lines:
        s, p, o, g = line.split(b" ", 3)
        literal = o[0] == 34
        if literal:
            rest = line[len(s) + len(p) + 2 :]
            end = rest.find(b" ", rest.rfind(b'"'))
            o, g = rest[:end], rest[end + 1 :]
        if g != current:
            if current is not None:
                groups[current][1:] = subject, props, types
            current, pp = g, None
            state = groups.get(g)
            if state is None:
                state = groups[g] = [[], None, {}, []]
            chunks, subject, props, types = state
        if s != subject:
            if subject is not None:
                chunks.append(_node(ids.get(subject) or node_id(subject), types, props))
            subject, props, types, pp = s, {}, [], None
        if p != pp:
            pp = p
            key, mode = keys.get(p) or key_of(p)
            values = props.get(key)
            if values is None:
                values = props[key] = []
        if literal:
            end = o.rfind(b'"')
            quoted = o[: end + 1]
            if len(quoted.translate(None, _CONTROL_OR_BACKSLASH)) != end + 1 and not_json(quoted):
                quoted = _dumps(unescape(quoted[1:-1])).encode()
            if end + 1 != len(o) and o[end + 1 :] != XSD_STRING_SUFFIX:
                after = o[end + 1 :]
                values.append(b'{"@value": ' + quoted + (suffixes.get(after) or suffix(after)))
            else:
                values.append(b'{"@value": ' + quoted + b"}" if mode == ID else quoted)
        elif mode == ID:
            values.append(ids.get(o) or node_id(o))
        elif mode == REF:
            values.append(refs.get(o) or ref(o))
        else:
            types.append(types_.get(o) or type_name(o))
    if current is not None:
        groups[current][1:] = subject, props, types
    items = []
    for g, (chunks, subject, props, types) in sorted(groups.items()):
        if subject is not None:
            chunks.append(_node(ids.get(subject) or node_id(subject), types, props))
        if g == b".":
            items.extend(chunks)
        elif chunks:
            name = node_id(g[:-2])
            body = b",\n  ".join(chunks)
            items.append(b'{"@id": ' + name + b', "@graph": [\n  ' + body + b"\n]}")
    out.write(b'{"@context": ' + _dumps(context).encode() + b',\n"@graph": [\n')
    out.write(b",\n".join(items))
    out.write(b"\n]}\n")


# Regenerate the committed file: python -m diplograph.exports.jsonld > ontology/context.jsonld
if __name__ == "__main__":
    print(project_context(), end="")
