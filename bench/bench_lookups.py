"""Point lookups over HTTP: `SELECT ?p ?o WHERE { <entity> ?p ?o }` on the served /sparql.

The real `diplograph serve` (waitress) runs in a child process, once with the bounded-lookup
path off (FLASK_SPARQL_FAST_LOOKUPS=false: Flask, a worker process, the TSV capping round
trip, as before) and once with it on, alternately, --repeat times each in one session.
The client is `wrk` (C, event loop; `apt-get install wrk`) with a Lua script rotating
through 500 entity IRIs as GET requests with keep-alive; it runs on the same machine, so
the CPU seconds it and the server used are reported next to the figures.

    .venv/bin/python bench/bench_lookups.py --facts 100000 --out bench/results/lookups.json
    .venv/bin/python bench/bench_lookups.py --instance PATH   # reuse a published build

Without --instance the synthetic data (bench/synth.py) is built once under the system's
temporary directory and reused by later runs of the same size. The per-client concurrency
limit is lifted for the run (one host plays every connection); everything else is as served.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import requests

HERE = Path(__file__).resolve().parent
ID_BASE = "https://w3id.org/diplograph/id/"
ACCEPT = "application/sparql-results+json"


def log(message: str) -> None:
    print(f"[lookups {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def instance_for(facts: int) -> Path:
    """A published build of `facts` synthetic facts, built once and then reused."""
    sys.path.insert(0, str(HERE))
    import synth

    from diplograph.loaders.build import build
    from diplograph.loaders.store import current_build

    work = Path(tempfile.gettempdir()) / f"diplograph-lookups-{facts}"
    instance = work / "instance"
    if current_build(instance) is not None:
        return instance
    shutil.rmtree(work, ignore_errors=True)
    log(f"generating {facts} facts and building them (once)")
    synth.generate(work / "data", facts, 1)
    build(work / "data", instance)
    return instance


def entity_iris(build_dir: Path, n: int = 500, seed: int = 1) -> list[str]:
    subjects = set()
    with open(build_dir / "graph.nq", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("<" + ID_BASE):
                subjects.add(line[1 : line.index(">")])
    return random.Random(seed).sample(sorted(subjects), min(n, len(subjects)))


def lua_script(iris: list[str], path: Path) -> None:
    """wrk: GET requests rotating through the lookups, each thread from its own offset."""
    paths = [
        "/sparql?query=" + quote(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", safe="") for iri in iris
    ]
    body = ",\n".join(json.dumps(p) for p in paths)
    path.write_text(
        f"local paths = {{\n{body}\n}}\n"
        "local i = 0\n"
        "function setup(thread) thread:set('offset', math.random(#paths)) end\n"
        "function init(args) i = tonumber(offset) or 0 end\n"
        f'wrk.headers["Accept"] = "{ACCEPT}"\n'
        "function request()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n",
        encoding="utf-8",
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped children (the query workers)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> float:
    """CPU of the server and its live children (forkserver, workers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry.name) == pid or ppid == pid or _parent(ppid) == pid:
                total += _cpu_seconds(int(entry.name))
        except (OSError, ValueError):
            continue
    return total


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return None


def serve(instance: Path, fast: bool, threads: int):
    port = _free_port()
    env = dict(
        os.environ,
        DIPLOGRAPH_HOME=str(instance),
        FLASK_SPARQL_CLIENT_CONCURRENCY="1024",
        FLASK_SPARQL_FAST_LOOKUPS="true" if fast else "false",
    )
    cli = Path(sys.executable).with_name("diplograph")
    server = subprocess.Popen(
        [str(cli), "serve", "--port", str(port), "--threads", str(threads)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # waitress warns "Task queue depth" under load
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                return server, url
        except requests.RequestException:
            time.sleep(0.1)
    stop(server)
    raise RuntimeError("the server did not come up")


def stop(server) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, script: Path, seconds: float, connections: int, threads: int) -> dict:
    before = os.times()
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    after = os.times()
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return {
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": _ms(percentiles["50"]),
        "p99_ms": _ms(percentiles["99"]),
        "errors": errors,
        "client_cpu_s": (after.children_user + after.children_system)
        - (before.children_user + before.children_system),
    }


def measure(instance, script, fast, args) -> dict:
    server, url = serve(instance, fast, args.server_threads)
    try:
        wrk(f"{url}/sparql", script, args.warmup, args.connections, args.wrk_threads)
        cpu = _tree_cpu(server.pid)
        result = wrk(f"{url}/sparql", script, args.seconds, args.connections, args.wrk_threads)
        result["server_cpu_s"] = _tree_cpu(server.pid) - cpu
        return result
    finally:
        stop(server)


def summary(runs: list[dict]) -> dict:
    keys = ("per_second", "p50_ms", "p99_ms", "errors", "client_cpu_s", "server_cpu_s")
    return {k: statistics.median(r[k] for r in runs) for k in keys} | {"runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, help="a published instance to reuse")
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--server-threads", type=int, default=16, help="waitress threads")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")

    from diplograph.loaders.store import current_build

    instance = (args.instance or instance_for(args.facts)).resolve()
    build_dir = current_build(instance)
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    iris = entity_iris(build_dir)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "lookups.lua"
        lua_script(iris, script)
        runs: dict[str, list[dict]] = {"baseline": [], "bounded": []}
        for n in range(args.repeat):
            for name in ("baseline", "bounded"):
                result = measure(instance, script, name == "bounded", args)
                log(f"{name} #{n + 1}: {json.dumps({k: result[k] for k in list(result)[:5]})}")
                runs[name].append(result)
    out = {
        "quads": manifest.get("triples") or manifest.get("quads"),
        "cpus": os.cpu_count(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("out", "instance")},
        "client": f"wrk -t{args.wrk_threads} -c{args.connections} (keep-alive), same machine",
        "baseline": summary(runs["baseline"]),
        "bounded": summary(runs["bounded"]),
    }
    out["ratio_per_second"] = out["bounded"]["per_second"] / out["baseline"]["per_second"]
    out["ratio_p99"] = out["baseline"]["p99_ms"] / out["bounded"]["p99_ms"]
    text = json.dumps(out, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k not in ("baseline", "bounded")}))
    for name in ("baseline", "bounded"):
        s = out[name]
        print(
            f"{name:9} {s['per_second']:8.0f} lookups/s  p50 {s['p50_ms']:6.2f} ms  "
            f"p99 {s['p99_ms']:6.2f} ms  errors {s['errors']:g}  "
            f"CPU s: server {s['server_cpu_s']:.1f}, client {s['client_cpu_s']:.1f}"
        )


if __name__ == "__main__":
    main()
