"""Turtle, TriG and RDF/XML written by pyoxigraph's serialisers from sorted N-Quads lines.

pyoxigraph abbreviates what arrives in order: a subject's triples in a row share one
statement (`;` and `,` in Turtle, one `rdf:Description` in RDF/XML), a graph's quads in
a row share one TriG block. So the lines go in the order `ordered_lines` gives (the
union deduplicated for the triple formats, each graph's lines together for TriG), and
the same build gives the same bytes. Hand-written writers did this a little faster
(docs/benchmarks-export.md) but repeated one loop per format and needed their own
escaping rules; the library's writers are the tested ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

import pyoxigraph as ox

from diplograph.store.formats import Format
from diplograph.store.nquads import LineReader, split_graph, split_quad


def ordered_lines(lines: Iterable[bytes], quads: bool) -> Iterator[bytes]:
    """Lines in serialisation order: N-Quads grouped by graph, or N-Triples of the union.

    Sorted input keeps each triple's lines adjacent, so the union is deduplicated
    by comparing neighbours, and subjects stay contiguous inside every group.
    """
    if quads:
        groups: dict[bytes, list[bytes]] = {}
        current, bucket = None, []
        for line in lines:
            graph = split_graph(line)[1]
            if graph != current:  # sorted input: runs of one graph are common
                current, bucket = graph, groups.setdefault(graph, [])
            bucket.append(line)
        for key in sorted(groups):
            yield from groups[key]
        return
    previous = None
    for line in lines:
        triple = split_graph(line)[0]
        if triple != previous:
            yield triple + b" .\n"
            previous = triple


def _ncname_blank_nodes(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Lines with every blank node label prefixed by 'b', as RDF/XML wants an NCName.

    pyoxigraph writes `rdf:nodeID` with the label as parsed, and N-Quads allows labels
    (`_:1x`) that XML names do not.
    """
    for line in lines:
        if b"_:" in line:
            terms = (t if t[:2] != b"_:" else b"_:b" + t[2:] for t in split_quad(line) if t)
            line = b" ".join(terms) + b" .\n"
        yield line


class _CarriageReturns:
    """A binary sink writing each CR as `&#13;`: XML parsers turn a raw CR into LF.

    In pyoxigraph's RDF/XML a CR can only come from a literal's text (it ends lines
    with LF), so the replacement keeps such literals whole through a parser.
    """

    def __init__(self, out: IO[bytes]):
        self._out = out

    def write(self, data) -> int:
        self._out.write(bytes(data).replace(b"\r", b"&#13;"))
        return len(data)

    def flush(self) -> None:
        self._out.flush()


def write_grouped(
    lines: Iterable[bytes], spec: Format, out: IO[bytes], prefixes: dict[str, str]
) -> None:
    """Write canonical N-Quads `lines` (sorted) as Turtle, TriG or RDF/XML.

    Turtle and RDF/XML get the union of the graphs (a triple in several graphs once);
    TriG a block per named graph, in graph order, the default graph's triples first.
    """
    ordered = ordered_lines(lines, quads=spec.keeps_graphs)
    xml = spec.oxigraph == ox.RdfFormat.RDF_XML
    if xml:
        ordered = _ncname_blank_nodes(ordered)
    quads = ox.parse(LineReader(ordered), format=ox.RdfFormat.N_QUADS)
    sink = _CarriageReturns(out) if xml else out
    ox.serialize(quads, sink, spec.oxigraph, prefixes=prefixes)
