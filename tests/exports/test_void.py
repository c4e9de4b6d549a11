"""The VoID/DCAT description: its counts are the ones SPARQL gives on the built graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from export_builds import make_build
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

BASE = "https://w3id.org/diplograph/"
DATASET = URIRef(BASE + "dataset")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return make_build(tmp_path_factory.mktemp("void"))


@pytest.fixture(scope="module")
def void(built):
    return Graph().parse(built / "exports" / "void.ttl", format="turtle")


@pytest.fixture(scope="module")
def store(built):
    st = ox.Store()
    st.load(path=str(built / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    return st


def sparql(store, query: str) -> list:
    return list(store.query(query, use_default_graph_as_union=True))


def count(store, query: str) -> int:
    return int(sparql(store, query)[0][0].value)


def number(void, subject, predicate) -> int:
    return int(void.value(subject, predicate))


def test_dataset_counts_equal_sparql(void, store):
    assert number(void, DATASET, VOID.triples) == count(
        store, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    )
    assert number(void, DATASET, VOID.entities) == count(
        store,
        f'SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), "{BASE}id/") }}',
    )
    assert number(void, DATASET, VOID.distinctSubjects) == count(
        store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"
    )
    assert number(void, DATASET, VOID.distinctObjects) == count(
        store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }"
    )
    assert number(void, DATASET, VOID.classes) == count(
        store, "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c FILTER isIRI(?c) }"
    )
    assert number(void, DATASET, VOID.properties) == count(
        store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    )


def test_class_and_property_partitions_equal_sparql(void, store):
    classes = {
        row["c"].value: int(row["n"].value)
        for row in sparql(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c")
    }
    partitions = {
        str(void.value(node, VOID["class"])): number(void, node, VOID.entities)
        for node in void.objects(DATASET, VOID.classPartition)
    }
    assert partitions == classes
    assert partitions["https://w3id.org/diplograph/def#Person"] == 3
    properties = {
        row["p"].value: int(row["n"].value)
        for row in sparql(store, "SELECT ?p (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p")
    }
    partitions = {
        str(void.value(node, VOID.property)): number(void, node, VOID.triples)
        for node in void.objects(DATASET, VOID.propertyPartition)
    }
    assert partitions == properties


def test_one_subset_per_named_graph(void, store):
    graphs = {
        row["g"].value: int(row["n"].value)
        for row in sparql(store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    subsets = {
        str(void.value(node, DCTERMS.source)): number(void, node, VOID.triples)
        for node in void.objects(DATASET, VOID.subset)
    }
    assert subsets == graphs
    assert BASE + "graph/mini-2025-10-24" in subsets


def test_catalogue_entry(void, built):
    assert void.value(DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert void.value(DATASET, DCTERMS.publisher) is not None
    assert void.value(DATASET, DCTERMS.title)
    assert str(void.value(DATASET, URIRef(str(DCAT) + "version"))).startswith("0.1.0+")
    # Dates come from the data (the newest source), never the clock.
    assert void.value(DATASET, DCTERMS.modified) == Literal("2025-10-24", datatype=XSD.date)
    assert void.value(DATASET, DCTERMS.issued) == Literal("2025-10-24", datatype=XSD.date)
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert URIRef(BASE + "id/alpha") in examples


def test_distributions_list_every_file_with_media_type_and_size(void, built):
    exports = built / "exports"
    seen = {}
    for dist in void.objects(DATASET, DCAT.distribution):
        url = str(void.value(dist, DCAT.downloadURL))
        name = url.rsplit("/", 1)[1]
        seen[name] = (
            int(void.value(dist, DCAT.byteSize)),
            str(void.value(dist, DCAT.mediaType)),
        )
    for name in ["diplograph.ttl", "diplograph.jsonld", "diplograph.nq", "ontology.rdf"]:
        assert seen[name][0] == (exports / name).stat().st_size, name
    assert seen["diplograph.nq"][1].endswith("/application/n-quads")
    assert seen["diplograph.jsonld"][1].endswith("/application/ld+json")
    dumps = {str(u).rsplit("/", 1)[1] for u in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {f"diplograph.{f}" for f in ["ttl", "nt", "jsonld", "rdf", "trig", "nq"]}


def test_the_description_in_the_dumps_has_no_sizes(built):
    ds = ox.Store()
    ds.load(path=str(built / "exports" / "diplograph.trig"), format=ox.RdfFormat.TRIG)
    graph = ox.NamedNode(BASE + "graph/void")
    rows = list(ds.quads_for_pattern(None, None, None, graph))
    assert any(q.predicate.value == str(VOID.triples) for q in rows)
    assert not any(q.predicate.value == str(DCAT.byteSize) for q in rows)
