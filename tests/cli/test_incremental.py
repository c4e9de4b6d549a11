"""Incremental builds give what a full build of the same data gives, byte for byte."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from diplograph.cli import incremental
from diplograph.cli.build import BuildError, build
from diplograph.cli.incremental import graph_of, update_store
from diplograph.data import DATA_DIR
from diplograph.loaders.errors import CurationError
from diplograph.loaders.excerpts import default_sources_dir
from diplograph.store import load_nquads

G1, G2 = "<https://example.org/g1>", "<https://example.org/g2>"
S, P = "<https://example.org/s>", "<https://example.org/p>"


def _line(obj: str, graph: str) -> str:
    return f"{S} {P} {obj} {graph} .\n"


def _build_dir(tmp_path: Path, lines: list[str]) -> Path:
    build_dir = tmp_path / "old"
    build_dir.mkdir()
    (build_dir / "graph.nq").write_text("".join(sorted(lines)))
    load_nquads(build_dir / "graph.nq", build_dir / "store", lines=sorted(lines))
    return build_dir


def _default(store_dir: Path) -> set[str]:
    store = ox.Store.read_only(str(store_dir))
    return {str(q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def test_graph_of_reads_the_last_term_even_after_a_literal_with_angle_brackets():
    assert graph_of(f'{S} {P} "a <b> c" {G1} .\n') == G1


def test_the_merge_keeps_a_triple_while_another_graph_holds_it(tmp_path):
    old = _build_dir(tmp_path, [_line('"shared"', G1), _line('"shared"', G2), _line('"own"', G1)])
    before = {G1: {_line('"shared"', G1), _line('"own"', G1)}}
    update_store(old, tmp_path / "new", before, {G1: {_line('"new"', G1)}})
    assert _default(tmp_path / "new") == {'"shared"', '"new"'}
    assert _default(old / "store") == {'"shared"', '"own"'}  # the last build is untouched


def test_the_merge_drops_a_triple_that_left_its_last_graph(tmp_path):
    old = _build_dir(tmp_path, [_line('"gone"', G1), _line('"kept"', G2)])
    update_store(old, tmp_path / "new", {G1: {_line('"gone"', G1)}}, {G1: set()})
    assert _default(tmp_path / "new") == {'"kept"'}


# -- the property: random edits of the real data, built both ways ----------------------------

FACTS = sorted(p.stem for p in (DATA_DIR / "facts").glob("*.yaml"))
EDIT = st.one_of(
    st.tuples(
        st.just("label"),
        st.sampled_from(FACTS),
        st.integers(0, 200),
        st.text("abc xyz", min_size=1, max_size=12),
    ),
    st.tuples(st.just("drop"), st.sampled_from(FACTS), st.integers(0, 200)),
    st.tuples(st.just("copy"), st.sampled_from(FACTS), st.integers(0, 200)),
    st.tuples(st.just("drop-file"), st.sampled_from(FACTS)),
    st.tuples(st.just("touch-sources")),
)


def _apply(data: Path, edit: tuple) -> None:
    if edit[0] == "touch-sources":  # a global input: the build must go full
        with open(data / "sources.yaml", "a") as handle:
            handle.write("# touched\n")
        return
    path = data / "facts" / f"{edit[1]}.yaml"
    if not path.exists():
        return
    if edit[0] == "drop-file":
        path.unlink()
        return
    doc = yaml.safe_load(path.read_text())
    facts = doc["facts"]
    fact = facts[edit[2] % len(facts)]
    if edit[0] == "label" and "label" in fact:
        fact["label"] = f"{fact['label']} {edit[3]}"
    elif edit[0] == "drop":
        facts.remove(fact)
    elif edit[0] == "copy" and "type" in fact:
        facts.append(dict(fact, id=f"{fact['id']}-copy{len(facts)}"))
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _outcome(data: Path, instance: Path, full: bool):
    """What a build gives that must not depend on how it was made."""
    try:
        result = build(data, instance, sources_dir=default_sources_dir(), full=full)
    except CurationError as exc:
        return ("refused", sorted(str(p) for p in exc.problems)), None
    except Exception as exc:  # BuildError and its report
        return ("refused", str(exc), getattr(exc, "report", None)), None
    out = result.build_dir
    manifest = json.loads((out / "manifest.json").read_text())
    store = ox.Store.read_only(str(out / "store"))
    quads = sorted(str(q) for q in store if "_:" not in str(q))  # labels differ per load
    files = {p.name: p.read_bytes() for p in sorted((out / "exports").iterdir())}
    graph = (out / "graph.nq").read_bytes()
    # what the next incremental build starts from: the evidence by graph, HermiT's summary
    kept = {k: manifest.get(k) for k in ("evidence", "owl_summary")}
    return (graph, files, manifest["validation"], kept, quads, len(store)), manifest["reused"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The real data, built and published once; each example starts from a copy of it."""
    root = tmp_path_factory.mktemp("published")
    shutil.copytree(DATA_DIR, root / "data", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    build(root / "data", root / "instance", sources_dir=default_sources_dir(), full=True)
    return root


@pytest.fixture(autouse=True)
def _hermit_answers_consistent(monkeypatch):
    """HermiT's JVM costs 5-15 s a build; its input comes from the store, compared here."""
    monkeypatch.setattr(incremental, "run_hermit", lambda lines: (True, [], ""))


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking would rebuild for minutes
)
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
def test_an_incremental_build_equals_a_full_build(published, edits):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(published / "data", work / "data")
        shutil.copytree(published / "instance", work / "incremental", symlinks=True)
        for edit in edits:
            _apply(work / "data", edit)
        incremental_outcome, reused = _outcome(work / "data", work / "incremental", full=False)
        full_outcome, _ = _outcome(work / "data", work / "full", full=True)
        assert incremental_outcome == full_outcome
        if reused is not None:
            touched = any(e[0] == "touch-sources" for e in edits)
            assert reused["mode"] == ("full" if touched else "incremental")


