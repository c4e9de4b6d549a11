"""Point lookups over HTTP: `SELECT ?p ?o WHERE { <entity> ?p ?o }` on the served /sparql.

Each variant is the real `diplograph serve` in a child process, with its own options and
FLASK_* settings, and optionally the code of another commit (`@REF`: `git archive` of it,
imported instead of this checkout), so a change can be measured against the code before
it in one session. Variants run alternately, --repeat times each; medians are reported.

The default client is the scale runner's (bench/http_bench.py): 8 threads, each with one
keep-alive `http.client` connection, sending form-encoded POSTs that rotate through 500
random entities. `--client wrk` uses wrk instead (C, one event-loop thread, a Lua script
rotating the same lookups as GETs or POSTs): far less client CPU on the shared cores.
Both run on the server's machine, so the CPU seconds each side used are reported too.

    .venv/bin/python -m bench.bench_lookups --instance PATH \\
        --variant "before=@HEAD~1 --threads 16" --variant "after=" --catalogue

A variant is NAME=OPTIONS: `serve` options, KEY=VALUE settings for its environment (e.g.
FLASK_SPARQL_FAST_LOOKUPS=false) and at most one @REF. Without --instance the synthetic
data (bench/synth.py) is built once under the system's temporary directory and reused.
The per-client concurrency limit is lifted (one host plays every connection) and the
query time limit is 60 s (as in the scale runner); everything else is as served.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import requests

from bench import http_bench, synth
from bench.catalogue import catalogue_texts
from diplograph.cli.build import build
from diplograph.store import current_build

ROOT = Path(__file__).resolve().parents[1]

ACCEPT = "application/sparql-results+json"
DEFAULT_VARIANTS = ["one-process=--processes 1 --threads 16", "default="]
#: Runs `diplograph` from the package tree on PYTHONPATH instead of the installed checkout.
RUNNER = """
import sys
if __name__ == "__main__":
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    from diplograph.cli.main import main
    sys.argv[0] = "diplograph"
    main()
