"""Validation as the build and `diplograph validate` run it: report, engines, OWL, publishing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph
from test_shapes import CORPUS, MINIMAL, expectations, overlay, report_for

from diplograph.loaders.build import BuildError, build, load_graphs
from diplograph.loaders.cli import main
from diplograph.loaders.reasoning import check_consistency
from diplograph.loaders.report import render_html, render_json, render_text
from diplograph.ontology import DG, ID
from diplograph.shapes.validation import Locator, validate_dataset, violation_queries

FIXTURES = Path(__file__).parent / "fixtures"
ITEM_KEYS = {"where", "shape", "message", "focus", "path", "severity"}


@pytest.fixture(scope="module")
def minimal_report():
    graphs = load_graphs(MINIMAL)
    return validate_dataset(graphs.dataset, graphs.curated)


def test_minimal_data_conforms_and_every_query_ran(minimal_report):
    assert minimal_report["conforms"] is True
    assert minimal_report["violations"] == []
    names = set(violation_queries())
    assert len(names) >= 5
    assert set(minimal_report["queries"]) == names
    for summary in minimal_report["queries"].values():
        assert summary["rows"] == 0 and summary["title"] and summary["description"]


def test_report_items_carry_where_shape_message(tmp_path):
    report = report_for(CORPUS / "invalid" / "quantity-without-unit.yaml", tmp_path)
    (item,) = report["violations"]
    assert item.keys() >= ITEM_KEYS
    assert item["where"] == "facts/probe-2025-10-28.yaml:12"
    assert item["shape"] == "dgsh:QuantityShape"
    assert item["severity"] == "Violation"
    assert item["focus"].endswith("/id/beans-commitment/quantity/probe-2025-10-28")
    json.loads(render_json(report))
    text = render_text(report)
    assert "facts/probe-2025-10-28.yaml:12: [Violation] dgsh:QuantityShape: A quantity" in text
    assert "Does not conform: 1 violation(s)" in text
    page = render_html(report)
    assert "<td>facts/probe-2025-10-28.yaml:12</td>" in page and "does not conform" in page


def test_query_rows_are_violations_named_by_query(tmp_path):
    report = report_for(CORPUS / "invalid" / "orphan-entity.yaml", tmp_path)
    (item,) = report["violations"]
    assert item["query"] == "orphan-entity-violation"
    assert item["shape"] == "query:orphan-entity-violation"
    assert report["queries"]["orphan-entity-violation"]["rows"] == 1


def test_an_extension_is_located_in_the_file_that_extends():
    """A node several sources describe is placed where the source at fault says it."""
    graphs = load_graphs(MINIMAL)
    locator = Locator(graphs.dataset)
    meeting = ID["alpha-beta-meeting"]
    assert locator.locate(meeting) == "facts/mini-2025-10-24.yaml:3"
    (status,) = {s for s, _p, _o, _g in graphs.dataset.quads((None, DG.statusOf, meeting, None))}
    assert locator.locate(status) == "facts/mini-2025-10-24.yaml:3"
    participation = ID["alpha-beta-meeting/participation/beta"]
    assert locator.locate(participation) == "facts/mini-2025-10-24.yaml:3"
    quantity = ID["soy-commitment/quantity/mini-2025-10-24"]
    assert locator.locate(quantity) == "facts/mini-2025-10-24.yaml:22"
    assert locator.locate(ID["president-of-a"]) == "entities/posts.yaml:1"


SPARQL_CASES = [
    "invalid/held-after-publication.yaml",
    "invalid/held-after-publication-own-date.yaml",
    "invalid/date-precision-mismatch.trig",
    "invalid/state-visit-one-participant.trig",
    "invalid/participant-not-an-agent.yaml",
    "valid/held-before-publication.yaml",
    "valid/warnings-only.yaml",
]


@pytest.mark.parametrize("name", SPARQL_CASES)
def test_fast_engine_gives_the_same_results_as_pyshacl(name, tmp_path):
    example = CORPUS / name
    if example.suffix == ".trig":
        graphs = load_graphs(MINIMAL)
        graphs.dataset.parse(example, format="trig")
    else:
        graphs = load_graphs(overlay(example, tmp_path / "data"))

    def results(engine):
        report = validate_dataset(graphs.dataset, engine=engine)
        return sorted(
            tuple(i[k] or "" for k in ("where", "shape", "message", "focus", "severity", "value"))
            for i in report["violations"] + report["warnings"]
        )

    fast = results("fast")
    assert fast == results("pyshacl")
    assert (name.startswith("valid/")) == all(r[4] != "Violation" for r in fast)


# -- the CLI ------------------------------------------------------------------------------


def test_cli_validate_exits_zero_on_good_data():
    result = CliRunner().invoke(
        main, ["validate", str(MINIMAL), "--sources", str(FIXTURES / "sources")]
    )
    assert result.exit_code == 0, result.output
    assert "Conforms: 0 violation(s)" in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_cli_validate_fails_with_a_report(fmt, tmp_path):
    data = overlay(CORPUS / "invalid" / "meeting-one-participant.yaml", tmp_path / "data")
    result = CliRunner().invoke(
        main, ["validate", str(data), "--format", fmt, "--no-owl", "--skip-excerpts"]
    )
    assert result.exit_code == 1
    assert "facts/probe-2025-10-28.yaml:12" in result.output
    if fmt == "json":
        report = json.loads(result.output)
        assert report["conforms"] is False
        assert report["violations"][0]["shape"] == "dgsh:MeetingShape"
    elif fmt == "html":
        assert "<table>" in result.output
    else:
        assert "dgsh:MeetingShape: A meeting brings together" in result.output


# -- OWL ------------------------------------------------------------------------------------


def test_an_individual_both_person_and_city_is_refused_with_an_explanation():
    graphs = load_graphs(MINIMAL)
    union = Graph()
    for s, p, o, _g in graphs.dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    union.add((ID.alpha, RDF.type, DG.City))
    report = check_consistency(union)
    assert not report.consistent
    assert str(ID.alpha) in report.explanation
    assert "entities/people.yaml:1" in report.explanation
    assert "dg:Person" in report.explanation and "disjoint" in report.explanation


CITY_PERSON = """\
--- # entities/people.yaml
- id: delta
  type: [Person, City]
  label: Delta
  nationality: country-a
