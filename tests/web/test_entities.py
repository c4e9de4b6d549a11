"""Entity pages: names, relations as sentences with their evidence, disagreements, RDF twins."""

from __future__ import annotations

import html as htmllib
import re


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


def test_relations_read_as_sentences_with_role_status_and_date(client):
    seen = text_of(page(client, "/id/xi-jinping"))
    assert (
        "Xi Jinping — participant (host) in — Trump's state visit to Beijing, April 2026 "
        "(announced, April 2026)" in seen
    )
    assert "Xi Jinping — speaker of —" in seen


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
    rows = re.findall(
        r'<li class="relation">(.*?)</li>\s*(?=<li class="relation">|</ul>)', html, re.S
    )
    followed = [r for r in rows if "followed by" in r and "call" in text_of(r).lower()]
    assert followed, "no 'followed by' row to the call"
    for row in followed:
        seen = text_of(row)
        assert "Focused discussions on economic cooperation and Taiwan" not in seen
        assert "supports this row" in seen or "“" in seen or "blockquote" in row


def test_a_row_without_excerpts_says_so(client):
    seen = text_of(page(client, "/id/busan"))
    assert "No excerpt supports this row." in seen  # located in: curated, not sourced
