"""Turtle and TriG written straight from sorted N-Quads lines.

Sorted lines already come grouped by subject, then predicate, so the writer
only has to notice where a subject or predicate changes to abbreviate with `;`
and `,`. N-Triples term syntax is valid Turtle, so literals go out as they
are; IRIs under a known namespace become prefixed names. One pass, no parser:
a million quads take about a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO

RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# A conservative PN_LOCAL: no leading '-' or '.', no trailing '.'; '/' is escaped.
_LOCAL = re.compile(rb"[A-Za-z0-9_](?:[A-Za-z0-9_./-]*[A-Za-z0-9_/-])?")


class Names:
    """Terms in their Turtle spelling: prefixed names where possible, cached per IRI."""

    def __init__(self, prefixes: dict[str, str]):
        spaces = [(ns.encode(), p.encode() + b":") for p, ns in prefixes.items()]
        self._spaces = sorted(spaces, key=lambda item: (-len(item[0]), item[1]))
        self.terms: dict[bytes, bytes] = {}
        self.predicates: dict[bytes, bytes] = {RDF_TYPE: b"a"}

    def term(self, term: bytes) -> bytes:
        """A subject, object or graph name (a cache miss, or a literal)."""
        if term[:1] == b'"':
            if term[-1:] == b">":  # typed literal: shorten the datatype
                quoted, _, datatype = term.rpartition(b"^^")
                return quoted + b"^^" + (self.terms.get(datatype) or self.term(datatype))
            return term
        found = term
        if term[:1] == b"<" and b"\\" not in term:
            iri = term[1:-1]
            for ns, prefix in self._spaces:
                if iri.startswith(ns):
                    local = iri[len(ns) :]
                    if _LOCAL.fullmatch(local):
                        found = prefix + local.replace(b"/", b"\\/")
                    break
        self.terms[term] = found
        return found

    def predicate(self, term: bytes) -> bytes:
        found = self.predicates[term] = self.term(term)
        return found

    def header(self) -> bytes:
        return b"".join(
            b"@prefix " + prefix + b" <" + ns + b"> .\n"
            for ns, prefix in sorted(self._spaces, key=lambda item: item[1])
        )


def write_turtle(
    lines: Iterable[bytes], out: IO[bytes], prefixes: dict[str, str], *, graphs: bool = False
) -> None:
    """Write canonical N-Quads `lines` (sorted) as Turtle, or as TriG when `graphs`.

    Turtle gets the union of the graphs (a triple in several graphs written
    once, as sorted input puts its lines side by side); TriG gets a block per
    named graph, in graph order, the default graph's triples first.
    """
    names = Names(prefixes)
    out.write(names.header())
    if not graphs:
        body = b"".join(_triples(lines, names))
        if body:
            out.write(b"\n" + body[3:] + b" .\n")
        return
    for g, chunks in sorted(_quads(lines, names).items()):
        name = names.term(g[:-2]) + b" " if g != b"." else b""
        out.write(b"\n" + name + b"{\n" + b"".join(chunks)[3:] + b" .\n}\n")


def _triples(lines: Iterable[bytes], names: Names) -> list[bytes]:
    """The union's statements; each subject's chunk starts with ' .\n' (cut from the first)."""
    terms, term = names.terms, names.term
    heads: dict[bytes, bytes] = {}
    tails: dict[bytes, bytes] = {}
    chunks: list[bytes] = []
    append = chunks.append
    ps = pp = po = None
    for line in lines:
        s, p, o, _ = line.split(b" ", 3)
        if o[0] == 34:  # a literal: it may hold spaces, and ends at the last quote's term
            rest = line[len(s) + len(p) + 2 :]
            o = rest[: rest.find(b" ", rest.rfind(b'"'))]
        if s == ps:
            if p == pp:
                if o == po:
                    continue
                append(b" , ")
            else:
                append(tails.get(p) or _tail(tails, names, p, b" ;\n\t"))
                pp = p
        else:
            append(b" .\n" + (terms.get(s) or term(s)) + (heads.get(p) or _head(heads, names, p)))
            ps, pp = s, p
        append(terms.get(o) or term(o))
        po = o
    return chunks


def _quads(lines: Iterable[bytes], names: Names) -> dict[bytes, list[bytes]]:
    """Each graph's statements, keyed by the graph's line ending (b'<g> .', b'.' if default)."""
    terms, term = names.terms, names.term
    heads: dict[bytes, bytes] = {}
    tails: dict[bytes, bytes] = {}
    groups: dict[bytes, list] = {}
    current = None
    chunks: list[bytes] = []
    append = chunks.append
    ps = pp = po = None
    for line in lines:
        s, p, o, g = line.split(b" ", 3)
        if o[0] == 34:
            rest = line[len(s) + len(p) + 2 :]
            end = rest.find(b" ", rest.rfind(b'"'))
            o, g = rest[:end], rest[end + 1 :]
        if g != current:
            if current is not None:
                groups[current][1:] = ps, pp, po
            current = g
            state = groups.get(g)
            if state is None:
                state = groups[g] = [[], None, None, None]
            chunks, ps, pp, po = state
            append = chunks.append
        if s == ps:
            if p == pp:
                if o == po:
                    continue
                append(b" , ")
            else:
                append(tails.get(p) or _tail(tails, names, p, b" ;\n\t\t"))
                pp = p
        else:
            append(b" .\n\t" + (terms.get(s) or term(s)) + (heads.get(p) or _head(heads, names, p)))
            ps, pp = s, p
        append(terms.get(o) or term(o))
        po = o
    return {g: state[0] for g, state in groups.items()}


def _head(heads: dict, names: Names, p: bytes) -> bytes:
    found = heads[p] = b" " + (names.predicates.get(p) or names.predicate(p)) + b" "
    return found


def _tail(tails: dict, names: Names, p: bytes, separator: bytes) -> bytes:
    found = tails[p] = separator + (names.predicates.get(p) or names.predicate(p)) + b" "
    return found
