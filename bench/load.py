"""Load test: many clients on the normal mix, quiet and under attack.

Drives the served app over loopback with a mix of catalogue queries, entity pages and
searches from N concurrent clients (threads, one keep-alive session each), bounded in time
and in request count. Each round runs a quiet phase, then the same mix under each attack:

- `runaway`: one more client sends a runaway query to /sparql over and over (each is
  stopped at the query time limit);
- `slow`: 8 slow-body clients (form POSTs to /sparql from 8 loopback addresses that send
  their headers and a few bytes of body, never the rest; reopened whenever the server
  answers or closes) and 8 slow readers (GET /downloads/diplograph.nq with a small receive
  buffer, never read).

Reports throughput, p50/p99 latency and errors per phase, and per attack the median over
the rounds of each phase's p99 and the ratio of the medians (attacked / quiet).

    .venv/bin/python -m bench.load                       # 32 clients, 60 s per phase
    .venv/bin/python -m bench.load --attacks slow --seconds 20 --repeats 3 --json out.json
    .venv/bin/python -m bench.load --url http://127.0.0.1:8000   # an already running server

Without --url it builds the curated data (no validation) into a temporary instance and
serves it as `diplograph serve` does (web/server.py: --processes granian worker processes
sharing the socket, one per CPU by default) from a child process, so client and server do
not share a GIL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import requests

from diplograph.cli.build import build
from diplograph.queries import catalogue as cat

#: Slow-body clients and slow readers in the `slow` attack (each).
SLOW = 8
ATTACKS = ("runaway", "slow")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SEARCHES = ["xi", "trump", "busan", "tariff", "soybean", "fentanyl", "bessent", "apec", "korea"]
#: Every typed subject; the entity ones are kept and sorted here. (Filtering and sorting in
#: SPARQL took 3.5 s on a busy machine: a public query demoted after 1 s, it then starved.)
ENTITY_QUERY = "SELECT DISTINCT ?s WHERE { ?s a ?t }"
ENTITY_BASE = "https://w3id.org/diplograph/id/"
MAX_ENTITIES = 300
SERVE_SCRIPT = """
import sys
from diplograph.web import server
from diplograph.web.settings import ServeSettings
port, processes, threads = map(int, sys.argv[1:4])
home, timeout = sys.argv[4], float(sys.argv[5])
settings = ServeSettings(port=port, processes=processes, threads=threads, home=home,
                         query_timeout=timeout)
sys.exit(server.serve(settings))
"""


@dataclass
class Tally:
    """What one phase saw; lists are appended from many threads (append is atomic)."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runaway: list[int] = field(default_factory=list)
    attack: list[str] = field(default_factory=list)


def mix_urls(base: str) -> list[tuple[str, str]]:
    """(kind, url) for every catalogue query, up to 300 entity pages and some searches."""
    urls = []
    for name, query in sorted(cat.load_catalogue().items()):
        params = {k: str(v) for k, v in query.example_params().items()}
        urls.append(("catalogue", f"{base}/queries/{name}?{urlencode({**params, 'run': '1'})}"))
    for attempt in range(5):  # a public query: on a busy machine it may hit its time limit
        answer = requests.get(
            f"{base}/sparql", params={"query": ENTITY_QUERY, "format": "csv"}, timeout=60
        )
        if answer.status_code != 503:
            break
        time.sleep(2 * (attempt + 1))
    answer.raise_for_status()
    iris = sorted(iri for iri in answer.text.split()[1:] if iri.startswith(ENTITY_BASE))
    for iri in iris[:MAX_ENTITIES]:
        urls.append(("entity", f"{base}/id/{iri.removeprefix(ENTITY_BASE)}"))
    urls += [("search", f"{base}/search?q={quote(term)}") for term in SEARCHES]
    return urls


