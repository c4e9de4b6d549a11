"""What an incremental build's validation costs, part by part, on the real data.

    .venv/bin/python -m bench.bench_focused --repeat 5
    .venv/bin/python -m bench.bench_focused --repeat 1 --store BUILD/store  # a build's, e.g. 1M

The real data's quads in an in-memory store with their merge (or, with --store, a build's
on-disk store, opened read-only); one label triple of a data node plays the change.
Medians of warm runs (shapes read once) of: core SHACL on every focus node (a full
build's), core SHACL on the focus nodes that change can affect (shapes/focused.py: the
walk, the sub-store, the engine on it), and the parts an incremental build still runs on
the whole store (SHACL-SPARQL, the violation queries); the evidence support and the OWL
check's ABox summary (HermiT's answer stubbed) both ways: on the whole store, as a full
build does, and from the last build's records and the change, as an incremental build does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import pyoxigraph as ox

from diplograph.cli.build import load_graphs
from diplograph.data import DATA_DIR
from diplograph.loaders.merge import add_merge
from diplograph.ontology.reasoning import check_consistency_store
from diplograph.shapes import compiled, focused, sparql, support
from diplograph.shapes.support import evidence_support
from diplograph.shapes.validation import Locator, run_queries, shapes_graph

LABEL = ox.NamedNode("https://w3id.org/diplograph/def#label")


def _median(call, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def stub(_lines: list[str]) -> tuple[bool, list, str]:
    """HermiT's answer, without its JVM: the bench measures what the build does around it."""
    return True, [], ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--store", help="a build's store directory instead of the real data")
    args = parser.parse_args(argv)
    if args.store:
        store = ox.Store.read_only(args.store)
    else:
        store = load_graphs(DATA_DIR).quads.to_store()
        add_merge(store)
    shapes, quads = shapes_graph(), len(store)
    labels = store.quads_for_pattern(None, LABEL, None, ox.DefaultGraph())
    edit = next(q.triple for q in labels if "/id/" in q.subject.value)
    bounds = focused.reach(shapes)

    def focused_core():
        nodes = focused.affected(store, [edit], [], bounds)
        small = focused.substore(store, nodes, bounds)
        return {"nodes": len(nodes), "substore_quads": len(small)}

    targets = compiled.Compiler(shapes, store).targets
    # what the last build kept: its evidence by graph, the summary HermiT read
    # one source's file changed: the first graph holding the edited triple is the changed one
    graphs = sorted({str(q.graph_name) for q in store.quads_for_pattern(*edit)} - {"DEFAULT"})[:1]
    evidence = support.by_graph(store)
    summary = check_consistency_store(store, hermit=stub).summary
    parts = {
        "core SHACL, every focus node": lambda: len(compiled.Compiler(shapes, store).results()),
        "focused: walk and sub-store": focused_core,
        "focused: core SHACL on the sub-store": lambda: len(
            compiled.Compiler(
                shapes, focused.substore(store, focused.affected(store, [edit], [], bounds), bounds)
            ).results()
        ),
        "SHACL-SPARQL": lambda: len(sparql.evaluate(shapes, store, targets)),
        "violation queries": lambda: len(run_queries(store, Locator(store))[1]),
        "evidence support": lambda: evidence_support(store)["evidence_assertions"],
        "evidence support: the graphs the change can affect": lambda: len(
            support.since(store, evidence, graphs, [edit], [])
        ),
        "OWL summary (HermiT stubbed)": lambda: (
            check_consistency_store(store, hermit=stub).reasoner_triples
        ),
        "OWL summary updated from the change (HermiT stubbed)": lambda: (
            check_consistency_store(store, hermit=stub, since=(summary, [edit], [])).summary
            is not None
        ),
    }
    result = {"quads": quads, "edit": str(edit), "median_s": {}, "out": {}}
    for name, call in parts.items():
        call()  # warm: shapes and queries read once, as in a build's process
        result["median_s"][name], result["out"][name] = _median(call, args.repeat)
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
