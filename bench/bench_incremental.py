"""Incremental builds against full builds of the same data, and a bare bulk load.

    .venv/bin/python -m bench.bench_incremental --repeat 3                 # the real data
    .venv/bin/python -m bench.bench_incremental --facts 37000 --repeat 2   # ~1M quads
    .venv/bin/python -m bench.bench_incremental --fresh --repeat 5         # `diplograph build`

Each round edits one label in one facts file, then builds it incrementally (the published
build reused) and in full (`full=True`) into the same instance, alternately, timing each
stage from the build's progress messages; and bulk-loads the build's graph.nq into a fresh
on-disk store with `Store.bulk_load` (the floor a full build's store stage is measured
against). Medians, and ratios of medians measured in the same run.

`--fresh` runs each build as a curator does, `diplograph build` in a process of its own
(its interpreter's start, imports and exit included), timed from outside; stages are
timed from its progress lines as they arrive. Bytecode is written once, as an installed
copy's is (PYTHONDONTWRITEBYTECODE is dropped from its environment).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench.synth import generate
from diplograph.cli.build import build
from diplograph.data import DATA_DIR
from diplograph.loaders.excerpts import default_sources_dir

STAGES = {
    "Reading": "read+emit",
    "Writing sorted": "nquads",
    "Loading": "store",
    "Updating": "store",
    "Validating": "validation",
    "Writing the exports": "exports (rest)",
    "start": "start",  # to the first message: in a fresh process, the interpreter and imports
    "Published build": "end",  # to the end: in a fresh process, its exit
}


def in_process_build(data: Path, instance: Path, sources: Path | None, full: bool) -> dict:
    """A build in this process, which keeps what it may reuse between builds (cli/warm.py)."""
    marks = [("start", time.perf_counter())]
    result = build(
        data,
        instance,
        sources_dir=sources,
        full=full,
        progress=lambda m: marks.append((m, time.perf_counter())),
    )
    marks.append(("end", time.perf_counter()))
    return _row(marks, result.build_dir)


def fresh_build(data: Path, instance: Path, sources: Path | None, full: bool) -> dict:
    """`in_process_build`'s row for `diplograph build`, run in a process of its own."""
    command = [sys.executable, "-c", "from diplograph.cli.main import run; run()"]
    command += ["build", str(data)]
    command += (["--sources", str(sources)] if sources else []) + (["--full"] if full else [])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["DIPLOGRAPH_HOME"] = str(instance)
    marks = [("start", time.perf_counter())]
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as process:
        marks += [(line.strip(), time.perf_counter()) for line in process.stderr]
    marks.append(("end", time.perf_counter()))
    said = [m for m, _ in marks[1:-1]]
    if process.returncode:
        raise SystemExit("a build failed:\n" + "\n".join(said))
    published = next(m for m in reversed(said) if m.startswith("Published build "))
    return _row(marks, instance / "builds" / published.split()[2].rstrip("."))


def stage_times(marks: list[tuple[str, float]]) -> dict[str, float]:
    """Seconds per stage (STAGES) of a build, from its progress messages and when each came:
    a stage lasts from its message to the next one."""
    stages: dict[str, float] = {}
    for (message, at), (_next, until) in zip(marks, marks[1:], strict=False):
        stage = next((v for k, v in STAGES.items() if message.startswith(k)), None)
        if stage:
            stages[stage] = stages.get(stage, 0.0) + until - at
    return stages


def _row(marks: list[tuple[str, float]], build_dir: Path) -> dict:
    """A build's row: its stages timed from its progress messages, and its manifest's mode."""
    stages = stage_times(marks)
    manifest = json.loads((build_dir / "manifest.json").read_text())
    return {
        "total": marks[-1][1] - marks[0][1],
        "stages": stages,
        "quads": manifest["triples"],
        "mode": manifest["reused"]["mode"],
        "build": build_dir.name,  # the id, not a path of this machine
        "load": os.getloadavg()[0],  # the machine is shared: how busy it was meanwhile
        "changed_graphs": len(manifest["reused"].get("changed_graphs", [])),
    }


