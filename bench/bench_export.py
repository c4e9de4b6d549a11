"""Export serialisation: every format, the current writers against a baseline revision.

The baseline is the export code of an earlier commit (by default 873276a, the last one
with hand-written Turtle, TriG and RDF/XML writers), loaded from git into this process,
so both run on the same lines, in the same session, alternating. Only `serialise` is
timed, as in bench/run.py: the part's lines are read and selected once, before.

`--pyld N` also times compacting JSON-LD with pyld (the library route the hand-written
JSON-LD writer stands in for) on the first N lines: pyoxigraph writes them as expanded
JSON-LD, pyld compacts that with the project's context.

A build of ~1M quads (37k synthetic facts: bench/synth.py):

    .venv/bin/python -m bench.synth /tmp/synth --facts 37000 --seed 1
    DIPLOGRAPH_HOME=/tmp/dg .venv/bin/diplograph build --no-validate /tmp/synth
    .venv/bin/python -m bench.bench_export /tmp/dg/builds/<id> --repeat 3

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

import pyoxigraph as ox
from pyld import jsonld

from diplograph.exports import export
from diplograph.store.nquads import LineReader

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "873276a"  # the hand-written Turtle, TriG and RDF/XML writers
FORMATS = ("nq", "nt", "trig", "ttl", "jsonld", "rdf")
# The baseline's export modules, each importing the others of its revision.
BASELINE_MODULES = ("jsonld", "turtle", "rdfxml", "export")


def baseline_serialise(rev: str):
    """`serialise` as it was at `rev`, with the writer modules of that revision."""
    for name in BASELINE_MODULES:
        source = subprocess.run(
            ["git", "show", f"{rev}:exports/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        for other in BASELINE_MODULES:
            source = source.replace(
                f"from diplograph.exports.{other} ", f"from diplograph.exports._baseline_{other} "
            )
        full = f"diplograph.exports._baseline_{name}"
        spec = importlib.util.spec_from_loader(full, loader=None)
        module = importlib.util.module_from_spec(spec)
        module.__package__ = "diplograph.exports"
        sys.modules[full] = module
        exec(compile(source, f"{rev}:exports/{name}.py", "exec"), module.__dict__)
    return sys.modules["diplograph.exports._baseline_export"].serialise


def stats(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


def time_one(serialise, lines, fmt: str, options: dict) -> tuple[float, int]:
    out = BytesIO()
    gc.collect()
    start = time.perf_counter()
    serialise(lines, fmt, out, **options)
    return time.perf_counter() - start, out.tell()


def time_pyld(lines: list[bytes], context: dict) -> dict:
    """Seconds for pyoxigraph's expanded JSON-LD, and for pyld compacting it."""
    gc.collect()
    start = time.perf_counter()
    quads = ox.parse(LineReader(lines), format=ox.RdfFormat.N_QUADS)
    expanded = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
    middle = time.perf_counter()
    jsonld.compact(expanded, {"@context": context}, {"documentLoader": _no_fetch})
    end = time.perf_counter()
    return {"lines": len(lines), "expand": middle - start, "compact": end - middle}


def _no_fetch(url, options=None):
    raise RuntimeError(f"pyld tried to fetch {url}")


def compare(lines, options, old, fmt: str, repeat: int) -> dict:
    new_t, old_t = [], []
    for _ in range(repeat):
        seconds, size = time_one(export.serialise, lines, fmt, options)
        new_t.append(seconds)
        seconds, old_size = time_one(old, lines, fmt, options)
        old_t.append(seconds)
    figures = {"current": stats(new_t), "baseline": stats(old_t), "bytes": size}
    figures["baseline_bytes"] = old_size
    figures["ratio"] = figures["current"]["median"] / figures["baseline"]["median"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=Path, help="a build directory (graph.nq, manifest.json)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old writers")
    parser.add_argument("--formats", nargs="*", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--pyld", type=int, nargs="*", default=[], metavar="LINES")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    lines, options = export.load_part(args.build, "diplograph")
    old = baseline_serialise(args.baseline)
    result = {"quads": len(lines), "baseline": args.baseline, "repeat": args.repeat}
    result |= {"formats": {}, "pyld": []}
    print(f"{len(lines):,} lines; baseline {args.baseline}; median (min-max) of {args.repeat}")
    for fmt in args.formats:
        figures = result["formats"][fmt] = compare(lines, options, old, fmt, args.repeat)
        print(
            f"{fmt:7} current {_range(figures['current'])}  "
            f"baseline {_range(figures['baseline'])}  current/baseline ×{figures['ratio']:.2f}  "
            f"{figures['bytes'] / 1e6:.0f} MB (was {figures['baseline_bytes'] / 1e6:.0f} MB)",
            flush=True,
        )
    for size in args.pyld:
        figures = time_pyld(lines[:size], options["context"])
        result["pyld"].append(figures)
        print(
            f"pyld    {figures['lines']:,} lines: pyoxigraph expanded {figures['expand']:.2f} s, "
            f"pyld compact {figures['compact']:.2f} s",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")


def _range(s: dict) -> str:
    return f"{s['median']:.2f} s ({s['min']:.2f}-{s['max']:.2f})"


if __name__ == "__main__":
    main()
