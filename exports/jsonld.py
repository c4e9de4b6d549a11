"""Compact JSON-LD with the project's own @context, written as a stream.

The @context is generated from the ontology (one term per dg: class and
property) and embedded in every dump, so no processor ever has to fetch it.
The writer compacts by rule rather than through a JSON-LD library: terms for
dg: properties, prefixed names elsewhere, explicit value objects for anything
a term would coerce wrongly. That keeps a million quads to a single pass.

It is the one hand-written writer left: pyoxigraph writes only expanded JSON-LD, and
compacting through pyld took 122 s for 100k lines (21 s for 10k), so at least 20 minutes
for a million (docs/benchmarks-export.md). pyld remains the tests' cross-check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO

from rdflib import OWL, RDF, Graph, URIRef

from diplograph.loaders.nterms import unescape
from diplograph.ontology import BASE, DG_IRI, ONTOLOGY_FILE
from diplograph.ontology.prefixes import XSD, prefixes
from diplograph.store.nquads import split_quad

RDF_TYPE_TERM = f"<{RDF.type}>".encode()
XSD_STRING = XSD + "string"
XSD_STRING_SUFFIX = f"^^<{XSD_STRING}>".encode()


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


class _Graph:
    """One graph's nodes so far, and the node being gathered (its subject's lines)."""

    __slots__ = ("nodes", "subject", "props", "types", "predicate", "values", "mode")

    def __init__(self):
        self.nodes: list[bytes] = []
        self.subject: bytes | None = None
        self.props: dict[bytes, list[bytes]] = {}
        self.types: list[bytes] = []
        self.predicate: bytes | None = None
        self.values: list[bytes] = []
        self.mode = REF

    def close(self, c: Compactor) -> None:
        """Write out the node being gathered."""
        if self.subject is not None:
            node_id = c.ids.get(self.subject) or c.node_id(self.subject)
            self.nodes.append(_node(node_id, self.types, self.props))
        self.subject, self.props, self.types, self.predicate = None, {}, [], None


class _Document:
    """Compact JSON-LD nodes gathered from sorted lines, by graph."""

    def __init__(self, context: dict):
        self.c = Compactor(context)
        self.graphs: dict[bytes, _Graph] = {}
        self.current: bytes | None = None
        self.graph = _Graph()

    def add(self, s: bytes, p: bytes, o: bytes, g: bytes) -> None:
        c, graph = self.c, self.graph
        if g != self.current:
            self.current, graph = g, self.graphs.get(g)
            if graph is None:
                graph = self.graphs[g] = _Graph()
            self.graph, graph.predicate = graph, None
        if s != graph.subject:
            graph.close(c)
            graph.subject = s
        if p != graph.predicate:
            key, graph.mode = c.keys.get(p) or c.key(p)
            graph.predicate, graph.values = p, graph.props.setdefault(key, [])
        if o[0] == 34:  # a literal
            graph.values.append(self.literal(o, graph.mode))
        elif graph.mode == ID:
            graph.values.append(c.ids.get(o) or c.node_id(o))
        elif graph.mode == REF:
            graph.values.append(c.refs.get(o) or c.ref(o))
        else:
            graph.types.append(c.types.get(o) or c.type_name(o))

    def literal(self, o: bytes, mode: int) -> bytes:
        """A value object, or the bare JSON string a plain literal of a plain term is."""
        end = o.rfind(b'"')
        quoted = o[: end + 1]
        if len(quoted.translate(None, _CONTROL_OR_BACKSLASH)) != end + 1 and _NOT_JSON.search(
            quoted
        ):
            quoted = _dumps(unescape(quoted[1:-1])).encode()
        after = o[end + 1 :]
        if after and after != XSD_STRING_SUFFIX:
            return b'{"@value": ' + quoted + (self.c.suffixes.get(after) or self.c.suffix(after))
        return b'{"@value": ' + quoted + b"}" if mode == ID else quoted

    def nodes(self) -> dict[bytes, list[bytes]]:
        """Each graph's nodes (one JSON object a subject, in order), by graph term."""
        for graph in self.graphs.values():
            graph.close(self.c)
        return {g: graph.nodes for g, graph in sorted(self.graphs.items()) if graph.nodes}

    def write(self, out: IO[bytes], context: dict) -> None:
        items = []
        for g, nodes in self.nodes().items():
            if g:
                items.append(named_item(named_opening(self.c, g), nodes))
            else:  # the default graph's nodes sit at the top level
                items.extend(nodes)
        out.write(document_head(context))
        out.write(b",\n".join(items))
        out.write(DOCUMENT_TAIL)


def document_head(context: dict) -> bytes:
    return b'{"@context": ' + _dumps(context).encode() + b',\n"@graph": [\n'


DOCUMENT_TAIL = b"\n]}\n"
NAMED_ITEM_TAIL = b"\n]}"  # after a named graph's last node
NODE_SEPARATOR = b",\n  "  # between two nodes of a named graph


def named_opening(c: Compactor, g: bytes) -> bytes:
    return b'{"@id": ' + (c.ids.get(g) or c.node_id(g)) + b', "@graph": ['


def named_item(opening: bytes, nodes: list[bytes]) -> bytes:
    """A named graph as an object with its own @graph, one node a line."""
    return opening + b"\n  " + NODE_SEPARATOR.join(nodes) + NAMED_ITEM_TAIL


def graph_nodes(
    lines: Iterable[bytes], context: dict
) -> tuple[Compactor, dict[bytes, list[bytes]]]:
    """The compact nodes of sorted `lines`, by graph: what an incremental build rewrites."""
    document = _Document(context)
    add = document.add
    for line in lines:
        add(*split_quad(line))
    return document.c, document.nodes()


def write_jsonld(lines: Iterable[bytes], out: IO[bytes], context: dict) -> None:
    """Write canonical N-Quads `lines` (sorted) as one compact JSON-LD document.

    Nodes of the default graph sit at the top level; each named graph is an
    object with its own @graph, in graph order. One node per line keeps diffs
    readable. A literal whose N-Triples spelling is already a JSON string (no
    control character, no \\' or \\U escape) is copied as it is.
    """
    document = _Document(context)
    add = document.add
    for line in lines:
        add(*split_quad(line))
    document.write(out, context)


# Regenerate the committed file: python -m diplograph.exports.jsonld > ontology/context.jsonld
if __name__ == "__main__":
    print(project_context(), end="")
