"""What the pages read from the graph: internal queries, bound safely, and a small quad model.

Pages never write SPARQL inline: they run the files in `queries/internal/` (documented by
their `#+` headers, kept apart from the public catalogue), binding nodes as RDF terms in a
VALUES block. The rows come back as a `Quads` model, a per-request index of the
statements a page needs, each with the named graph (the source) that says it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from itertools import product

import pyoxigraph as ox
from flask import has_app_context

from diplograph.queries import QUERIES_DIR
from diplograph.queries.binding import bind_values
from diplograph.web.context import Row, Select, build_info

DG = "https://w3id.org/diplograph/def#"
BASE = "https://w3id.org/diplograph/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
Term = ox.NamedNode | ox.BlankNode | ox.Literal
INTERNAL_DIR = QUERIES_DIR / "internal"


@cache
def internal_query(name: str) -> str:
    """The text of `queries/internal/<name>.rq`, read once per process."""
    return (INTERNAL_DIR / f"{name}.rq").read_text(encoding="utf-8")


def bind(sparql: str, values: dict[str, Iterable[Term]]) -> str:
    """Bind each variable to its terms (queries.binding.bind_values: one VALUES block).

    A row per combination, as separate `VALUES ?v { ... }` blocks would join them.
    """
    return bind_values(sparql, list(values), product(*values.values()))


def run(select: Select, name: str, **values: Iterable[Term]) -> list[Row]:
    """Run one internal query with its parameters bound."""
    return select(bind(internal_query(name), {k: list(v) for k, v in values.items()}))


def iri(text: str) -> ox.NamedNode:
    return ox.NamedNode(text)


def _base() -> str:
    """The base IRI the served build was minted under (`diplograph build --base`)."""
    if has_app_context():
        return build_info().get("base") or BASE
    return BASE


def id_namespace() -> str:
    return _base() + "id/"


def graph_namespace() -> str:
    return _base() + "graph/"


def entity_iri(entity_id: str) -> str:
    return id_namespace() + entity_id


def local_id(text: str) -> str:
    """An entity's id from its IRI (the path under /id/), or the IRI itself."""
    ns = id_namespace()
    return text[len(ns) :] if text.startswith(ns) else text


def source_id(graph: str) -> str | None:
    """The curated source id of a per-source named graph, or None for entities/curation."""
    ns = graph_namespace()
    if not graph.startswith(ns):
        return None
    name = graph[len(ns) :]
    return None if name in ("entities", "curation") else name


class Quads:
    """Statements indexed by subject, each kept with the graph that says it."""

    def __init__(self):
        self.by_subject: dict[str, list[tuple[str, Term, str]]] = defaultdict(list)
        self.fetched: set[str] = set()
        self.labels: dict[str, str] = {}
        self.types: dict[str, set[str]] = defaultdict(set)

    def add(self, s: str, p: str, o: Term, g: str) -> None:
        self.by_subject[s].append((p, o, g))
        if p == DG + "label" and s not in self.labels:
            self.labels[s] = o.value
        elif p == RDF_TYPE:
            self.types[s].add(o.value[len(DG) :])

    def fetch(self, select: Select, subjects: Iterable[str]) -> None:
        """Load every statement about `subjects` not loaded yet (one query)."""
        todo = sorted({s for s in subjects if s not in self.fetched})
        if not todo:
            return
        self.fetched.update(todo)
        for row in run(select, "subject-quads", s=[iri(s) for s in todo]):
            self.add(row["s"].value, row["p"].value, row["o"], row["g"].value)

    def fetch_labels(self, select: Select, nodes: Iterable[str]) -> None:
        """Labels and types of nodes that are only named, not described, on this page."""
        todo = sorted({n for n in nodes if n not in self.labels and n not in self.fetched})
        if not todo:
            return
        for row in run(select, "labels", s=[iri(n) for n in todo]):
            s = row["s"].value
            if row.get("label") is not None and s not in self.labels:
                self.labels[s] = row["label"].value
            if row.get("type") is not None:
                self.types[s].add(row["type"].value[len(DG) :])

    def quads(self, s: str, p: str | None = None) -> list[tuple[str, Term, str]]:
        rows = self.by_subject.get(s, [])
        return [r for r in rows if p is None or r[0] == DG + p or r[0] == p]

    def objects(self, s: str, p: str) -> list[Term]:
        """Distinct objects of (s, p) in any graph, in first-seen order."""
        seen: dict[Term, None] = {}
        for _p, o, _g in self.quads(s, p):
            seen.setdefault(o, None)
        return list(seen)

    def graphs(self, s: str, p: str, o: Term) -> list[str]:
        return sorted({g for _p, obj, g in self.quads(s, p) if obj == o})

    def value(self, s: str, p: str) -> Term | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def text(self, s: str, p: str) -> str | None:
        found = self.value(s, p)
        return None if found is None else found.value

    def label(self, node: str) -> str:
        return self.labels.get(node) or local_id(node)

    def iri_objects(self, s: str) -> set[str]:
        return {o.value for _p, o, _g in self.quads(s) if isinstance(o, ox.NamedNode)}

    def evidence(self, fact: str, graph: str) -> list[str]:
        """The exact texts of the excerpts `graph` cites for `fact` (they must be fetched)."""
        texts = []
        for p, o, g in self.quads(fact, "evidence"):
            if g == graph and p == DG + "evidence":
                exact = self.text(o.value, "exact")
                if exact and exact not in texts:
                    texts.append(exact)
        return texts


def incoming(select: Select, node: str) -> list[tuple[str, str, str]]:
    """(subject, predicate, graph) of every dg: statement pointing at `node`."""
    return [
        (row["s"].value, row["p"].value, row["g"].value)
        for row in run(select, "incoming-quads", o=[iri(node)])
        if isinstance(row["s"], ox.NamedNode)
    ]


def nodes_of_type(select: Select, class_name: str) -> list[str]:
    return sorted(
        row["s"].value for row in run(select, "nodes-of-type", type=[iri(DG + class_name)])
    )
