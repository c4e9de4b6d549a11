"""The /sparql endpoint: formats by Accept and by parameter, service description, CORS,
and real clients (SPARQLWrapper, rdflib's SPARQLStore) over HTTP."""

from __future__ import annotations

import csv
import io
import json

import pytest
import requests
from endpoint_data import KASEI, ROW_COUNT, ROWS_GRAPH
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from diplograph import store as st
from diplograph.web import negotiation

SELECT_DOC = "SELECT ?s WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> } ORDER BY ?s"
CONSTRUCT_DOC = "CONSTRUCT WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> }"
SD = "http://www.w3.org/ns/sparql-service-description#"


def subjects_of(media: str, body: bytes) -> list[str]:
    text = body.decode("utf-8")
    if media == "application/sparql-results+json":
        return [b["s"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if media == "text/csv":
        return [row["s"] for row in csv.DictReader(io.StringIO(text))]
    if media == "text/tab-separated-values":
        return [line.strip("<>") for line in text.splitlines()[1:]]
    return [part.split("</uri>")[0] for part in text.split("<uri>")[1:]]


@pytest.mark.parametrize("key", st.RESULT_FORMATS)
def test_select_in_every_results_format_by_accept_and_by_parameter(endpoint_client, key):
    fmt = negotiation.get(key)
    expected = [f"{KASEI}data{n}.rdf" for n in (1, 2, 3)]
    by_accept = endpoint_client.get(
        "/sparql", query_string={"query": SELECT_DOC}, headers={"Accept": fmt.media_type}
    )
    by_param = endpoint_client.get("/sparql", query_string={"query": SELECT_DOC, "format": key})
    for response in (by_accept, by_param):
        assert response.status_code == 200
        assert response.mimetype == fmt.media_type
        assert subjects_of(fmt.media_type, response.data) == expected


@pytest.mark.parametrize("key", st.GRAPH_FORMATS)
def test_construct_in_every_rdf_format(endpoint_client, key):
    fmt = negotiation.get(key)
    response = endpoint_client.post(
        "/sparql", data={"query": CONSTRUCT_DOC}, headers={"Accept": fmt.media_type}
    )
    assert response.status_code == 200 and response.mimetype == fmt.media_type
    graph = Graph().parse(data=response.data, format=fmt.rdflib)
    assert len(graph) == 3


def test_unacceptable_format_is_406(endpoint_client):
    response = endpoint_client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406 and "application/sparql-results+json" in response.text
    response = endpoint_client.get("/sparql", query_string={"query": "ASK {}", "format": "ttl"})
    assert response.status_code == 406


def test_syntax_error_is_400_with_line_and_column(endpoint_client):
    response = endpoint_client.get("/sparql", query_string={"query": "SELECT *\nWHERE { ?s }"})
    assert response.status_code == 400
    assert "error at line 2, column " in response.text  # web/syntax_errors.py's words


def test_service_description_on_get_without_query(endpoint_client):
    response = endpoint_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    service = next(graph.subjects(RDF.type, URIRef(SD + "Service")))
    assert (service, URIRef(SD + "endpoint"), service) in graph
    names = set(graph.objects(None, URIRef(SD + "name")))
    assert URIRef(ROWS_GRAPH) in names and URIRef(f"{KASEI}data1.rdf") in names
    assert (service, URIRef(SD + "feature"), URIRef(SD + "BasicFederatedQuery")) not in graph


def test_cors_for_browser_clients(endpoint_client):
    response = endpoint_client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-SPARQL-Truncated" in response.headers["Access-Control-Expose-Headers"]
    preflight = endpoint_client.options(
        "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_the_negotiation_table_covers_every_store_format():
    keys = {f.key for f in negotiation.TABLE}
    assert keys == {*st.RESULT_FORMATS, *st.GRAPH_FORMATS, *st.DATASET_FORMATS}
    assert negotiation.split_suffix("xi-jinping.jsonld") == ("xi-jinping", "jsonld")
    assert negotiation.split_suffix("xi-jinping") == ("xi-jinping", None)
    assert [s for _, s in negotiation.alternates()] == [".ttl", ".nt", ".jsonld", ".rdf"]


def test_sparqlwrapper_select_ask_construct(served_endpoint):
    client = SPARQLWrapper(f"{served_endpoint}/sparql")
    client.setQuery(SELECT_DOC)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [r["s"]["value"] for r in rows] == [f"{KASEI}data{n}.rdf" for n in (1, 2, 3)]
    client.setQuery(f"ASK {{ GRAPH <{ROWS_GRAPH}> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(XML)
    assert client.queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    client.setQuery(CONSTRUCT_DOC)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert len(graph) == 3


def test_sparqlwrapper_post(served_endpoint):
    client = SPARQLWrapper(f"{served_endpoint}/sparql")
    client.setMethod("POST")
    client.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ROWS_GRAPH}> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == str(ROW_COUNT)


def test_rdflib_sparqlstore(served_endpoint):
    graph = Graph(store=SPARQLStore(f"{served_endpoint}/sparql", returnFormat="json"))
    rows = list(graph.query(SELECT_DOC))
    assert [str(r.s) for r in rows] == [f"{KASEI}data{n}.rdf" for n in (1, 2, 3)]
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True


def test_requests_with_protocol_dataset(served_endpoint):
    response = requests.get(
        f"{served_endpoint}/sparql",
        params={
            "query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": f"{KASEI}data2.rdf",
        },
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    graphs = {b["g"]["value"] for b in response.json()["results"]["bindings"]}
    assert graphs == {f"{KASEI}data2.rdf"}
