"""A source's page: its facts as a table to download, CSV or JSON, beside the list."""

from __future__ import annotations

import csv
import html
import io
import re

SOURCE = "gatesquare-2025-11-25"


def facts_on_page(client) -> list[tuple[str, str]]:
    page = client.get(f"/sources/{SOURCE}").get_data(as_text=True)
    section = page[page.index('id="src-facts"') :]
    found = re.findall(r'<li class="relation">\s*<a href="/id/([^"]+)">([^<]*)</a>', section)
    return [(fact_id, html.unescape(label)) for fact_id, label in found]


def test_the_source_page_links_its_facts_as_csv_and_json(client):
    page = client.get(f"/sources/{SOURCE}").get_data(as_text=True)
    assert f'href="/sources/{SOURCE}/facts?format=csv"' in page
    assert f'href="/sources/{SOURCE}/facts?format=json"' in page


def test_the_facts_csv_has_a_row_per_fact_on_the_page(client):
    answer = client.get(f"/sources/{SOURCE}/facts?format=csv")
    assert answer.status_code == 200
    assert answer.content_type == "text/csv; charset=utf-8"
    assert f'filename="{SOURCE}-facts.csv"' in answer.headers["Content-Disposition"]
    text = answer.get_data(as_text=True)
    assert text.splitlines()[0] == "kind,fact,fact_id,excerpts"
    rows = list(csv.DictReader(io.StringIO(text)))
    shown = facts_on_page(client)
    assert shown, "the page lists no facts"
    assert [(r["fact_id"], r["fact"]) for r in rows] == shown
    assert all(r["excerpts"] for r in rows)  # every fact cites its excerpt


def test_the_facts_json_matches_the_csv(client):
    answer = client.get(f"/sources/{SOURCE}/facts?format=json")
    assert answer.content_type == "application/json"
    data = answer.get_json()
    assert data["columns"] == ["kind", "fact", "fact_id", "excerpts"]
    assert [(r["fact_id"], r["fact"]) for r in data["rows"]] == facts_on_page(client)


def test_an_unknown_source_or_format_is_not_found(client):
    assert client.get("/sources/no-such-source/facts").status_code == 404
    assert client.get(f"/sources/{SOURCE}/facts?format=xml").status_code == 404
