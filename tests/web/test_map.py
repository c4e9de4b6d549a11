"""Map of venues: places with venue roles, their curated coordinates and where they come
from, the timeline's filters, and the geodata served from node_modules."""

from __future__ import annotations

from bench.bench_pages import SCRIPT_BUDGET_KB, page_weight


def venues(client, query: str = "") -> dict:
    return {v["id"]: v for v in client.get(f"/map/data{query}").get_json()["venues"]}


def test_busan_is_a_venue_at_its_wikidata_coordinates(client):
    busan = venues(client)["busan"]
    assert (round(busan["lat"], 2), round(busan["lon"], 2)) == (35.18, 129.08)
    assert busan["coordinates_source"] == "http://www.wikidata.org/entity/Q16520"
    assert any(e["id"] == "trump-xi-busan-meeting-2025" for e in busan["events"])


def test_a_venue_without_coordinates_is_placed_where_it_lies(client):
    doral = venues(client)["trump-national-doral"]
    assert doral["located_by"] == "doral" and doral["lat"] is not None


def test_a_country_venue_is_drawn_on_its_outline(client):
    korea = venues(client)["south-korea"]
    assert korea["lat"] is None and "South Korea" in korea["names"]


def test_origins_and_destinations_are_venues(client):
    roles = {e["role"] for v in venues(client).values() for e in v["events"]}
    assert {"place", "origin", "destination"} <= roles


def test_the_map_shares_the_timelines_filters(client):
    everything = venues(client)
    in_2026 = venues(client, "?from=2026-01-01")
    assert "beijing" in in_2026 and "busan" not in in_2026 and len(in_2026) < len(everything)
    before = venues(client, "?as_of=2025-10-25")
    busan = next(e for e in before["busan"]["events"] if e["id"] == "trump-xi-busan-meeting-2025")
    assert busan["status"] == "planned"
    html = client.get("/map?as_of=2025-10-25&actor=xi-jinping").get_data(as_text=True)
    assert "/timeline?actor=xi-jinping&amp;as_of=2025-10-25" in html


def test_map_page_has_a_table_and_loads_its_geodata_locally(client):
    html = client.get("/map").get_data(as_text=True)
    assert 'id="venue-table"' in html and 'data-id="busan"' in html
    assert "Q16520" in html
    assert 'src="/vendor/d3-geo.min.js"' in html
    world = client.get("/vendor/countries-110m.json")
    assert world.status_code == 200 and b'"South Korea"' in world.data


def test_place_page_shows_where_its_coordinates_come_from(client):
    html = client.get("/id/busan").get_data(as_text=True)
    assert "35.1796" in html and "Q16520" in html


def test_map_page_stays_within_the_script_budget(client):
    """bench_pages' budget for a page's script (the outlines are data, counted apart)."""
    script_kb, data_kb = page_weight(client, "/map")
    assert 0 < script_kb <= SCRIPT_BUDGET_KB
    assert 0 < data_kb <= 120  # world-atlas's 110m outlines, about 105 KB