def warm(urls: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """Request every URL once (pages are assembled once per build, then kept in memory).

    Returns the URLs that answered 200, and the others with their status: those are
    reported, not hammered, so one broken page cannot hide in the error count.
    """
    ok, skipped = [], []
    with requests.Session() as session:
        for kind, url in urls:
            status = session.get(url, timeout=60).status_code
            if status == 200:
                ok.append((kind, url))
            else:
                skipped.append(f"{status} {url}")
    return ok, skipped


def client(urls, tally: Tally, stop: float, budget: threading.Semaphore, seed: int) -> None:
    rng = random.Random(seed)
    with requests.Session() as session:
        while time.monotonic() < stop and budget.acquire(blocking=False):
            kind, url = rng.choice(urls)
            started = time.perf_counter()
            try:
                response = session.get(url, timeout=60)
                response.content  # noqa: B018 - read the whole body
                status = response.status_code
            except requests.RequestException as exc:
                tally.errors.append(f"{kind}: {type(exc).__name__}")
                continue
            tally.latencies.append(time.perf_counter() - started)
            if status != 200:
                tally.errors.append(f"{kind}: HTTP {status}")


def runaway_client(base: str, tally: Tally, stop: float) -> None:
    with requests.Session() as session:
        while time.monotonic() < stop:
            try:
                response = session.get(f"{base}/sparql", params={"query": RUNAWAY}, timeout=120)
                tally.runaway.append(response.status_code)
                if response.status_code == 429:
                    time.sleep(float(response.headers.get("Retry-After", "1")))
            except requests.RequestException:
                tally.runaway.append(0)


def _open(base: str, address: str, rcvbuf: int | None = None) -> socket.socket:
    """A connection to the server from `address` (another loopback client to the limits)."""
    host, port = base.rsplit("//", 1)[1].rsplit(":", 1)
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.bind((address, 0))
    sock.connect((host, int(port)))
    return sock


def _hold(base: str, address: str, request: bytes, rcvbuf, tally: Tally, stop: float) -> None:
    """Send `request` and then nothing, never reading past the status line; again each time
    the server answers or closes, until `stop`. Statuses seen go to tally.attack."""
    while time.monotonic() < stop:
        try:
            sock = _open(base, address, rcvbuf)
        except OSError:
            tally.attack.append("connect failed")
            time.sleep(0.5)
            continue
        with sock:
            try:
                sock.sendall(request)
                sock.settimeout(max(0.1, stop - time.monotonic()))
                head = sock.recv(16)  # the status line, if the server answers at all
            except TimeoutError:
                return  # held to the end of the phase
            except OSError as exc:
                head = type(exc).__name__.encode()
            tally.attack.append(head[9:12].decode() if head.startswith(b"HTTP/") else "closed")
            if rcvbuf:  # a reader that got its headers stays stalled on the rest
                remaining = stop - time.monotonic()
                if remaining > 0:
                    time.sleep(remaining)
                return


def slow_clients(base: str, tally: Tally, stop: float) -> list[threading.Thread]:
    """8 slow-body POSTs (one per loopback address) and 8 stalled readers of the download."""
    body = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        b"query=SEL"
    )
    download = b"GET /downloads/diplograph.nq HTTP/1.1\r\nHost: x\r\n\r\n"
    jobs = [(f"127.0.0.{n + 2}", body, None) for n in range(SLOW)]
    jobs += [("127.0.0.1", download, 4096) for _ in range(SLOW)]
    return [
        threading.Thread(target=_hold, args=(base, *job, tally, stop), daemon=True) for job in jobs
    ]


