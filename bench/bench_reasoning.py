"""The OWL check (HermiT) on a summary of the data against HermiT on the whole data.

The data is curated YAML (built with `load_graphs`) or N-Quads already built, loaded
into an in-memory Oxigraph store as the build holds it. `check_consistency_store` runs
--repeat times on the summary (the median is reported) and once on the whole data
(`summarise=False`, what the check did before summaries), in this process; the ratio is
the whole data's time over the summary's median.

    .venv/bin/python bench/bench_reasoning.py DATA_DIR_OR_NQ [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from diplograph.cli.build import load_graphs, nquads
from diplograph.ontology.reasoning import check_consistency_store


def load_store(source: Path) -> ox.Store:
    store = ox.Store()
    if source.is_dir():
        store.bulk_load(nquads(load_graphs(source).dataset), ox.RdfFormat.N_QUADS)
    else:
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
    return store


def timed(store: ox.Store, summarise: bool) -> tuple[float, object]:
    start = time.perf_counter()
    report = check_consistency_store(store, summarise=summarise)
    return time.perf_counter() - start, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    store = load_store(args.source)
    runs = [timed(store, True) for _ in range(args.repeat)]
    summary = statistics.median(t for t, _r in runs)
    report = runs[0][1]
    whole, whole_report = timed(store, False)
    assert report.consistent == whole_report.consistent, "summary and whole data disagree"
    result = {
        "quads": len(store),
        "individuals": report.individuals,
        "signatures": report.signatures,
        "summary_triples": report.reasoner_triples,
        "whole_triples": whole_report.reasoner_triples,
        "consistent": report.consistent,
        "summary_s": [round(t, 2) for t, _r in runs],
        "summary_median_s": round(summary, 2),
        "whole_s": round(whole, 2),
        "ratio": round(whole / summary, 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
