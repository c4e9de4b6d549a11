"""Server time per page on the curated graph: medians, and their ratio to a baseline.

Every page is requested through the WSGI app in-process (the Flask test client), so
the time is the server's: routing, store queries (through the worker pool), assembling
and rendering. The baseline is the smallest round trip the app can make to its store, a
`/sparql` ASK, measured in the same run; ratios are what to compare across machines.
The first request of each page is reported apart: it fills the per-build caches (name
index, sources, timeline, entity views) that later requests reuse.

    .venv/bin/python -m bench.bench_pages [--instance DIR] [--repeat 30] [--loads 5] [--json FILE]

With --loads N (N > 0), each HTML page is also loaded N times in Debian's Chromium
(Playwright, served by waitress on loopback) and the median time to the load event is
reported: what a reader waits, scripts and styles included.

Without --instance, the curated data is built (unvalidated) into a temporary instance.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import waitress
from playwright.sync_api import sync_playwright

from diplograph.cli.build import build
from diplograph.data import DATA_DIR
from diplograph.web import create_app

PAGES = [
    ("baseline: /sparql ASK", "/sparql?query=ASK%20%7B%7D"),
    ("home", "/"),
    ("search 'besant'", "/search?q=besant"),
    ("search 'beisente' (json)", "/search?q=beisente&format=json"),
    ("search 'trump xi busan'", "/search?q=trump+xi+busan"),
    ("search words 'post-World War II'", "/search?q=post-World+War+II"),
    ("suggest 'xi ji' (json)", "/search/suggest?q=xi+ji"),
    ("entity: event (Busan)", "/id/trump-xi-busan-meeting-2025"),
    ("entity: commitment", "/id/china-soybean-purchase-commitment"),
    ("entity: person", "/id/donald-trump"),
    ("entity: person with positions", "/id/scott-bessent"),
    ("entity: event with a dispute", "/id/trump-xi-call-2025-11-24"),
    ("entity: country", "/id/china"),
    ("entity as Turtle", "/id/scott-bessent.ttl"),
    ("timeline", "/timeline"),
    ("timeline filtered", "/timeline?actor=xi-jinping&topic=us-china-relations"),
    ("timeline as of 25 Oct 2025", "/timeline?as_of=2025-10-25&focus=trump-xi-busan-meeting-2025"),
    ("timeline data (json)", "/timeline/data"),
    ("map", "/map"),
    ("map data (json)", "/map/data?from=2026-01-01"),
    ("network page", "/network?id=donald-trump"),
    ("network page, expanded", "/network?focus=xi-jinping&expanded=trump-xi-busan-meeting-2025"),
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


# Script a page may load (issue 19); fetched data (the map's outlines) is counted apart.
# Over it, measured here: the network page (Cytoscape.js with fcose, about 750 KB, loaded
# on that page only) and the query editor (YASGUI, about 990 KB).
SCRIPT_BUDGET_KB = 300
SCRIPT_SRC = re.compile(r'<script[^>]* src="([^"]+)"')
DATA_SRC = re.compile(r'data-world="([^"]+)"')


def page_weight(client, path: str) -> tuple[float, float]:
    """KB of the scripts an HTML page loads, and of the data its scripts fetch."""
    response = client.get(path)
    if not response.content_type.startswith("text/html"):
        return 0.0, 0.0
    html = response.get_data(as_text=True)

    def size(urls: list[str]) -> float:
        return sum(len(client.get(u).get_data()) for u in urls) / 1024

    return size(SCRIPT_SRC.findall(html)), size(DATA_SRC.findall(html))


def browser_loads(app, paths: list[str], loads: int) -> dict[str, float]:
    """Median ms from navigation start to the load event, per HTML page, in Chromium."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)

    def serve():
        with contextlib.suppress(OSError):  # the socket closes under the loop at the end
            server.run()

    threading.Thread(target=serve, daemon=True).start()
    root = f"http://127.0.0.1:{server.effective_port}"
    out = {}
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            for path in paths:
                times = []
                for _ in range(loads + 1):  # the first fills the caches and is not counted
                    tab.goto(root + path, wait_until="load")
                    times.append(
                        tab.evaluate(
                            "() => { const n = performance.getEntriesByType('navigation')[0];"
                            " return n.loadEventEnd - n.startTime; }"
                        )
                    )
                out[path] = statistics.median(times[1:])
            chromium.close()
    finally:
        server.close()
    return out


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
    parser.add_argument("--loads", type=int, default=5, help="Chromium loads per page (0: none)")
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
            script_kb, data_kb = page_weight(client, path)
            results.append(
                {
                    "page": name,
                    "path": path,
                    "status": status,
                    "first_ms": first * 1000,
                    "median_ms": statistics.median(times) * 1000,
                    "script_kb": script_kb,
                    "data_kb": data_kb,
                }
            )
        html_paths = [r["path"] for r in results[1:] if r["status"] == 200]
        html_paths = [p for p in html_paths if "format=" not in p and "/data" not in p]
        html_paths = [p for p in html_paths if not p.endswith(".ttl") and "suggest" not in p]
        loaded = browser_loads(app, html_paths, args.loads) if args.loads > 0 else {}
        for r in results:
            r["load_ms"] = loaded.get(r["path"])
        base = results[0]["median_ms"]
        print(
            f"{'page':38} {'status':>6} {'first ms':>9} {'median ms':>10} {'x ASK':>7}"
            f" {'script KB':>9} {'data KB':>8} {'load ms':>8}"
        )
        for r in results:
            r["ratio"] = r["median_ms"] / base if base else float("nan")
            print(
                f"{r['page']:38} {r['status']:>6} {r['first_ms']:9.2f} "
                f"{r['median_ms']:10.2f} {r['ratio']:7.1f} "
                f"{r['script_kb']:9.1f} {r['data_kb']:8.1f} "
                + (f"{r['load_ms']:8.0f}" if r["load_ms"] is not None else f"{'-':>8}")
                + (" over budget" if r["script_kb"] > SCRIPT_BUDGET_KB else "")
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
