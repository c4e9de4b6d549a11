"""The front end in a real browser: Debian's Chromium driven by Playwright, against the app
served by waitress on loopback. Each step asserts on what the page shows and that the
console stayed clean, and leaves a screenshot in the test artifacts folder for review.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from browser_support import shot
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Console:
    """Collects the browser console's errors and uncaught exceptions, and any request that
    leaves the app's own origin (nothing may come from a CDN)."""

    def __init__(self, page, origin: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "request",
            lambda r: (
                not r.url.startswith((origin, "data:", "blob:")) and self.foreign.append(r.url)
            ),
        )

    def assert_clean(self):
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.console = Console(tab, live_url)
    yield tab
    context.close()


def test_search_entity_statement_source(page, live_url, artifacts):
    page.goto(live_url + "/")
    expect(page.locator("h1")).to_contain_text("Summit diplomacy")
    expect(page.locator(".counts")).to_contain_text("people")
    shot(page, artifacts, "01-home")

    page.fill("#home-q", "Besant")
    page.press("#home-q", "Enter")
    people = page.locator("section.search-group", has_text="People")
    expect(people).to_contain_text("Scott Bessent")
    shot(page, artifacts, "02-search-besant")

    people.get_by_role("link", name="Scott Bessent").click()
    expect(page).to_have_url(live_url + "/id/scott-bessent")
    expect(page.locator("h1")).to_have_text("Scott Bessent")
    expect(page.locator(".aliases")).to_contain_text("Beisente")
    expect(page.locator("#positions").locator("..")).to_contain_text("Secretary of the Treasury")
    shot(page, artifacts, "03-entity-scott-bessent")

    said = page.locator("section.relation-group", has_text="Speaker of").first
    said.locator("p.sentence a").first.click()
    expect(page.locator("#said")).to_have_text("What was said")
    expect(page.locator("blockquote.excerpt").first).to_be_visible()
    shot(page, artifacts, "04-statement")

    page.locator("a.source-link").first.click()
    expect(page).to_have_url(f"{live_url}/sources/" + page.url.rsplit("/", 1)[-1])
    expect(page.locator("#src-facts")).to_contain_text("Facts this source supports")
    expect(page.locator("blockquote.excerpt").first).to_be_visible()
    shot(page, artifacts, "05-source")
    page.console.assert_clean()


def test_timeline_shows_a_planned_2026_meeting(page, live_url, artifacts):
    page.goto(live_url + "/timeline")
    page.select_option("#filter-actor", "xi-jinping")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/timeline\?actor=xi-jinping&"))
    planned = page.locator("li.tl-event.status-planned", has_text="2026")
    expect(planned.first).to_be_visible()
    expect(planned.first.locator(".status-badge")).to_have_text("planned")
    expect(page.locator("li.tl-event", has_text="Busan").first).to_have_class(
        "tl-event status-held"
    )
    planned.first.scroll_into_view_if_needed()
    shot(page, artifacts, "06-timeline")
    page.console.assert_clean()


def node_count(page) -> int:
    return page.evaluate(
        "window.diplographNetwork ? window.diplographNetwork.cy.nodes().length : 0"
    )


def wait_for_nodes(page, more_than: int) -> None:
    """Poll from Python: wait_for_function would eval a string, which our CSP forbids."""
    for _ in range(100):
        if node_count(page) > more_than:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the network never grew beyond {more_than} nodes")


def test_network_expands_a_clicked_node(page, live_url, artifacts):
    page.goto(live_url + "/network?id=xi-jinping")
    wait_for_nodes(page, 1)
    before = node_count(page)
    target = "trump-state-visit-beijing-2026"
    pos = page.evaluate(
        f"(() => {{ const p = window.diplographNetwork.cy.getElementById('{target}')"
        ".renderedPosition(); return [p.x, p.y]; })()"
    )
    box = page.locator("#network-canvas").bounding_box()
    page.mouse.click(box["x"] + pos[0], box["y"] + pos[1])
    wait_for_nodes(page, before)
    expect(page.locator("#network-status")).to_contain_text("nodes")
    expect(page.locator(f'#network-list button[data-id="{target}"]')).to_have_text("Collapse")
    # The same from the keyboard-reachable list.
    count = node_count(page)
    button = page.locator('#network-list button[data-id="donald-trump"]')
    button.focus()
    page.keyboard.press("Enter")
    wait_for_nodes(page, count)
    shot(page, artifacts, "07-network")
    page.console.assert_clean()


def test_catalogue_query_runs_and_downloads_csv(page, live_url, artifacts):
    page.goto(live_url + "/queries")
    page.get_by_role("link", name="Who an agent met, where and when").click()
    page.fill("#param-agent", "donald-trump")
    page.click("#run-query")
    expect(page.locator("#row-count")).to_contain_text("row")
    assert page.locator("table.results tbody tr").count() > 1
    shot(page, artifacts, "08-catalogue-query")
    with page.expect_download() as info:
        page.click("#download-csv")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["meeting", "label"]
    assert len(rows) == page.locator("table.results tbody tr").count() + 1
    page.goto(page.locator("#permalink").get_attribute("href").join([live_url, ""]))
    expect(page.locator("#param-agent")).to_have_value("donald-trump")
    page.console.assert_clean()


def test_query_editor_runs_a_query(page, live_url, artifacts):
    page.goto(live_url + "/query-editor")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    page.select_option("#example-select", "cq04-trip-destinations")
    page.locator(".yasqe_queryButton").click()
    # A fresh result opens in the view that fits its columns (result-views.js): cq04 has a
    # number column (?duration) and no coordinates or whole-day dates (its start is shown at
    # its precision, as text), so it opens as a chart, with map and timeline offered as
    # unavailable; the table is one click away.
    expect(page.locator(".yasr_btn.select_chart")).to_have_class(
        "yasr_btn select_chart selected", timeout=15000
    )
    expect(page.locator(".yasr_btn.select_map")).to_have_class("yasr_btn select_map disabled")
    expect(page.locator(".dg-view-chart figcaption")).to_contain_text("chart of")
    page.locator(".yasr_btn.select_table").click()
    results = page.locator(".yasr table tbody tr")
    expect(results.first).to_be_visible(timeout=15000)
    bindings = page.evaluate(
        "window.diplographEditor.getTab().getYasr().results.getBindings().length"
    )
    assert bindings >= 1
    assert results.count() == min(bindings, 50)  # YASR's first page holds 50 rows
    shot(page, artifacts, "09-query-editor")
    page.console.assert_clean()


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("10-phone-home", "/"),
        ("11-phone-entity", "/id/xi-jinping"),
        ("12-phone-timeline", "/timeline"),
        ("13-disagreements", "/disagreements"),
        ("14-ontology", "/ontology"),
        ("15-validation", "/validation"),
        ("16-downloads", "/downloads"),
    ],
)
def test_main_pages_render_cleanly(browser, live_url, artifacts, name, path):
    phone = name.split("-")[1] == "phone"
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    console = Console(tab, live_url)
    response = tab.goto(live_url + path)
    assert response.status == 200
    expect(tab.locator("main h1").first).to_be_visible()
    if phone:
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
    shot(tab, artifacts, name)
    console.assert_clean()
    context.close()
