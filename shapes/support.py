"""The support check: does each assertion's evidence mention the value it supports?

For every `dg:Assertion` whose object is a curated resource (an entity or a fact, with a
label, aliases or cues), at least one of its excerpts must mention the object by one of
those names (loaders/mentions.py, the rule the loader uses to pick a value's excerpts),
or the assertion must say why it is implied (`dg:implied`). The share of assertions that
pass is `evidence_support`; a build below `EVIDENCE_SUPPORT_THRESHOLD` is refused, with
the file:line of every failing assertion.

Dates, numbers, statuses and quantities are not counted: their names are not curated
(docs/architecture.md, "Evidence per assertion").

The check is made graph by graph: an assertion, its `dg:curatedIn`, its evidence and the
evidence's text are read in the named graph that types it `dg:Assertion`; only its value's
names (and whether the value is curated) are read across graphs. So a graph's result
changes only when that graph changes or when a value its assertions point at gains or
loses a name: an incremental build checks those graphs again and keeps the last build's
result for every other (`by_graph`, `affected_graphs`), and gives the same report.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF

from diplograph.loaders.mentions import mentions
from diplograph.ontology import DG
from diplograph.ontology.terms import to_ox
from diplograph.queries.binding import bind_values

#: The least share of checked assertions an excerpt of their own must support (or that
#: say why they are implied) for a build to be published. Raise it as curation improves;
#: lowering it needs a reason in docs/curation.md.
EVIDENCE_SUPPORT_THRESHOLD = 0.95

_PREFIXES = """
PREFIX dg: <https://w3id.org/diplograph/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
_ASSERTIONS = (
    _PREFIXES
    + """
SELECT ?g ?a ?s ?p ?o ?where ?exact ?implied WHERE {
  GRAPH ?g { ?a a dg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
  FILTER EXISTS { GRAPH ?h { ?o dg:curatedIn ?curated } }
  OPTIONAL { GRAPH ?g { ?a dg:curatedIn ?where } }
  OPTIONAL { GRAPH ?g { ?a dg:evidence ?e . ?e dg:exact ?exact } }
  OPTIONAL { GRAPH ?g { ?a dg:implied ?implied } }
}"""
    #  The OPTIONALs each name the graph again: written inside the first GRAPH block, they
    #  made a query bound to one graph of a million-quad store take 7 s instead of 0.08 s.
)
#: A value's names, label first: a failing assertion's message names its value by the first.
_NAME_KINDS = ("label", "alias", "cue")
_NAMES = (
    _PREFIXES
    + """
SELECT DISTINCT ?o ?kind ?name WHERE {
  GRAPH ?g { ?a a dg:Assertion ; rdf:object ?o }
  GRAPH ?h { ?o ?kind ?name }
  VALUES ?kind { dg:label dg:alias dg:cue }
}"""
)
#: What a value's check reads across graphs (the rest is read in the assertion's graph):
#: a change to one of these checks again the graphs whose assertions point at its subject.
READ_ACROSS_GRAPHS = frozenset(to_ox(DG[k]) for k in (*_NAME_KINDS, "curatedIn"))
_OBJECT, _CURATED_IN = to_ox(RDF.object), to_ox(DG.curatedIn)


def _where_key(where: str):
    file, _, line = where.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


def _query(store: ox.Store, text: str, graphs: Iterable[str] | None):
    """The query's rows, on the named `graphs` (N-Triples names) only when given."""
    if graphs is not None:
        text = bind_values(text, ["g"], [[ox.NamedNode(g[1:-1])] for g in sorted(graphs)])
    return store.query(text)


def _names(store: ox.Store, graphs) -> dict[str, list[str]]:
    """Each asserted value's names: labels, then aliases, then cues, each sorted."""
    found: dict[str, dict[str, set]] = {}
    for row in _query(store, _NAMES, graphs):
        kinds = found.setdefault(row["o"].value, {k: set() for k in _NAME_KINDS})
        kinds[row["kind"].value.rpartition("#")[2]].add(row["name"].value)
    return {
        value: list(dict.fromkeys(n for k in _NAME_KINDS for n in sorted(kinds[k])))
        for value, kinds in found.items()
    }


def _message(item: dict, names: list[str]) -> str:
    label = (names or [item["object"]])[0]
    if not item["excerpts"]:
        return (
            f"no excerpt supports this value ({label}): quote one that names it, or say "
            "'implied: <why>'"
        )
    return f"no excerpt of this value mentions {label} (by its label, aliases or cues)"


