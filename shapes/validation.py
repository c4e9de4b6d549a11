"""SHACL validation of a build, each problem traced back to the curated file and line.

The build has already materialised super-classes and super-properties in every
named graph, so pyshacl runs without inference over the union of the data
graphs (the ontology's own triples left out), with the ontology passed only so
that `sh:targetClass` and `sh:class` also reach sub-classes a partner's graph
did not materialise. The data-quality queries (`queries/*-violation.rq`) run
over the same union (in Oxigraph, for speed); every row they return is a violation.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import NamespaceManager

from ..loaders import paths
from ..ontology import DG, ONTOLOGY_IRI
from . import sparql

SH = Namespace("http://www.w3.org/ns/shacl#")
DGSH = Namespace("https://w3id.org/diplograph/shapes#")
SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All shape files merged: SHACL-SPARQL prefixes are declared once, in sources.ttl."""
    graph = Graph()
    for path in sorted(Path(paths.SHAPES_DIR).glob("*.ttl")):
        graph.parse(path, format="turtle")
    graph.bind("dgsh", DGSH)
    return graph


@lru_cache(maxsize=1)
def _parents() -> dict:
    """Property shape -> the node shape it belongs to, for reporting a readable name."""
    graph = shapes_graph()
    return {prop: node for node, prop in graph.subject_objects(SH.property)}


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    from ..loaders.vocab import load_vocabulary

    return load_vocabulary().graph


def union_graph(dataset: Dataset) -> Graph:
    """Every named graph but the ontology's, as one graph (facts span several sources)."""
    union = Graph()
    onto = URIRef(ONTOLOGY_IRI)
    for ctx in dataset.graphs():
        if ctx.identifier != onto:
            union.addN((s, p, o, union) for s, p, o in ctx)
    return union


class Locator:
    """Finds the curated file:line of a node, or of the record it hangs from."""

    LINKS_TO_SKIP = {DG.conflictsWith, DG.disputes, DG.claimedValue, DG.about}

    def __init__(self, dataset: Dataset):
        self.ds = dataset
        self.where: dict = {}
        for s, _p, o, g in dataset.quads((None, DG.curatedIn, None, None)):
            self.where.setdefault(s, {})[_gid(g)] = str(o)

    def locate(self, node) -> str | None:
        if node is None:
            return None
        direct = self._own(node)
        if direct:
            return direct
        seen, frontier = {node}, [(node, None)]
        for _depth in range(3):
            found, nxt = [], []
            for current, graph in frontier:
                for s, p, _o, g in self.ds.quads((None, None, current, graph)):
                    if p in self.LINKS_TO_SKIP or s in seen or isinstance(s, Literal):
                        continue
                    gid = _gid(g)
                    if gid == URIRef(ONTOLOGY_IRI):
                        continue
                    here = self.where.get(s, {})
                    if gid in here:
                        found.append(here[gid])
                    elif here:
                        found.append(sorted(here.values())[0])
                    else:
                        nxt.append((s, g))
                    seen.add(s)
            if found:
                return sorted(found, key=_sort_key)[0]
            frontier = nxt
        return None

    def _own(self, node) -> str | None:
        """The defining record's location: the graph that gives the node its type."""
        here = self.where.get(node)
        if not here:
            return None
        if len(here) > 1:
            for gid in sorted(here, key=lambda k: _sort_key(here[k])):
                if (node, RDF.type, None, gid) in self.ds:
                    return here[gid]
        return sorted(here.values(), key=_sort_key)[0]


def _gid(graph):
    return getattr(graph, "identifier", graph)


def _sort_key(where: str):
    file, _, line = where.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


def _short(term, nm: NamespaceManager) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return nm.normalizeUri(term)
        except Exception:  # rdflib raises on IRIs it cannot shorten
            return str(term)
    if isinstance(term, BNode):
        return _path_text(term, nm)
    return str(term)


def _path_text(node, nm: NamespaceManager) -> str:
    """A property path as SPARQL-like text (^p for inverse paths, a|b for alternatives)."""
    graph = shapes_graph()
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + (_short(inverse, nm) or "")
    alternative = graph.value(node, SH.alternativePath)
    if alternative is not None:
        from rdflib.collection import Collection

        return "(" + "|".join(_short(x, nm) or "" for x in Collection(graph, alternative)) + ")"
    return str(node)


def _shape_name(shape, nm: NamespaceManager) -> str:
    if isinstance(shape, BNode):
        parent = _parents().get(shape)
        if parent is not None:
            shape = parent
    return _short(shape, nm) if isinstance(shape, URIRef) else "(anonymous shape)"


