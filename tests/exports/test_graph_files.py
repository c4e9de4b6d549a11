"""A file per named graph of the data (exports/graph_files.py), rewritten only when changed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from diplograph.cli import incremental
from diplograph.cli.build import build
from diplograph.exports.graph_files import graph_file_name, write_graph_files
from diplograph.ontology import BASE, ONTOLOGY_IRI

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
A, B = f"<{BASE}graph/a>", f"<{BASE}graph/b>"


def _graphs(**lines: list[str]) -> dict[str, tuple[list[str], str]]:
    out = {}
    for name, graph_lines in lines.items():
        term = f"<{ONTOLOGY_IRI}>" if name == "onto" else f"<{BASE}graph/{name}>"
        text = "".join(graph_lines)
        out[term] = (graph_lines, hashlib.sha256(text.encode()).hexdigest())
    return out


def test_each_data_graph_is_a_file_of_its_lines_and_the_ontology_is_not(tmp_path):
    graphs = _graphs(a=[f"<s> <p> <o> {A} .\n"], b=[f"<s> <p> <x> {B} .\n"], onto=["<c> ."])
    written = write_graph_files(tmp_path, graphs, BASE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph-a.nq", "graph-b.nq"]
    for term, (lines, digest) in graphs.items():
        name = graph_file_name(term, BASE)
        if name is not None:
            data = (tmp_path / name).read_bytes()
            assert data == "".join(lines).encode() and hashlib.sha256(data).hexdigest() == digest
            assert written[name] == digest
    assert graph_file_name(f"<{ONTOLOGY_IRI}>", BASE) is None


def test_a_graph_with_the_last_digest_is_linked_and_a_changed_one_written(tmp_path):
    first = _graphs(a=[f"<s> <p> <o> {A} .\n"], b=[f"<s> <p> <x> {B} .\n"])
    write_graph_files(tmp_path / "old", first, BASE)
    second = _graphs(a=[f"<s> <p> <o> {A} .\n"], b=[f"<s> <p> <y> {B} .\n"])
    digests = {g: d for g, (_lines, d) in first.items()}
    write_graph_files(tmp_path / "new", second, BASE, tmp_path / "old", digests)
    same = (tmp_path / "old" / "graph-a.nq").stat().st_ino == (
        tmp_path / "new" / "graph-a.nq"
    ).stat().st_ino
    assert same  # a hard link: nothing written
    assert (tmp_path / "new" / "graph-b.nq").read_text() == f"<s> <p> <y> {B} .\n"
    assert (tmp_path / "old" / "graph-b.nq").read_text() == f"<s> <p> <x> {B} .\n"


def test_a_build_lists_them_and_an_incremental_one_writes_only_the_changed(tmp_path, monkeypatch):
    # validated (an unvalidated build is never built on); HermiT's JVM is not what is tested
    monkeypatch.setattr(incremental, "run_hermit", lambda lines: (True, [], ""))
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid" / "minimal", data)
    sources = FIXTURES / "sources"
    first = build(data, tmp_path / "instance", sources_dir=sources).build_dir
    facts = data / "facts" / "mini-2025-10-24.yaml"
    facts.write_text(facts.read_text().replace("Soybean purchases", "Soybean purchases, edited"))
    second = build(data, tmp_path / "instance", sources_dir=sources).build_dir
    manifest = json.loads((second / "manifest.json").read_text())
    assert manifest["reused"]["mode"] == "incremental"
    index = json.loads((second / "exports" / "index.json").read_text())
    entries = {e["name"]: e for e in index["files"] if e["part"] == "graph"}
    assert "graph-mini-2025-10-24.nq" in entries and "graph-entities.nq" in entries
    for name, entry in entries.items():
        data_bytes = (second / "exports" / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data_bytes).hexdigest(), name
        assert entry["bytes"] == len(data_bytes), name
        linked = (first / "exports" / name).stat().st_ino == (
            second / "exports" / name
        ).stat().st_ino
        assert linked == (name != "graph-mini-2025-10-24.nq"), name  # only the edited source's
    void = Graph().parse(second / "exports" / "void.ttl")
    dumps = {str(o).rsplit("/", 1)[-1] for s, o in void.subject_objects(VOID.dataDump)}
    assert set(entries) <= dumps
    subset_dump = [
        s for s, o in void.subject_objects(VOID.dataDump) if str(o).endswith("graph-entities.nq")
    ]
    assert subset_dump and (None, VOID.subset, subset_dump[0]) in void
    assert URIRef(f"{BASE}graph/entities") in set(void.objects(subset_dump[0], None))
