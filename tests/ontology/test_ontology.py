"""The ontology parses, is consistent, documents every term, and closes its namespace."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from diplograph.cli.main import main
from diplograph.ontology import DG, DG_IRI, ONTOLOGY_FILE, ONTOLOGY_IRI, declared_terms
from diplograph.ontology.docs import render_ontology_html
from diplograph.ontology.reasoning import check_consistency

ROOT = Path(__file__).resolve().parents[2]

DCT = "http://purl.org/dc/terms/"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


def dg_terms(graph: Graph) -> set[URIRef]:
    kinds = (
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
        SKOS.ConceptScheme,
    )
    return {
        s
        for k in kinds
        for s in graph.subjects(RDF.type, k)
        if isinstance(s, URIRef) and str(s).startswith(DG_IRI)
    }


def test_ontology_metadata(ontology):
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    for pred in ("title", "description", "license", "creator", "created", "modified"):
        assert ontology.value(onto, URIRef(DCT + pred)) is not None, pred
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, OWL.versionInfo) is not None


def test_every_term_has_label_and_definition(ontology):
    terms = dg_terms(ontology)
    assert len(terms) > 100
    missing = [
        t
        for t in terms
        if ontology.value(t, RDFS.label) is None or ontology.value(t, SKOS.definition) is None
    ]
    assert missing == []


def test_ontology_is_consistent_with_no_unsatisfiable_class(ontology):
    report = check_consistency(ontology)
    assert report.consistent
    assert report.unsatisfiable == []


def test_person_typed_as_place_is_inconsistent(ontology):
    graph = Graph() + ontology
    bad = URIRef("https://w3id.org/diplograph/id/test-person-place")
    graph.add((bad, RDF.type, DG.Person))
    graph.add((bad, RDF.type, DG.City))
    report = check_consistency(graph)
    assert not report.consistent
    assert "INCONSISTENT" in report.text()


def test_event_typed_as_agent_is_inconsistent(ontology):
    graph = Graph() + ontology
    bad = URIRef("https://w3id.org/diplograph/id/test-event-agent")
    graph.add((bad, RDF.type, DG.PhoneCall))
    graph.add((bad, RDF.type, DG.Organisation))
    assert not check_consistency(graph).consistent


def test_taiwan_can_be_a_polity_without_being_a_country(ontology):
    assert (DG.Country, RDFS.subClassOf, DG.Polity) in ontology
    assert (DG.Polity, RDFS.subClassOf, DG.Country) not in ontology


def test_no_functional_property_can_make_sources_conflict(ontology):
    assert list(ontology.subjects(RDF.type, OWL.FunctionalProperty)) == []


def test_alignment_to_standard_vocabularies(ontology):
    targets = {
        str(o)
        for s in dg_terms(ontology)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for o in ontology.objects(s, p)
    }
    for ns in (
        "http://www.w3.org/ns/prov#",
        "https://schema.org/",
        "http://www.w3.org/2004/02/skos/core#",
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/oa#",
        "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "https://w3id.org/valueflows/ont/vf#",
        "http://www.w3.org/2006/time#",
    ):
        assert any(t.startswith(ns) for t in targets), ns


def test_closed_namespace_rejects_typos():
    assert DG.Person == URIRef(DG_IRI + "Person")
    with pytest.raises(AttributeError):
        _ = DG.Persn


USES = [
    (re.compile(r"\bDG\.([A-Za-z_][A-Za-z0-9_]*)"), ("*.py",)),
    (re.compile(r"\bDG\[\"([A-Za-z][A-Za-z0-9_]*)\"\]"), ("*.py",)),
    (re.compile(r"(?<![\w:])dg:([A-Za-z][A-Za-z0-9_]*)"), ("*.ttl", "*.rq", "*.py", "*.html")),
]
FOLDERS = ["loaders", "web", "shapes", "queries", "ontology", "bench"]


def test_every_term_used_in_the_project_is_declared():
    declared = set(declared_terms())
    used: dict[str, str] = {}
    for folder in FOLDERS:
        for pattern, globs in USES:
            for glob in globs:
                for path in (ROOT / folder).rglob(glob):
                    if "node_modules" in path.parts or path.name == "diplograph.ttl":
                        continue
                    for name in pattern.findall(path.read_text(encoding="utf-8")):
                        used.setdefault(name, str(path.relative_to(ROOT)))
    assert len(used) > 30
    undeclared = {n: where for n, where in used.items() if n not in declared}
    assert undeclared == {}


def test_ontology_check_command_passes():
    result = CliRunner().invoke(main, ["ontology", "check"])
    assert result.exit_code == 0, result.output
    assert "consistent" in result.output


def test_ontology_check_command_fails_on_inconsistent_file(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix dg: <https://w3id.org/diplograph/def#> .\n"
        "<https://w3id.org/diplograph/id/x> a dg:Person, dg:City .\n"
    )
    result = CliRunner().invoke(main, ["ontology", "check", "--file", str(bad)])
    assert result.exit_code == 1
    assert "INCONSISTENT" in result.output


def test_ontology_check_command_names_a_syntax_error(tmp_path: Path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix dg: <https://w3id.org/diplograph/def#> .\n dg:x dg:y .\n dg:z\n")
    result = CliRunner().invoke(main, ["ontology", "check", "--file", str(bad)])
    assert result.exit_code != 0
    assert "broken.ttl" in result.output and "cannot parse" in result.output


def test_documentation_page_lists_every_class_with_hierarchy(ontology):
    page = render_ontology_html(ontology)
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(DG_IRI):
            assert f"id='{str(cls)[len(DG_IRI) :]}'" in page
    assert "Class hierarchy" in page
    assert "state visit" in page and "A formal visit by a head of state" in page


def test_version_option():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "0.1.0" in result.output


def test_reasoner_input_keeps_what_can_clash_and_drops_the_rest(ontology):
    from rdflib import Literal
    from rdflib.namespace import XSD

    from diplograph.ontology.reasoning import _owl_compatible

    graph = Graph() + ontology
    tariff = URIRef("https://w3id.org/diplograph/id/test-tariff")
    graph.add((tariff, RDF.type, DG.Tariff))
    graph.add((tariff, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), tariff))
    graph.add((tariff, DG.label, Literal("a label")))
    graph.add((tariff, DG.ratePercent, Literal("a hundred", datatype=XSD.string)))
    reduced = _owl_compatible(graph)
    assert (tariff, RDF.type, DG.Tariff) in reduced
    assert (tariff, DG.ratePercent, Literal("a hundred", datatype=XSD.string)) in reduced
    assert (tariff, DG.label, Literal("a label")) not in reduced
    assert not list(
        reduced.triples((tariff, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    )
    assert not check_consistency(graph).consistent  # a string where the range is xsd:decimal


def test_an_inconsistent_check_leaves_no_file_behind(ontology, tmp_path, monkeypatch):
    """owlready2 keeps HermiT's input file when the answer is 'inconsistent': the check
    gives it a folder of its own, removed after."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    graph = Graph() + ontology
    bad = URIRef("https://w3id.org/diplograph/id/test-person-place")
    graph.add((bad, RDF.type, DG.Person))
    graph.add((bad, RDF.type, DG.City))
    assert not check_consistency(graph).consistent
    assert check_consistency(Graph() + ontology).consistent
    assert list(scratch.iterdir()) == []
