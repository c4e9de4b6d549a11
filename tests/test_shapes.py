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

import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Literal, Namespace, URIRef

from diplograph.loaders import paths
from diplograph.loaders.build import load_graphs
from diplograph.shapes.validation import shapes_graph, validate_dataset

SH = Namespace("http://www.w3.org/ns/shacl#")
FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
CORPUS = FIXTURES / "shapes"
FAMILIES = {"agents", "places", "events", "commitments", "measures", "statements", "sources"}
_EXPECT = re.compile(r"^# expect(-warning)?:\s*(.+)$")
_SECTION = re.compile(r"^--- # (\S+)\s*$")

VALID = sorted((CORPUS / "valid").glob("*.*"))
INVALID = sorted((CORPUS / "invalid").glob("*.*"))


# -- the shape files ---------------------------------------------------------------


def test_one_shape_file_per_family_each_with_a_header():
    files = {p.stem: p for p in Path(paths.SHAPES_DIR).glob("*.ttl")}
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


def expectations(path: Path) -> tuple[bool, list[tuple], list[tuple]]:
    """(conforms?, expected violations, expected warnings) declared in the file's header."""
    conforms, violations, warnings = False, [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if not match:
            continue
        if match[2].strip() == "conforms":
            conforms = True
            continue
        shape, message, where = (part.strip() for part in match[2].split("|"))
        assert len(message) >= 15, f"{path.name}: quote more of the message"
        (warnings if match[1] else violations).append((shape, message, where))
    return conforms, violations, warnings


def overlay(example: Path, target: Path) -> Path:
    """Copy the minimal data to `target` and lay the example's YAML sections over it."""
    shutil.copytree(MINIMAL, target)
    lines = example.read_text(encoding="utf-8").splitlines()
    sections: list[tuple[str, int]] = [
        (m[1], i + 1) for i, line in enumerate(lines) if (m := _SECTION.match(line))
    ]
    assert sections, f"{example.name}: no '--- # <path>' section"
    bounds = [start for _, start in sections[1:]] + [len(lines) + 1]
    for (rel, start), end in zip(sections, bounds, strict=True):
        body = "\n" * start + "\n".join(lines[start : end - 1]) + "\n"
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        listing = lines[start : end - 1] and any(ln.startswith("- ") for ln in lines[start:end])
        if dest.exists() and listing:
            body += "\n" + dest.read_text(encoding="utf-8")
        dest.write_text(body, encoding="utf-8")
    return target


def graphs_for(example: Path, tmp_path: Path):
    """The minimal data with the example laid over it (YAML) or added to it (TriG)."""
    if example.suffix == ".trig":
        graphs = load_graphs(MINIMAL)
        graphs.dataset.parse(example, format="trig")
        return graphs
    return load_graphs(overlay(example, tmp_path / "data"))


def report_for(example: Path, tmp_path: Path) -> dict:
    graphs = graphs_for(example, tmp_path)
    return validate_dataset(graphs.dataset, graphs.curated)


def _matches(found: list[dict], expected: list[tuple]) -> tuple[list, list]:
    unmatched = list(found)
    missing = []
    for shape, message, where in expected:
        hit = next(
            (
                f
                for f in unmatched
                if f["shape"] == shape and f["message"].startswith(message) and f["where"] == where
            ),
            None,
        )
        if hit is None:
            missing.append((shape, message, where))
        else:
            unmatched.remove(hit)
    return missing, [(f["shape"], f["message"][:70], f["where"]) for f in unmatched]


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
