"""Evidence per assertion: the YAML forms, the statement nodes, and the mention rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef

from diplograph.cli.build import load_graphs
from diplograph.loaders.errors import CurationError
from diplograph.loaders.mentions import date_names, mentions
from diplograph.ontology import DG, GRAPH, ID

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
SOURCE = "mini-2025-10-24"
FACTS = "facts/mini-2025-10-24.yaml"
TRADE = (
    "    topics: [{id: trade, implied: the fixture assumes a trade agenda; no sentence names it}]"
)


def with_facts(tmp_path: Path, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / FACTS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return data


def assertion(graph, s, p, o):
    found = [
        a
        for a in graph.subjects(RDF.subject, s)
        if (a, RDF.predicate, p) in graph and (a, RDF.object, o) in graph
    ]
    assert len(found) == 1, (s, p, o, found)
    return found[0]


def excerpts_of(graph, node) -> set[str]:
    return {str(graph.value(e, DG.exact)) for e in graph.objects(node, DG.evidence)}


# -- the mention rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, names",
    [
        ("TRUMP said so", ["Trump"]),
        ("Trump’s trip", ["Trump"]),
        ("Trump's trip", ["Trump"]),
        ("new tariffs on chips", ["tariff"]),
        ("the U.S.–China relationship", ["U.S.–China relationship"]),
        ("Sino-U.S. relations", ["Sino-U.S. relations"]),
        ("after the call ended", ["the call"]),
    ],
)
def test_a_mention_is_case_insensitive_and_allows_plurals_and_possessives(text, names):
    assert mentions(text, names)


@pytest.mark.parametrize(
    "text, names",
    [
        ("Focused discussions on economic cooperation and Taiwan", ["Trump–Xi phone call"]),
        ("a trumpet played", ["Trump"]),
        ("Xiamen port", ["Xi"]),
        ("the caller hung up", ["the call"]),
    ],
)
def test_an_excerpt_that_does_not_name_the_value_is_no_mention(text, names):
    assert not mentions(text, names)


def test_dates_are_named_as_texts_write_them():
    names = date_names("2025-10-30")
    assert "October 30" in names and "30 October" in names and "Thursday" in names
    assert mentions("in Busan on October 30", names)
    assert date_names("2026-04") == ["April", "Apr."]


# -- the statement nodes ----------------------------------------------------------------


@pytest.fixture(scope="module")
def graph():
    return load_graphs(MINIMAL, sources_dir=FIXTURES / "sources").dataset.graph(GRAPH[SOURCE])


def test_every_value_has_a_statement_node_beside_its_triple(graph):
    meeting = ID["alpha-beta-meeting"]
    assert (meeting, DG.place, ID.busan) in graph  # the direct triple stays
    node = assertion(graph, meeting, DG.place, ID.busan)
    assert node == URIRef(f"{meeting}/assertion/{SOURCE}/place/busan")
    assert (node, RDF.type, RDF.Statement) in graph and (node, RDF.type, DG.Assertion) in graph
    assert (node, DG.source, ID[SOURCE]) in graph
    assert str(graph.value(node, DG.curatedIn)).startswith(f"{FACTS}:")


def test_a_value_takes_only_the_record_excerpts_that_mention_it(graph):
    quote = ID["alpha-good-meeting-quote"]
    speaker = assertion(graph, quote, DG.speaker, ID.alpha)
    assert excerpts_of(graph, speaker) == {
        'Alpha told reporters: "It will be a very good meeting."'
    }


def test_implied_values_carry_their_reason_and_no_excerpt(graph):
    node = assertion(graph, ID["tariff-threat"], DG.target, ID.china)
    assert excerpts_of(graph, node) == set()
    assert graph.value(node, DG.implied) == Literal("the curbs the tariff answers are China's")


def test_the_record_excerpts_still_support_the_fact_itself(graph):
    meeting = ID["alpha-beta-meeting"]
    assert excerpts_of(graph, meeting) == {
        "President Alpha will meet President Beta in Busan on Thursday"
    }


@pytest.mark.parametrize(
    "old, new, s, p, o, excerpt",
    [
        (
            TRADE,
            '    topics: [{id: soybeans, excerpt: "12 million tonnes of soybeans"}]',
            "alpha-beta-meeting",
            DG.topic,
            ID.soybeans,
            "12 million tonnes of soybeans",
        ),
        (
            "    place: busan\n",
            '    place: {id: busan, excerpt: "meet President Beta in Busan"}\n',
            "alpha-beta-meeting",
            DG.place,
            ID.busan,
            "meet President Beta in Busan",
        ),
        (
            "      - {agent: beta, role: guest}",
            '      - {agent: beta, role: guest, excerpt: "President Beta"}',
            "alpha-beta-meeting",
            DG.participant,
            ID.beta,
            "President Beta",
        ),
        (
            "    status: planned\n",
            '    status: {value: planned, excerpt: "will meet"}\n',
            "alpha-beta-meeting",
            DG.reportedStatus,
            DG.Planned,
            "will meet",
        ),
    ],
    ids=["topic", "place", "participant", "status"],
)
def test_a_value_with_its_own_excerpt(tmp_path, old, new, s, p, o, excerpt):
    data = with_facts(tmp_path, old, new)
    graph = load_graphs(data, sources_dir=FIXTURES / "sources").dataset.graph(GRAPH[SOURCE])
    assert (ID[s], p, o) in graph
    assert excerpts_of(graph, assertion(graph, ID[s], p, o)) == {excerpt}


def test_a_date_with_its_own_excerpt(tmp_path):
    data = with_facts(
        tmp_path,
        "    date: 2025-10-30\n",
        '    date: {value: 2025-10-30, excerpt: "on Thursday"}\n',
    )
    graph = load_graphs(data, sources_dir=FIXTURES / "sources").dataset.graph(GRAPH[SOURCE])
    meeting = ID["alpha-beta-meeting"]
    node = assertion(graph, meeting, DG.date, graph.value(meeting, DG.date))
    assert excerpts_of(graph, node) == {"on Thursday"}


def test_a_value_excerpt_is_checked_against_the_source(tmp_path):
    data = with_facts(
        tmp_path, "    place: busan\n", '    place: {id: busan, excerpt: "in Seoul"}\n'
    )
    with pytest.raises(CurationError) as err:
        load_graphs(data, sources_dir=FIXTURES / "sources")
    assert f"{FACTS}:8: [excerpt]" in str(err.value)


def test_a_malformed_value_mapping_is_reported_with_its_line(tmp_path):
    data = with_facts(
        tmp_path, "    place: busan\n", '    place: {idd: busan, excerpt: "in Busan"}\n'
    )
    with pytest.raises(CurationError) as err:
        load_graphs(data, sources_dir=FIXTURES / "sources")
    assert f"{FACTS}:8:" in str(err.value) and "{id: <id>, excerpt" in str(err.value)