def by_graph(store: ox.Store, graphs: Iterable[str] | None = None) -> dict[str, dict]:
    """Each named graph's checked assertions (N-Triples graph name -> {"assertions": how
    many, "failing": [items]}), on `graphs` only when given; graphs with none are left out.

    Where a row gives several values for one field, the least is kept, and the excerpts
    are sorted: the result does not depend on the order the rows come in.
    """
    graphs = None if graphs is None else list(graphs)
    names = _names(store, graphs)
    found: dict[tuple[str, str], dict] = {}
    for row in _query(store, _ASSERTIONS, graphs):
        key = (str(row["g"]), row["a"].value)
        item = found.get(key)
        fields = {k: row[k].value for k in ("s", "p", "o")}
        where = "" if row["where"] is None else row["where"].value
        if item is None:
            item = found[key] = {
                "assertion": key[1],
                "where": where,
                "subject": fields["s"],
                "predicate": fields["p"],
                "object": fields["o"],
                "excerpts": set(),
                "implied": None,
            }
        else:
            item["where"] = min(item["where"] or where, where or item["where"], key=_where_key)
            for name, field in (("s", "subject"), ("p", "predicate"), ("o", "object")):
                item[field] = min(item[field], fields[name])
        if row["exact"] is not None:
            item["excerpts"].add(row["exact"].value)
        if row["implied"] is not None:
            implied = row["implied"].value
            item["implied"] = implied if item["implied"] is None else min(item["implied"], implied)
    result: dict[str, dict] = {}
    for (graph, _a), item in sorted(found.items()):
        item["excerpts"] = sorted(item["excerpts"])
        record = result.setdefault(graph, {"assertions": 0, "failing": []})
        record["assertions"] += 1
        own = names.get(item["object"], [])
        if item["implied"] is None and not any(mentions(t, own) for t in item["excerpts"]):
            item["message"] = _message(item, own)
            record["failing"].append(item)
    return result


def affected_graphs(store: ox.Store, graphs: Iterable[str], removed, added) -> set[str]:
    """The graphs whose result a change can alter: the changed named `graphs`, and those
    whose assertions point at a curated node (before or after the change) whose names or
    `dg:curatedIn` the merge's `removed` or `added` triples (ox.Triple) changed. A node
    that is not curated (a date, a number) is not checked, whatever its names."""
    found = set(graphs)
    renamed = {t.subject for t in (*removed, *added) if t.predicate in READ_ACROSS_GRAPHS}
    was_curated = {t.subject for t in removed if t.predicate == _CURATED_IN}
    for node in renamed:
        if node not in was_curated and not _named(store.quads_for_pattern(node, _CURATED_IN, None)):
            continue
        found |= {str(q.graph_name) for q in _named(store.quads_for_pattern(None, _OBJECT, node))}
    return found


def _named(quads) -> list:
    """The quads in named graphs (a build's store also holds their merge, as its default)."""
    return [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]


def since(
    store: ox.Store, last: dict[str, dict] | None, graphs: Iterable[str], removed, added
) -> dict:
    """`by_graph` of the store after a change, from `last` (by_graph before it): the graphs
    the change can affect (affected_graphs) checked again, every other one's kept. Without
    `last`, every graph is checked."""
    if last is None:
        return by_graph(store)
    affected = affected_graphs(store, graphs, removed, added)
    found = {g: r for g, r in last.items() if g not in affected}
    if affected:
        found.update(by_graph(store, affected))
    return found


def report_of(graphs: dict[str, dict]) -> dict:
    """`evidence_support` (0 to 1), the threshold, and every failing assertion."""
    total = sum(r["assertions"] for r in graphs.values())
    failing = [item for r in graphs.values() for item in r["failing"]]
    failing.sort(key=lambda i: (_where_key(i["where"]), i["assertion"]))
    share = 1.0 if not total else round((total - len(failing)) / total, 4)
    return {
        "evidence_support": share,
        "evidence_support_threshold": EVIDENCE_SUPPORT_THRESHOLD,
        "evidence_assertions": total,
        "unsupported_assertions": failing,
    }


def evidence_support(store: ox.Store) -> dict:
    """The support check of every assertion in the store: see report_of."""
    return report_of(by_graph(store))


def support_refusal(report: dict) -> str | None:
    """Why a build with this report must be refused for its evidence, or None."""
    share = report.get("evidence_support")
    threshold = report.get("evidence_support_threshold", EVIDENCE_SUPPORT_THRESHOLD)
    if share is None or share >= threshold:
        return None
    failing = report.get("unsupported_assertions", [])
    lines = [
        f"Evidence support is {share:.1%}, below the threshold of {threshold:.0%}: "
        f"{len(failing)} assertion(s) have no excerpt that mentions their value "
        "(add an excerpt to the value, or 'implied: <why>'):"
    ]
    lines += [f"  {i['where']}: {i['message']}" for i in failing]
    return "\n".join(lines)
