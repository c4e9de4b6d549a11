"""rdflib against pyoxigraph: loading a graph and answering typical queries.

A synthetic summit-diplomacy graph (people, countries, meetings with participants,
venues and dates, one named graph per "source") is written as N-Quads, then:

- load: rdflib `Dataset.parse` vs `load_nquads` (on-disk Oxigraph store, as a build
  does it, including the stored merge) vs an in-memory Oxigraph `Store.load`;
- queries: each typical query on the rdflib Dataset (default graph = union) and on the
  on-disk store opened read-only in this process, and once more through the store
  module's worker pool (what /sparql and the pages pay, IPC included).

Every figure is the median of --repeat runs made in this process; the ratio is
rdflib's median over the other's, so "12.0" means twelve times faster than rdflib.

    .venv/bin/python -m bench.bench_store [--triples 100000] [--repeat 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from diplograph import store as st

EX = "https://w3id.org/diplograph/id/"
DG = "https://w3id.org/diplograph/def#"
GRAPH = "https://w3id.org/diplograph/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = f"PREFIX dg: <{DG}> PREFIX id: <{EX}>\n"

QUERIES = {
    "point lookup": "SELECT ?p ?o WHERE { id:person-7 ?p ?o }",
    "count by type": "SELECT (COUNT(?m) AS ?n) WHERE { ?m a dg:Meeting }",
    "join: meetings with names": (
        "SELECT ?m ?name WHERE { ?m a dg:Meeting ; dg:participant ?p . ?p dg:label ?name } "
        "LIMIT 200"
    ),
    "filter on text": (
        'SELECT ?p WHERE { ?p a dg:Person ; dg:label ?n FILTER(CONTAINS(LCASE(?n), "77")) }'
    ),
    "group and order": (
        "SELECT ?p (COUNT(?m) AS ?c) WHERE { ?m dg:participant ?p } "
        "GROUP BY ?p ORDER BY DESC(?c) LIMIT 10"
    ),
    "per named graph": (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s dg:date ?d } } GROUP BY ?g"
    ),
}


def generate(path: Path, triples: int, seed: int = 1) -> int:
    """About `triples` quads of people, countries and meetings in 20 source graphs."""
    rnd = random.Random(seed)
    meetings = max(1, triples * 4 // 27)  # 6 quads a meeting, 3 a person, 4 meetings a person
    people = max(2, meetings // 4)
    lines = []

    def add(s, p, o, g):
        lines.append(f"{s} {p} {o} <{GRAPH}{g}> .\n")

    for i in range(people):
        person = f"<{EX}person-{i}>"
        add(person, f"<{RDF_TYPE}>", f"<{DG}Person>", "entities")
        add(person, f"<{DG}label>", f'"Person {i}"@en', "entities")
        add(person, f"<{DG}citizenOf>", f"<{EX}country-{i % 50}>", "entities")
    for i in range(meetings):
        meeting, source = f"<{EX}meeting-{i}>", f"source-{i % 20}"
        a, b = rnd.sample(range(people), 2)
        add(meeting, f"<{RDF_TYPE}>", f"<{DG}Meeting>", source)
        add(meeting, f"<{DG}participant>", f"<{EX}person-{a}>", source)
        add(meeting, f"<{DG}participant>", f"<{EX}person-{b}>", source)
        add(meeting, f"<{DG}venue>", f"<{EX}country-{rnd.randrange(50)}>", source)
        day = f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"
        add(meeting, f"<{DG}date>", f'"{day}"^^<http://www.w3.org/2001/XMLSchema#date>', source)
        add(meeting, f"<{DG}label>", f'"Meeting {i}"@en', source)
    path.write_text("".join(lines), encoding="utf-8")
    return len(lines)


def median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(triples: int, repeat: int, workdir: Path) -> dict:
    nq = workdir / "graph.nq"
    quads = generate(nq, triples)
    rows: list[dict] = []
    counter = iter(range(10**6))

    def rdflib_load():
        ds = Dataset(default_union=True)
        ds.parse(nq, format="nquads")
        return ds

    def disk_load():
        st.load_nquads(nq, workdir / f"store-{next(counter)}")

    def memory_load():
        ox.Store().load(path=str(nq), format=ox.RdfFormat.N_QUADS)

    base = median_time(rdflib_load, repeat)
    rows.append(_row("load N-Quads", base, {"oxigraph disk": median_time(disk_load, repeat)}))
    rows[-1]["others"]["oxigraph memory"] = _pair(base, median_time(memory_load, repeat))

    dataset = rdflib_load()
    home = workdir / "instance"
    build = home / "builds" / "bench"
    build.mkdir(parents=True)
    st.load_nquads(nq, build / "store")
    st.publish(home, build)
    local = ox.Store.read_only(str(build / "store"))
    pool = st.open_store(home, workers=1, timeout=600, max_rows=None)
    try:
        for name, body in QUERIES.items():
            text = PREFIXES + body
            expected = len(list(dataset.query(text)))
            assert len(list(local.query(text))) == expected, name
            base = median_time(lambda t=text: list(dataset.query(t)), repeat)
            oxi = median_time(lambda t=text: list(local.query(t)), repeat)
            via_pool = median_time(lambda t=text: list(pool.query(t)), repeat)
            rows.append(_row(name, base, {"oxigraph": oxi, "oxigraph via pool": via_pool}))
    finally:
        pool.close()
    return {"quads": quads, "repeat": repeat, "rows": rows}


def _pair(base: float, seconds: float) -> dict:
    return {"median_s": seconds, "ratio": base / seconds if seconds else float("inf")}


def _row(name: str, base: float, others: dict[str, float]) -> dict:
    return {
        "task": name,
        "rdflib_s": base,
        "others": {k: _pair(base, v) for k, v in others.items()},
    }


def table(report: dict) -> str:
    columns = ["oxigraph disk", "oxigraph memory", "oxigraph", "oxigraph via pool"]
    head = f"{'task':<28} {'rdflib':>10}" + "".join(f" {c:>24}" for c in columns)
    lines = [
        f"{report['quads']} quads, median of {report['repeat']} runs; (x) = rdflib / engine",
        head,
        "-" * len(head),
    ]
    for row in report["rows"]:
        cells = []
        for column in columns:
            pair = row["others"].get(column)
            cells.append(
                f" {_ms(pair['median_s']):>15} ({pair['ratio']:6.1f}x)" if pair else " " * 25
            )
        lines.append(f"{row['task']:<28} {_ms(row['rdflib_s']):>10}" + "".join(cells))
    return "\n".join(lines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        report = run(args.triples, args.repeat, Path(tmp))
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
