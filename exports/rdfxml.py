"""RDF/XML written straight from sorted N-Quads lines.

One `rdf:Description` per subject (sorted input keeps a subject's lines
together), one property element per triple. Predicates become QNames under
the known prefixes; any other predicate gets a default-namespace declaration
on its own element, split before the longest NCName at its end. Literals are
unescaped from N-Triples only when they hold a backslash, and XML-escaped
only when they hold a markup character, so most lines are copied through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO

from diplograph.loaders.nterms import unescape

_NCNAME = re.compile(r"[^\W\d][\w.-]*")
_NCNAME_END = re.compile(r"[^\W\d][\w.-]*\Z")
_TEXT_SPECIAL = b"\\&<>"  # deleted by translate: a length change means escaping to do


def _text(value: str) -> str:
    """Element content: markup escaped, CR kept as a reference (parsers drop a bare CR)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attr(value: str) -> str:
    escaped = _text(value).replace('"', "&quot;")
    return escaped.replace("\n", "&#10;").replace("\t", "&#9;")


class Elements:
    """Predicates as element tags, and subjects and objects as attributes, cached."""

    def __init__(self, prefixes: dict[str, str]):
        self._spaces = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.tags: dict[bytes, tuple[bytes, bytes]] = {}
        self.resources: dict[bytes, bytes] = {}
        self.suffixes: dict[bytes, bytes] = {b"": b">"}

    def header(self) -> bytes:
        names = "".join(
            f'\n\txmlns:{p}="{_attr(ns)}"' for p, ns in sorted(self._spaces, key=lambda i: i[0])
        )
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF{names}>\n'.encode()

    def tag(self, predicate: bytes) -> tuple[bytes, bytes]:
        """(b'\\t<prefix:local', b'</prefix:local>\\n') for a predicate IRI."""
        iri = unescape(predicate[1:-1])
        for prefix, ns in self._spaces:
            if iri.startswith(ns) and _NCNAME.fullmatch(iri[len(ns) :]):
                name = f"{prefix}:{iri[len(ns) :]}"
                found = (f"\t<{name}".encode(), f"</{name}>\n".encode())
                break
        else:
            local = _NCNAME_END.search(iri)
            if not local:
                raise ValueError(f"RDF/XML cannot name the property <{iri}>")
            ns = _attr(iri[: local.start()])
            found = (f'\t<{local.group()} xmlns="{ns}"'.encode(), f"</{local.group()}>\n".encode())
        self.tags[predicate] = found
        return found

    def node(self, term: bytes) -> bytes:
        """The attribute naming a subject or object: rdf:about/rdf:resource or rdf:nodeID."""
        if term[:2] == b"_:":
            return b' rdf:nodeID="b' + term[2:] + b'"'
        return f' rdf:about="{_attr(unescape(term[1:-1]))}"'.encode()

    def resource(self, term: bytes) -> bytes:
        if term[:2] == b"_:":
            found = b' rdf:nodeID="b' + term[2:] + b'"/>\n'
        else:
            found = f' rdf:resource="{_attr(unescape(term[1:-1]))}"/>\n'.encode()
        self.resources[term] = found
        return found

    def suffix(self, suffix: bytes) -> bytes:
        """The attributes a literal's language tag or datatype becomes, with the closing '>'."""
        if suffix[:1] == b"@":
            found = b' xml:lang="' + suffix[1:] + b'">'
        else:
            found = f' rdf:datatype="{_attr(unescape(suffix[3:-1]))}">'.encode()
        self.suffixes[suffix] = found
        return found


def write_rdfxml(lines: Iterable[bytes], out: IO[bytes], prefixes: dict[str, str]) -> None:
    """Write canonical N-Quads `lines` (sorted) as RDF/XML of the union of their graphs."""
    names = Elements(prefixes)
    tags, resources, suffixes = names.tags, names.resources, names.suffixes
    tag, resource, suffix = names.tag, names.resource, names.suffix
    chunks: list[bytes] = [names.header()]
    append = chunks.append
    ps = pp = po = None
    for line in lines:
        s, p, o, _ = line.split(b" ", 3)
        if s != ps:
            if ps is not None:
                append(b"</rdf:Description>\n")
            append(b"<rdf:Description" + names.node(s) + b">\n")
            ps, pp, po = s, None, None
        if o[0] == 34:
            rest = line[len(s) + len(p) + 2 :]
            o = rest[: rest.find(b" ", rest.rfind(b'"'))]
            if o == po and p == pp:
                continue
            end = o.rfind(b'"')
            lexical = o[1:end]
            if len(lexical.translate(None, _TEXT_SPECIAL)) != end - 1:
                lexical = _text(unescape(lexical)).encode()
            opening, closing = tags.get(p) or tag(p)
            after = o[end + 1 :]
            append(opening + (suffixes.get(after) or suffix(after)) + lexical + closing)
        else:
            if o == po and p == pp:
                continue
            append((tags.get(p) or tag(p))[0] + (resources.get(o) or resource(o)))
        pp, po = p, o
    if ps is not None:
        append(b"</rdf:Description>\n")
    append(b"</rdf:RDF>\n")
    out.write(b"".join(chunks))
