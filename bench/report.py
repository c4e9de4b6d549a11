"""The tables of docs/benchmarks.md, from a scale benchmark's results (Markdown on stdout).

.venv/bin/python -m bench.report bench/results/scale.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _s(value, digits=2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _range(stat: dict, scale: float = 1.0, digits: int = 2) -> str:
    return (
        f"{stat['median'] * scale:.{digits}f} "
        f"({stat['min'] * scale:.{digits}f}–{stat['max'] * scale:.{digits}f})"
    )


def tables(results: dict) -> str:
    sizes = sorted(results["sizes"], key=lambda s: s["triples"])
    out = [
        "| facts | quads | build (s) | read+emit | N-Quads | store | validation "
        "| exports (rest) | peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        st, b = s["build"]["stages"], s["build"]
        total = _range(b["total_stats"], digits=1) if "total_stats" in b else _s(b["total"], 1)
        out.append(
            f"| {s['facts']:,} | {s['triples']:,} | {total} "
            f"| {_s(st.get('read+emit'), 1)} | {_s(st.get('nquads'), 1)} "
            f"| {_s(st.get('store'), 1)} | {_s(st.get('validation'), 1)} "
            f"| {_s(st.get('exports (rest)'), 1)} | {s['peak_rss_build_mb']:,.0f} |"
        )
    out += [
        "",
        "| quads | nq | nt | trig | ttl | jsonld | rdf (s, median (min–max)) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        cells = " | ".join(
            _range(s["serialise"][f]) for f in ("nq", "nt", "trig", "ttl", "jsonld", "rdf")
        )
        out.append(f"| {s['triples']:,} | {cells} |")
    out += [
        "",
        "| quads | validation (s) | plain pyshacl (s) | ratio | same results "
        "| catalogue Oxigraph (s) | rdflib (s) | ratio |",
        "|---:|---:|---:|---:|:---:|---:|---:|---:|",
    ]
    for s in sizes:
        v, q = s["validation"], s["queries"]
        ratio = v["pyshacl"] / v["fast"] if v.get("pyshacl") else None
        over = " (≥, budget hit)" if q["rdflib_over_budget"] else ""
        out.append(
            f"| {s['triples']:,} | {_s(v['fast'])} | {_s(v.get('pyshacl'))} | {_s(ratio, 1)} "
            f"| {v.get('same_results')} | {_s(q['oxigraph_total'], 3)} | {_s(q['rdflib_total'])} "
            f"| {_s(q['ratio'], 0)}{over} |"
        )
    out += [
        "",
        "| quads | ours: catalogue q/s | Virtuoso q/s | ratio | ours: lookups/s | p50 ms "
        "| p99 ms | Virtuoso lookups/s | p99 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        h = s["http"]
        oc, ol = h["ours_catalogue"], h["ours_lookups"]
        vc, vl = h.get("virtuoso_catalogue"), h.get("virtuoso_lookups")
        ratio = oc["per_second"] / vc["per_second"] if vc else None
        out.append(
            f"| {s['triples']:,} | {oc['per_second']:.0f} | {_s(vc and vc['per_second'], 0)} "
            f"| {_s(ratio, 1)} | {ol['per_second']:.0f} | {_s(ol['p50_ms'], 1)} "
            f"| {_s(ol['p99_ms'], 1)} | {_s(vl and vl['per_second'], 0)} "
            f"| {_s(vl and vl['p99_ms'], 1)} |"
        )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(tables(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))), end="")
