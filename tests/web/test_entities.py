"""Entity pages: names, relations as sentences with their evidence, disagreements, RDF twins."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from bench.bench_pages import SCRIPT_BUDGET_KB, page_weight


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The page's words without tags, whitespace collapsed: what a reader sees."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_person_page_shows_names_types_wikidata_and_positions(client):
    html = page(client, "/id/scott-bessent")
    seen = text_of(html)
    assert "<h1" in html and "Scott Bessent" in seen
    for alias in ("Besant", "Beisente", "Basset"):
        assert alias in seen
    assert "person" in seen
    assert 'href="http://www.wikidata.org/entity/Q7435987"' in html
    assert "Positions held" in seen and "United States Secretary of the Treasury" in seen


def group_text(html: str, heading: str) -> str:
    """The words of one relation group (its <h3> heading and its rows)."""
    found = re.search(
        rf'<section class="relation-group" aria-label="{re.escape(heading)}">(.*?)</section>',
        html,
        re.S,
    )
    assert found, heading
    return text_of(found.group(1))


def test_rows_name_their_object_once_with_role_status_and_date(client):
    html = page(client, "/id/xi-jinping")
    rows = group_text(html, "participant in")
    assert "Trump's state visit to Beijing, April 2026 (host, announced, April 2026)" in rows
    assert "Xi Jinping —" not in text_of(html)  # the subject's label is not repeated per row
    assert "Speaker of" in text_of(html)


def test_event_page_leads_with_who_where_when_and_what_was_agreed(client):
    html = page(client, "/id/trump-xi-busan-meeting-2025")
    box = text_of(html[html.index('class="summary card"') : html.index("</section>")])
    for heading, value in [
        ("When", "30 Oct 2025"),
        ("Where", "Busan"),
        ("Who", "Donald Trump"),
        ("Who", "Xi Jinping"),
        ("Status", "held"),
        ("Outcome", "US–China trade truce declared at the Busan summit"),
    ]:
        assert heading in box and value in box, (heading, value)
    # The summary comes before the relations, and the groups in a fixed order, not by size.
    assert html.index('class="summary card"') < html.index('id="relations"')
    headings = re.findall(r'<section class="relation-group" aria-label="([^"]+)"', html)
    assert headings.index("participant") < headings.index("place") < headings.index("topic")
    assert "cue" not in headings


def test_commitment_page_says_who_owes_what_to_whom(client):
    html = page(client, "/id/china-soybean-purchase-commitment")
    box = text_of(html[html.index('class="summary card"') : html.index("</section>")])
    assert "Who owes China" in box and "To whom United States" in box
    assert "What Soybeans" in box and "87,500,000" in box
    assert "Over 3 years 6 months" in box and "P3Y6M" not in box
    assert "in progress (Gate Square, 25 Nov 2025)" in box


def test_person_page_lists_posts_and_latest_events(client):
    html = page(client, "/id/scott-bessent")
    box = text_of(html[html.index('class="summary card"') : html.index("</section>")])
    assert "Posts held United States Secretary of the Treasury" in box
    assert "Latest events" in box


def test_references_fold_under_each_row(client):
    html = page(client, "/id/trump-xi-busan-meeting-2025")
    assert '<details class="refs">' in html
    assert re.search(r"<summary>\d+ references?</summary>", html)


def test_regression_statuses_sort_by_date_not_by_text(app):
    """Describer.statuses sorted "25 Nov 2025" before "26 Oct 2025": it parsed display text."""
    from diplograph.web.context import select
    from diplograph.web.describe import Describer
    from diplograph.web.entities import source_index
    from diplograph.web.graphdata import entity_iri

    with app.app_context():
        d = Describer(select(), source_index())
        d.describe(entity_iri("trump-xi-busan-meeting-2025"))
        statuses = d.statuses(entity_iri("trump-xi-busan-meeting-2025"))
    orders = [s.order for s in statuses]
    assert all(orders) and orders == sorted(orders)
    assert statuses[0].when == "24 Oct 2025" and statuses[-1].when == "25 Nov 2025"


def test_relations_download_as_csv_and_json(client):
    csv_text = client.get("/relations/china-soybean-purchase-commitment?format=csv")
    assert csv_text.mimetype == "text/csv"
    lines = csv_text.get_data(as_text=True).splitlines()
    assert lines[0] == "relation,value,value_id,note,source,excerpts"
    assert any(line.startswith("obligor,China,china,") for line in lines)
    data = client.get("/relations/china-soybean-purchase-commitment?format=json").get_json()
    assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert any(r["relation"] == "resource" and r["value"] == "Soybeans" for r in data["rows"])
    assert client.get("/relations/no-such-thing?format=csv").status_code == 404


def test_every_relation_cites_its_excerpt_and_source(client):
    html = page(client, "/id/scott-bessent")
    seen = text_of(html)
    assert "Treasury Secretary Scott Bessent described the encounter" in seen
    assert 'href="/sources/infofinance-2025-10-26"' in html
    assert "According to InfoFinance, 26 Oct 2025" in seen


def test_event_page_shows_date_at_its_precision_and_status_per_source(client):
    seen = text_of(page(client, "/id/trump-state-visit-beijing-2026"))
    assert "April 2026" in seen
    assert "1 Apr 2026" not in seen
    assert "planned" in seen and "announced" in seen
    assert "Gate Square, 25 Nov 2025" in seen


def test_disagreeing_claims_stand_side_by_side_with_their_claimants(client):
    html = page(client, "/id/trump-xi-call-2025-11-24")
    assert "Where the sources disagree" in html
    block = html[html.index("side-by-side") :]
    seen = text_of(block)
    assert "Scott Bessent" in seen and "initiator: Donald Trump" in seen
    assert "The Wall Street Journal" in seen and "initiator: Xi Jinping" in seen


def test_html_advertises_its_rdf_twins(client):
    response = client.get("/id/scott-bessent")
    link = response.headers["Link"]
    for media_type, suffix in (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld")):
        assert f'</id/scott-bessent{suffix}>; rel="alternate"; type="{media_type}"' in link
    assert '<link rel="alternate" type="text/turtle" href="/id/scott-bessent.ttl">' in (
        response.get_data(as_text=True)
    )


def test_rdf_by_suffix_and_by_accept_header(client):
    by_suffix = client.get("/id/scott-bessent.ttl")
    assert by_suffix.status_code == 200
    assert by_suffix.mimetype == "text/turtle"
    assert "Scott Bessent" in by_suffix.get_data(as_text=True)
    by_accept = client.get("/id/scott-bessent", headers={"Accept": "application/n-triples"})
    assert by_accept.mimetype == "application/n-triples"
    assert "<https://w3id.org/diplograph/id/scott-bessent>" in by_accept.get_data(as_text=True)


def test_unknown_entity_is_404(client):
    assert client.get("/id/no-such-entity").status_code == 404
    assert client.get("/id/Bad Id").status_code == 404


def test_regression_week_dated_pages_are_reachable(client):
    response = client.get("/id/date/2025-W44")
    assert response.status_code == 200
    assert b"2025-W44" in response.data


def test_entity_iris_dereference_under_a_configured_base(tmp_path):
    from pathlib import Path

    from diplograph.cli.build import build
    from diplograph.web import create_app
    from diplograph.web.context import STORE_KEY

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    base = "https://example.org/dg/"
    build(fixtures / "valid" / "minimal", tmp_path, base=base, validate=False)
    app = create_app({"TESTING": True, "DIPLOGRAPH_HOME": str(tmp_path), "WORKERS": 1})
    try:
        client = app.test_client()
        page = client.get("/id/alpha")
        assert page.status_code == 200
        assert b"Alpha" in page.data and b"President of Country A" in page.data
        turtle = client.get("/id/alpha.ttl")
        assert turtle.status_code == 200
        assert b"https://example.org/dg/id/alpha" in turtle.data
        assert b"https://w3id.org/diplograph/id/alpha" not in turtle.data
        source = client.get("/sources/mini-2025-10-24")
        assert source.status_code == 200 and b"Alpha" in source.data
    finally:
        app.extensions[STORE_KEY].close()


def test_regression_busan_followed_by_row_shows_its_own_excerpt_not_taiwan(client):
    """Issue 17: "followed by → the 24 Nov call" showed the record's Taiwan excerpt."""
    html = page(client, "/id/trump-xi-busan-meeting-2025")
    seen = group_text(html, "followed by")
    assert "call" in seen.lower(), "no 'followed by' row to the call"
    assert "Focused discussions on economic cooperation and Taiwan" not in seen
    assert "supports this row" in seen or "According to" in seen