def phase(base, urls, clients: int, seconds: float, max_requests: int, attack: str) -> dict:
    tally = Tally()
    stop = time.monotonic() + seconds
    budget = threading.Semaphore(max_requests)
    threads = [
        threading.Thread(target=client, args=(urls, tally, stop, budget, i), daemon=True)
        for i in range(clients)
    ]
    if attack == "runaway":
        hog = threading.Thread(target=runaway_client, args=(base, tally, stop), daemon=True)
        threads.append(hog)
    elif attack == "slow":
        threads += slow_clients(base, tally, stop)
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads[:clients]:
        t.join()
    elapsed = time.monotonic() - started
    for t in threads[clients:]:
        t.join()  # the runaway's last query ends at its time limit
    lat = sorted(tally.latencies)
    return {
        "clients": clients,
        "attack": attack,
        "seconds": round(elapsed, 1),
        "requests": len(lat),
        "throughput_rps": round(len(lat) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
        "p99_ms": round(1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))], 1) if lat else None,
        "max_ms": round(1000 * lat[-1], 1) if lat else None,
        "errors": len(tally.errors),
        "error_kinds": sorted(set(tally.errors)),
        "runaway_statuses": {str(s): tally.runaway.count(s) for s in sorted(set(tally.runaway))},
        "attack_answers": {a: tally.attack.count(a) for a in sorted(set(tally.attack))},
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_build(processes: int, threads: int, timeout: float):
    """Build the curated data into a temporary instance and serve it from a child process."""
    home = Path(tempfile.mkdtemp(prefix="diplograph-load-"))
    server = None
    try:
        build(None, home, validate=False)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVE_SCRIPT,
                *map(str, (port, processes, threads, home, timeout)),
            ],
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/sparql?query=ASK%7B%7D", timeout=5).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        if server is not None:
            server.terminate()  # the parent stops its server processes, then exits
            server.wait(30)
        shutil.rmtree(home, ignore_errors=True)


def _median(phases: list[dict], key: str):
    values = [p[key] for p in phases if p[key] is not None]
    return round(statistics.median(values), 1) if values else None


def run(base, clients, seconds, max_requests, attacks=ATTACKS, repeats: int = 1) -> dict:
    """`repeats` rounds, each a quiet phase then one phase per attack, in one session."""
    urls, skipped = warm(mix_urls(base))
    kinds = {k: sum(1 for kind, _u in urls if kind == k) for k in ("catalogue", "entity", "search")}
    rounds = []
    for _ in range(repeats):
        quiet = phase(base, urls, clients, seconds, max_requests, attack="")
        rounds.append(
            [quiet] + [phase(base, urls, clients, seconds, max_requests, a) for a in attacks]
        )
    summary = {}
    quiet_p99 = _median([r[0] for r in rounds], "p99_ms")
    for i, attack in enumerate(attacks, 1):
        attacked_p99 = _median([r[i] for r in rounds], "p99_ms")
        summary[attack] = {
            "quiet_p99_ms_median": quiet_p99,
            "attacked_p99_ms_median": attacked_p99,
            "p99_ratio": round(attacked_p99 / quiet_p99, 2) if quiet_p99 and attacked_p99 else None,
            "ratios_per_round": [
                round(r[i]["p99_ms"] / r[0]["p99_ms"], 2)
                if r[0]["p99_ms"] and r[i]["p99_ms"]
                else None
                for r in rounds
            ],
        }
    return {"mix": kinds, "skipped": skipped, "rounds": rounds, "summary": summary}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an already running server (default: build and serve)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0, help="per phase")
    parser.add_argument("--max-requests", type=int, default=500_000, help="per phase")
    parser.add_argument(
        "--attacks", nargs="+", choices=ATTACKS, default=list(ATTACKS), help="phases after quiet"
    )
    parser.add_argument("--repeats", type=int, default=1, help="rounds (medians reported)")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="server processes (no --url)"
    )
    parser.add_argument(
        "--threads", type=int, default=24, help="app threads per server process (no --url)"
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="query time limit (no --url)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    options = (args.clients, args.seconds, args.max_requests, args.attacks, args.repeats)
    if args.url:
        report = run(args.url.rstrip("/"), *options)
    else:
        with served_build(args.processes, args.threads, args.timeout) as base:
            report = run(base, *options)
    report["cpus"] = os.cpu_count()
    report["loadavg_after"] = [round(x, 1) for x in os.getloadavg()]  # others on the machine
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
