"""Catalogue pages: description, parameter form, results table, CSV/JSON, permalink; editor."""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re
from urllib.parse import unquote_plus

from diplograph.queries import catalogue


def test_catalogue_lists_every_public_query(client):
    html = client.get("/queries").get_data(as_text=True)
    for name in catalogue.load_catalogue():
        assert f'href="/queries/{name}"' in html
    assert "-violation" not in html


def test_query_page_has_description_form_and_runs_with_parameters(client):
    html = client.get("/queries/meetings-of-agent").get_data(as_text=True)
    query = catalogue.get_query("meetings-of-agent")
    assert query.title in html and "<form" in html
    for p in query.params:
        assert f'name="{p.name}"' in html
    ran = client.get("/queries/meetings-of-agent?agent=xi-jinping&run=1").get_data(as_text=True)
    assert 'id="row-count"' in ran and "<table" in ran
    assert 'id="permalink" href="/queries/meetings-of-agent?agent=xi-jinping&amp;run=1"' in ran


def test_results_download_as_csv_and_json(client):
    response = client.get("/queries/cq04-trip-destinations?run=1&format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) > 1
    response = client.get("/queries/cq04-trip-destinations?run=1&format=json")
    doc = json.loads(response.get_data(as_text=True))
    assert doc["head"]["vars"] == rows[0]
    assert len(doc["results"]["bindings"]) == len(rows) - 1


def test_bad_parameter_is_refused_with_a_message(client):
    response = client.get("/queries/meetings-of-agent?agent=Qqqq%20Zzzzx")
    assert response.status_code == 400
    assert "No entity is called “Qqqq Zzzzx”" in response.get_data(as_text=True)
    assert client.get("/queries/no-such-query").status_code == 404


def test_editor_offers_the_catalogue_as_examples_and_serves_yasgui_locally(client):
    html = client.get("/query-editor").get_data(as_text=True)
    assert 'src="/vendor/yasgui.min.js"' in html
    examples = json.loads(html.split('id="query-examples">', 1)[1].split("</script>", 1)[0])
    assert {e["name"] for e in examples} == set(catalogue.load_catalogue())


def test_an_entity_parameter_takes_a_name(client):
    by_name = client.get("/queries/meetings-of-agent?agent=Xi+Jinping&run=1")
    by_id = client.get("/queries/meetings-of-agent?agent=xi-jinping&run=1")
    assert by_name.status_code == 200
    count = re.search(r'id="row-count">(\d+)', by_name.get_data(as_text=True)).group(1)
    assert count == re.search(r'id="row-count">(\d+)', by_id.get_data(as_text=True)).group(1)
    assert int(count) > 0
    misspelt = client.get("/queries/meetings-of-agent?agent=Besant&run=1")
    assert misspelt.status_code == 200
    form = client.get("/queries/meetings-of-agent").get_data(as_text=True)
    assert 'data-suggest="/search/suggest" data-suggest-mode="fill"' in form


def test_results_read_as_a_person_would(client):
    html = client.get("/queries/cq03-purchase-commitments?run=1").get_data(as_text=True)
    assert "87,500,000" in html and "3 years 6 months" in html
    assert ">P3Y6M<" not in html and ">87500000<" not in html
    assert "dg:" not in html.split("<tbody>")[1].split("</tbody>")[0]
    assert '<table class="results sortable">' in html


def test_every_query_opens_in_the_editor(client):
    html = client.get("/queries/cq04-trip-destinations").get_data(as_text=True)
    link = re.search(r'href="(/query-editor#query=[^"]+)"', html)
    assert link and "SELECT" in unquote_plus(htmllib.unescape(link.group(1)))
