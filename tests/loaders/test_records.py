"""Curated records become the RDF the ontology describes, in the right named graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import XSD

from diplograph.cli.build import load_graphs, nquads
from diplograph.loaders.dates import TIME
from diplograph.ontology import DG, GRAPH, ID, ONTOLOGY_IRI

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
SOURCE = "mini-2025-10-24"


@pytest.fixture(scope="module")
def graphs():
    return load_graphs(MINIMAL, sources_dir=FIXTURES / "sources")


@pytest.fixture(scope="module")
def source_graph(graphs):
    return graphs.dataset.graph(GRAPH[SOURCE])


def test_one_named_graph_per_source_plus_entities(graphs):
    names = {str(g.identifier) for g in graphs.dataset.graphs() if len(g)}
    assert str(GRAPH[SOURCE]) in names
    assert str(GRAPH["entities"]) in names
    assert ONTOLOGY_IRI in names


def test_facts_live_in_their_source_graph(graphs, source_graph):
    meeting = ID["alpha-beta-meeting"]
    assert (meeting, RDF.type, DG.BilateralMeeting) in source_graph
    assert (meeting, DG.place, ID.busan) in source_graph
    assert (meeting, DG.place, ID.busan) not in graphs.dataset.graph(GRAPH["entities"])


def test_entities_live_in_the_entity_graph(graphs):
    entities = graphs.dataset.graph(GRAPH["entities"])
    assert (ID.alpha, DG.label, Literal("Alpha")) in entities
    assert (ID.alpha, DG.alias, Literal("President Alpha")) in entities
    assert (ID.busan, DG.locatedIn, ID["country-b"]) in entities
    assert (ID.china, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q148")) in entities


def test_no_blank_nodes_outside_the_ontology(graphs):
    for s, p, o, g in graphs.dataset.quads((None, None, None, None)):
        if str(getattr(g, "identifier", g)) == ONTOLOGY_IRI:
            continue
        assert not isinstance(s, BNode) and not isinstance(o, BNode), (s, p, o)


def test_every_fact_cites_an_excerpt_that_names_its_source(source_graph):
    for fact in source_graph.subjects(RDF.type, DG.Fact):
        excerpts = list(source_graph.objects(fact, DG.evidence))
        assert excerpts, fact
        for excerpt in excerpts:
            assert (excerpt, DG.inSource, ID[SOURCE]) in source_graph
            assert source_graph.value(excerpt, DG.exact)
        assert (fact, DG.source, ID[SOURCE]) in source_graph


def test_status_is_reported_per_source_and_date(source_graph):
    report = URIRef(f"{ID['alpha-beta-meeting']}/status/{SOURCE}/planned")
    assert (report, DG.eventStatus, DG.Planned) in source_graph
    assert (report, DG.asOf, ID["date/2025-10-24"]) in source_graph
    assert (ID["alpha-beta-meeting"], DG.statusReport, report) in source_graph
    assert (ID["alpha-beta-meeting"], DG.reportedStatus, DG.Planned) in source_graph


def test_participants_with_roles(source_graph):
    node = URIRef(f"{ID['alpha-beta-meeting']}/participation/beta")
    assert (node, DG.role, DG.Guest) in source_graph
    assert (ID["alpha-beta-meeting"], DG.participant, ID.alpha) in source_graph
    assert (ID["alpha-beta-meeting"], DG.participant, ID.beta) in source_graph


def test_dates_keep_their_precision(source_graph):
    date = source_graph.value(ID["alpha-beta-meeting"], DG.date)
    assert source_graph.value(date, DG.precision) == TIME.unitDay
    assert source_graph.value(date, DG.dateValue) == Literal("2025-10-30", datatype=XSD.date)


def test_quantities_have_value_unit_and_bound(source_graph):
    quantity = source_graph.value(ID["soy-commitment"], DG.quantity)
    assert source_graph.value(quantity, DG.numericValue).toPython() == 12000000
    assert source_graph.value(quantity, DG.unit) == DG.Tonne
    assert source_graph.value(quantity, DG.bound) == DG.AtLeast
    assert (ID["soy-commitment"], DG.status, DG.CommitmentAgreed) in source_graph


def test_measure_status_and_rate(source_graph):
    tariff = ID["tariff-threat"]
    assert (tariff, DG.status, DG.Threatened) in source_graph
    assert source_graph.value(tariff, DG.ratePercent).toPython() == 100
    assert (tariff, DG.rateBasis, DG.AdditionalRate) in source_graph


def test_claim_names_the_property_it_asserts(source_graph):
    claim = ID["claim-alpha-called"]
    assert (claim, DG.claimedProperty, DG.initiator) in source_graph
    assert (claim, DG.claimedValue, ID.alpha) in source_graph
    assert (claim, DG.claimant, ID.gamma) in source_graph


def test_statement_gets_a_label_from_speaker_and_text(source_graph):
    label = source_graph.value(ID["alpha-good-meeting-quote"], DG.label)
    assert str(label).startswith("Alpha: ")


def test_positions_are_sourced_facts(source_graph):
    node = URIRef(f"{ID.alpha}/position/president-of-a")
    assert (node, DG.holder, ID.alpha) in source_graph
    assert (node, DG.organisation, ID["country-a"]) in source_graph
    assert (ID.alpha, DG.holdsPost, ID["president-of-a"]) in source_graph
    assert list(source_graph.objects(node, DG.evidence))


def test_entailments_are_materialised_in_the_asserting_graph(source_graph):
    meeting = ID["alpha-beta-meeting"]
    for cls in (DG.Meeting, DG.Event, DG.Fact, URIRef("https://schema.org/Event")):
        assert (meeting, RDF.type, cls) in source_graph, cls
    assert (
        meeting,
        URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace"),
        ID.busan,
    ) in source_graph
    assert (meeting, RDFS.label, Literal("Alpha–Beta meeting in Busan")) in source_graph
    report = URIRef(f"{meeting}/status/{SOURCE}/planned")
    assert (report, DG.statusOf, meeting) in source_graph


def test_curated_line_is_recorded(source_graph):
    assert (
        ID["alpha-beta-meeting"],
        DG.curatedIn,
        Literal("facts/mini-2025-10-24.yaml:3"),
    ) in source_graph


def test_same_facts_give_the_same_bytes():
    one = nquads(load_graphs(MINIMAL).dataset)
    two = nquads(load_graphs(MINIMAL).dataset)
    assert one == two
    assert b"_:" not in b"\n".join(ln for ln in one.splitlines() if ONTOLOGY_IRI.encode() not in ln)


def test_base_iri_is_configurable():
    graphs = load_graphs(MINIMAL, base="https://example.org/dg/")
    subjects = {
        str(s)
        for s in graphs.dataset.graph(URIRef("https://example.org/dg/graph/entities")).subjects()
    }
    assert "https://example.org/dg/id/alpha" in subjects