"""


def log(message: str) -> None:
    print(f"[lookups {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Variant:
    name: str
    options: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    ref: str | None = None

    @classmethod
    def parse(cls, text: str) -> Variant:
        name, _, rest = text.partition("=")
        variant = cls(name.strip())
        for token in shlex.split(rest):
            if token.startswith("@"):
                variant.ref = token[1:]
            elif re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", token):
                key, _, value = token.partition("=")
                variant.env[key] = value
            else:
                variant.options.append(token)
        return variant


def instance_for(facts: int) -> Path:
    """A published build of `facts` synthetic facts, built once and then reused."""
    work = Path(tempfile.gettempdir()) / f"diplograph-lookups-{facts}"
    instance = work / "instance"
    if current_build(instance) is not None:
        return instance
    shutil.rmtree(work, ignore_errors=True)
    log(f"generating {facts} facts and building them (once)")
    synth.generate(work / "data", facts, 1)
    build(work / "data", instance)
    return instance


def checkout(ref: str, into: Path) -> Path:
    """The package tree of commit `ref`, laid out as the installed package maps it."""
    tree = into / "tree"
    tree.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    config = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))
    package = into / "root" / "diplograph"
    package.mkdir(parents=True)
    for name, folder in config["tool"]["setuptools"]["package-dir"].items():
        (package / name.split(".", 1)[1]).symlink_to(tree / folder)
    return into / "root"


def lua_script(iris: list[str], path: Path, method: str) -> None:
    """wrk: requests rotating through the lookups, each thread from its own offset."""
    queries = [f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}" for iri in iris]
    if method == "GET":
        items = ["/sparql?query=" + quote(q, safe="") for q in queries]
        call = 'wrk.format("GET", items[i])'
    else:
        items = [urlencode({"query": q}) for q in queries]
        call = 'wrk.format("POST", "/sparql", nil, items[i])'
    body = ",\n".join(json.dumps(p) for p in items)
    post = 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    path.write_text(
        f"local items = {{\n{body}\n}}\n"
        "local i = 0\n"
        "function setup(thread) thread:set('offset', math.random(#items)) end\n"
        "function init(args) i = tonumber(offset) or 0 end\n"
        f'wrk.headers["Accept"] = "{ACCEPT}"\n'
        + (post if method == "POST" else "")
        + "function request()\n"
        "  i = i % #items + 1\n"
        f"  return {call}\n"
        "end\n",
        encoding="utf-8",
    )


def _cpu_seconds(fields: list[str]) -> float:
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # incl. reaped


def tree_cpu(root: int) -> float:
    """CPU seconds of a process and all its descendants (server processes, workers)."""
    stats, children = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = fields
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += _cpu_seconds(stats[pid])
        todo += children.get(pid, [])
    return total


def serve(instance: Path, variant: Variant, work: Path):
    port = http_bench._free_port()
    env = dict(
        os.environ,
        DIPLOGRAPH_HOME=str(instance),
        FLASK_SPARQL_CLIENT_CONCURRENCY="1024",
        FLASK_QUERY_TIMEOUT="60",
    )
    env.update(variant.env)
    if variant.ref:
        command = [sys.executable, "-c", RUNNER]
        env["PYTHONPATH"] = str(work / variant.name / "root")
    else:
        command = [str(Path(sys.executable).with_name("diplograph"))]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), *variant.options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # the server's log
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    for _ in range(600):
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                return server, url
        except requests.RequestException:
            time.sleep(0.1)
    stop(server)
    raise RuntimeError(f"{variant.name}: the server did not come up")


def stop(server) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, script: Path, seconds: float, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
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
    }


def _own_cpu(times) -> float:
    return times.user + times.system + times.children_user + times.children_system


def _ok(status, _headers) -> bool:
    return status == 200


def measure(instance, variant, work, jobs, script, catalogue, args) -> dict:
    server, url = serve(instance, variant, work)

    def drive(seconds):
        if args.client == "wrk":
            return wrk(url, script, seconds, args.connections)
        return http_bench.drive(url, _ok, jobs, seconds, args.connections)

    try:
        drive(args.warmup)
        before, cpu = os.times(), tree_cpu(server.pid)
        result = drive(args.seconds)
        after = os.times()
        result["server_cpu_s"] = tree_cpu(server.pid) - cpu
        result["client_cpu_s"] = _own_cpu(after) - _own_cpu(before)  # this process, or wrk
        result["loadavg"] = os.getloadavg()[0]
        if catalogue:  # after a warm-up of its own: its workers start on first use
            http_bench.drive(url, _ok, catalogue, args.warmup, args.connections)
            cat = http_bench.drive(url, _ok, catalogue, args.seconds, args.connections)
            result["catalogue_per_second"] = cat["per_second"]
            result["catalogue_errors"] = cat["errors"]
        return result
    finally:
        stop(server)


def summary(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if isinstance(runs[0][k], int | float)]
    return {k: statistics.median(r[k] for r in runs) for k in keys} | {"runs": runs}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, help="a published instance to reuse")
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--variant", action="append", help="NAME=OPTIONS (see above)")
    parser.add_argument("--client", choices=["python", "wrk"], default="python")
    parser.add_argument("--method", choices=["POST", "GET"], default="POST", help="wrk only")
    parser.add_argument("--catalogue", action="store_true", help="also the catalogue, q/s")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--connections", type=int, default=http_bench.THREADS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.client == "wrk" and shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    if args.client == "python" and args.method != "POST":
        sys.exit("the Python client sends form POSTs only")
    return args


def _print(out: dict) -> None:
    print(json.dumps({k: v for k, v in out.items() if k != "variants"}))
    for name, s in out["variants"].items():
        line = (
            f"{name:16} {s['per_second']:7.0f} lookups/s  p50 {s['p50_ms']:6.2f} ms  "
            f"p99 {s['p99_ms']:6.2f} ms  errors {s['errors']:g}  "
            f"CPU s: server {s['server_cpu_s']:.1f}, client {s['client_cpu_s']:.1f}"
        )
        if "catalogue_per_second" in s:
            line += f"  catalogue {s['catalogue_per_second']:.1f} q/s"
        print(line)


def main() -> None:
    args = _arguments()
    variants = [Variant.parse(v) for v in args.variant or DEFAULT_VARIANTS]
    instance = (args.instance or instance_for(args.facts)).resolve()
    build_dir = current_build(instance)
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    iris = http_bench.entity_ids(build_dir / "graph.nq")
    jobs = [[("query", http_bench.lookup(iri))] for iri in iris]
    catalogue = None
    if args.catalogue:
        catalogue = [[("query", text)] for text in catalogue_texts().values()]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for variant in variants:
            if variant.ref:
                checkout(variant.ref, work / variant.name)
        script = work / "lookups.lua"
        lua_script(iris, script, args.method)
        runs: dict[str, list[dict]] = {v.name: [] for v in variants}
        for n in range(args.repeat):
            for variant in variants:
                result = measure(instance, variant, work, jobs, script, catalogue, args)
                shown = {k: round(v, 2) for k, v in result.items() if isinstance(v, float)}
                log(f"{variant.name} #{n + 1}: {json.dumps(shown)}")
                runs[variant.name].append(result)
    client = (
        f"wrk -t1 -c{args.connections} {args.method} (keep-alive)"
        if args.client == "wrk"
        else f"Python, {args.connections} threads, keep-alive http.client, form POSTs"
    )
    out = {
        "quads": manifest.get("triples") or manifest.get("quads"),
        "cpus": os.cpu_count(),
        "client": client + ", same machine",
        "settings": {k: str(v) for k, v in vars(args).items() if k not in ("out", "instance")},
        "variants": {v.name: {**vars(v), **summary(runs[v.name])} for v in variants},
    }
    if args.out:
        args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    _print(out)


if __name__ == "__main__":
    main()
