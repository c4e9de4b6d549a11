"""Incremental builds give what a full build of the same data gives, byte for byte."""

from __future__ import annotations

import copy
import json
import random
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bench.synth import FACTS_PER_COPY, _Renamer, generate
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


# -- the property: random edits of a synthetic corpus, built both ways ----------------------

#: Two real facts files that refer to no fact of the other three: two generated copies of
#: them (with the entities they name) are about the real data's size, so an example costs
#: what one on the real data did, while the copies bring the generator's renamed ids,
#: cross-copy links and one sources.yaml naming every copy's sources.
SUBSET = ("hawkinsight-2025-10-24", "infofinance-2025-10-26")
#: Edits of sources.yaml, a global input (cli/incremental.py): the build must go full.
GLOBAL_EDITS = {"touch-sources", "remove-source", "add-source"}
FACT_EDIT = st.one_of(
    st.tuples(
        st.just("label"),
        st.integers(0, 50),
        st.integers(0, 200),
        st.text("abc xyz", min_size=1, max_size=12),
    ),
    st.tuples(st.just("drop"), st.integers(0, 50), st.integers(0, 200)),
    st.tuples(st.just("copy"), st.integers(0, 50), st.integers(0, 200)),
    st.tuples(st.just("drop-file"), st.integers(0, 50)),
)
SOURCE_EDIT = st.one_of(
    st.tuples(st.just("touch-sources")),
    st.tuples(st.just("remove-source"), st.integers(0, 50)),
    st.tuples(st.just("add-source"), st.integers(0, 50)),
)
# a file or source is picked by index when the edit is applied (earlier edits may have
# added or removed some); sources edits are drawn less often, as both builds go full there
EDIT = st.one_of(FACT_EDIT, FACT_EDIT, SOURCE_EDIT)


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, value) -> None:
    path.write_text(yaml.safe_dump(value, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _facts_file(data: Path, index: int) -> Path | None:
    files = sorted((data / "facts").glob("*.yaml"))
    return files[index % len(files)] if files else None


def _apply(data: Path, edit: tuple) -> None:
    if edit[0] == "touch-sources":
        with open(data / "sources.yaml", "a") as handle:
            handle.write("# touched\n")
        return
    if edit[0] in ("remove-source", "add-source"):
        (_remove_source if edit[0] == "remove-source" else _add_source)(data, edit[1])
        return
    path = _facts_file(data, edit[1])
    if path is None:
        return
    if edit[0] == "drop-file":
        path.unlink()
        return
    doc = _load(path)
    facts = doc["facts"]
    if not facts:
        return
    fact = facts[edit[2] % len(facts)]
    if edit[0] == "label" and "label" in fact:
        fact["label"] = f"{fact['label']} {edit[3]}"
    elif edit[0] == "drop":
        facts.remove(fact)
    elif edit[0] == "copy" and "type" in fact:
        # a deep copy: values shared with the original would be dumped as YAML anchors,
        # which the loader refuses
        facts.append(dict(copy.deepcopy(fact), id=f"{fact['id']}-copy{len(facts)}"))
    _dump(path, doc)


def _remove_source(data: Path, index: int) -> None:
    """A source leaves: its record, its facts file (the generator names it after the
    source), the positions the entity files hold on its word and the entities only it
    named. What referred to its facts is left dangling: both builds must refuse alike."""
    sources = _load(data / "sources.yaml")
    gone = sources.pop(index % len(sources))["id"]
    _dump(data / "sources.yaml", sources)
    (data / "facts" / f"{gone}.yaml").unlink(missing_ok=True)
    for path in sorted((data / "entities").glob("*.yaml")):
        records = _load(path)
        kept = _without_source(records, gone)
        if kept != records:
            _dump(path, kept)
    _drop_unmentioned_entities(data)  # its publisher, if it published no other source


def _without_source(value, source: str):
    """`value` without the records (list items) that name `source` as theirs."""
    if isinstance(value, dict):
        return {k: _without_source(v, source) for k, v in value.items()}
    if isinstance(value, list):
        return [
            _without_source(v, source)
            for v in value
            if not (isinstance(v, dict) and v.get("source") == source)
        ]
    return value


def _add_source(data: Path, index: int) -> None:
    """A new source: a facts file's source record under a new id, and that file's facts
    renamed as the generator renames a copy's (the facts it defines get new ids; the
    entities, and the facts of other files it adds to, stay), so the build can succeed."""
    doc = _load(_facts_file(data, index))
    sources = _load(data / "sources.yaml")
    record = next(r for r in sources if r["id"] == doc["source"])
    k = 2  # the corpus holds copies 0 and 1
    while any(r["id"] == f"{doc['source']}-c{k}" for r in sources):
        k += 1
    defined = {r["id"] for r in doc["facts"] if "type" in r}
    renamer = _Renamer(set(), defined, k, k, random.Random(k))  # partner: no links
    new_id = renamer.name(doc["source"], k)
    _dump(data / "sources.yaml", [*sources, dict(copy.deepcopy(record), id=new_id)])
    facts = [renamer.walk(r, remap=False) for r in doc["facts"]]
    _dump(data / "facts" / f"{new_id}.yaml", {"source": new_id, "facts": facts})


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


def _subset(out: Path) -> Path:
    """The real data with only the SUBSET facts files, and without what only the other
    files named (the disagreements about their facts, the entities only they mention)."""
    ignore = shutil.ignore_patterns("*.py", "__pycache__", "facts")
    shutil.copytree(DATA_DIR, out, ignore=ignore)
    (out / "facts").mkdir()
    for stem in SUBSET:
        shutil.copy(DATA_DIR / "facts" / f"{stem}.yaml", out / "facts")
    facts = [_load(path) for path in sorted((out / "facts").glob("*.yaml"))]
    known = {r["id"] for doc in facts for r in doc["facts"]}
    known |= {r["id"] for path in (out / "entities").glob("*.yaml") for r in _load(path)}
    disagreements = [
        r
        for r in _load(out / "disagreements.yaml") or []
        if _strings([r.get("about"), r.get("disputes")]) <= known
    ]
    _dump(out / "disagreements.yaml", disagreements)
    _drop_unmentioned_entities(out)
    return out


def _drop_unmentioned_entities(data: Path) -> None:
    """Drop the entities that no fact, source, disagreement or kept entity mentions (the
    shapes refuse an entity linked to nothing), until none is left."""
    facts = [_load(path) for path in sorted((data / "facts").glob("*.yaml"))]
    others = [facts, _load(data / "disagreements.yaml"), _load(data / "sources.yaml")]
    mentioned = _strings(others)
    entities = {path: _load(path) for path in sorted((data / "entities").glob("*.yaml"))}
    kept = entities
    while True:  # an entity only a dropped one mentioned goes next
        named = mentioned.union(*(_strings(r) - {r["id"]} for rs in kept.values() for r in rs))
        fewer = {path: [r for r in rs if r["id"] in named] for path, rs in kept.items()}
        if fewer == kept:
            break
        kept = fewer
    for path, records in kept.items():
        if records != entities[path]:
            _dump(path, records)


def _strings(value) -> set[str]:
    """Every string in a YAML value but names (which may spell an id: the generator keeps
    an entity's original label among its copies' cues): the ids it may mention."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = [v for k, v in value.items() if k not in ("label", "aliases", "cues")]
    if isinstance(value, list):
        return set().union(*map(_strings, value))
    return set()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Two generated copies of the SUBSET, built and published once; each test starts from
    a copy of it (one corpus: a second, the real data, would cost a build more).

    The generator keeps each source's `file` and copies the excerpts verbatim, so every
    copy's excerpts are found in the real source texts: the builds check them as the real
    data's are (`sources=None`, as the benchmarks pass, would leave the texts out)."""
    root = tmp_path_factory.mktemp("synthetic")
    assert generate(root / "data", 2 * FACTS_PER_COPY, seed=1, data_dir=_subset(root / "real")) == 2
    build(root / "data", root / "instance", sources_dir=default_sources_dir(), full=True)
    return root


@pytest.fixture(autouse=True)
def _hermit_answers_consistent(monkeypatch):
    """HermiT's JVM costs 5-15 s a build; its input comes from the store, compared here."""
    monkeypatch.setattr(incremental, "run_hermit", lambda lines: (True, [], ""))


@pytest.mark.slow
@settings(
    max_examples=3,  # and the example below: each costs two builds, 10-15 s each
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking would rebuild for minutes
)
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
# every run adds a source (a copy of hawkinsight's), removes one that has no facts file
# (gatesquare: its positions and publisher go too) and copies a fact: a change that builds
@example(edits=[("add-source", 1), ("remove-source", 0), ("copy", 3, 7)])
def test_an_incremental_build_equals_a_full_build(synthetic, edits):
    """Random edits of facts and sources (issue 21), built from the last build and in full.

    An edit of sources.yaml must make the build full (the mode is asserted); a build
    refused either way must be refused alike, with the same problems or report."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(synthetic / "data", work / "data")
        shutil.copytree(synthetic / "instance", work / "incremental", symlinks=True)
        for edit in edits:
            _apply(work / "data", edit)
        incremental_outcome, reused = _outcome(work / "data", work / "incremental", full=False)
        full_outcome, _ = _outcome(work / "data", work / "full", full=True)
        assert incremental_outcome == full_outcome
        if reused is not None:
            touched = any(e[0] in GLOBAL_EDITS for e in edits)
            assert reused["mode"] == ("full" if touched else "incremental")


@pytest.mark.slow
def test_a_label_edit_is_incremental_and_equals_a_full_build(synthetic, tmp_path):
    shutil.copytree(synthetic / "data", tmp_path / "data")
    shutil.copytree(synthetic / "instance", tmp_path / "incremental", symlinks=True)
    _apply(tmp_path / "data", ("label", 0, 0, "edited"))
    incremental_outcome, reused = _outcome(tmp_path / "data", tmp_path / "incremental", False)
    assert reused["mode"] == "incremental" and len(reused["changed_graphs"]) == 1
    assert incremental_outcome == _outcome(tmp_path / "data", tmp_path / "full", True)[0]


@pytest.mark.slow
def test_a_failed_incremental_build_leaves_the_last_one_serving(synthetic, tmp_path, monkeypatch):
    shutil.copytree(synthetic / "data", tmp_path / "data")
    shutil.copytree(synthetic / "instance", tmp_path / "instance", symlinks=True)
    before = (tmp_path / "instance" / "current").resolve()
    _apply(tmp_path / "data", ("label", 0, 0, "edited"))
    monkeypatch.setenv("DIPLOGRAPH_FAULT", "exporting")  # after the store copy was updated
    with pytest.raises(BuildError, match="exports"):
        build(tmp_path / "data", tmp_path / "instance", sources_dir=default_sources_dir())
    assert (tmp_path / "instance" / "current").resolve() == before
    assert not list((tmp_path / "instance" / "builds").glob(".tmp-*"))
    monkeypatch.delenv("DIPLOGRAPH_FAULT")
    result = build(tmp_path / "data", tmp_path / "instance", sources_dir=default_sources_dir())
    manifest = json.loads((result.build_dir / "manifest.json").read_text())
    assert manifest["reused"]["changed_facts"] == [_facts_file(tmp_path / "data", 0).stem]
    assert len(manifest["reused"]["changed_graphs"]) == 1