def _item(locator: Locator, focus, value, path, shape, messages, severity) -> dict:
    nm = shapes_graph().namespace_manager
    return {
        "where": locator.locate(focus) or locator.locate(value),
        "shape": _shape_name(shape, nm),
        "message": " ".join(sorted(str(m) for m in messages)),
        "focus": str(focus),
        "path": _short(path, nm),
        "value": None if value is None else str(value),
        "severity": SEVERITY.get(severity, "Violation"),
    }


def _results(results: Graph, locator: Locator) -> list[dict]:
    return [
        _item(
            locator,
            results.value(r, SH.focusNode),
            results.value(r, SH.value),
            results.value(r, SH.resultPath),
            results.value(r, SH.sourceShape),
            results.objects(r, SH.resultMessage),
            results.value(r, SH.resultSeverity),
        )
        for r in results.subjects(RDF.type, SH.ValidationResult)
    ]


def violation_queries(folder: Path | None = None) -> dict[str, dict]:
    """The data-quality queries: name -> {title, description, text} (catalogue-style header)."""
    from ..queries.catalogue import split_header

    found = {}
    for path in sorted(Path(folder or paths.QUERIES_DIR).glob("*-violation.rq")):
        text = path.read_text(encoding="utf-8")
        header, _body = split_header(text)
        found[path.stem] = {
            "title": str(header.get("title") or path.stem),
            "description": str(header.get("description") or ""),
            "text": text,
        }
    return found


def _term(value):
    """A pyoxigraph term as the rdflib term the locator indexes."""
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    return None if value is None else Literal(value.value)


def run_queries(union: Graph, locator: Locator, folder: Path | None = None):
    """Run every *-violation.rq; each row becomes a violation naming the query.

    They run on an in-memory Oxigraph copy of the union: rdflib's evaluation of
    their FILTER NOT EXISTS is a hundred times slower at a million triples.
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(union.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    summary, items = {}, []
    for name, query in violation_queries(folder).items():
        solutions = store.query(query["text"])
        names = [v.value for v in solutions.variables]
        rows = [{n: _term(sol[n]) for n in names if sol[n] is not None} for sol in solutions]
        summary[name] = {
            "title": query["title"],
            "description": query["description"],
            "rows": len(rows),
        }
        for values in rows:
            focus = values.get("focus") or next(
                (v for v in values.values() if isinstance(v, URIRef)), None
            )
            message = str(values["message"]) if "message" in values else query["title"]
            items.append(
                {
                    "where": locator.locate(focus),
                    "shape": f"query:{name}",
                    "message": message,
                    "focus": None if focus is None else str(focus),
                    "path": None,
                    "value": None,
                    "severity": "Violation",
                    "query": name,
                    "row": {k: str(v) for k, v in values.items()},
                }
            )
    return summary, items


@lru_cache(maxsize=1)
def _core_shapes() -> Graph:
    return sparql.without_sparql(shapes_graph())


def shacl_results(union: Graph, locator: Locator, *, engine: str = "fast") -> list[dict]:
    """SHACL results over `union` (which pyshacl extends with the ontology in place).

    engine="fast" runs the SPARQL constraints once per shape (see sparql.py) and
    pyshacl for the rest; engine="pyshacl" hands every shape to pyshacl, for
    comparison: both give the same results.
    """
    import pyshacl

    items = []
    shapes = shapes_graph()
    if engine == "fast":
        for r in sparql.evaluate(shapes, union, ontology_graph()):
            items.append(
                _item(locator, r["focus"], r["value"], r["path"], r["shape"],
                      r["messages"], r["severity"])
            )  # fmt: skip
        shapes = _core_shapes()
    elif engine != "pyshacl":
        raise ValueError(f"unknown engine {engine!r}")
    _conforms, results, _text = pyshacl.validate(
        union,
        shacl_graph=shapes,
        ont_graph=ontology_graph(),
        inference="none",  # the build has materialised the entailments already
        inplace=True,  # `union` is our own copy: no need for pyshacl to clone it
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
    )
    return items + _results(results, locator)


def validate_dataset(
    dataset: Dataset,
    curated=None,
    *,
    queries_dir: Path | None = None,
    engine: str = "fast",
) -> dict:
    """Validate a built dataset; the report says where in the curated files each problem is.

    `curated` (the loader's records) is accepted for the build's call; locations
    come from the `dg:curatedIn` the loader wrote on every record's node.
    """
    union = union_graph(dataset)
    locator = Locator(dataset)
    query_summary, query_items = run_queries(union, locator, queries_dir)
    items = shacl_results(union, locator, engine=engine) + query_items
    order = lambda i: (_sort_key(i["where"] or "~:0"), i["shape"], i["message"], i["focus"] or "")  # noqa: E731
    violations = sorted((i for i in items if i["severity"] == "Violation"), key=order)
    warnings = sorted((i for i in items if i["severity"] != "Violation"), key=order)
    return {
        "conforms": not violations,
        "violations": violations,
        "warnings": warnings,
        "queries": query_summary,
    }
