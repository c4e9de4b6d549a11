"""Validation as the build and `diplograph validate` run it: report, engines, OWL, publishing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from parsed_queries import parsed_once
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD
from shape_corpus import (
    CORPUS,
    INVALID,
    MINIMAL,
    VALID,
    expectations,
    graphs_for,
    overlay,
    report_for,
)

from diplograph.cli.build import BuildError, build, load_graphs
from diplograph.cli.main import main
from diplograph.ontology import DG, ID, ONTOLOGY_IRI
from diplograph.ontology.reasoning import check_consistency
from diplograph.shapes import compiled
from diplograph.shapes.report import render_html, render_json, render_text
from diplograph.shapes.validation import (
    SH,
    Locator,
    dataset_store,
    validate_dataset,
    validate_store,
    violation_queries,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
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


@pytest.mark.parametrize("form", ["dataset", "store", "store with the merge"])
def test_an_extension_is_located_in_the_file_that_extends(form):
    """A node several sources describe is placed where the source at fault says it.

    The same from an rdflib dataset, an Oxigraph store, and one whose default graph
    repeats the merge of every graph (as the build's store does).
    """
    graphs = load_graphs(MINIMAL)
    source = graphs.dataset if form == "dataset" else dataset_store(graphs.dataset)
    if form == "store with the merge":
        source.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    locator = Locator(source)
    meeting = ID["alpha-beta-meeting"]
    assert locator.locate(meeting) == "facts/mini-2025-10-24.yaml:3"
    (status,) = {s for s, _p, _o, _g in graphs.dataset.quads((None, DG.statusOf, meeting, None))}
    assert locator.locate(status) == "facts/mini-2025-10-24.yaml:3"
    participation = ID["alpha-beta-meeting/participation/beta"]
    assert locator.locate(participation) == "facts/mini-2025-10-24.yaml:3"
    quantity = ID["soy-commitment/quantity/mini-2025-10-24"]
    assert locator.locate(quantity) == "facts/mini-2025-10-24.yaml:22"
    assert locator.locate(ID["president-of-a"]) == "entities/posts.yaml:1"


# -- the fast engine gives plain pyshacl's results -------------------------------------

KEYS = ("where", "shape", "message", "focus", "path", "value", "severity")


def _items(report: dict) -> list[tuple]:
    return sorted(
        tuple(i[k] or "" for k in KEYS) for i in report["violations"] + report["warnings"]
    )


def _fast_and_plain(dataset) -> tuple[dict, dict]:
    """The build's validator on an Oxigraph store, and plain pyshacl on the rdflib dataset
    (with each SPARQL text parsed once: tests/support/parsed_queries.py)."""
    store = dataset_store(dataset)
    with parsed_once():
        plain = validate_dataset(dataset, engine="pyshacl", store=store)
    return validate_store(store), plain


@pytest.mark.parametrize("example", VALID + INVALID, ids=lambda p: p.name)
def test_fast_engine_gives_pyshacls_results_on_every_corpus_example(example, tmp_path):
    fast, plain = _fast_and_plain(graphs_for(example, tmp_path).dataset)
    assert _items(fast) == _items(plain)
    assert fast["conforms"] is plain["conforms"] is (example.parent.name == "valid")


def test_fast_engine_gives_pyshacls_results_on_the_real_data():
    graphs = load_graphs(Path(__file__).resolve().parents[2] / "data")
    fast, plain = _fast_and_plain(graphs.dataset)
    assert _items(fast) == _items(plain)
    assert fast["warnings"]  # a few events without a date: something to compare


def _mutate(ds) -> None:
    """Break synthetic data in every way the shapes can see, in a partner's graph.

    Some break existing nodes (a second agent, a wrong role, ill-typed literals),
    some add nodes the data lacks (a state visit typed only by its sub-class, an
    orphan quantity, dates whose earliest day is after their latest).
    """
    g = ds.graph(URIRef("https://w3id.org/diplograph/graph/mutations"))
    ex = Namespace("https://w3id.org/diplograph/id/mutant/")
    time = Namespace("http://www.w3.org/2006/time#")

    def first(cls):
        return min(s for s, _p, _o, _g in ds.quads((None, RDF.type, cls, None)))

    event, meeting = first(DG.Event), first(DG.Meeting)
    participation, excerpt = first(DG.Participation), first(DG.Excerpt)
    agent, person, source = first(DG.Agent), first(DG.Person), first(DG.Source)
    status, measure, commitment = first(DG.StatusReport), first(DG.Measure), first(DG.Commitment)
    for quad in list(ds.quads((meeting, DG.participant, None, None))):
        ds.remove(quad)  # a meeting of nobody
    for triple in [
        (event, DG.sequenceNumber, Literal("abc", datatype=XSD.integer)),
        (event, DG.sequenceNumber, Literal(0)),
        (event, DG.place, DG.Host),
        (event, DG.label, ex.not_a_label),
        (participation, DG.agent, person),
        (participation, DG.agent, Literal("Someone")),
        (participation, DG.role, DG.Held),
        (ex.participation, RDF.type, DG.Participation),
        (ex.participation, DG.agent, agent),
        (excerpt, DG.exact, Literal("")),
        (excerpt, DG.exact, Literal("quoted", lang="en")),
        (excerpt, DG.inSource, ex.elsewhere),
        (agent, DG.wikidata, Literal("Q1")),
        (agent, DG.wikidata, URIRef("http://www.wikidata.org/entity/Q12x")),
        (agent, DG.anonymous, Literal(1)),
        (agent, DG.alias, ex.alias),
        (source, DG.language, Literal("english language", datatype=XSD.language)),
        (source, DG.dateCertain, Literal("true")),
        (status, DG.eventStatus, DG.Cancelled),
        (status, DG.eventStatus, DG.Held),
        (measure, DG.ratePercent, Literal(-3)),
        (measure, DG.ratePercent, Literal("3.5", datatype=XSD.decimal)),
        (commitment, DG.amount, ex.amount),
        (ex.amount, RDF.type, DG.MonetaryAmount),
        (ex.amount, DG.currency, Literal("usd")),
        (ex.amount, DG.numericValue, Literal("-5", datatype=XSD.decimal)),
        (ex.amount, DG.numericValue, Literal(1)),
        (ex.quantity, RDF.type, DG.Quantity),
        (ex.quantity, DG.numericValue, Literal("lots")),
        (ex.claim, DG.claimedProperty, DG.date),
        (ex.visit, RDF.type, DG.StateVisit),
        (ex.visit, DG.date, ex.day),
        (ex.day, RDF.type, DG.TimeDescription),
        (ex.day, DG.precision, time.unitDay),
        (ex.day, DG.dateValue, Literal("2025-02-30", datatype=XSD.date)),
        (ex.day, DG.dateValue, Literal("2025", datatype=XSD.gYear)),
        (ex.day, DG.earliest, Literal("2025-03-02", datatype=XSD.date)),
        (ex.day, DG.latest, Literal("2025-03-01", datatype=XSD.date)),
        (ex.day, DG.latest, Literal("some day")),
        (ex.mixed, RDF.type, DG.TimeDescription),
        (ex.mixed, DG.earliest, Literal("soon")),
        (ex.mixed, DG.latest, Literal("2025-03-01", datatype=XSD.date)),
    ]:
        g.add(triple)
    for s, p, o, _g in list(ds.quads((excerpt, DG.exact, None, None))):
        g.add((s, p, o))  # the same triple in two graphs is still one value


def test_fast_engine_gives_pyshacls_results_on_synthetic_data_broken_many_ways(tmp_path):
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "bench" / "synth.py"
    spec = importlib.util.spec_from_file_location("synth", path)
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.generate(tmp_path, 1_000, seed=1)
    graphs = load_graphs(tmp_path)
    _mutate(graphs.dataset)
    fast, plain = _fast_and_plain(graphs.dataset)
    assert _items(fast) == _items(plain)
    shapes = {i["shape"] for i in fast["violations"]}
    assert shapes >= {
        "dgsh:EventShape", "dgsh:MeetingShape", "dgsh:ParticipationShape", "dgsh:ExcerptShape",
        "dgsh:AgentShape", "dgsh:SourceShape", "dgsh:StatusReportShape", "dgsh:MeasureShape",
        "dgsh:MonetaryAmountShape", "dgsh:QuantityShape", "dgsh:TimeDescriptionShape",
        "dgsh:DatePrecisionMatchShape", "dgsh:FactShape",
    }  # fmt: skip
    assert "dgsh:ClaimValueWarningShape" in {i["shape"] for i in fast["warnings"]}
    assert len(fast["violations"]) >= 35


def test_a_store_keeping_the_merge_in_its_default_graph_gives_the_same_report(tmp_path):
    """As the build's store does; a store without it gets it for the call, then loses it."""
    graphs = graphs_for(CORPUS / "invalid" / "participant-not-an-agent.yaml", tmp_path)
    store = dataset_store(graphs.dataset)
    quads = len(store)
    plain = validate_store(store)
    assert len(store) == quads
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    merged = len(store)
    assert merged > quads
    assert validate_store(store) == plain
    assert len(store) == merged
    assert plain["violations"]
    assert validate_store(store, engine="pyshacl") == plain  # pyshacl on the store's graphs


def test_violation_queries_find_the_same_rows_without_the_ontology(tmp_path):
    """They run on the merge, ontology included: it states none of the patterns they seek."""
    for name in ("orphan-entity", "shared-alias", "duplicate-wikidata", "located-in-cycle"):
        store = dataset_store(
            graphs_for(CORPUS / "invalid" / f"{name}.yaml", tmp_path / name).dataset
        )
        data = [g for g in store.named_graphs() if g.value != ONTOLOGY_IRI]
        for query in violation_queries().values():
            with_ontology = set(map(str, compiled_run(store, query["text"])))
            without = set(map(str, store.query(query["text"], default_graph=data)))
            assert with_ontology == without
        assert validate_store(store)["queries"][f"{name}-violation"]["rows"] >= 1


def compiled_run(store, text):
    with compiled.merged_default_graph(store):
        return list(store.query(text))


# -- the compiler beyond our shapes: same results as pyshacl, or a clear refusal ---------

SHAPES_PREFIXES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

MORE_SHAPES = (
    SHAPES_PREFIXES
    + """\
ex:A a sh:NodeShape ; sh:targetNode ex:n1, ex:n2, ex:missing ; sh:message "A" ;
    sh:property ex:A1, ex:A2, ex:A3 .
ex:A1 sh:path ( ex:p ex:q ) ; sh:minCount 3 ; sh:message "A1" .
ex:A2 sh:path ex:p ; sh:maxCount 2 ; sh:severity sh:Info ; sh:message "A2" .
ex:A3 sh:path ex:name ; sh:pattern "^ab" ; sh:flags "i" ; sh:datatype rdf:langString ;
    sh:message "A3" .
ex:B a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:message "B" ;
    sh:or ( [ sh:path ex:q ; sh:minCount 2 ; sh:maxCount 2 ]
            [ sh:nodeKind sh:Literal ]
            [ sh:property [ sh:path ex:r ; sh:minLength 3 ] , [ sh:path ex:r ; sh:minCount 1 ] ] ) .
ex:C a sh:NodeShape ; sh:targetSubjectsOf ex:r ; sh:deactivated true ; sh:message "C" ;
    sh:property [ sh:path ex:r ; sh:maxCount 0 ; sh:message "C1" ] .
ex:D a sh:NodeShape ; sh:targetClass ex:K ; sh:message "D" ; sh:property ex:D1, ex:D2, ex:D3 .
ex:D1 sh:path ex:v ; sh:minInclusive 10 ; sh:nodeKind sh:IRIOrLiteral ; sh:message "D1" .
ex:D2 sh:path ex:v ; sh:deactivated true ; sh:minCount 5 ; sh:message "D2" .
ex:D3 sh:path [ sh:inversePath ex:k ] ; sh:minCount 1 ; sh:class ex:Owner ; sh:message "D3" .
ex:E a sh:NodeShape ; sh:targetClass ex:K ; sh:message "E" ;
    sh:property ex:E1 .
ex:E1 sh:path ex:lo ; sh:lessThanOrEquals ex:hi ; sh:message "E1" .
"""
)

MORE_DATA = """\
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:g1 {
    ex:n1 ex:p ex:a, ex:b, ex:c ; ex:name "Abc"@en, "xbc"@en, "abc" .
    ex:a ex:q ex:x . ex:b ex:q ex:y ; ex:r "abcd" . ex:c ex:q ex:x, ex:y .
    ex:n2 ex:p "lit" .
    ex:k1 a ex:K ; ex:v 5, 20, "abc", ex:iri ; ex:lo 3 ; ex:hi 2 .
    ex:o1 a ex:SubOwner ; ex:k ex:k1 .
    ex:SubOwner rdfs:subClassOf ex:Owner .
}
ex:g2 {
    ex:n1 ex:p ex:a .
    ex:k2 a ex:Sub ; ex:v "15"^^xsd:decimal ; ex:lo "2020-01-01"^^xsd:date ;
        ex:hi "2020-01-02"^^xsd:date, "x" .
    ex:Sub rdfs:subClassOf ex:K .
    ex:o2 ex:k ex:k2 .
}
"""


def _result_keys(results) -> list[tuple]:
    return sorted(
        (str(r.focus), "" if r.value is None else str(r.value), str(r.path), str(r.shape),
         tuple(sorted(map(str, r.messages))), str(r.severity))
        for r in results
    )  # fmt: skip


def test_the_compiler_gives_pyshacls_results_beyond_our_own_shapes():
    """Targets of every kind, sequence and inverse paths, nested sh:or, flags, deactivation."""
    import pyshacl

    shapes = Graph().parse(data=MORE_SHAPES, format="turtle")
    data = Dataset()
    data.parse(data=MORE_DATA, format="trig")
    union = Graph()
    for s, p, o, _g in data.quads((None, None, None, None)):
        union.add((s, p, o))
    _c, results, _t = pyshacl.validate(union, shacl_graph=shapes, inference="none",
                                       allow_warnings=True)  # fmt: skip
    expected = [
        compiled.Result(
            results.value(r, SH.focusNode), results.value(r, SH.value),
            results.value(r, SH.resultPath), results.value(r, SH.sourceShape),
            list(results.objects(r, SH.resultMessage)), results.value(r, SH.resultSeverity),
        )
        for r in results.subjects(RDF.type, SH.ValidationResult)
    ]  # fmt: skip
    found = compiled.validate(shapes, dataset_store(data))
    assert _result_keys(found) == _result_keys(expected)
    assert {str(r.shape).rpartition("/")[2] for r in found} >= {"A1", "A2", "A3", "B", "D1", "E1"}


@pytest.mark.parametrize(
    ("constraint", "named"),
    [
        ("sh:maxLength 3", "sh:maxLength"),
        ("sh:node ex:Other", "sh:node"),
        ("sh:equals ex:q", "sh:equals"),
        ("sh:hasValue ex:x", "sh:hasValue"),
        ("sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 1", "sh:qualified"),
        ("sh:in ( 1 2 )", "sh:in with literals"),
        ("sh:closed true", "sh:closed"),
        ("sh:nodeKind ex:Odd", "sh:nodeKind"),
    ],
)
def test_the_compiler_refuses_what_it_does_not_compile(constraint, named):
    shapes = Graph().parse(
        data=SHAPES_PREFIXES
        + f"""
        ex:S a sh:NodeShape ; sh:targetClass ex:K ; sh:message "S" ;
            sh:property [ sh:path ex:p ; sh:message "S1" ; {constraint} ] .""",
        format="turtle",
    )
    data = Dataset()
    data.parse(data=MORE_DATA, format="trig")
    with pytest.raises(compiled.UnsupportedShape) as caught:
        compiled.validate(shapes, dataset_store(data))
    assert named in str(caught.value)
    assert "a property shape of http://example.org/S" in str(caught.value)


@pytest.mark.parametrize(
    ("shape", "named"),
    [
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:K ; "
            "sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
            "no sh:message",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:K ; sh:message 'S' ; sh:property "
            "[ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ; sh:message 'S1' ] .",
            "sh:zeroOrMorePath",
        ),
    ],
    ids=["no message", "zero-or-more path"],
)
def test_the_compiler_refuses_shapes_it_cannot_report_as_pyshacl_does(shape, named):
    shapes = Graph().parse(data=SHAPES_PREFIXES + shape, format="turtle")
    data = Dataset()
    data.parse(data=MORE_DATA, format="trig")
    with pytest.raises(compiled.UnsupportedShape, match=named):
        compiled.validate(shapes, dataset_store(data))


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
    graphs = load_graphs(Path(__file__).resolve().parents[2] / "data")
    report = validate_dataset(graphs.dataset, graphs.curated)
    problems = [f"{i['where']}: {i['shape']}: {i['message']}" for i in report["violations"]]
    assert problems == []
