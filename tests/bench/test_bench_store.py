"""bench/bench_store.py runs at a tiny size and reports every task against rdflib."""

from __future__ import annotations

from bench import bench_store


def test_bench_store_runs_small_and_reports_ratios(tmp_path, capsys):
    out = tmp_path / "figures.json"
    report = bench_store.main(["--triples", "900", "--repeat", "1", "--json", str(out)])
    tasks = [row["task"] for row in report["rows"]]
    assert tasks == ["load N-Quads", *bench_store.QUERIES]
    for row in report["rows"][1:]:
        assert set(row["others"]) == {"oxigraph", "oxigraph via pool"}
        assert all(pair["ratio"] > 0 for pair in row["others"].values())
    printed = capsys.readouterr().out
    assert "point lookup" in printed and "x)" in printed
    assert out.read_text(encoding="utf-8").startswith("{")
