"""Plots of benchmark results: a scale run's build time by stage and peak memory against
size; incremental builds against full ones, by stage.

.venv/bin/python -m bench.plots bench/results/scale.json docs/img
.venv/bin/python -m bench.plots --incremental docs/img bench/results/incremental-real.json \
    bench/results/incremental-1m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

STAGES = ["read+emit", "nquads", "store", "validation", "exports (rest)"]


def _save(fig, ax, path: Path) -> Path:
    """Grid, legend, layout and a PNG file: the same finish for every plot."""
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot(results: dict, out_dir: Path) -> list[Path]:
    sizes = sorted(results["sizes"], key=lambda s: s["triples"])
    triples = [s["triples"] for s in sizes]
    out_dir.mkdir(parents=True, exist_ok=True)

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for stage in STAGES:
        ax.plot(triples, [s["build"]["stages"].get(stage, 0) for s in sizes], "o-", label=stage)
    ax.plot(triples, [s["build"]["total"] for s in sizes], "k^-", label="whole build")
    oxigraph = [s["queries"]["oxigraph_total"] for s in sizes]
    ax.plot(triples, oxigraph, "s--", label="catalogue (Oxigraph)")
    rdflib = [s["queries"]["rdflib_total"] for s in sizes]
    ax.plot(triples, rdflib, "s:", label="catalogue (rdflib)")
    ax.set(xscale="log", yscale="log", xlabel="quads", ylabel="seconds", title="Time against size")
    time_png = _save(fig, ax, out_dir / "bench-time.png")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    build_peak = [s["peak_rss_build_mb"] for s in sizes]
    ax.plot(triples, build_peak, "o-", label="build and its processes (peak RSS)")
    ax.plot(triples, [s["peak_rss_mb"] for s in sizes], "s--", label="whole run incl. baselines")
    ax.axhline(2048, color="red", lw=0.8, label="target: 2 GB for the build")
    ax.set(xscale="log", xlabel="quads", ylabel="MB", title="Peak memory against size")
    memory_png = _save(fig, ax, out_dir / "bench-memory.png")
    return [time_png, memory_png]


def plot_incremental(runs: list[dict], out_dir: Path) -> Path:
    """One panel per bench_incremental run: the incremental and the full build's medians,
    stacked by stage, the bare bulk load beside them, and the targets drawn across (≤ 1 s on
    the real data; ≤ 5% of the full build at 1M quads)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, len(runs), figsize=(4.2 * len(runs), 4.5), squeeze=False)
    for ax, run in zip(axes[0], runs, strict=True):
        kinds = ["incremental", "full"]
        bottom = [0.0, 0.0]
        for stage in STAGES:
            heights = [run["stages"][k].get(stage, 0.0) for k in kinds]
            ax.bar(kinds, heights, bottom=bottom, label=stage)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.bar(["bare bulk_load"], [run["median_s"]["bulk_load"]], color="grey")
        full = run["median_s"]["full"]
        real = run["quads"] < 100_000
        target = 1.0 if real else 0.05 * full
        ax.axhline(
            target, color="red", lw=0.8, label="target: " + ("1 s" if real else "5% of full")
        )
        ax.axhline(
            2 * run["median_s"]["bulk_load"], color="black", lw=0.8, ls=":", label="2× bulk_load"
        )
        ratio = run["median_s"]["incremental"] / full
        ax.set(ylabel="seconds (median)")
        ax.set_title(f"{run['quads']:,} quads: incremental {ratio:.0%} of full", fontsize=9)
    return _save(fig, ax, out_dir / "bench-incremental.png")


def main() -> None:
    if sys.argv[1] == "--incremental":
        runs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in sys.argv[3:]]
        print(plot_incremental(runs, Path(sys.argv[2])))
        return
    results = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for path in plot(results, Path(sys.argv[2])):
        print(path)


if __name__ == "__main__":
    main()
