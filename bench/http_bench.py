"""Over HTTP: our guarded /sparql (worker processes, time limits) against Virtuoso, same queries.

The app is served by waitress in a child process (so client and server do not share a
GIL); the same client, keep-alive sessions from several threads, then drives Virtuoso's
/sparql directly, on the same build pushed into a registry of its own.
"""

from __future__ import annotations

import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

THREADS = 8
ID_BASE = "https://w3id.org/diplograph/id/"
SERVER = """
import sys, waitress
from diplograph.web import create_app
# One host plays 8 clients here: lift the per-client fairness limit, keep the rest.
app = create_app({"DIPLOGRAPH_HOME": sys.argv[1], "WORKERS": 2, "QUERY_TIMEOUT": 60,
                  "SPARQL_CLIENT_CONCURRENCY": 64})
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=16, _quiet=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(send, jobs: list, seconds: float, threads: int = THREADS) -> dict:
    """Run jobs round-robin from `threads` clients for `seconds`; throughput and latency."""
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(offset: int):
        session, i, mine = requests.Session(), offset, []
        while time.perf_counter() < stop:
            job = jobs[i % len(jobs)]
            i += threads
            t = time.perf_counter()
            try:
                ok = send(session, job)
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - t)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

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


def run(instance: Path, build_dir: Path, seconds: float, virtuoso: bool) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import catalogue_texts

    texts = list(catalogue_texts().values())
    lookups = [lookup(i) for i in entity_ids(build_dir / "graph.nq")]
    accept = {"Accept": "application/sparql-results+json"}
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(instance), str(port)])
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        for _ in range(300):
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)

        def ours(session, text):
            return session.post(url, data={"query": text}, headers=accept, timeout=120).ok

        out = {
            "ours_catalogue": drive(ours, texts, seconds),
            "ours_lookups": drive(ours, lookups, seconds),
        }
    finally:
        server.terminate()
        server.wait(10)
    if virtuoso:
        out |= virtuoso_baseline(build_dir, texts, lookups, seconds)
    return out


def virtuoso_baseline(build_dir: Path, texts, lookups, seconds: float) -> dict:
    """The same queries sent straight to Virtuoso, with the dataset named as our client does."""
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "tests"))
    from virtuoso_support import endpoints, virtuoso_env

    from diplograph.loaders.store.checks import check_query
    from diplograph.loaders.store.publish_remote import push
    from diplograph.loaders.store.remote import RemoteStore

    ends = endpoints(virtuoso_env(), "bench")
    t = time.perf_counter()
    push(build_dir, ends, keep=1, check_queries=False)
    load = time.perf_counter() - t
    version = RemoteStore(ends).version()
    accept = {"Accept": "application/sparql-results+json"}

    def form(text):
        info = check_query(text)
        params = [("query", version.rewrite_query(text, info.prefixes))]
        params.append(("default-graph-uri", version.merge))
        if "GRAPH" in text.upper():
            params += [("named-graph-uri", g) for g in version.stored_graphs()]
        return params

    jobs = [form(t) for t in texts]
    look = [form(t) for t in lookups]

    def send(session, params):
        response = session.post(ends.query, data=params, headers=accept, timeout=120)
        return response.ok and "X-SQL-State" not in response.headers

    return {
        "virtuoso_load_s": load,
        "virtuoso_catalogue": drive(send, jobs, seconds),
        "virtuoso_lookups": drive(send, look, seconds),
    }
