"""Network: a node's neighbourhood as JSON, and the page that draws and expands it."""

from __future__ import annotations

from bench.bench_pages import page_weight


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


def test_focus_opens_on_any_entity_with_its_expanded_nodes_merged(client):
    html = client.get("/network?focus=busan").get_data(as_text=True)
    assert 'data-start="busan"' in html and 'data-id="trump-xi-busan-meeting-2025"' in html
    one = client.get("/network?focus=xi-jinping").get_data(as_text=True)
    two = client.get(
        "/network?focus=xi-jinping&expanded=trump-xi-busan-meeting-2025,no-such-thing"
    ).get_data(as_text=True)
    assert two.count('<li data-id="') > one.count('<li data-id="')
    assert '"expanded": ["xi-jinping", "trump-xi-busan-meeting-2025"]' in two
    assert client.get("/network?focus=no-such-thing").status_code == 404


def test_the_list_is_sorted_and_events_carry_their_dates(client):
    html = client.get("/network?focus=xi-jinping").get_data(as_text=True)
    import re

    labels = re.findall(r'<li data-id="[^"]+" data-kind="\w+"><a href="[^"]+">([^<]+)</a>', html)
    assert labels == sorted(labels, key=str.casefold) and len(labels) > 3
    data = client.get("/network/data?id=xi-jinping").get_json()
    busan = next(n for n in data["nodes"] if n["id"] == "trump-xi-busan-meeting-2025")
    assert (busan["start"], busan["end"]) == ("2025-10-30", "2025-10-30")
    assert "start" not in next(n for n in data["nodes"] if n["id"] == "xi-jinping")


def test_view_state_keeps_only_known_kinds_and_real_dates(client):
    html = client.get("/network?focus=xi-jinping&kinds=actor,bogus&from=2026-01-01&to=x")
    text = html.get_data(as_text=True)
    assert '"kinds": ["actor"]' in text and '"from": "2026-01-01"' in text and '"to": ""' in text


def test_network_page_weight_is_cytoscape_and_fcose_and_little_more(client):
    """The one page over bench_pages' script budget, by the exception it names (Cytoscape.js
    with fcose, about 750 KB): the label placement is the page's own code, no library."""
    script_kb, _data_kb = page_weight(client, "/network?focus=china")
    own = len(client.get("/static/network.js").data) / 1024
    assert script_kb <= 780 and own <= 20
