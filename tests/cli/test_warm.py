"""What one build leaves for the next in the same process (cli/warm.py): reused only for
the same content, never read by a full build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from diplograph.cli import build as build_module
from diplograph.cli import incremental
from diplograph.cli.build import build, checked_graphs
from diplograph.cli.warm import Warm
from diplograph.loaders.entailment import Entailer
from diplograph.loaders.quads import Quads
from diplograph.loaders.vocab import load_vocabulary
from diplograph.ontology import DG, reasoning
from diplograph.ontology.owl_schema import Schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"


def _graphs() -> Quads:
    return checked_graphs(MINIMAL, sources_dir=FIXTURES / "sources").quads


def _fresh(quads: Quads) -> dict:
    return Warm().finish(quads, Entailer(load_vocabulary().graph))


def test_an_unchanged_graph_takes_the_last_builds_work_and_gives_the_same():
    warm, rules = Warm(), Entailer(load_vocabulary().graph)
    first = warm.finish(_graphs(), rules)
    again = _graphs()
    second = warm.finish(again, rules)
    assert second == first == _fresh(_graphs())
    assert all(second[g][0] is first[g][0] for g in first)  # the same lists: reused, not redone
    assert sum(len(t) for t in again.graphs.values()) == sum(len(v[0]) for v in second.values())


def test_a_changed_graph_is_made_again():
    warm, rules = Warm(), Entailer(load_vocabulary().graph)
    first = warm.finish(_graphs(), rules)
    changed = _graphs()
    name, triples = next((n, t) for n, t in changed.graphs.items() if len(t) > 3)
    triples.add((URIRef("https://example.org/x"), RDF.type, DG.Meeting))
    second = warm.finish(changed, rules)
    graph = f"<{name}>"
    assert second[graph] != first[graph]
    assert second == _fresh(_with_added(name))
    assert any(DG.Event in line for line in second[graph][0])  # its entailment is there too
    assert all(second[g][0] is first[g][0] for g in first if g != graph)


def _with_added(name) -> Quads:
    quads = _graphs()
    quads.graphs[name].add((URIRef("https://example.org/x"), RDF.type, DG.Meeting))
    return quads


def test_the_last_builds_lines_are_given_only_for_its_id_and_digest():
    warm = Warm()
    warm.publish("build-1", "abc", {"<g>": (["line\n"], "d")})
    assert warm.lines_of("build-1", "abc") == {"<g>": ["line\n"]}
    assert warm.lines_of("build-1", "abd") is None
    assert warm.lines_of("build-2", "abc") is None


class _Poisoned(Warm):
    def finish(self, *_a):
        raise AssertionError("a full build read the warm graphs")


def test_a_full_build_reads_nothing_an_earlier_build_left(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "_WARM", _Poisoned())
    result = build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False, full=True)
    assert result.triples > 100
    with pytest.raises(AssertionError, match="warm"):
        build(MINIMAL, tmp_path, sources_dir=FIXTURES / "sources", validate=False)


def test_an_incremental_build_takes_the_owl_schema_of_the_store_it_copied(tmp_path, monkeypatch):
    """The Schema read from the published store serves the next build copied from it: no
    read of the store's ontology, and HermiT gets the same input as from reading it."""
    monkeypatch.setattr(incremental, "run_hermit", lambda lines: (True, [], ""))
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    first = build(data, tmp_path / "a", sources_dir=FIXTURES / "sources", full=True)
    shutil.copytree(tmp_path / "a", tmp_path / "b", symlinks=True)
    kept = build_module._WARM.schema
    assert kept is not None and kept[0] == first.build_id
    facts = data / "facts" / "mini-2025-10-24.yaml"
    facts.write_text(facts.read_text().replace("Soybean purchases", "Soybean purchases, edited"))

    monkeypatch.setattr(build_module._WARM, "schema", None)  # b: read from the store
    read = build(data, tmp_path / "b", sources_dir=FIXTURES / "sources")
    made = []
    monkeypatch.setattr(reasoning, "Schema", lambda *a: made.append(a) or Schema(*a))
    monkeypatch.setattr(build_module._WARM, "schema", kept)  # a: the one kept
    taken = build(data, tmp_path / "a", sources_dir=FIXTURES / "sources")
    manifests = [json.loads((r.build_dir / "manifest.json").read_text()) for r in (read, taken)]
    assert all(m["reused"]["mode"] == "incremental" for m in manifests)
    assert not made  # the kept Schema served
    assert manifests[0]["owl_input"]["sha256"] == manifests[1]["owl_input"]["sha256"]
    assert build_module._WARM.schema == (taken.build_id, kept[1])  # and serves the next


def test_a_build_once_notes_nothing_for_another_and_builds_the_same(tmp_path, monkeypatch):
    """The `build` command builds once in its process: its Warm keeps no graphs, files,
    emission or lines (memory for one build only), it reads nothing an earlier build left,
    and what it builds is what a build that keeps them builds."""
    monkeypatch.setattr(build_module, "_WARM", _Poisoned())
    made, real = [], build_module.Warm
    monkeypatch.setattr(build_module, "Warm", lambda **kw: made.append(real(**kw)) or made[-1])
    options = {"sources_dir": FIXTURES / "sources", "validate": False}  # validation: elsewhere
    once = build(MINIMAL, tmp_path / "once", once=True, **options)
    (warm,) = made
    assert (warm.retain, warm.graphs, warm.published) == (False, {}, None)
    assert (warm.parsed, warm.units) == (None, None)
    assert build_module._WARM.exports is None  # its export process stopped, not handed on
    monkeypatch.setattr(build_module, "_WARM", real())
    kept = build(MINIMAL, tmp_path / "kept", full=True, **options)
    assert made[-1].retain and made[-1].graphs and made[-1].published
    for name in ("graph.nq", "exports/diplograph.ttl", "exports/void.ttl"):
        assert (once.build_dir / name).read_bytes() == (kept.build_dir / name).read_bytes()
