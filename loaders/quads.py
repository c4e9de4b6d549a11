"""The build's graphs as plain sets of triples, one per named graph.

An rdflib `Dataset` costs about 5 kB per quad with its indexes; the build only adds
triples, iterates them and writes them out, so a set of term tuples per graph holds a
million quads in a fraction of the memory and takes them several times faster. Queries
(validation, the store) run on Oxigraph, loaded from `nquads()`; `to_dataset()` gives an
rdflib view for the callers that want one (tests, small data).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

Triple = tuple
Quad = tuple


class Quads:
    """Named graphs as sets of (s, p, o); add-only, like the build that fills them."""

    def __init__(self) -> None:
        self.graphs: dict[URIRef, set[Triple]] = {}

    def graph(self, name) -> set[Triple]:
        """The named graph's set of triples, created empty on first use (`.add` to fill it)."""
        key = name if isinstance(name, URIRef) else URIRef(str(name))
        found = self.graphs.get(key)
        if found is None:
            found = self.graphs[key] = set()
        return found

    def __len__(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())

    def quads(self, predicate=None) -> Iterator[Quad]:
        """Every (s, p, o, g), or only those with `predicate`."""
        for g, triples in self.graphs.items():
            for s, p, o in triples:
                if predicate is None or p == predicate:
                    yield s, p, o, g

    @classmethod
    def from_dataset(cls, ds: Dataset) -> Quads:
        found = cls()
        for s, p, o, g in ds.quads((None, None, None, None)):
            found.graph(getattr(g, "identifier", g)).add((s, p, o))
        return found

    def to_dataset(self) -> Dataset:
        ds = Dataset()
        for name, triples in self.graphs.items():
            ds.graph(name).addN((s, p, o, ds.graph(name)) for s, p, o in triples)
        return ds

    def lines(self) -> list[str]:
        """Sorted, duplicate-free N-Quads lines: the same facts always give the same bytes."""
        text: dict = {}
        found = [line for g, triples in self.graphs.items() for line in _lines(g, triples, text)]
        found.sort()
        # an xsd:string literal and its plain twin are one term once written
        return [line for i, line in enumerate(found) if i == 0 or line != found[i - 1]]

    def nquads(self) -> bytes:
        return "".join(self.lines()).encode("utf-8")

    def to_store(self) -> ox.Store:
        """An in-memory Oxigraph store of every graph, for SPARQL over the build."""
        store = ox.Store()
        store.bulk_load(self.nquads(), ox.RdfFormat.N_QUADS)
        return store


def graph_lines(name, triples: set[Triple], text: dict | None = None) -> list[str]:
    """One named graph's sorted, duplicate-free N-Quads lines (`text`: terms already
    written, shared between calls). Every line names its graph, so the lines of all graphs
    sorted together are `Quads.lines()`."""
    found = _lines(name, triples, {} if text is None else text)
    found.sort()
    return [line for i, line in enumerate(found) if i == 0 or line != found[i - 1]]


def _lines(g, triples, text: dict) -> list[str]:
    def term(t) -> str:
        found = text.get(t)
        if found is None:
            found = text[t] = _nt(t)
        return found

    graph = term(g)
    return [f"{term(s)} {term(p)} {term(o)} {graph} .\n" for s, p, o in triples]


def write_lines(lines: list[str], path) -> tuple[str, int]:
    """Write N-Quads lines to `path`; return their SHA-256 and how many there were."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for start in range(0, len(lines), 50_000):
            chunk = "".join(lines[start : start + 50_000]).encode("utf-8")
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), len(lines)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term) -> str:
    """A term in canonical N-Triples form (xsd:string literals written plain, as RDF 1.1)."""
    if isinstance(term, Literal):
        lexical = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{lexical}^^<{term.datatype}>"
        return lexical
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"