@pytest.mark.slow
def test_a_label_edit_is_incremental_and_equals_a_full_build(published, tmp_path):
    shutil.copytree(published / "data", tmp_path / "data")
    shutil.copytree(published / "instance", tmp_path / "incremental", symlinks=True)
    _apply(tmp_path / "data", ("label", FACTS[0], 0, "edited"))
    incremental_outcome, reused = _outcome(tmp_path / "data", tmp_path / "incremental", False)
    assert reused["mode"] == "incremental" and len(reused["changed_graphs"]) == 1
    assert incremental_outcome == _outcome(tmp_path / "data", tmp_path / "full", True)[0]


@pytest.mark.slow
def test_a_failed_incremental_build_leaves_the_last_one_serving(published, tmp_path, monkeypatch):
    shutil.copytree(published / "data", tmp_path / "data")
    shutil.copytree(published / "instance", tmp_path / "instance", symlinks=True)
    before = (tmp_path / "instance" / "current").resolve()
    _apply(tmp_path / "data", ("label", FACTS[0], 0, "edited"))
    monkeypatch.setenv("DIPLOGRAPH_FAULT", "exporting")  # after the store copy was updated
    with pytest.raises(BuildError, match="exports"):
        build(tmp_path / "data", tmp_path / "instance", sources_dir=default_sources_dir())
    assert (tmp_path / "instance" / "current").resolve() == before
    assert not list((tmp_path / "instance" / "builds").glob(".tmp-*"))
    monkeypatch.delenv("DIPLOGRAPH_FAULT")
    result = build(tmp_path / "data", tmp_path / "instance", sources_dir=default_sources_dir())
    manifest = json.loads((result.build_dir / "manifest.json").read_text())
    assert manifest["reused"]["changed_facts"] == [FACTS[0]]
    assert len(manifest["reused"]["changed_graphs"]) == 1
