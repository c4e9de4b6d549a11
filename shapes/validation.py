"""SHACL validation of a build, each problem traced back to the curated file and line.

The build holds its quads in an Oxigraph store, every named graph with the
ontology's, entailments already materialised: the shapes are compiled to
SPARQL and run there (compiled.py for core SHACL, sparql.py for the
SHACL-SPARQL constraints), over the merge of every graph, as pyshacl sees
the data with the ontology mixed in. No rdflib copy of the data is made.
The data-quality queries (`queries/*-violation.rq`) run on the same merge;
every distinct row they return is a violation. engine="pyshacl" runs plain
pyshacl instead: the baseline the fast engine must agree with.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, NamespaceManager

from diplograph.loaders.parsed_files import kept
from diplograph.loaders.quads import Quads
from diplograph.loaders.vocab import load_vocabulary
from diplograph.ontology import DG, ONTOLOGY_IRI
from diplograph.ontology.terms import to_ox, to_rdflib
from diplograph.queries import QUERIES_DIR
from diplograph.queries.catalogue import split_header
from diplograph.shapes import SHAPES_DIR, compiled, focused, sparql, support
from diplograph.shapes.results import Result

DGSH = Namespace("https://w3id.org/diplograph/shapes#")
SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ONTOLOGY = ox.NamedNode(ONTOLOGY_IRI)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All shape files merged: read once per process, parsed once per machine
    (loaders/parsed_files.py)."""
    return kept("shapes", sorted(Path(SHAPES_DIR).glob("*.ttl")), read_shapes)


def read_shapes() -> Graph:
    """All shape files merged: SHACL-SPARQL prefixes are declared once, in sources.ttl."""
    graph = Graph()
    for path in sorted(Path(SHAPES_DIR).glob("*.ttl")):
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
    return load_vocabulary().graph


def dataset_store(dataset: Dataset) -> ox.Store:
    """An in-memory Oxigraph copy of a dataset, every graph kept."""
    return Quads.from_dataset(dataset).to_store()


def union_graph(dataset: Dataset) -> Graph:
    """Every named graph but the ontology's, as one graph (for plain pyshacl)."""
    union = Graph()
    onto = URIRef(ONTOLOGY_IRI)
    for ctx in dataset.graphs():
        if ctx.identifier != onto:
            union.addN((s, p, o, union) for s, p, o in ctx)
    return union


def _in_data_graph(graph) -> bool:
    return graph != _ONTOLOGY and not isinstance(graph, ox.DefaultGraph)


class Locator:
    """Finds the curated file:line of a node, or of the record it hangs from.

    Works on the store (an rdflib Dataset is copied into one), looking up only
    the nodes asked about: a build with few problems makes few look-ups.
    """

    LINKS_TO_SKIP = {to_ox(p) for p in (DG.conflictsWith, DG.disputes, DG.claimedValue, DG.about)}
    CURATED_IN = to_ox(DG.curatedIn)
    TYPE = to_ox(RDF.type)

    def __init__(self, store):
        self.store = dataset_store(store) if isinstance(store, Dataset) else store
        self._where: dict = {}

    def where(self, node) -> dict:
        """Graph -> the location `dg:curatedIn` gives the node there."""
        found = self._where.get(node)
        if found is None:
            found = self._where[node] = {
                q.graph_name: q.object.value
                for q in self.store.quads_for_pattern(node, self.CURATED_IN, None, None)
                if _in_data_graph(q.graph_name)
            }
        return found

    def locate(self, node) -> str | None:
        if node is None:
            return None
        if not isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal):
            node = to_ox(node)
        if isinstance(node, ox.Literal):
            return None
        direct = self._own(node)
        if direct:
            return direct
        seen, frontier = {node}, [(node, None)]
        for _depth in range(3):
            found, nxt = [], []
            for current, graph in frontier:
                for q in self.store.quads_for_pattern(None, None, current, graph):
                    s, gid = q.subject, q.graph_name
                    if q.predicate in self.LINKS_TO_SKIP or s in seen or not _in_data_graph(gid):
                        continue
                    here = self.where(s)
                    if gid in here:
                        found.append(here[gid])
                    elif here:
                        found.append(sorted(here.values())[0])
                    else:
                        nxt.append((s, gid))
                    seen.add(s)
            if found:
                return sorted(found, key=_sort_key)[0]
            frontier = nxt
        return None

    def _own(self, node) -> str | None:
        """The defining record's location: the graph that gives the node its type."""
        here = self.where(node)
        if not here:
            return None
        if len(here) > 1:
            for gid in sorted(here, key=lambda k: _sort_key(here[k])):
                if next(self.store.quads_for_pattern(node, self.TYPE, None, gid), None):
                    return here[gid]
        return sorted(here.values(), key=_sort_key)[0]


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


