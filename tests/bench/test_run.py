"""The benchmark code runs, at the smallest size: generator, pipeline, baselines, HTTP, plots.

No timing is asserted here (speed is measured by bench/run.py and reported in
docs/benchmarks.md); these tests keep the benchmark working.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import http_bench, plots, run, synth
from diplograph.shapes.support import EVIDENCE_SUPPORT_THRESHOLD, evidence_support


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_synthetic_data_is_deterministic_and_scales_by_copies(tmp_path):
    assert synth.copies_for(1_000) == 1 and synth.copies_for(100_000) == 83
    synth.generate(tmp_path / "a", 2_500, seed=7)
    synth.generate(tmp_path / "b", 2_500, seed=7)
    synth.generate(tmp_path / "c", 2_500, seed=8)
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert a == b and a != c
    assert "facts/kedglobal-2025-11-25-c1.yaml" in a


def test_synthetic_data_is_valid_curated_data_linked_across_copies(tmp_path):
    from diplograph.cli.build import load_graphs
    from diplograph.shapes.validation import validate_dataset

    synth.generate(tmp_path, 2_500, seed=1)
    graphs = load_graphs(tmp_path)
    report = validate_dataset(graphs.dataset, graphs.curated)
    assert report["conforms"], report["violations"][:3]
    # The build refuses data whose values' excerpts do not mention them (issue 17): the
    # renamed copies must still be read as supported by their copied excerpts.
    support = evidence_support(graphs.quads.to_store())
    assert support["evidence_support"] >= EVIDENCE_SUPPORT_THRESHOLD, support[
        "unsupported_assertions"
    ][:3]
    crossing = 0
    for path in (tmp_path / "facts").glob("*.yaml"):
        own = re.search(r"-c(\d+)$", path.stem)
        mentioned = set(re.findall(r"[a-z0-9]-c(\d+)\b", path.read_text(encoding="utf-8")))
        crossing += bool(mentioned - {own.group(1) if own else None})
    assert crossing  # some copy's facts name another copy's entities: one connected graph


@pytest.mark.slow
def test_benchmark_runs_end_to_end_at_the_smallest_size(tmp_path):
    """Every stage, with plain pyshacl's and rdflib's budgets too short to finish (they
    take minutes at this size): the comparisons themselves are the next two tests'."""
    out = tmp_path / "scale.json"
    run.main(
        ["--sizes", "1000", "--repeat", "1", "--http-seconds", "0.5", "--no-virtuoso",
         "--pyshacl-budget", "0.5", "--rdflib-budget", "1", "--out", str(out)]
    )  # fmt: skip
    [size] = json.loads(out.read_text())["sizes"]
    assert size["triples"] > 10_000
    assert set(size["build"]["stages"]) >= {"read+emit", "nquads", "store", "validation"}
    assert size["validation"]["pyshacl_over"] == 0.5 and size["validation"]["fast"] > 0
    assert size["queries"]["rdflib_over_budget"]  # each query's share of the budget: a bound
    assert size["queries"]["ratio"] > 0 and set(size["serialise"]) >= {"nt", "ttl", "jsonld"}
    assert size["http"]["ours_lookups"]["requests"] > 0
    assert size["http"]["ours_lookups"]["errors"] == 0
    pngs = plots.plot(json.loads(out.read_text()), tmp_path / "img")
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)


@pytest.mark.slow
def test_build_only_times_the_builds_and_nothing_else(tmp_path, monkeypatch):
    out, scratch = tmp_path / "build.json", tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # where each size's process works
    run.main(["--sizes", "1000", "--repeat", "2", "--build-only", "--out", str(out)])
    [size] = json.loads(out.read_text())["sizes"]
    assert size["build"]["total_stats"]["min"] > 0 and size["peak_rss_build_mb"] > 0
    assert not list(scratch.iterdir())  # its data and builds removed afterwards
    assert set(size["build"]["stages"]) >= {"read+emit", "nquads", "store", "validation"}
    assert len(size["peak_rss_build_runs_mb"]) == 2  # each build measured on its own
    assert len(size["bulk_load"]["runs"]) == 2 and size["bulk_load"]["min"] > 0
    assert size["build_over_bulk_load"] == size["build"]["total"] / size["bulk_load"]["median"]
    assert not {"serialise", "validation", "queries", "http"} & set(size)


def test_the_validator_and_plain_pyshacl_are_compared_on_their_findings(tmp_path):
    from shape_corpus import CORPUS, overlay

    data = overlay(CORPUS / "invalid" / "participant-not-an-agent.yaml", tmp_path / "data")
    compared = run.validation_vs_pyshacl(data, budget=600, repeat=1)
    assert compared["results"] > 0 and compared["same_results"] is True
    assert compared["ratio"] == compared["pyshacl"] / compared["fast"]


def test_the_catalogue_is_timed_on_oxigraph_and_on_rdflibs_engine(tmp_path):
    from reliability_support import MINIMAL, build_into

    build = build_into(MINIMAL, tmp_path / "instance").build_dir
    timed = run.queries_in_process(build / "graph.nq", repeat=1, budget=600)
    assert not timed["rdflib_over_budget"] and timed["rdflib_total"] > 0
    assert timed["ratio"] == timed["rdflib_total"] / timed["oxigraph_total"]
    ran = {name for name, (_ox, rdf) in timed["per_query"].items() if rdf is not None}
    assert ran and ran.isdisjoint(timed["rdflib_failed"])


def test_http_bench_command_serves_a_build_and_reports_both_loads(tmp_path, capsys):
    from reliability_support import MINIMAL, build_into

    build_into(MINIMAL, tmp_path / "instance")
    out = tmp_path / "http.json"
    argv = ["--instance", str(tmp_path / "instance"), "--seconds", "0.5", "--repeat", "2"]
    assert http_bench.main([*argv, "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert len(report["ours"]) == 2 and report["quads"] > 0
    for one in report["ours"]:
        for name in ("ours_catalogue", "ours_lookups"):
            assert one[name]["requests"] > 0 and one[name]["errors"] == 0, (name, one[name])
    assert "ours lookups: median" in capsys.readouterr().out


def test_tree_memory_counts_what_child_processes_hold():
    hold = "x = bytearray(300 * 2**20); import time; time.sleep(1)"
    with run.TreeMemory() as tree:
        subprocess.run([sys.executable, "-c", hold], check=True)
    assert tree.peak_mb > 300
