"""Home, sources, disagreements, ontology and validation pages; security headers; escaping."""

from __future__ import annotations

import html as htmllib
import re

import pyoxigraph as ox
import pytest

from diplograph.web import context


def text_of(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_home_shows_counts_sources_build_and_entry_points(client):
    html = client.get("/").get_data(as_text=True)
    seen = text_of(html)
    assert re.search(r"\b\d+ people\b", seen) and re.search(r"\b\d+ events\b", seen)
    assert "Gate Square, 25 Nov 2025" in seen
    assert "Validation" in seen and ("conforms" in seen)
    for href in ("/timeline", "/network", "/queries", "/query-editor", "/search"):
        assert f'"{href}' in html


def test_sources_page_lists_every_article_with_metadata(client):
    seen = text_of(client.get("/sources").get_data(as_text=True))
    for short in ("HawkInsight, 24 Oct 2025", "InfoFinance, 26 Oct 2025", "Gate Square"):
        assert short in seen
    assert "date uncertain" in seen


def test_source_page_lists_the_facts_it_supports_with_excerpts(client):
    html = client.get("/sources/gatesquare-2025-11-25").get_data(as_text=True)
    seen = text_of(html)
    assert "Facts this source supports" in seen
    assert 'href="/id/trump-state-visit-beijing-2026"' in html
    assert "He stated that Trump plans to visit Beijing in April 2026" in seen
    assert "Who initiated the Trump–Xi call of 24 November 2025" in seen
    assert client.get("/sources/no-such-source").status_code == 404


def test_disagreements_page_sets_the_sides_against_each_other(client):
    seen = text_of(client.get("/disagreements").get_data(as_text=True))
    assert "Who initiated the Trump–Xi call of 24 November 2025" in seen
    assert "initiator: Donald Trump" in seen and "initiator: Xi Jinping" in seen


def test_ontology_page_is_generated_from_the_ontology(client):
    html = client.get("/ontology").get_data(as_text=True)
    assert "id='StateVisit'" in html and "Class hierarchy" in html
    assert "<html" in html and "site-header" in html


def test_validation_page_renders_the_build_report(client):
    html = client.get("/validation").get_data(as_text=True)
    assert "Validation report" in html and "validation-report" in html


@pytest.mark.parametrize("path", ["/", "/id/scott-bessent", "/timeline", "/network", "/search"])
def test_html_pages_carry_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(client):
    for path in ("/", "/network", "/query-editor", "/id/xi-jinping"):
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert " on" not in " ".join(re.findall(r"<[a-z]+ [^>]*\bon[a-z]+=", html)), path


def test_vendor_assets_come_from_node_modules_and_nothing_else(client):
    response = client.get("/vendor/cytoscape.min.js")
    assert response.status_code == 200 and b"cytoscape" in response.data[:2000]
    assert client.get("/vendor/yasgui.min.css").status_code == 200
    assert client.get("/vendor/package.json").status_code == 404
    assert client.get("/vendor/..%2Fpackage.json").status_code == 404


EVIL = "<script>alert(1)</script>"


class TinyStore:
    """A store holding one entity whose label and alias are markup."""

    def __init__(self):
        self.store = ox.Store()
        ex = ox.NamedNode("https://w3id.org/diplograph/id/evil")
        g = ox.NamedNode("https://w3id.org/diplograph/graph/entities")
        dg = "https://w3id.org/diplograph/def#"
        for p, o in (
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(dg + "Person")),
            (dg + "label", ox.Literal(EVIL)),
            (dg + "alias", ox.Literal('"><img src=x onerror=alert(2)>')),
            (dg + "description", ox.Literal("<b>bold</b>")),
        ):
            self.store.add(ox.Quad(ex, ox.NamedNode(p), o, g))

    def query(self, sparql, **_kw):
        return self.store.query(sparql, use_default_graph_as_union=True)


def test_user_text_is_escaped_everywhere(app, monkeypatch):
    monkeypatch.setitem(app.extensions, context.STORE_KEY, TinyStore())
    monkeypatch.setitem(app.extensions, "diplograph.pages", {})
    client = app.test_client()
    for path in ("/id/evil", "/search?q=script", f"/search?q={EVIL}", "/network?id=evil"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "<b>bold" not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/id/evil").get_data(as_text=True)


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_sparql_opened_by_a_browser_goes_to_the_editor(client):
    response = client.get("/sparql", headers=BROWSER)
    assert response.status_code == 303 and response.location.endswith("/query-editor")
    assert client.get("/sparql", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    assert client.get("/sparql").status_code == 200  # */*: the service description, as before


def test_not_found_is_a_page_of_the_site_with_search(client):
    response = client.get("/no-such-page", headers=BROWSER)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'class="site-header"' in html and 'role="search"' in html and "Nothing here" in html
    plain = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert plain.status_code == 404 and 'class="site-header"' not in plain.get_data(as_text=True)


def test_robots_and_sitemap_list_entity_pages(client):
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    body = sitemap.get_data(as_text=True)
    assert "<loc>http://localhost/id/trump-xi-busan-meeting-2025</loc>" in body
    assert "<loc>http://localhost/timeline</loc>" in body


def test_ontology_page_links_its_rdf(client):
    html = client.get("/ontology").get_data(as_text=True)
    assert 'href="/downloads/ontology.ttl"' in html


def test_licence_in_the_footer_and_on_downloads(client):
    for path in ("/", "/downloads"):
        html = client.get(path).get_data(as_text=True)
        assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html, path


def test_nav_marks_the_current_page(client):
    html = client.get("/sources").get_data(as_text=True)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == ["/sources"]
    assert 'aria-current="page"' not in client.get("/").get_data(as_text=True).split("</nav>")[0]
