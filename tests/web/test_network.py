"""Network: a node's neighbourhood as JSON, and the page that draws and expands it."""

from __future__ import annotations


def test_neighbourhood_of_an_actor_holds_its_events(client):
    data = client.get("/network/data?id=xi-jinping").get_json()
    ids = {n["id"] for n in data["nodes"]}
    assert data["center"] == "xi-jinping"
    assert "trump-state-visit-beijing-2026" in ids
    kinds = {n["id"]: n["kind"] for n in data["nodes"]}
    assert kinds["xi-jinping"] == "actor" and kinds["trump-state-visit-beijing-2026"] == "event"
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert any(e["label"] == "participant" for e in data["edges"])


def test_neighbourhood_of_an_event_holds_its_participants(client):
    data = client.get("/network/data?id=trump-xi-call-2025-11-24").get_json()
    ids = {n["id"] for n in data["nodes"]}
    assert {"donald-trump", "xi-jinping"} <= ids


def test_network_page_embeds_the_start_and_loads_cytoscape_locally(client):
    html = client.get("/network?id=scott-bessent").get_data(as_text=True)
    assert 'data-start="scott-bessent"' in html
    assert 'src="/vendor/cytoscape.min.js"' in html
    assert 'id="network-data"' in html
    assert client.get("/network/data?id=no-such-thing").status_code == 404