def bare_bulk_load(nq: Path) -> float:
    """`Store.bulk_load` of the N-Quads file into a fresh on-disk store, as one call."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = ox.Store(tmp)
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store.flush()
        took = time.perf_counter() - start
        del store
    return took


def edit_one_label(data: Path, round_: int) -> str:
    path = sorted((data / "facts").glob("*.yaml"))[0]
    text = path.read_text()
    # the first unquoted label, at any indentation (the real files indent facts by four
    # spaces, the generator's by two); a quoted one would end before the appended words
    edited = re.sub(r"(\n +label: [^'\"\n][^\n]*)", rf"\1 (edit {round_})", text, count=1)
    if edited == text:
        raise SystemExit(f"no label to edit in {path}: the rounds would change nothing")
    path.write_text(edited)
    return path.stem


def run(data: Path, repeat: int, sources: Path | None, fresh: bool = False) -> dict:
    timed_build = fresh_build if fresh else in_process_build
    rows: dict[str, list] = {"incremental": [], "full": [], "bulk_load": []}
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        first = timed_build(data, instance, sources, full=True)
        print(f"first full build: {first['total']:.1f} s, {first['quads']} quads", flush=True)
        edits = 0
        for _round in range(repeat):
            for kind in ("incremental", "full"):
                for _attempt in range(3):  # a save to shapes/ or the code meanwhile: full
                    edits += 1
                    edit_one_label(data, edits)
                    row = timed_build(data, instance, sources, full=kind == "full")
                    stages = {k: round(v, 2) for k, v in row["stages"].items()}
                    took = f"{row['total']:.2f} s {stages} load {row['load']:.1f}"
                    took += f" changed graphs {row['changed_graphs']}"
                    print(f"{row['mode']}: {took}", flush=True)
                    if row["mode"] == kind:
                        break
                    rows.setdefault("discarded", []).append(row)
                rows[kind].append(row)
            nq = instance / "builds" / row["build"] / "graph.nq"
            rows["bulk_load"].append(bare_bulk_load(nq))
            print(f"bulk_load: {rows['bulk_load'][-1]:.2f} s", flush=True)
    return summary(rows, first["quads"])


def summary(rows: dict, quads: int) -> dict:
    inc = statistics.median(r["total"] for r in rows["incremental"])
    full = statistics.median(r["total"] for r in rows["full"])
    bulk = statistics.median(rows["bulk_load"])
    loads = [r["load"] for r in rows["incremental"] + rows["full"]]
    stage_names = sorted({s for r in rows["full"] + rows["incremental"] for s in r["stages"]})
    stages = {
        kind: {
            s: statistics.median(r["stages"].get(s, 0.0) for r in rows[kind]) for s in stage_names
        }
        for kind in ("incremental", "full")
    }
    return {
        "quads": quads,
        "rounds": len(rows["full"]),
        "median_s": {"incremental": inc, "full": full, "bulk_load": bulk},
        "ratios": {"incremental/full": inc / full, "full/bulk_load": full / bulk},
        "load_average": [min(loads), max(loads)],
        # the bench process (its builds, and what they keep for the next: cli/warm.py) and
        # the largest of its children (export processes, HermiT), in MB
        "peak_rss_mb": {
            "process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "largest_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
        },
        "stages": stages,
        "raw": rows,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=0, help="synthetic size (0: the real data)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--fresh", action="store_true", help="each build a `diplograph build`")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data, real = Path(tmp) / "data", Path(tmp) / "real"
        # a snapshot first: data/ may be edited while the copies are generated
        shutil.copytree(DATA_DIR, real, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        if args.facts:
            generate(data, args.facts, seed=1, data_dir=real)
            sources = None  # synthetic excerpts have no texts (as in bench.run)
        else:
            data, sources = real, default_sources_dir()
        result = run(data, args.repeat, sources, args.fresh)
    result["fresh_processes"] = args.fresh
    print(json.dumps({k: v for k, v in result.items() if k != "raw"}, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
