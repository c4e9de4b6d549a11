"""Per-source, dated reports: statuses of events, measures, commitments and positions;
topics expected at, discussed at and not raised at an event; roles; collectives."""

from __future__ import annotations

import pytest
from rdflib import RDF, URIRef
from shape_corpus import CORPUS, overlay

from diplograph.cli.build import load_graphs
from diplograph.ontology import DG, GRAPH, ID

EARLY, LATER, MINI = "early-2025-10-20", "later-2025-11-02", "mini-2025-10-24"
MEETING = ID["alpha-beta-meeting"]


@pytest.fixture(scope="module")
def agenda(tmp_path_factory):
    example = CORPUS / "valid" / "agenda-outcome-and-negatives.yaml"
    return load_graphs(overlay(example, tmp_path_factory.mktemp("agenda") / "data")).dataset


@pytest.fixture(scope="module")
def collectives(tmp_path_factory):
    example = CORPUS / "valid" / "collectives-occupations-and-positions.yaml"
    return load_graphs(overlay(example, tmp_path_factory.mktemp("people") / "data")).dataset


def topic_report(source: str, status: str, topic: str) -> URIRef:
    return URIRef(f"{MEETING}/topic-report/{source}/{status}/{topic}")


def test_agenda_is_expected_by_its_source_and_is_not_a_topic(agenda):
    early = agenda.graph(GRAPH[EARLY])
    report = topic_report(EARLY, "expected", "taiwan-issue")
    assert (MEETING, DG.agendaTopic, ID["taiwan-issue"]) in early
    assert (report, DG.topicStatus, DG.TopicExpected) in early
    assert (report, DG.reportedTopic, ID["taiwan-issue"]) in early
    assert (report, DG.asOf, ID["date/2025-10-20"]) in early
    assert (MEETING, DG.topicReport, report) in early
    # an agenda is not an outcome: no source makes Taiwan a topic of the meeting
    assert (MEETING, DG.topic, ID["taiwan-issue"]) not in agenda


def test_discussed_is_a_topic_and_not_raised_is_a_dated_negative(agenda):
    later = agenda.graph(GRAPH[LATER])
    assert (MEETING, DG.discussedTopic, ID.trade) in later
    assert (MEETING, DG.topic, ID.trade) in later  # the simple triple, where it is true
    denied = topic_report(LATER, "not-raised", "taiwan-issue")
    assert (denied, DG.topicStatus, DG.TopicNotRaised) in later
    assert (denied, DG.asOf, ID["date/2025-11-02"]) in later
    assert (denied, DG.source, ID[LATER]) in later
    [excerpt] = later.objects(denied, DG.evidence)
    assert str(later.value(excerpt, DG.exact)) == "Taiwan was not raised."


def test_measures_and_commitments_have_dated_status_reports_per_source(agenda):
    later, mini = agenda.graph(GRAPH[LATER]), agenda.graph(GRAPH[MINI])
    soy = ID["soy-commitment"]
    for graph, source, status, term in (
        (mini, MINI, "agreed", DG.CommitmentAgreed),
        (later, LATER, "unconfirmed", DG.CommitmentUnconfirmed),
    ):
        report = URIRef(f"{soy}/status/{source}/{status}")
        assert (soy, DG.statusReport, report) in graph
        assert (report, DG.commitmentStatus, term) in graph
        assert (report, DG.status, term) in graph  # the super-property, materialised
        assert (soy, DG.status, term) in graph  # the direct triple stays
    tariff = URIRef(f"{ID['tariff-threat']}/status/{LATER}/suspended")
    assert (tariff, DG.measureStatus, DG.Suspended) in later
    assert (tariff, DG.asOf, ID["date/2025-11-02"]) in later


def test_a_role_is_asserted_by_the_source_that_gives_it(agenda):
    mini = agenda.graph(GRAPH[MINI])
    node = URIRef(f"{MEETING}/participation/beta")
    assertion = URIRef(f"{node}/assertion/{MINI}/role/Guest")
    assert (assertion, DG.source, ID[MINI]) in mini
    assert (node, DG.role, DG.Guest) in mini


def test_unnamed_collective_with_occupation_place_and_employer(collectives):
    entities = collectives.graph(GRAPH["entities"])
    group = ID["unnamed-analysts-mini"]
    assert (group, DG.occupation, DG.OccupationAnalyst) in entities
    assert (group, DG.basedIn, ID.busan) in entities
    assert (group, DG.affiliation, ID["mini-bank"]) in entities
    assert (group, RDF.type, DG.UnnamedCollective) in entities
    assert (group, RDF.type, DG.Person) not in entities
    assert (group, DG.anonymous, None) in entities


def test_position_status_start_and_end_per_source(collectives):
    graph = collectives.graph(GRAPH[MINI])
    holding = URIRef(f"{ID.delta}/position/president-of-a")
    report = URIRef(f"{holding}/status/{MINI}/former")
    assert (holding, DG.holdingStatus, DG.FormerHolding) in graph
    assert (report, DG.holdingStatus, DG.FormerHolding) in graph
    assert (report, DG.statusOf, holding) in graph
    assert (report, DG.asOf, ID["date/2025-10-24"]) in graph
    assert (holding, DG.startDate, ID["date/2017"]) in graph
    assert (holding, DG.endDate, ID["date/2021-01"]) in graph
