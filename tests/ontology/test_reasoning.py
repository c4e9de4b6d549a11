"""The OWL check on a summary of the data: same verdict as the whole data, far fewer individuals.

Every inconsistent case is laid over the project's curated data, in a named graph of
its own and without entailments, so a clash reached only through a domain, a range or
an inverse has to be found by the reasoner, not read off a materialised triple.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import XSD

from bench import synth
from diplograph.cli.build import load_graphs, nquads
from diplograph.data import DATA_DIR
from diplograph.ontology import DG, ID, ONTOLOGY_IRI
from diplograph.ontology.reasoning import check_consistency, check_consistency_store
from diplograph.ontology.terms import to_ox

TEST_GRAPH = URIRef("https://w3id.org/diplograph/graph/test-reasoning")
CURATED_IN = ox.NamedNode(str(DG.curatedIn))
PERSON, CITY = ID["xi-jinping"], ID["washington-dc"]
CALL, TARIFF = ID["trump-xi-call-2025-11-24"], ID["us-tariff-threat-additional-100-percent"]
NEW = ID["test-reasoning-new"]


@pytest.fixture(scope="module")
def real_nq() -> bytes:
    return nquads(load_graphs(DATA_DIR).quads)


def store_with(nq: bytes, triples=(), graph=TEST_GRAPH) -> ox.Store:
    store = ox.Store()
    store.bulk_load(nq, ox.RdfFormat.N_QUADS)
    store.extend(ox.Quad(*map(to_ox, t), to_ox(graph)) for t in triples)
    return store


def curated_in(store: ox.Store, node: URIRef) -> str:
    """Every file:line the node was curated at, as the explanation lists them."""
    found = {q.object.value for q in store.quads_for_pattern(to_ox(node), CURATED_IN, None)}
    assert found
    return ", ".join(sorted(found))


def test_real_data_is_consistent_on_the_summary_and_on_the_whole(real_nq):
    store = store_with(real_nq)
    summary = check_consistency_store(store)
    whole = check_consistency_store(store, summarise=False)
    assert summary.ok and whole.ok
    assert summary.summarised and not whole.summarised
    assert summary.individuals == whole.individuals > 500
    assert summary.reasoner_triples < whole.reasoner_triples / 1.5
    assert f"{summary.individuals:,} individuals in {summary.signatures:,} signatures" in (
        summary.text()
    )


#: case -> (the real individual that clashes, the triples laid over the data)
CASES = {
    "person typed as a city": (PERSON, [(PERSON, RDF.type, DG.City)]),
    "call typed as an organisation": (CALL, [(CALL, RDF.type, DG.Organisation)]),
    "an event by the domain of dg:statusReport": (PERSON, [(PERSON, DG.statusReport, NEW)]),
    "a status report by the range of dg:statusReport": (PERSON, [(NEW, DG.statusReport, PERSON)]),
    "a status report by dg:statusOf, inverse of dg:statusReport": (
        PERSON,
        [(PERSON, DG.statusOf, NEW)],
    ),
    "an excerpt by the domain of a plain-string property": (
        PERSON,
        [(PERSON, DG.exact, Literal("w"))],
    ),
    "a person merged with a city by owl:sameAs": (PERSON, [(PERSON, OWL.sameAs, CITY)]),
    "a string where the range is xsd:decimal": (
        TARIFF,
        [(TARIFF, DG.ratePercent, Literal("a hundred", datatype=XSD.string))],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_summary_and_whole_data_agree_on_each_inconsistency(real_nq, case):
    culprit, triples = CASES[case]
    store = store_with(real_nq, triples)
    summary = check_consistency_store(store)
    assert summary.summarised
    assert not summary.consistent
    assert not check_consistency_store(store, summarise=False).consistent
    # the real individual, where it was curated, and the axiom it breaks
    assert f"{culprit} (curated in {curated_in(store, culprit)})" in summary.explanation
    assert "disjoint" in summary.explanation or "but its range is xsd:decimal" in (
        summary.explanation
    )


def test_a_literal_out_of_range_is_named_with_its_subject(real_nq):
    store = store_with(real_nq, CASES["a string where the range is xsd:decimal"][1])
    why = check_consistency_store(store).explanation
    assert f"{TARIFF} (curated in {curated_in(store, TARIFF)}): dg:ratePercent is" in why
    assert '"a hundred"' in why


def test_sameas_names_both_individuals(real_nq):
    store = store_with(real_nq, CASES["a person merged with a city by owl:sameAs"][1])
    why = check_consistency_store(store).explanation
    assert str(PERSON) in why and str(CITY) in why
    assert curated_in(store, CITY) in why


def test_every_member_of_a_clashing_signature_is_named(real_nq):
    twins = [ID["test-twin-1"], ID["test-twin-2"], ID["test-twin-3"]]
    store = store_with(real_nq, [(t, RDF.type, c) for t in twins for c in (DG.Person, DG.City)])
    report = check_consistency_store(store)
    assert not report.consistent
    for twin in twins:
        assert f"- {twin} is a dg:City" in report.explanation or f"- {twin} is a dg:Person" in (
            report.explanation
        )


def test_the_summary_does_not_grow_with_copies_of_the_data(tmp_path):
    """Two copies against six: the first copy is the real data, the others also carry the real
    names as cues (bench/synth.py), so only from two copies on is each copy alike."""
    reports = []
    for copies in (2, 6):
        synth.generate(tmp_path / str(copies), copies * synth.FACTS_PER_COPY, seed=1)
        store = store_with(nquads(load_graphs(tmp_path / str(copies)).quads))
        reports.append(check_consistency_store(store))
    one, four = reports
    assert one.ok and four.ok and four.summarised
    assert four.individuals > 2.5 * one.individuals
    assert four.signatures < 1.3 * one.signatures
    assert four.signatures * 10 < four.individuals


def test_only_the_clashing_individual_is_named(real_nq):
    """Only the person made a city is named, not those it shared a signature with."""
    store = store_with(real_nq, CASES["person typed as a city"][1])
    why = check_consistency_store(store).explanation
    persons = [q.subject for q in store.quads_for_pattern(None, to_ox(RDF.type), to_ox(DG.Person))]
    assert len(persons) > 10
    named = [p for p in persons if p.value in why]
    assert [p.value for p in named] == [str(PERSON)]


# -- outside the fragment: HermiT gets the whole data ------------------------------------


def test_a_functional_property_makes_the_check_fall_back_to_the_whole_data(real_nq):
    """A claim about a person and a city: only a functional property makes them one."""
    data = [
        (NEW, RDF.type, DG.Claim),
        (NEW, DG.claimedProperty, PERSON),
        (NEW, DG.claimedProperty, CITY),
    ]
    without = check_consistency_store(store_with(real_nq, data))
    assert without.summarised and without.consistent
    axiom = [(DG.claimedProperty, RDF.type, OWL.FunctionalProperty)]
    store = store_with(real_nq, data)
    store.extend(ox.Quad(*map(to_ox, t), ox.NamedNode(ONTOLOGY_IRI)) for t in axiom)
    report = check_consistency_store(store)
    assert not report.summarised and not report.consistent
    assert "dg:claimedProperty is a owl:FunctionalProperty" in report.fallback
    assert "Checked the whole data" in report.text()


def test_a_restriction_makes_the_check_fall_back_and_find_what_a_summary_cannot(real_nq):
    """Nationalities must be cities: every real country clashes, seen only on real edges."""
    restriction = BNode()
    axiom = [
        (DG.Person, RDFS.subClassOf, restriction),
        (restriction, RDF.type, OWL.Restriction),
        (restriction, OWL.onProperty, DG.nationality),
        (restriction, OWL.allValuesFrom, DG.City),
    ]
    store = store_with(real_nq, axiom, graph=URIRef(ONTOLOGY_IRI))
    report = check_consistency_store(store)
    assert not report.summarised and not report.consistent
    assert "is a owl:Restriction" in report.fallback


def test_schema_stated_in_a_data_graph_makes_the_check_fall_back(real_nq):
    store = store_with(real_nq, [(PERSON, OWL.differentFrom, CITY)])
    report = check_consistency_store(store)
    assert report.consistent and not report.summarised
    assert "owl:differentFrom" in report.fallback


def test_check_consistency_on_an_rdflib_graph_uses_the_summary():
    from rdflib import Graph

    union = Graph()
    for s, p, o, _g in load_graphs(DATA_DIR).dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    union.add((PERSON, RDF.type, DG.City))
    report = check_consistency(union)
    assert report.summarised and not report.consistent
    assert str(PERSON) in report.explanation


@pytest.mark.parametrize(
    "case", ["person typed as a city", "a person merged with a city by owl:sameAs"]
)
def test_a_builds_store_with_the_merge_gives_the_same_check(real_nq, case, tmp_path):
    """The build's on-disk store also holds the merge in its default graph, which the check
    skips (it would read every triple twice): same verdict, same summary, same culprit."""
    from diplograph.loaders.quads import write_lines
    from diplograph.store import load_nquads

    culprit, triples = CASES[case]
    plain = store_with(real_nq, triples)
    lines = sorted({f"{q} .\n" for q in plain})
    write_lines(lines, tmp_path / "graph.nq")
    load_nquads(tmp_path / "graph.nq", tmp_path / "store", lines=lines)
    built = ox.Store(str(tmp_path / "store"))
    assert any(isinstance(q.graph_name, ox.DefaultGraph) for q in built)
    expected, found = check_consistency_store(plain), check_consistency_store(built)
    assert found.consistent is expected.consistent is False
    assert (found.individuals, found.signatures) == (expected.individuals, expected.signatures)
    assert f"{culprit} (curated in {curated_in(built, culprit)})" in found.explanation