def violation_queries(folder: Path | None = None) -> dict[str, dict]:
    """The data-quality queries: name -> {title, description, text} (catalogue-style header)."""
    found = {}
    for path in sorted(Path(folder or QUERIES_DIR).glob("*-violation.rq")):
        text = path.read_text(encoding="utf-8")
        header, _body = split_header(text)
        found[path.stem] = {
            "title": str(header.get("title") or path.stem),
            "description": str(header.get("description") or ""),
            "text": text,
        }
    return found


def run_queries(store: ox.Store, locator: Locator, folder: Path | None = None):
    """Run every *-violation.rq on the merge of every graph; each distinct row is a violation.

    The merge holds the ontology too, as the published store's does (the queries
    look for data patterns the ontology never states, which a test checks).
    """
    summary, items = {}, []
    for name, query in violation_queries(folder).items():
        solutions = store.query(query["text"])
        names = [v.value for v in solutions.variables]
        rows, seen = [], set()
        for sol in solutions:
            key = tuple(sol[n] for n in names)
            if key not in seen:  # the same triple in two graphs is one fact
                seen.add(key)
                rows.append({n: to_rdflib(sol[n]) for n in names if sol[n] is not None})
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


def compiled_results(store: ox.Store) -> list[Result]:
    """The shapes' results on the store: core SHACL compiled to SPARQL, then SHACL-SPARQL."""
    shapes = shapes_graph()
    compiler = compiled.Compiler(shapes, store)
    return compiler.results() + sparql.evaluate(shapes, store, compiler.targets)


def pyshacl_results(union: Graph) -> list[Result]:
    """Plain pyshacl over `union` (which it extends with the ontology in place): the baseline."""
    import pyshacl  # deferred: about 0.4 s to import, and only this baseline needs it

    _conforms, results, _text = pyshacl.validate(
        union,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",  # the build has materialised the entailments already
        inplace=True,  # `union` is our own copy: no need for pyshacl to clone it
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
    )
    return [
        Result(
            results.value(r, SH.focusNode),
            results.value(r, SH.value),
            results.value(r, SH.resultPath),
            results.value(r, SH.sourceShape),
            [str(m) for m in results.objects(r, SH.resultMessage)],
            results.value(r, SH.resultSeverity),
        )
        for r in results.subjects(RDF.type, SH.ValidationResult)
    ]


