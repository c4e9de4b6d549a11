"""The downloads blueprint: lists and streams the current build's files, VoID, context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_builds import make_build
from flask import Flask
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from diplograph.web.exports import bp


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    home = tmp_path_factory.mktemp("instance")
    build = make_build(home / "builds", name="b1")
    (home / "current").symlink_to(build, target_is_directory=True)
    return home


@pytest.fixture()
def client(instance, tmp_path):
    app = Flask(
        "diplograph.web",
        root_path=str(Path(__file__).resolve().parents[2] / "web"),
        instance_path=str(tmp_path),
    )
    app.config.update(TESTING=True, DIPLOGRAPH_HOME=str(instance))
    app.register_blueprint(bp)
    return app.test_client()


def test_downloads_page_lists_every_file_with_size_and_media_type(client, instance):
    response = client.get("/downloads")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    index = json.loads((instance / "current" / "exports" / "index.json").read_text())
    for entry in index["files"]:
        assert f'href="/downloads/{entry["name"]}"' in html
        assert f'data-bytes="{entry["bytes"]}"' in html
        assert entry["media_type"] in html
    assert 'rel="alternate" type="text/turtle" href="/.well-known/void"' in html
    assert "describedby" in response.headers["Link"]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("diplograph.ttl", "text/turtle"),
        ("diplograph.nt", "application/n-triples"),
        ("diplograph.jsonld", "application/ld+json"),
        ("diplograph.rdf", "application/rdf+xml"),
        ("diplograph.trig", "application/trig"),
        ("diplograph.nq", "application/n-quads"),
        ("ontology.ttl", "text/turtle"),
        ("shapes.jsonld", "application/ld+json"),
    ],
)
def test_download_streams_the_precomputed_file(client, instance, name, media_type):
    response = client.get(f"/downloads/{name}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.is_streamed or response.direct_passthrough
    body = response.get_data()
    assert body == (instance / "current" / "exports" / name).read_bytes()
    response.close()


def test_unknown_or_sneaky_names_are_not_served(client):
    assert client.get("/downloads/graph.nq").status_code == 404
    assert client.get("/downloads/..%2Fmanifest.json").status_code == 404
    assert client.get("/downloads/index.json").status_code == 404


def test_conditional_requests_use_the_etag(client):
    first = client.get("/downloads/diplograph.nt")
    etag = first.headers["ETag"]
    first.close()
    again = client.get("/downloads/diplograph.nt", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_well_known_void(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    void = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    dataset = URIRef("https://w3id.org/diplograph/dataset")
    assert int(void.value(dataset, VOID.triples)) > 1000


def test_context_is_served_locally_with_cors(client):
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json()["@context"]["dg"] == "https://w3id.org/diplograph/def#"