def test_a_row_without_excerpts_says_so(client):
    seen = text_of(page(client, "/id/busan"))
    assert "No excerpt supports this row." in seen  # located in: curated, not sourced


BUSAN = "trump-xi-busan-meeting-2025"


def status_as_of(client, entity_id: str, day: str) -> str:
    html = page(client, f"/id/{entity_id}?as_of={day}")
    found = re.search(r'<p id="status-as-of" data-status="([^"]+)"', html)
    assert found, day
    return found.group(1)


def test_event_page_as_of_a_day_shows_the_status_then_reported(client):
    html = page(client, f"/id/{BUSAN}")
    # a GET form with a date input: no script needed, the browser's own date control
    form = re.search(r'<form class="filters as-of-form" method="get" action="([^"]+)"', html)
    assert form and form.group(1).startswith(f"/id/{BUSAN}")
    assert 'type="date" name="as_of"' in html and 'id="status-as-of"' not in html
    assert status_as_of(client, BUSAN, "2025-10-25") == "planned"
    assert status_as_of(client, BUSAN, "2025-11-26") == "held"
    seen = text_of(page(client, f"/id/{BUSAN}?as_of=2025-10-25"))
    assert "As the sources published by 2025-10-25 reported it: planned" in seen
    assert "published after 2025-10-25" in seen


def test_event_page_as_of_agrees_with_the_timeline(client):
    """The page and /timeline?as_of= read one rule: the same status on every report's day
    and the day before it, and no status where the timeline does not show the event yet."""
    html = page(client, f"/id/{BUSAN}")
    days = sorted(set(re.findall(rf"/id/{BUSAN}\?as_of=(\d{{4}}-\d{{2}}-\d{{2}})", html)))
    assert len(days) >= 2
    before = [(dt.date.fromisoformat(d) - dt.timedelta(days=1)).isoformat() for d in days]
    for day in days + before:
        items = client.get(f"/timeline/data?as_of={day}").get_json()["items"]
        on_timeline = next((i["status"] for i in items if i["id"] == BUSAN), "unreported")
        assert status_as_of(client, BUSAN, day) == on_timeline, day


def test_a_page_without_status_reports_has_no_as_of_form(client):
    html = page(client, "/id/scott-bessent?as_of=2025-10-25")
    assert 'name="as_of"' not in html and 'id="status-as-of"' not in html


def test_event_page_as_of_stays_within_the_script_budget(client):
    script_kb, _data_kb = page_weight(client, f"/id/{BUSAN}?as_of=2025-10-25")
    assert script_kb <= SCRIPT_BUDGET_KB
