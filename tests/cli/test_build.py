"""The build publishes atomically, one at a time, and tidies what killed builds left."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import pytest

from diplograph.cli.build import build
from diplograph.store import current_build

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"


def test_build_publishes_a_complete_build(tmp_path):
    result = build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False)
    assert current_build(tmp_path) == result.build_dir.resolve()
    manifest = json.loads((result.build_dir / "manifest.json").read_text())
    assert manifest["triples"] == result.triples > 100
    assert manifest["version"] == result.version
    for name in ("graph.nq", "store", "exports/diplograph.ttl", "exports/void.ttl"):
        assert (result.build_dir / name).exists(), name


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_building_and_restored(tmp_path, enabled):
    seen = []
    (gc.enable if enabled else gc.disable)()
    try:
        build(
            MINIMAL,
            tmp_path,
            sources_dir=FIXTURES / "sources",
            validate=False,
            progress=lambda _m: seen.append(gc.isenabled()),
        )
        assert seen and not any(seen)  # no automatic pass at any stage
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_the_collector_is_restored_when_a_build_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOGRAPH_FAULT", "exporting")
    with pytest.raises(Exception, match="export"):
        build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False)
    assert gc.isenabled()


def test_regression_killed_build_debris_is_removed(tmp_path):
    builds = tmp_path / "builds"
    (builds / ".tmp-killed").mkdir(parents=True)
    (builds / ".tmp-killed" / "graph.nq").write_text("half written")
    os.symlink("builds/nowhere", tmp_path / ".current.4242.tmp")
    build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False)
    assert not (builds / ".tmp-killed").exists()
    assert not (tmp_path / ".current.4242.tmp").is_symlink()
    assert [p.name for p in builds.iterdir() if p.name.startswith(".tmp-")] == []


def test_exports_are_written_by_their_own_process_and_match_the_graph(tmp_path):
    from diplograph.exports.export import quad_lines

    result = build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False)
    graph = set(quad_lines((result.build_dir / "graph.nq").read_bytes()))
    dump = set(quad_lines((result.build_dir / "exports" / "diplograph.nq").read_bytes()))
    assert graph <= dump  # the dump adds the VoID description, in a graph of its own
    index = json.loads((result.build_dir / "exports" / "index.json").read_text())
    assert index["version"] == result.version
    assert not (result.build_dir / ".exports-manifest.json").exists()


def test_a_failed_export_refuses_the_build_and_keeps_the_last_good_one(tmp_path, monkeypatch):
    import pytest

    from diplograph.cli.build import BuildError

    good = build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False)
    monkeypatch.setenv("DIPLOGRAPH_FAULT", "exporting")
    with pytest.raises(BuildError, match=r"(?s)exports failed.*on purpose"):
        build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False)
    assert current_build(tmp_path) == good.build_dir.resolve()
    assert [p.name for p in (tmp_path / "builds").iterdir()] == [good.build_id]


def _examples():
    from shape_corpus import CORPUS

    return sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*.*"))


@pytest.mark.parametrize("name", _examples())
def test_the_builds_store_validates_as_the_graphs_do(name, tmp_path):
    """The build validates its on-disk store (named graphs plus their merge as the default
    graph): every shape example must give the same report as the loaded graphs do."""
    import pyoxigraph as ox
    from shape_corpus import CORPUS, overlay

    from diplograph.cli.build import load_graphs, validate_store
    from diplograph.loaders.quads import Quads, write_lines
    from diplograph.shapes.validation import validate_dataset
    from diplograph.store import load_nquads

    example = CORPUS / name
    if example.suffix == ".trig":
        graphs = load_graphs(MINIMAL)
        graphs.dataset.parse(example, format="trig")
    else:
        graphs = load_graphs(overlay(example, tmp_path / "data"))
    lines = Quads.from_dataset(graphs.dataset).lines()
    write_lines(lines, tmp_path / "graph.nq")
    load_nquads(tmp_path / "graph.nq", tmp_path / "store", lines=lines)
    built = validate_store(ox.Store(str(tmp_path / "store")), owl=False)
    expected = validate_dataset(graphs.dataset)
    keys = ("where", "shape", "message", "focus", "path", "value", "severity")

    def items(report):
        return sorted(
            tuple(str(i[k]) for k in keys) for i in report["violations"] + report["warnings"]
        )

    assert items(built) == items(expected)
    assert built["conforms"] == expected["conforms"] == name.startswith("valid/")
