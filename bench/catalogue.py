"""The catalogue's queries with their example parameters bound: the workload every bench
sends, in-process (bench/run.py) and over HTTP (bench/http_bench.py, bench/bench_lookups.py)."""

from __future__ import annotations

from diplograph.queries import catalogue as cat


def catalogue_texts() -> dict[str, str]:
    return {n: cat.bind(q, q.example_params()) for n, q in cat.load_catalogue().items()}