def _report(
    store: ox.Store, results, queries_dir: Path | None, core=None, change=None, records=None
) -> dict:
    """The report of `results` and `core` (fresh core results, the last build's entries
    kept), located and sorted, with the evidence support (checked again only where
    `change` can alter it); `records` receives what the next build keeps (validate_store)."""
    locator = Locator(store)
    query_summary, query_items = run_queries(store, locator, queries_dir)
    fresh, kept = core or ([], [])
    items = [
        _item(locator, r.focus, r.value, r.path, r.shape, r.messages, r.severity)
        for r in list(fresh) + list(results)
    ]
    items += [_located(locator, e) for e in kept]
    items += query_items
    violations = sorted((i for i in items if i["severity"] == "Violation"), key=_order)
    warnings = sorted((i for i in items if i["severity"] != "Violation"), key=_order)
    change = change or focused.Change([], [])  # no last build's: every graph is checked
    evidence = support.since(store, change.last.get("evidence"), change.graphs, *change.triples)
    if records is not None:
        entries = [focused.entry(i, r) for i, r in zip(items, fresh, strict=False)]
        records.update(shacl_core=entries + kept, evidence=evidence)
    return {
        "conforms": not violations,
        "violations": violations,
        "warnings": warnings,
        "queries": query_summary,
        **support.report_of(evidence),
    }


def _order(item: dict):
    """Where, then shape, message and focus; then everything else, so that the order never
    depends on the order the results came in (an incremental build gathers them otherwise)."""
    where = _sort_key(item["where"] or "~:0")
    return (
        where,
        item["shape"],
        item["message"],
        item["focus"] or "",
        json.dumps(item, sort_keys=True),
    )


def _located(locator: Locator, entry: dict) -> dict:
    """A kept core result's report item, its curated file:line looked up on this store."""
    focus, value = focused.term(entry["focus_term"]), focused.term(entry["value_term"])
    item = {"where": locator.locate(focus) or locator.locate(value)}
    item.update((k, v) for k, v in entry.items() if k not in ("focus_term", "value_term"))
    return item


def validate_store(
    store: ox.Store,
    *,
    queries_dir: Path | None = None,
    engine: str = "fast",
    change: focused.Change | None = None,
    records: dict | None = None,
) -> dict:
    """Validate a build held in an Oxigraph store (every graph, the ontology's too).

    The store's default graph is either empty or the merge of its named graphs, as the
    build's store loader writes it; when empty, the merge is added for the time of the call
    (seconds at a million quads). Each problem is reported with its curated file:line, from
    the nodes' `dg:curatedIn`. engine="pyshacl" runs plain pyshacl (for comparison only).

    `records`, a dict, receives what the next build keeps (its manifest): "shacl_core", the
    core SHACL results, and "evidence", the support check by graph. `change` (an incremental
    build's, with the last build's records) validates only the focus nodes it can affect,
    keeping the others' results (focused.py), and checks the evidence again only on the
    graphs it can affect (support.py): the same report as validating everything.
    """
    if engine not in ("fast", "pyshacl"):
        raise ValueError(f"unknown engine {engine!r}")
    with compiled.merged_default_graph(store):
        if engine == "fast":
            shapes = shapes_graph()
            compiler = compiled.Compiler(shapes, store)
            found = None
            if records is not None:  # else the results are not kept: validate everything
                found = change and focused.core_results(shapes, store, change)
                found = found or (compiler.results(), [])
            rest = sparql.evaluate(shapes, store, compiler.targets)
            rest = rest if found else compiler.results() + rest
            return _report(store, rest, queries_dir, found, change, records)
        union = Graph()
        for q in store.quads_for_pattern(None, None, None, None):
            if _in_data_graph(q.graph_name):
                union.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return _report(store, pyshacl_results(union), queries_dir)


def validate_dataset(
    dataset: Dataset,
    curated=None,
    *,
    queries_dir: Path | None = None,
    engine: str = "fast",
    store: ox.Store | None = None,
) -> dict:
    """Validate a built rdflib dataset (tests, the CLI, small data): see validate_store.

    `curated` (the loader's records) is accepted for the build's call. `store`,
    when given, is the same data already in Oxigraph. engine="pyshacl" runs
    plain pyshacl over the dataset's union, as the baseline.
    """
    store = store if store is not None else dataset_store(dataset)
    if engine == "pyshacl":
        with compiled.merged_default_graph(store):
            return _report(store, pyshacl_results(union_graph(dataset)), queries_dir)
    return validate_store(store, queries_dir=queries_dir, engine=engine)