"""


def test_build_refuses_an_inconsistent_graph_with_the_reasoners_explanation(tmp_path):
    example = tmp_path / "city-person.yaml"
    example.write_text(CITY_PERSON)
    data = overlay(example, tmp_path / "data")
    with pytest.raises(BuildError) as caught:
        build(data, tmp_path / "instance")
    owl = caught.value.report["owl"]
    assert owl["consistent"] is False
    assert f"{ID.delta} (curated in entities/people.yaml:2)" in owl["explanation"]
    assert "INCONSISTENT" in str(caught.value)


# -- publishing ---------------------------------------------------------------------------


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_bad_build_leaves_the_previous_build_in_place_byte_for_byte(tmp_path):
    instance = tmp_path / "instance"
    build(MINIMAL, instance)
    current = instance / "current"
    assert current.exists()
    target_before = current.resolve()
    before = _tree_digest(current.resolve())
    assert before
    example = CORPUS / "invalid" / "held-after-publication.yaml"
    _conforms, [(shape, _message, where)], _warnings = expectations(example)
    with pytest.raises(BuildError) as caught:
        build(overlay(example, tmp_path / "bad"), instance)
    (violation,) = caught.value.report["violations"]
    assert (violation["shape"], violation["where"]) == (shape, where)
    assert current.resolve() == target_before
    assert _tree_digest(current.resolve()) == before
    assert [p.name for p in (instance / "builds").iterdir()] == [target_before.name]


# -- the real data --------------------------------------------------------------------------


def test_the_real_data_validates_without_violation():
    graphs = load_graphs(Path(__file__).parent.parent / "data")
    report = validate_dataset(graphs.dataset, graphs.curated)
    problems = [f"{i['where']}: {i['shape']}: {i['message']}" for i in report["violations"]]
    assert problems == []
