"""Export serialisation: every format, the current writers against a baseline revision.

The baseline is the export code of an earlier commit (by default the last one that
parsed the lines back into terms for Turtle, TriG and RDF/XML and compacted JSON-LD
from those terms), loaded from git into this process, so both run on the same
lines, in the same session, alternating. Only `serialise` is timed, as in
bench/run.py: the part's lines are read and selected once, before.

A build of ~1M quads (100k synthetic facts):

    .venv/bin/python bench/synth.py /tmp/synth --facts 100000 --seed 1
    DIPLOGRAPH_HOME=/tmp/dg .venv/bin/diplograph build --no-validate /tmp/synth
    .venv/bin/python bench/bench_export.py /tmp/dg/builds/<id> --repeat 3

Prints medians with min and max and the baseline/current ratio; --json writes them.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

from diplograph.exports import export

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "621ade6"  # export.py before the line-based writers
FORMATS = ("nq", "nt", "trig", "ttl", "jsonld", "rdf")


def baseline_serialise(rev: str):
    """`serialise` as it was at `rev`, with the jsonld module of that revision."""

    def load(name: str, path: str, replace: tuple[str, str] | None = None):
        source = subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout
        if replace:
            source = source.replace(*replace)
        full = f"diplograph.loaders.{name}"
        spec = importlib.util.spec_from_loader(full, loader=None)
        module = importlib.util.module_from_spec(spec)
        module.__package__ = "diplograph.loaders"
        sys.modules[full] = module
        exec(compile(source, f"{rev}:{path}", "exec"), module.__dict__)
        return module

    load("_baseline_jsonld", "loaders/jsonld.py")
    old = load(
        "_baseline_export", "loaders/export.py", ("from .jsonld ", "from ._baseline_jsonld ")
    )
    return old.serialise


def stats(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


def time_one(serialise, lines, fmt: str, options: dict) -> tuple[float, int]:
    out = BytesIO()
    gc.collect()
    start = time.perf_counter()
    serialise(lines, fmt, out, **options)
    return time.perf_counter() - start, out.tell()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=Path, help="a build directory (graph.nq, manifest.json)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old writers")
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    lines, options = export.load_part(args.build, "diplograph")
    old = baseline_serialise(args.baseline)
    result = {"quads": len(lines), "baseline": args.baseline, "repeat": args.repeat, "formats": {}}
    print(f"{len(lines):,} lines; baseline {args.baseline}; median (min-max) of {args.repeat}")
    for fmt in args.formats:
        new_t, old_t = [], []
        for _ in range(args.repeat):
            seconds, size = time_one(export.serialise, lines, fmt, options)
            new_t.append(seconds)
            seconds, old_size = time_one(old, lines, fmt, options)
            old_t.append(seconds)
        figures = {"current": stats(new_t), "baseline": stats(old_t), "bytes": size}
        figures["baseline_bytes"] = old_size
        figures["speedup"] = figures["baseline"]["median"] / figures["current"]["median"]
        result["formats"][fmt] = figures
        print(
            f"{fmt:7} current {_range(figures['current'])}  "
            f"baseline {_range(figures['baseline'])}  ×{figures['speedup']:.2f}  "
            f"{size / 1e6:.0f} MB (was {old_size / 1e6:.0f} MB)",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")


def _range(s: dict) -> str:
    return f"{s['median']:.2f} s ({s['min']:.2f}-{s['max']:.2f})"


if __name__ == "__main__":
    main()
