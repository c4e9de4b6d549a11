"""The SHACL shapes, and the corpus of examples each shape must accept or refuse.

A corpus example (tests/fixtures/shapes/{valid,invalid}/) is either
- YAML: curated data laid over tests/fixtures/valid/minimal. Sections start with
  a line `--- # <path in the data folder>`; a section's lines keep their line
  numbers in the file written there (blank lines pad the top), and a list
  section is put before the minimal file's own records. So a violation's
  file:line can be read off the example itself.
- TriG: a partner's graph added to the dataset built from the minimal data,
  without entailments (the shapes must still reach sub-classes).
Each declares what must happen in header comments:
  # expect: <shape> | <start of the message> | <file:line>     (one per violation)
  # expect-warning: <shape> | <start of the message> | <file:line>
  # expect: conforms                                           (valid examples)
The violations found must be exactly those expected, no more and no fewer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, BNode, Literal, Namespace, URIRef
from shape_corpus import INVALID, VALID, _matches, expectations, report_for

from diplograph.shapes import SHAPES_DIR
from diplograph.shapes.validation import shapes_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
FAMILIES = {"agents", "places", "events", "commitments", "measures", "statements", "sources"}


# -- the shape files ---------------------------------------------------------------


def test_one_shape_file_per_family_each_with_a_header():
    files = {p.stem: p for p in Path(SHAPES_DIR).glob("*.ttl")}
    assert set(files) == FAMILIES
    for path in files.values():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Shapes: "), path.name


def test_every_shape_and_constraint_has_a_message():
    graph = shapes_graph()
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.objects(None, SH.property))
    shapes |= set(graph.objects(None, SH.sparql))
    assert len(shapes) > 80
    silent = [
        s for s in shapes if not any(isinstance(m, Literal) for m in graph.objects(s, SH.message))
    ]
    assert silent == []


def test_node_shapes_are_named_and_property_shapes_hang_from_one():
    graph = shapes_graph()
    assert all(isinstance(s, URIRef) for s in graph.subjects(RDF.type, SH.NodeShape))
    for prop in graph.objects(None, SH.property):
        assert isinstance(prop, BNode)
        assert len(set(graph.subjects(SH.property, prop))) == 1


# -- the corpus ----------------------------------------------------------------------


def test_corpus_is_there():
    assert len(INVALID) >= 20
    assert len(VALID) >= 3
    assert any(p.suffix == ".trig" for p in INVALID) and any(p.suffix == ".yaml" for p in INVALID)


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.name)
def test_invalid_example_fails_where_and_how_it_says(example, tmp_path):
    conforms, expected, expected_warnings = expectations(example)
    assert not conforms and expected, f"{example.name}: declare '# expect: shape | message | where'"
    report = report_for(example, tmp_path)
    assert report["conforms"] is False
    missing, unexpected = _matches(report["violations"], expected)
    assert missing == [], f"expected violations not reported; got {unexpected}"
    assert unexpected == []
    missing, _ = _matches(report["warnings"], expected_warnings)
    assert missing == []


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.name)
def test_valid_example_conforms(example, tmp_path):
    conforms, expected, expected_warnings = expectations(example)
    assert conforms and not expected, f"{example.name}: declare '# expect: conforms'"
    report = report_for(example, tmp_path)
    assert report["violations"] == []
    assert report["conforms"] is True
    missing, unexpected = _matches(report["warnings"], expected_warnings)
    assert missing == [] and unexpected == []
