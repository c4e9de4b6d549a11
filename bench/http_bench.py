"""Over HTTP: our guarded /sparql (worker processes, time limits) against Virtuoso, same queries.

The app is served as `diplograph serve` serves it (web/server.py: one granian worker
process per CPU sharing the socket, each with its share of the query workers) from a child process,
so client and server do not share a GIL; the same client, keep-alive connections from
several threads, then drives Virtuoso's /sparql directly, on the same build pushed into a
registry of its own. Requests are form-encoded POSTs, the form both servers handle alike.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests

from bench.catalogue import catalogue_texts
from bench.virtuoso import endpoints, virtuoso_env
from diplograph.store import current_build
from diplograph.store.checks import check_query
from diplograph.store.publish_remote import drop_all, push
from diplograph.store.remote import RemoteStore

THREADS = 8
ID_BASE = "https://w3id.org/diplograph/id/"
#: Server threads per process (the `serve` default).
SERVER_THREADS = 8
SERVER = """
import sys
from diplograph.web import server
from diplograph.web.settings import ServeSettings
home, port, processes, threads = sys.argv[1], *map(int, sys.argv[2:5])
# One host plays 8 clients here: turn the per-client limit off (0; a positive limit is
# capped below a process's query workers, which made most of these requests 429s).
settings = ServeSettings(port=port, processes=processes, threads=threads, home=home,
                         query_timeout=60, client_concurrency=0)
sys.exit(server.serve(settings))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection (http.client: far less client CPU than requests,
    so on a shared 2-core machine the load generator takes less from the server)."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def post(self, params: list[tuple[str, str]]) -> tuple[int, dict]:
        body = urlencode(params).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        }
        try:
            self.conn.request("POST", self.path, body, headers)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            raise
        response.read()
        return response.status, dict(response.getheaders())


def drive(url: str, ok, jobs: list, seconds: float, threads: int = THREADS) -> dict:
    """POST jobs (form parameters) round-robin from `threads` keep-alive clients for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(offset: int):
        session, i, mine, bad = Client(url), offset, [], 0
        while time.perf_counter() < stop:
            job = jobs[i % len(jobs)]
            i += threads
            t = time.perf_counter()
            try:
                good = ok(*session.post(job))
            except (OSError, http.client.HTTPException):
                good = False
            mine.append(time.perf_counter() - t)
            bad += not good
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else None,
        "errors": errors[0],
    }


def entity_ids(nq: Path, n: int = 500, seed: int = 1) -> list[str]:
    subjects = set()
    with open(nq, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("<" + ID_BASE):
                subjects.add(line[1 : line.index(">")])
    return random.Random(seed).sample(sorted(subjects), min(n, len(subjects)))


def lookup(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def run(
    instance: Path,
    build_dir: Path,
    seconds: float,
    virtuoso: bool,
    processes: int | None = None,
    threads: int = SERVER_THREADS,
) -> dict:
    texts = list(catalogue_texts().values())
    lookups = [lookup(i) for i in entity_ids(build_dir / "graph.nq")]
    port = _free_port()
    processes = processes or os.cpu_count() or 1
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(instance), str(port), str(processes), str(threads)],
        stderr=subprocess.DEVNULL,  # the server's log
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        for _ in range(300):
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)

        def ours(status, _headers):
            return status == 200

        out = {
            "ours_catalogue": drive(url, ours, [[("query", t)] for t in texts], seconds),
            "ours_lookups": drive(url, ours, [[("query", t)] for t in lookups], seconds),
        }
    finally:
        server.terminate()  # the parent stops its server processes, then exits
        server.wait(30)
    out["server"] = {"processes": processes, "threads": threads}
    if virtuoso:
        try:
            out |= virtuoso_baseline(build_dir, texts, lookups, seconds)
        except Exception as exc:  # keep our own figures
            out["virtuoso_error"] = f"{type(exc).__name__}: {exc}"[:500]
    return out


def virtuoso_baseline(build_dir: Path, texts, lookups, seconds: float) -> dict:
    """The same queries sent straight to Virtuoso, with the dataset named as our client does."""
    ends = endpoints(virtuoso_env(), "bench")
    drop_all(ends)  # what an interrupted run left
    t = time.perf_counter()
    push(build_dir, ends, keep=1, check_queries=False)
    load = time.perf_counter() - t
    version = RemoteStore(ends).version()

    def form(text):
        info = check_query(text)
        params = [("query", version.rewrite_query(text, info.prefixes))]
        params.append(("default-graph-uri", version.merge))
        if "GRAPH" in text.upper():
            params += [("named-graph-uri", g) for g in version.stored_graphs()]
        return params

    jobs = [form(t) for t in texts]
    look = [form(t) for t in lookups]

    def ok(status, headers):  # a partial (timed-out) answer is not an answer
        return status == 200 and "X-SQL-State" not in headers

    try:
        return {
            "virtuoso_load_s": load,
            "virtuoso_catalogue": drive(ends.query, ok, jobs, seconds),
            "virtuoso_lookups": drive(ends.query, ok, look, seconds),
        }
    finally:
        drop_all(ends)  # leave the shared test server as small as it was


def main(argv=None) -> int:
    """Ours (--repeat times) then Virtuoso (once) on a published instance, as in the docs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, required=True, help="a published instance")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--virtuoso", action="store_true", help="then Virtuoso, once")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    build_dir = current_build(args.instance)
    if build_dir is None:
        parser.error(f"no published build under {args.instance}")
    runs = [run(args.instance, build_dir, args.seconds, False) for _ in range(args.repeat)]
    with open(build_dir / "graph.nq", "rb") as fh:
        report = {"quads": sum(1 for _ in fh), "ours": runs}
    if args.virtuoso:
        lookups = [lookup(i) for i in entity_ids(build_dir / "graph.nq")]
        texts = list(catalogue_texts().values())
        report["virtuoso"] = virtuoso_baseline(build_dir, texts, lookups, args.seconds)
    for name in ("catalogue", "lookups"):
        ours = [r[f"ours_{name}"] for r in runs]
        rates = sorted(r["per_second"] for r in ours)
        line = f"ours {name}: median {statistics.median(rates):,.1f}/s ({rates[0]:,.1f}-"
        line += f"{rates[-1]:,.1f}), p99 ms {[round(r['p99_ms'], 1) for r in ours]}"
        theirs = report.get("virtuoso", {}).get(f"virtuoso_{name}")
        if theirs:
            line += f"; Virtuoso {theirs['per_second']:,.1f}/s, p99 {theirs['p99_ms']:.1f} ms"
        print(line)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
