"""The W3C SPARQL 1.1 Protocol tests, read from the manifest and run against the live server.

Query and bad-query tests must pass as written. This endpoint is read-only, so every
update test is run too, expecting a 4xx refusal for its update request (the follow-up
ASK requests, which check what the update wrote, are not sent).
"""

from __future__ import annotations

import json

import pytest
import requests
from endpoint_data import W3C_DIR
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

RESULT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}


def load_manifest() -> list[tuple[str, list[dict]]]:
    g = Graph().parse(W3C_DIR / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(test, MF.action)
        requests_ = []
        for req in Collection(g, g.value(action, HT.requests)):
            body = g.value(req, HT.body)
            headers = {}
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for header in Collection(g, header_list):
                    headers[str(g.value(header, HT.fieldName))] = str(
                        g.value(header, HT.fieldValue)
                    )
            resp = g.value(req, HT.resp)
            statuses = g.objects(resp, MF.expectedStatus)
            requests_.append(
                {
                    "method": str(g.value(req, HT.methodName)),
                    "path": str(g.value(req, HT.absolutePath)),
                    "headers": headers,
                    "body": None
                    if body is None
                    else str(g.value(body, CNT.chars)).encode(
                        str(g.value(body, CNT.characterEncoding))
                    ),
                    "status": {str(s).rsplit("StatusCode", 1)[1] for s in statuses},
                    "format": g.value(resp, MF.expectedFormat),
                    "boolean": g.value(resp, MF.expectedBoolean),
                }
            )
        tests.append((str(test).rsplit("#", 1)[1], requests_))
    return tests


TESTS = dict(load_manifest())


def test_the_manifest_was_found_and_read():
    assert len(TESTS) == 34
    assert sum(name.startswith("update_") for name in TESTS) == 7


def send(base: str, req: dict) -> requests.Response:
    path = req["path"].replace("/sparql/", "/sparql", 1)
    return requests.request(
        req["method"], base + path, headers=req["headers"], data=req["body"], timeout=30
    )


def status_class(code: int) -> str:
    return f"{code // 100}xx"


def boolean_of(response: requests.Response) -> bool:
    if "json" in response.headers["Content-Type"]:
        return json.loads(response.text)["boolean"]
    return "<boolean>true</boolean>" in response.text


@pytest.mark.parametrize("name", [n for n in TESTS if not n.startswith("update_")])
def test_query_and_bad_request(served_endpoint, name):
    for req in TESTS[name]:
        response = send(served_endpoint, req)
        assert status_class(response.status_code) in req["status"], response.text
        if req["format"] is not None:
            media = response.headers["Content-Type"].split(";")[0]
            assert media in RESULT_TYPES[str(req["format"])]
        if req["boolean"] is not None:
            assert boolean_of(response) is req["boolean"].toPython()


@pytest.mark.parametrize("name", [n for n in TESTS if n.startswith("update_")])
def test_update_is_refused_by_a_read_only_endpoint(served_endpoint, name):
    update = TESTS[name][0]
    response = send(served_endpoint, update)
    assert response.status_code == 403
    assert "read-only" in response.text
