"""Server time per page on the curated graph: medians, and their ratio to a baseline.

Every page is requested through the WSGI app in-process (the Flask test client), so
the time is the server's: routing, store queries (through the worker pool), assembling
and rendering. The baseline is the smallest round trip the app can make to its store, a
`/sparql` ASK, measured in the same run; ratios are what to compare across machines.
The first request of each page is reported apart: it fills the per-build caches (name
index, sources, timeline, entity views) that later requests reuse.

    .venv/bin/python -m bench.bench_pages [--instance DIR] [--repeat 30] [--json FILE]

Without --instance, the curated data is built (unvalidated) into a temporary instance.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from diplograph.cli.build import build
from diplograph.data import DATA_DIR
from diplograph.web import create_app

PAGES = [
    ("baseline: /sparql ASK", "/sparql?query=ASK%20%7B%7D"),
    ("home", "/"),
    ("search 'besant'", "/search?q=besant"),
    ("search 'beisente' (json)", "/search?q=beisente&format=json"),
    ("entity: person", "/id/donald-trump"),
    ("entity: person with positions", "/id/scott-bessent"),
    ("entity: event with a dispute", "/id/trump-xi-call-2025-11-24"),
    ("entity: country", "/id/china"),
    ("entity as Turtle", "/id/scott-bessent.ttl"),
    ("timeline", "/timeline"),
    ("timeline filtered", "/timeline?actor=xi-jinping&topic=us-china-relations"),
    ("network page", "/network?id=donald-trump"),
    ("network expand (json)", "/network/data?id=xi-jinping"),
    ("sources", "/sources"),
    ("source page", "/sources/gatesquare-2025-11-25"),
    ("disagreements", "/disagreements"),
    ("catalogue", "/queries"),
    ("catalogue query run", "/queries/meetings-of-agent?agent=xi-jinping&run=1"),
    ("catalogue query CSV", "/queries/cq04-trip-destinations?run=1&format=csv"),
    ("query editor", "/query-editor"),
    ("ontology", "/ontology"),
    ("validation", "/validation"),
    ("downloads", "/downloads"),
]


def measure(client, path: str, repeat: int) -> tuple[int, float, list[float]]:
    """The first request (it fills the per-build caches), then `repeat` more."""
    start = time.perf_counter()
    status = client.get(path).status_code
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        response.get_data()
        times.append(time.perf_counter() - start)
    return status, first, times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, help="an instance with a published build")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        home = args.instance
        if home is None:
            home = Path(tmp) / "instance"
            build(DATA_DIR, home, validate=False)
        app = create_app({"DIPLOGRAPH_HOME": str(home)})
        client = app.test_client()
        results = []
        for name, path in PAGES:
            status, first, times = measure(client, path, args.repeat)
            results.append(
                {
                    "page": name,
                    "path": path,
                    "status": status,
                    "first_ms": first * 1000,
                    "median_ms": statistics.median(times) * 1000,
                }
            )
        base = results[0]["median_ms"]
        print(f"{'page':38} {'status':>6} {'first ms':>9} {'median ms':>10} {'x ASK':>7}")
        for r in results:
            r["ratio"] = r["median_ms"] / base if base else float("nan")
            print(
                f"{r['page']:38} {r['status']:>6} {r['first_ms']:9.2f} "
                f"{r['median_ms']:10.2f} {r['ratio']:7.1f}"
            )
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"repeat": args.repeat, "pages": results}, indent=2))
        store = app.extensions.get("diplograph.store")
        if store is not None and hasattr(store, "close"):
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
