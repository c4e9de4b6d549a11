"""RDF exports: round trips, an independent strict parser, JSON-LD offline, determinism."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from export_builds import make_build
from isomorphism import isomorphic
from pyld import jsonld
from rdflib import Dataset, Graph, URIRef

from diplograph.cli.main import main
from diplograph.exports import export
from diplograph.exports.jsonld import build_context, project_context
from diplograph.ontology import ONTOLOGY_DIR
from diplograph.shapes import SHAPES_DIR

ROOT = Path(__file__).resolve().parents[2]

VOID_GRAPH = URIRef("https://w3id.org/diplograph/graph/void")
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "rdf": "rdfxml"}
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "trig": "trig", "nq": "nquads"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return make_build(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def built_dataset(built):
    ds = Dataset()
    ds.parse(built / "graph.nq", format="nquads")
    return ds


def graphs_of(ds: Dataset) -> dict:
    return {g.identifier: g for g in ds.graphs() if len(g)}


def union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def refuse_remote(url, options=None):
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}")


def parse_export(path, fmt) -> Dataset:
    ds = Dataset()
    if fmt == "jsonld":
        doc = json.loads(path.read_text())
        nquads = jsonld.to_rdf(
            doc, {"format": "application/n-quads", "documentLoader": refuse_remote}
        )
        ds.parse(data=nquads, format="nquads")
    elif FORMATS_KEEP_GRAPHS[fmt]:
        ds.parse(path, format=RDFLIB_FORMAT[fmt])
    else:
        ds.default_graph.parse(path, format=RDFLIB_FORMAT[fmt])
    return ds


# rdflib 7 rejects a local name ending in an escaped '.' (`id:ends\\.`): valid Turtle, read
# by rapper and Oxigraph, which the tricky fixture has and minted IRIs (slugs) never do.
OXIGRAPH_READS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}


def parse_with_oxigraph(path, fmt) -> Dataset:
    quads = ox.parse(path=str(path), format=OXIGRAPH_READS[fmt])
    ds = Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    return ds


FORMATS_KEEP_GRAPHS = {name: spec.keeps_graphs for name, spec in export.FORMATS.items()}


def test_the_build_writes_every_format_of_every_part(built):
    names = {p.name for p in (built / "exports").iterdir()}
    for part in ("diplograph", "ontology", "shapes"):
        for fmt in export.FORMATS:
            assert f"{part}.{fmt}" in names
    assert {"void.ttl", "context.jsonld", "index.json"} <= names


def test_the_index_gives_each_files_size_and_digest(built):
    """Digests are taken as the files are written (exports/export.py's _Hashed): each is
    the digest of the file's bytes, linked and per-graph files too."""
    index = json.loads((built / "exports" / "index.json").read_text())
    listed = {entry["name"] for entry in index["files"]}
    assert {"diplograph.ttl", "ontology.nq", "shapes.jsonld", "void.ttl"} <= listed
    for entry in index["files"]:
        data = (built / "exports" / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["name"]
        assert entry["bytes"] == len(data), entry["name"]


@pytest.mark.parametrize("fmt", [f for f, spec in export.FORMATS.items() if spec.keeps_graphs])
def test_quad_formats_round_trip_with_one_named_graph_per_source(built, built_dataset, fmt):
    parsed = parse_export(built / "exports" / f"diplograph.{fmt}", fmt)
    got, want = graphs_of(parsed), graphs_of(built_dataset)
    assert VOID_GRAPH in got, "the dumps carry the dataset description"
    del got[VOID_GRAPH]
    assert set(got) == set(want)
    assert URIRef("https://w3id.org/diplograph/graph/mini-2025-10-24") in got
    for name, graph in want.items():
        assert isomorphic(got[name], graph), name


@pytest.mark.parametrize("fmt", [f for f, spec in export.FORMATS.items() if not spec.keeps_graphs])
def test_triple_formats_round_trip_to_the_union(built, built_dataset, fmt):
    parsed = union(parse_export(built / "exports" / f"diplograph.{fmt}", fmt))
    nq = parse_export(built / "exports" / "diplograph.nq", "nq")
    expected = union(built_dataset) + nq.graph(VOID_GRAPH)
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_ontology_export_round_trips(built, built_dataset, fmt):
    parsed = union(parse_export(built / "exports" / f"ontology.{fmt}", fmt))
    onto = built_dataset.graph(URIRef("https://w3id.org/diplograph/def"))
    assert len(onto) > 500
    assert isomorphic(parsed, onto)


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_shapes_export_round_trips(built, fmt):
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    assert len(shapes)
    parsed = union(parse_export(built / "exports" / f"shapes.{fmt}", fmt))
    assert isomorphic(parsed, shapes)


def rapper_count(path, syntax: str) -> int:
    rapper = shutil.which("rapper")
    assert rapper, "rapper missing: apt-get install -y raptor2-utils (.ci/setup does)"
    run = subprocess.run(
        [rapper, "-i", syntax, "-c", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr and "Warning" not in run.stderr, run.stderr
    return int(run.stderr.rsplit("returned", 1)[1].split()[0])


@pytest.mark.parametrize("part", ["diplograph", "ontology", "shapes"])
@pytest.mark.parametrize("fmt", list(RAPPER_SYNTAX))
def test_rapper_accepts_every_triple_export(built, part, fmt):
    path = built / "exports" / f"{part}.{fmt}"
    count = rapper_count(path, RAPPER_SYNTAX[fmt])
    assert count == len(union(parse_export(path, fmt)))


def test_rapper_accepts_void(built):
    assert rapper_count(built / "exports" / "void.ttl", "turtle") > 100


def test_jsonld_is_compact_with_the_embedded_project_context(built):
    doc = json.loads((built / "exports" / "diplograph.jsonld").read_text())
    onto = union(parse_export(built / "exports" / "ontology.nt", "nt"))
    assert doc["@context"] == build_context(onto)
    expanded = jsonld.expand(doc, {"documentLoader": refuse_remote})
    assert expanded
    graphs = {g["@id"]: g["@graph"] for g in doc["@graph"]}
    entities = {n["@id"]: n for n in graphs["graph:entities"]}
    alpha = entities["id:alpha"]
    assert "Person" in alpha["@type"]
    assert alpha["label"] == "Alpha"
    assert alpha["nationality"] == "id:country-a"  # object property: a bare compact IRI


def test_committed_context_is_generated_from_the_ontology():
    committed = (ONTOLOGY_DIR / "context.jsonld").read_text()
    assert committed == project_context(), "run: python -m diplograph.exports.jsonld"
    terms = json.loads(committed)["@context"]
    assert terms["participant"] == {"@id": "dg:participant", "@type": "@id"}
    assert terms["Meeting"] == "dg:Meeting"


def test_triple_order_deduplicates_the_union():
    lines = [b"<s> <p> <o> <g1> .", b"<s> <p> <o> <g2> .", b"<s> <q> <o> <g1> ."]
    assert list(export.ordered_lines(lines, quads=False)) == [
        b"<s> <p> <o> .\n",
        b"<s> <q> <o> .\n",
    ]


def test_same_data_gives_byte_identical_files(built, tmp_path):
    """A second build in another process (other hash seed) writes the same bytes."""
    script = "import sys; from pathlib import Path; from export_builds import make_build; "
    script += "make_build(Path(sys.argv[1]))"
    support = str(ROOT / "tests" / "support")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": support}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env)
    ours = sorted(p.name for p in (built / "exports").iterdir())
    assert ours == sorted(p.name for p in (tmp_path / "build" / "exports").iterdir())
    for name in ours:
        assert (built / "exports" / name).read_bytes() == (
            tmp_path / "build" / "exports" / name
        ).read_bytes(), name


def test_base_iri_is_configurable(tmp_path):
    base = "https://example.org/summits/"
    build = make_build(tmp_path, base=base)
    ttl = (build / "exports" / "diplograph.ttl").read_text()
    assert f"@prefix id: <{base}id/>" in ttl
    assert "<https://w3id.org/diplograph/id/" not in ttl  # (the ontology comment names it)
    doc = json.loads((build / "exports" / "diplograph.jsonld").read_text())
    assert doc["@context"]["id"] == base + "id/"
    void = Graph().parse(build / "exports" / "void.ttl")
    assert (URIRef(base + "dataset"), None, None) in void


def test_cli_export_matches_the_precomputed_file(built, tmp_path):
    out = tmp_path / "out.trig"
    result = CliRunner().invoke(
        main, ["export", "--format", "trig", "--build", str(built), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (built / "exports" / "diplograph.trig").read_bytes()


def test_cli_export_ontology_to_stdout(built):
    result = CliRunner().invoke(
        main, ["export", "--format", "nt", "--part", "ontology", "--build", str(built)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (built / "exports" / "ontology.nt").read_bytes()


def test_serialise_reports_progress(built):
    lines, options = export.load_part(built)
    seen = []
    export.serialise(lines, "nq", io.BytesIO(), progress=seen.append, **options)
    assert sum(seen) == len(lines)


# Lines as the build writes them (canonical N-Quads), chosen to trip the line-based writers:
# escapes, unicode, language tags and datatypes, markup, IRIs that cannot be prefixed names
# or XML QNames, blank nodes, literal rdf:type, a triple in two graphs, the default graph.
TRICKY = (ROOT / "tests" / "fixtures" / "exports" / "tricky.nq").read_bytes()
TRICKY = [line for line in TRICKY.split(b"\n") if line]


def tricky_dataset() -> Dataset:
    ds = Dataset()
    ds.parse(data=b"\n".join(TRICKY).decode(), format="nquads")
    return ds


PROJECT_CONTEXT = json.loads(project_context())["@context"]


def serialise_to(tmp_path, lines, fmt):
    path = tmp_path / f"tricky.{fmt}"
    with open(path, "wb") as out:
        export.serialise(lines, fmt, out, context=PROJECT_CONTEXT)
    return path


@pytest.mark.parametrize("fmt", list(export.FORMATS))
@pytest.mark.parametrize("order", ["sorted", "reversed"])
def test_tricky_terms_round_trip_in_every_format(tmp_path, fmt, order):
    """Escapes, unicode, tags, datatypes, awkward IRIs; unsorted input is less terse, still right"""
    lines = sorted(TRICKY) if order == "sorted" else sorted(TRICKY, reverse=True)
    path = serialise_to(tmp_path, lines, fmt)
    parsed = parse_with_oxigraph(path, fmt) if fmt in OXIGRAPH_READS else parse_export(path, fmt)
    want = tricky_dataset()
    if FORMATS_KEEP_GRAPHS[fmt]:
        got, expected = graphs_of(parsed), graphs_of(want)
        assert set(got) - {parsed.default_graph.identifier} == set(expected) - {
            want.default_graph.identifier
        }
        for name, graph in expected.items():
            assert isomorphic(got[name], graph), name
    else:
        assert isomorphic(union(parsed), union(want))


@pytest.mark.parametrize("fmt", ["ttl", "nt", "rdf", "trig"])
def test_rapper_accepts_tricky_terms(tmp_path, fmt):
    path = serialise_to(tmp_path, sorted(TRICKY), fmt)
    if fmt == "trig":  # rapper counts a triple once per graph
        assert rapper_count(path, "trig") == len(set(TRICKY))
    else:
        assert rapper_count(path, RAPPER_SYNTAX[fmt]) == len(union(tricky_dataset()))


def test_turtle_abbreviates_subjects_predicates_and_known_namespaces(tmp_path):
    ttl = serialise_to(tmp_path, sorted(TRICKY), "ttl").read_text()
    assert "@prefix dg: <https://w3id.org/diplograph/def#> ." in ttl
    assert ttl.count("\nid:a ") == 1, "one statement per subject"
    assert "id:a\\/b" in ttl and "id:2025-x" in ttl
    assert "id:ends\\." in ttl  # a trailing '.' in a local name is escaped
    assert "id:\\-x" in ttl  # so is a leading '-'
    assert '"2025-10-30"^^xsd:date .' in ttl or '"2025-10-30"^^xsd:date ;' in ttl
    assert ttl.count('"2025-10-30"') == 1, "a triple in two graphs is written once"


def test_rdfxml_names_any_predicate_and_escapes_markup(tmp_path):
    xml = serialise_to(tmp_path, sorted(TRICKY), "rdf").read_text()
    assert '<abc xmlns="http://example.org/p#1">' in xml
    assert "markup &amp; &lt;b&gt;bold&lt;/b&gt; ]]&gt;" in xml
    assert "cr&#13;, lf\n" in xml
    assert 'rdf:resource="https://w3id.org/diplograph/id/q?a=1&amp;b=&apos;2&apos;~(3)"' in xml
    assert 'rdf:nodeID="b1x"' in xml, "blank node labels made NCNames"


def test_jsonld_copies_json_ready_literals_and_re_encodes_the_others(tmp_path):
    lines = sorted(
        TRICKY
        + [
            b'<http://example.org/s#2> <http://example.org/p#q> "it\\\'s \\U0001F600" .',
            b'<http://example.org/s#2> <http://example.org/p#q> "raw\x01control" .',
            b"<https://w3id.org/diplograph/id/a> <https://w3id.org/diplograph/def#population> "
            b'"explicit string"^^<http://www.w3.org/2001/XMLSchema#string> '
            b"<https://w3id.org/diplograph/graph/g1> .",
        ]
    )
    doc = json.loads(serialise_to(tmp_path, lines, "jsonld").read_text())
    top = {n["@id"]: n for n in doc["@graph"] if "@graph" not in n}
    assert sorted(top["http://example.org/s#2"]["http://example.org/p#q"]) == [
        "it's \U0001f600",
        "raw\x01control",
    ]
    graphs = {g["@id"]: g["@graph"] for g in doc["@graph"] if "@graph" in g}
    a = {n["@id"]: n for n in graphs["graph:g1"]}["id:a"]
    assert a["nationality"][0] == {"@value": "a literal where an IRI is expected"}
    assert "id:a/b" in a["nationality"]
    assert a["@type"] == ["Person", "_:b0"]
    assert a["rdf:type"] == "a literal type"
    assert a["date"] == {"@value": "2025-10-30", "@type": "xsd:date"}
    assert "explicit string" in a["dg:population"], "xsd:string is a plain string"
