"""Scale benchmark: the real pipeline and the query catalogue at 1k, 10k and 100k facts.

For each size, in a child process of its own (so peak memory is that size's alone):
generate synthetic curated YAML (bench/synth.py), run the real build (read, emit,
materialise, SHACL, OWL, sorted N-Quads, store load, every export, publish), time each
export's serialisation, then run the catalogue in-process and over HTTP. Baselines run in
the same session: plain pyshacl for validation, rdflib's SPARQL engine for the queries,
Virtuoso over HTTP for the same queries on the same data.

    .venv/bin/python -m bench.run --sizes 1000 10000 100000 --out bench/results/scale.json
    .venv/bin/python -m bench.plots bench/results/scale.json docs/img

Medians with min and max over --repeat runs; numbers from a shared machine are noisy,
so compare the ratios, which are measured side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path

import pyoxigraph as ox
import rdflib

from bench import http_bench, synth
from bench.bench_incremental import bare_bulk_load, stage_times
from bench.catalogue import catalogue_texts
from diplograph.cli import build as b
from diplograph.cli.build import load_graphs
from diplograph.exports.export import load_part, serialise
from diplograph.loaders.merge import store_with_merge
from diplograph.queries import catalogue as cat
from diplograph.shapes.validation import dataset_store, validate_dataset, validate_store
from diplograph.store import current_build

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def stats(samples: list[float]) -> dict:
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": samples,
    }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- one size, in its own process ---------------------------------------------------------


class TreeMemory:
    """The peak of the summed resident memory of a process (default: this one) and all its
    descendants (the exports process, HermiT's JVM), sampled ten times a second from /proc."""

    def __init__(self, root: int | None = None):
        self.root = root or os.getpid()
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(0.1):
            self.peak_mb = max(self.peak_mb, self.sample(self.root))

    @staticmethod
    def sample(root: int) -> float:
        parents, rss = {}, {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
                rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError, ValueError):
                continue
        tree, frontier = {root}, [root]
        while frontier:
            parent = frontier.pop()
            for pid, ppid in parents.items():
                if ppid == parent and pid not in tree:
                    tree.add(pid)
                    frontier.append(pid)
        return sum(rss.get(pid, 0) for pid in tree) / 2**20


def build_stages(data_dir: Path, instance: Path) -> dict:
    """Time the real build, stage by stage, from the progress messages that start each stage
    (bench_incremental.STAGES).

    Exports run in a process of their own from "Writing sorted" on; "exports (rest)" is
    only the wait for them after validation.
    """
    marks = [("start", time.perf_counter())]
    result = b.build(  # as the `build` command runs it: once in its process
        data_dir, instance, once=True, progress=lambda m: marks.append((m, time.perf_counter()))
    )
    marks.append(("end", time.perf_counter()))
    total = marks[-1][1] - marks[0][1]
    return {"total": total, "stages": stage_times(marks), "triples": result.triples}


def serialisation(build_dir: Path, repeat: int) -> dict:
    lines, options = load_part(build_dir, "diplograph")
    out = {}
    for fmt in ("nq", "nt", "trig", "ttl", "jsonld", "rdf"):
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            serialise(lines, fmt, BytesIO(), **options)
            samples.append(time.perf_counter() - t)
        out[fmt] = stats(samples)
    return out


def validation_vs_pyshacl(data_dir: Path, budget: float, repeat: int = 3) -> dict:
    """The build's validator against plain pyshacl (every shape to pyshacl), same results.

    Timed as the build calls it: validate_store on the Oxigraph store of the build's
    graphs, whose making is reported apart ("store"). "fast" is the median of `repeat`
    runs on a store without the merge in its default graph (validate_store adds it for
    the call: "merge" is that step alone); "fast_merged" on a store that keeps it, as
    the build's on-disk store does. Plain pyshacl runs once on the rdflib dataset (its
    union copy included), with the same violation queries and locator on the store.
    """

    def timed(call):
        t = time.perf_counter()
        result = call()
        return time.perf_counter() - t, result

    def items(report):
        keys = ("where", "shape", "message", "focus", "path", "value", "severity")
        found = report["violations"] + report["warnings"]
        return sorted(tuple(i[k] or "" for k in keys) for i in found), report["queries"]

    graphs = load_graphs(data_dir)
    quads = getattr(graphs, "quads", None)
    made, store = timed(lambda: quads.to_store() if quads else dataset_store(graphs.dataset))
    runs = [timed(lambda: validate_store(store)) for _ in range(repeat)]
    fast = runs[-1][1]
    merge, _ = timed(lambda: store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"))
    merged = [timed(lambda: validate_store(store))[0] for _ in range(repeat)]
    store.clear_graph(ox.DefaultGraph())
    out = {
        "quads": len(store),
        "store": made,
        "merge": merge,
        "fast": statistics.median([r[0] for r in runs]),
        "fast_runs": [r[0] for r in runs],
        "fast_merged": statistics.median(merged),
        "fast_merged_runs": merged,
        "results": len(items(fast)[0]),
        "pyshacl": None,
        "same_results": None,
    }
    dataset = graphs.dataset  # what plain pyshacl needs: not timed, as the old build had it
    # imported before the budget starts: its import is no part of validating, and an alarm
    # that fires inside it can be swallowed there, leaving pyshacl to run past the budget
    import pyshacl  # noqa: F401

    try:
        with deadline(budget):
            seconds, plain = timed(lambda: validate_dataset(dataset, engine="pyshacl", store=store))
            out["pyshacl"] = seconds
            out["ratio"] = seconds / out["fast"]
            out["same_results"] = items(plain) == items(fast)
    except TimeoutError:
        out["pyshacl_over"] = budget
    return out


def _report_key(report: dict):
    return sorted(
        (i["shape"], i["focus"] or "", i["message"])
        for i in report["violations"] + report["warnings"]
    )


class deadline:
    """Interrupt pure-Python work (rdflib, pyshacl) after `seconds` with TimeoutError."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self):
        def fire(*_):
            raise TimeoutError

        self.old = signal.signal(signal.SIGALRM, fire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.old)
        return False


def queries_in_process(nq: Path, repeat: int, budget: float) -> dict:
    """Each catalogue query on the merged Oxigraph store, and on rdflib's engine."""
    texts = catalogue_texts()
    store = store_with_merge(nq.read_bytes())
    ox_times = {}
    for name, text in texts.items():
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            cat.execute(store, text)
            samples.append(time.perf_counter() - t)
        ox_times[name] = statistics.median(samples)
    ds = rdflib.Dataset(default_union=True)
    ds.parse(nq, format="nquads")
    rdf_times, over, failed = {}, [], {}
    per_query = budget / max(1, len(texts))
    for name, text in texts.items():
        try:
            with deadline(per_query):
                t = time.perf_counter()
                list(ds.query(text))
                rdf_times[name] = time.perf_counter() - t
        except TimeoutError:
            rdf_times[name], over = per_query, over + [name]  # a lower bound
        except Exception as exc:  # rdflib cannot run it: left out of both totals
            failed[name] = f"{type(exc).__name__}: {exc}"[:200]
    ox_total = sum(v for n, v in ox_times.items() if n in rdf_times)
    rdf_total = sum(rdf_times.values())
    return {
        "oxigraph_total": ox_total,
        "rdflib_total": rdf_total,
        "rdflib_over_budget": over,
        "rdflib_failed": failed,
        "ratio": rdf_total / ox_total,
        "per_query": {n: [ox_times[n], rdf_times.get(n)] for n in texts},
    }


def run_one(facts: int, seed: int, repeat: int, args) -> dict:
    """One size's figures, from a working folder that is removed afterwards (at 10M quads
    it holds tens of gigabytes)."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-{facts}-"))
    try:
        return _run_one(work, facts, seed, repeat, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_one(work: Path, facts: int, seed: int, repeat: int, args) -> dict:
    data = work / "data"
    t = time.perf_counter()
    copies = synth.generate(data, facts, seed)
    out = {"facts": facts, "copies": copies, "generate": time.perf_counter() - t}
    log(f"{facts} facts: building")
    # Each build in a fresh process, as `diplograph build` runs: builds repeated in one
    # process would count what earlier ones left behind (1.95 GB against 1.56 at 1M).
    runs, peaks, bulk = [], [], []
    for run in range(repeat):
        if run:
            shutil.rmtree(work / "instance")
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.run", "--build-once", str(data), str(work / "instance")],
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
        )
        with TreeMemory(child.pid) as tree:
            stdout, _ = child.communicate()
        if child.returncode:
            raise RuntimeError(f"the build failed (exit {child.returncode})")
        runs.append(json.loads(stdout.strip().splitlines()[-1]))
        peaks.append(tree.peak_mb)
        # the floor the build is measured against, alternated with it (issue 21: ≤ 2×)
        bulk.append(bare_bulk_load(current_build(work / "instance") / "graph.nq"))
    total = stats([r["total"] for r in runs])
    median_run = sorted(runs, key=lambda r: r["total"])[len(runs) // 2]
    out["build"] = {**median_run, "total": total["median"], "total_stats": total}
    out["bulk_load"] = stats(bulk)
    out["build_over_bulk_load"] = total["median"] / out["bulk_load"]["median"]
    build_dir = current_build(work / "instance")
    out["triples"] = out["build"]["triples"]
    # The whole tree's peak, sampled (the build, its export process, HermiT's JVM); the
    # kernel's peak of the largest single process beside it, which sampling cannot miss.
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["peak_rss_build_mb"] = max(max(peaks), largest)
    out["peak_rss_build_runs_mb"] = peaks
    out["peak_rss_build_parts_mb"] = {"largest_process": largest}
    if args.build_only:
        return out
    log(f"{facts} facts: {out['triples']} quads; serialising")
    out["serialise"] = serialisation(build_dir, repeat)
    log(f"{facts} facts: validation vs pyshacl")
    out["validation"] = validation_vs_pyshacl(data, args.pyshacl_budget)
    log(f"{facts} facts: queries in-process")
    out["queries"] = queries_in_process(build_dir / "graph.nq", repeat, args.rdflib_budget)
    log(f"{facts} facts: over HTTP")
    try:
        out["http"] = http_bench.run(work / "instance", build_dir, args.http_seconds, args.virtuoso)
    except Exception as exc:  # keep the other figures of this size
        log(f"{facts} facts: HTTP stage failed: {type(exc).__name__}: {exc}")
        out["http_error"] = f"{type(exc).__name__}: {exc}"[:500]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# -- the session -------------------------------------------------------------------------


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "scale.json")
    parser.add_argument("--pyshacl-budget", type=float, default=600.0)
    parser.add_argument("--rdflib-budget", type=float, default=600.0)
    parser.add_argument("--http-seconds", type=float, default=10.0)
    parser.add_argument("--no-virtuoso", dest="virtuoso", action="store_false")
    parser.add_argument(
        "--build-only", action="store_true", help="only the builds: time, stages, peak memory"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--build-once", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_once is not None:
        print(json.dumps(build_stages(*args.build_once)))
        return
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.seed, args.repeat, args)))
        return
    results = {"command": " ".join(["python -m bench.run", *sys.argv[1:]]), "cpus": os.cpu_count()}
    results["sizes"] = []
    for facts in args.sizes:
        argv_one = [a for a in (argv or sys.argv[1:])]
        child = subprocess.run(
            [sys.executable, "-m", "bench.run", *argv_one, "--one", str(facts)],
            capture_output=True,
            cwd=ROOT,
            text=True,
        )
        sys.stderr.write(child.stderr[-4000:])
        if child.returncode != 0:
            log(f"{facts} facts: failed (exit {child.returncode})")
            continue
        results["sizes"].append(json.loads(child.stdout.strip().splitlines()[-1]))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, sort_keys=True))
        log(f"{facts} facts: done; results in {args.out}")


if __name__ == "__main__":
    main()
