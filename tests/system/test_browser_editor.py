"""The SPARQL editor in a real browser (Debian's Chromium through Playwright): Tab leaves
the editor, result IRIs open their entity pages, the table stays in its box, each result
view is chosen for a query that suits it and draws one mark per row, and a permalink
round-trips. Each test leaves a screenshot in the test artifacts folder."""

from __future__ import annotations

import pytest
from browser_support import shot, watched_tab
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DG = "PREFIX dg: <https://w3id.org/diplograph/def#>\n"
VENUES = DG + "SELECT ?place ?lat ?long WHERE { ?place dg:latitude ?lat ; dg:longitude ?long }"
DATES = DG + "SELECT ?event ?when WHERE { ?event dg:date ?d . ?d dg:earliest ?when }"
COUNTS = (
    "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) LIMIT 7"
)
GRAPH = DG + "CONSTRUCT { ?m ?p ?o } WHERE { ?m a dg:Meeting ; ?p ?o FILTER(isIRI(?o)) } LIMIT 25"
IN_EDITOR = "document.activeElement === window.diplographEditor.getTab().getYasqe().getInputField()"
WIDE = DG + "SELECT * WHERE { ?s ?p ?o . ?s ?q ?x . ?s ?r ?y } LIMIT 40"


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = watched_tab(context, live_url)
    tab.goto(live_url + "/query-editor")
    expect(tab.locator(".yasqe .CodeMirror")).to_be_visible()
    yield tab
    assert tab.errors == []
    context.close()


def run(page, query: str) -> None:
    page.evaluate("q => window.diplographEditor.getTab().setQuery(q)", query)
    page.locator(".yasqe_queryButton").click()
    expect(page.locator(".yasr_response_chip")).to_contain_text("result", timeout=15000)


def rows(live_url, page, query: str) -> int:
    """The row count the endpoint gives, asked from the page (the same origin)."""
    script = """async ([url, q]) => { const r = await fetch(url, {method: 'POST',
      headers: {'Content-Type': 'application/sparql-query',
                'Accept': 'application/sparql-results+json'}, body: q});
      return (await r.json()).results.bindings.length; }"""
    return page.evaluate(script, [live_url + "/sparql", query])


def test_tab_leaves_the_editor_and_the_hint_says_so(page, artifacts):
    expect(page.locator("#editor-keys")).to_contain_text("Tab")
    page.locator(".yasqe .CodeMirror").click()
    before = page.evaluate("window.diplographEditor.getTab().getQuery()")
    page.keyboard.press("Tab")
    assert not page.evaluate(IN_EDITOR), "Tab stayed in the editor"
    assert page.evaluate("window.diplographEditor.getTab().getQuery()") == before  # no indent
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(IN_EDITOR)
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate(IN_EDITOR)
    shot(page, artifacts, "editor-01-tab")


def test_the_tab_list_holds_only_tabs_and_plus_still_adds_one(page, artifacts):
    tablist = page.get_by_role("tablist")
    assert tablist.locator("button").count() == 0  # the "+" sits beside the list
    before = tablist.get_by_role("tab").count()
    page.get_by_role("button", name="Add a new tab").click()
    expect(tablist.get_by_role("tab")).to_have_count(before + 1)
    assert tablist.locator("button").count() == 0
    # The query is typed into CodeMirror's contenteditable input, named for screen readers.
    expect(page.get_by_role("textbox", name="SPARQL query")).to_be_visible()
    shot(page, artifacts, "editor-01-tabs")


UNNAMED = """() => [...document.querySelectorAll(
  "#main button, #main input, #main select, #main textarea, #main a[href], #main [role=button]")]
  .filter(e => e.offsetParent !== null || e.tagName === "TEXTAREA")
  .filter(e => !(e.getAttribute("aria-label") || e.getAttribute("aria-labelledby")
    || e.textContent.trim() || e.getAttribute("title") || e.closest("label")
    || (e.id && document.querySelector("label[for='" + e.id + "']"))))
  .map(e => e.outerHTML.slice(0, 120))"""


def test_editor_controls_have_names(page):
    run(page, COUNTS)  # the results' controls too
    assert page.evaluate(UNNAMED) == []


def picked(page) -> str:
    """The example whose query the editor holds, or "" (what the picker must show)."""
    held = page.evaluate("window.diplographEditor.getTab().getQuery()").strip()
    examples = page.evaluate("JSON.parse(document.getElementById('query-examples').textContent)")
    return next((e["name"] for e in examples if e["query"].strip() == held), "")


def test_picker_shows_the_query_the_editor_holds(page, live_url):
    name = page.locator("#example-select").input_value()
    assert name and name == picked(page), "the editor opens on an example: the picker names it"
    page.evaluate("window.diplographEditor.getTab().setQuery('ASK {}')")
    expect(page.locator("#example-select")).to_have_value("")
    page.select_option("#example-select", "cq04-trip-destinations")
    assert picked(page) == "cq04-trip-destinations"
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Escape")  # the editor stores its query when it loses focus
    page.reload()
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    expect(page.locator("#example-select")).to_have_value("cq04-trip-destinations")
    assert picked(page) == "cq04-trip-destinations"


def test_result_iri_opens_the_local_entity_page(page, live_url, artifacts):
    run(page, DG + "SELECT ?meeting WHERE { ?meeting a dg:Meeting } ORDER BY ?meeting LIMIT 5")
    page.locator(".yasr_btn.select_table").click()
    link = page.locator(".yasr_results a.iri").first
    href = link.get_attribute("href")
    assert href.startswith("/id/"), href
    assert link.get_attribute("target") in (None, "_self")
    link.click()
    page.wait_for_url(live_url + href)
    expect(page.locator("main h1").first).to_be_visible()
    shot(page, artifacts, "editor-02-entity-link")


def test_the_table_stays_in_its_box(page, artifacts):
    run(page, WIDE)
    page.locator(".yasr_btn.select_table").click()
    expect(page.locator(".yasr_results table tbody tr").first).to_be_visible()
    widths = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
          main: document.querySelector('main').getBoundingClientRect().right,
          box: document.querySelector('.yasr_results').getBoundingClientRect().right})"""
    )
    assert widths["page"] <= widths["view"], widths
    assert widths["box"] <= widths["main"] + 1, widths
    shot(page, artifacts, "editor-03-table-in-box")


@pytest.mark.parametrize(
    ("query", "view", "marks"),
    [
        (VENUES, "map", ".dg-map-point"),
        (DATES, "timeline", ".dg-tl-mark"),
        (COUNTS, "chart", ".dg-bar"),
    ],
)
def test_each_view_is_chosen_and_draws_a_mark_per_row(
    page, live_url, artifacts, query, view, marks
):
    run(page, query)
    expect(page.locator(f".yasr_btn.select_{view}")).to_have_class(
        "yasr_btn select_" + view + " selected"
    )
    expected = rows(live_url, page, query)
    if view == "timeline":  # a row whose date has no earliest day is not drawn
        expected = page.evaluate(
            "window.diplographEditor.getTab().getYasr().results.getBindings()"
            ".filter(b => b.when).length"
        )
    expect(page.locator(f".dg-view-{view} {marks}")).to_have_count(expected, timeout=15000)
    assert expected > 1
    # the text alternative lists the same marks, and the table is one click away
    assert page.locator(f".dg-view-{view} .dg-as-text li").count() == expected
    page.locator(f".dg-view-{view} .dg-to-table").focus()
    shot(page, artifacts, f"editor-04-{view}")
    page.keyboard.press("Enter")
    expect(page.locator(".yasr_results table tbody tr").first).to_be_visible()


def test_construct_opens_as_a_graph_with_a_node_per_resource(page, live_url, artifacts):
    run(page, GRAPH)
    expect(page.locator(".yasr_btn.select_graph")).to_have_class("yasr_btn select_graph selected")
    expect(page.locator(".dg-view-graph .dg-graph-canvas canvas").first).to_be_attached()
    triples = page.evaluate(
        "window.diplographEditor.getTab().getYasr().results.getBindings()"
        ".map(b => [b.subject.value, b.object.value])"
    )
    assert len(triples) == 25
    nodes = len({iri for pair in triples for iri in pair})
    caption = page.locator(".dg-view-graph .dg-caption-text")
    expect(caption).to_contain_text(f"Graph of {nodes} nodes and 25 links")
    shot(page, artifacts, "editor-05-graph")


def test_permalink_round_trip(page, live_url, artifacts):
    query = DG + "SELECT ?place WHERE { ?place dg:latitude ?lat } # permalink test\n"
    page.evaluate("q => window.diplographEditor.getTab().setQuery(q)", query)
    page.locator("#permalink-button").click()
    field = page.locator("#permalink-url")
    expect(field).to_be_visible()
    url = field.input_value()
    assert url.startswith(live_url + "/q/") and len(url.rsplit("/", 1)[1]) == 16
    page.evaluate("window.diplographEditor.getTab().setQuery('ASK {}')")
    page.goto(url)
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    assert page.evaluate("window.diplographEditor.getTab().getQuery()") == query
    expect(page.locator("#editor-status")).to_contain_text("permalink")
    shot(page, artifacts, "editor-06-permalink")


def test_syntax_error_in_plain_words(page, artifacts):
    page.evaluate("window.diplographEditor.getTab().setQuery('SELECT * WHERE {\\n  ?s ?p ?o\\n')")
    page.locator(".yasqe_queryButton").click()
    error = page.locator(".yasr_results .errorResult pre")
    expect(error).to_contain_text("Syntax error at line 3, column 1", timeout=15000)
    expect(error).to_contain_text("a '{' is not closed")
    page.errors[:] = [e for e in page.errors if "400" not in e]  # the endpoint's answer
    shot(page, artifacts, "editor-07-syntax-error")
