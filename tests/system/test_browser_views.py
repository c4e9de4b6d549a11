"""The timeline, network, map and editor views in a real browser (Debian's Chromium through
Playwright), checked against the data: where the Busan meeting is drawn and what it was
as of a day, how many nodes an expansion brings, where Busan falls on the map. Each test
leaves a screenshot in the test artifacts folder.
"""

from __future__ import annotations

import re

import pytest
from browser_support import shot, watched_tab
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUSAN = "trump-xi-busan-meeting-2025"


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = watched_tab(context, live_url)
    yield tab
    assert tab.errors == []
    context.close()


def poll(page, script: str, until=bool, tries: int = 100):
    """Evaluate until the value satisfies `until` (wait_for_function evals a string: CSP)."""
    for _ in range(tries):
        value = page.evaluate(script)
        if until(value):
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"{script} never satisfied the test (last: {value!r})")


def test_timeline_draws_busan_on_30_october(page, live_url, artifacts):
    page.goto(live_url + "/timeline")
    mark = page.locator(f'#timeline-canvas a.tl-item[data-id="{BUSAN}"]').first
    expect(mark).to_have_class("tl-item held precision-day")
    box = mark.locator("path").bounding_box()
    svg = page.locator("#timeline-canvas svg").bounding_box()
    left = page.evaluate("window.diplographTimeline.plotLeft")
    middle = box["x"] + box["width"] / 2 - svg["x"] - left
    drawn = page.evaluate(f"window.diplographTimeline.dateAt({middle}).toISOString()")
    assert drawn.startswith("2025-10-30"), drawn
    # the axis opens on the corpus's period: 2025 and 2026 ticks, not 2001
    ticks = page.locator("#timeline-canvas .tl-axis text").all_text_contents()
    assert "2001" not in ticks and any("October" in t or "Oct" in t for t in ticks), ticks
    # zoom in from the keyboard: the mark is drawn wider apart from its neighbours
    before = page.evaluate(
        "window.diplographTimeline.xOf('2025-11-30') - window.diplographTimeline.xOf('2025-10-30')"
    )
    page.locator("#timeline-canvas svg").focus()
    page.keyboard.press("+")
    after = page.evaluate(
        "window.diplographTimeline.xOf('2025-11-30') - window.diplographTimeline.xOf('2025-10-30')"
    )
    assert after > before * 1.4
    # a month-precision event is a bar about a month wide
    april = page.locator("#timeline-canvas a.tl-item.precision-month rect").first.bounding_box()
    month = page.evaluate(
        "window.diplographTimeline.xOf('2026-05-01') - window.diplographTimeline.xOf('2026-04-01')"
    )
    assert abs(april["width"] - month) < 2
    shot(page, artifacts, "20-timeline-zoomed")


def test_timeline_as_of_25_october_has_busan_planned(page, live_url, artifacts):
    page.goto(f"{live_url}/timeline?as_of=2025-10-25&focus={BUSAN}")
    mark = page.locator(f'#timeline-canvas a.tl-item[data-id="{BUSAN}"]').first
    expect(mark).to_have_class("tl-item upcoming precision-day focused")
    expect(page.locator(f"#event-{BUSAN}")).to_have_attribute("data-status", "planned")
    expect(page.locator(".tl-as-of text")).to_have_text("as of 2025-10-25")
    shot(page, artifacts, "21-timeline-as-of-2025-10-25")
    page.goto(f"{live_url}/timeline?as_of=2025-11-26&lanes=actor")
    expect(page.locator(f'#timeline-canvas a.tl-item[data-id="{BUSAN}"]').first).to_have_class(
        "tl-item held precision-day"
    )
    # one lane per actor: the meeting is drawn in Trump's lane and in Xi's
    assert page.locator(f'#timeline-canvas a.tl-item[data-id="{BUSAN}"]').count() >= 2
    shot(page, artifacts, "22-timeline-by-actor")


def test_timeline_events_are_reached_by_keyboard(page, live_url):
    page.goto(live_url + "/timeline")
    page.locator("#timeline-canvas svg").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('class')")
    assert focused.startswith("tl-item")


def test_map_draws_busan_inside_south_korea(page, live_url, artifacts):
    page.goto(live_url + "/map")
    expect(page.locator("#map-canvas")).to_have_attribute("data-ready", "true")
    assert page.evaluate("window.diplographMap.contains('South Korea', 'busan')")
    assert not page.evaluate("window.diplographMap.contains('Japan', 'busan')")
    assert page.evaluate("window.diplographMap.contains('China', 'beijing')")
    for drawing in ("svg.map-world", "svg.map-inset"):  # the world map and the enlarged one
        korea = page.locator(f'{drawing} path.map-country.venue[data-name="South Korea"]')
        expect(korea).to_have_count(1)
    expect(page.locator('#venue-table tr[data-id="busan"]')).to_contain_text("Q16520")
    page.locator('a.map-venue[data-id="busan"]').focus()
    shot(page, artifacts, "23-map")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_url + "/id/busan")


def test_map_follows_the_timelines_filters(page, live_url, artifacts):
    page.goto(live_url + "/timeline?from=2026-01-01")
    page.get_by_role("link", name="The same events on the map").click()
    expect(page.locator("#map-canvas")).to_have_attribute("data-ready", "true")
    venues = page.evaluate("window.diplographMap.venues")
    assert "beijing" in venues and "busan" not in venues
    expect(page.locator("#filter-from")).to_have_value("2026-01-01")
    shot(page, artifacts, "24-map-2026")


NODES = "window.diplographNetwork.cy.nodes().length"


def node_count(page) -> int:
    return page.evaluate(
        "window.diplographNetwork ? window.diplographNetwork.cy.nodes().length : 0"
    )


def test_network_expands_collapses_and_keeps_its_state_in_the_url(page, live_url, artifacts):
    page.goto(live_url + "/network?focus=xi-jinping")
    poll(page, "window.diplographNetwork && window.diplographNetwork.cy.nodes().length")
    before = node_count(page)
    expected = len(
        {n["id"] for n in page.request.get(live_url + f"/network/data?id={BUSAN}").json()["nodes"]}
        | set(page.evaluate("window.diplographNetwork.cy.nodes().map(n => n.id())"))
    )
    page.locator(f'#network-list button[data-id="{BUSAN}"]').click()
    assert (
        poll(page, "window.diplographNetwork.cy.nodes().length", lambda n: n > before) == expected
    )
    expect(page).to_have_url(f"{live_url}/network?focus=xi-jinping&expanded={BUSAN}")
    labels = page.locator("#network-list li a").all_text_contents()
    assert labels == sorted(labels, key=lambda s: s.casefold())
    shot(page, artifacts, "25-network-expanded")
    # the shared address redraws the same nodes
    page.goto(page.url)
    assert poll(page, "window.diplographNetwork.cy.nodes().length") == expected
    # collapse takes the leaves away again, from the keyboard
    button = page.locator(f'#network-list button[data-id="{BUSAN}"]')
    expect(button).to_have_text("Collapse")
    button.focus()
    page.keyboard.press("Enter")
    poll(page, "window.diplographNetwork.cy.nodes().length", lambda n: n < expected)
    expect(page).to_have_url(f"{live_url}/network?focus=xi-jinping")


def test_network_filters_by_kind_and_date(page, live_url, artifacts):
    page.goto(live_url + "/network?focus=xi-jinping")
    poll(page, "window.diplographNetwork && window.diplographNetwork.cy.nodes().length")
    visible = "window.diplographNetwork.cy.nodes().not('.hidden').length"
    everything = page.evaluate(visible)
    page.locator('#network-filters input[value="event"]').uncheck()
    assert page.evaluate(visible) < everything
    expect(page).to_have_url(re.compile(r"kinds=actor%2Cfact%2Cplace"))
    page.locator('#network-filters input[value="event"]').check()
    page.fill("#network-from", "2026-01-01")
    page.locator("#network-from").dispatch_event("change")
    shown = page.evaluate("window.diplographNetwork.cy.nodes().not('.hidden').map(n => n.id())")
    assert "trump-state-visit-beijing-2026" in shown and BUSAN not in shown
    expect(page.locator(f'#network-list li[data-id="{BUSAN}"]')).to_be_hidden()
    page.click("#network-fit")
    label = page.locator("#network-canvas").get_attribute("aria-label")
    assert label.startswith("Graph of ")
    shot(page, artifacts, "26-network-2026")


def test_network_opens_on_a_place(page, live_url):
    page.goto(live_url + "/network?focus=busan")
    ids = poll(
        page, "window.diplographNetwork && window.diplographNetwork.cy.nodes().map(n => n.id())"
    )
    assert BUSAN in ids


# What the renderer draws: a label it does not skip as too small, not made transparent,
# and the box each drawn label takes on screen (Cytoscape's own measure, label only).
LABELS = """() => {
  const cy = window.diplographNetwork.cy, r = cy.renderer(), z = cy.zoom();
  const drawn = cy.nodes().filter(n => n.visible() && n.data('label')
    && r.eleTextBiggerThanMin(n) && n.pstyle('text-opacity').value > 0);
  const box = (n, labels) => n.renderedBoundingBox({includeNodes: !labels, includeEdges: false,
    includeLabels: labels, includeOverlays: false});
  const overlapping = bs => { let c = 0;
    for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) {
      const a = bs[i], b = bs[j];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) { c += 1; } }
    return c; };
  const all = cy.nodes().filter(n => n.visible()), w = cy.width(), h = cy.height();
  const inView = (p) => p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h;
  const cut = drawn.filter(n => inView(n.renderedPosition())).filter(n => { const b = box(n, true);
    return b.x1 < 0 || b.y1 < 0 || b.x2 > w || b.y2 > h; });
  return {nodes: all.length, drawn: drawn.map(n => n.id()),
    pairs: drawn.length * (drawn.length - 1) / 2,
    overlapping: overlapping(drawn.map(n => box(n, true))),
    smallest_px: Math.min(...drawn.map(n => n.pstyle('font-size').pfValue * z)),
    node_pairs: all.length * (all.length - 1) / 2,
    nodes_overlapping: overlapping(all.map(n => box(n, false))),
    hubs: all.filter(n => n.degree() >= 6).map(n => n.id()), cut: cut.map(n => n.id())};
}"""


def whole_network(page, live_url: str, focus: str) -> tuple[set[str], list[str]]:
    """Every node reachable from `focus`, and the fewest nodes to expand (greedily) to
    draw them all: the URL a reader would share after expanding everything."""
    seen: dict[str, set[str]] = {}

    def around(node: str) -> set[str]:
        if node not in seen:
            response = page.request.get(f"{live_url}/network/data?id={node}")
            seen[node] = {n["id"] for n in response.json()["nodes"]} if response.ok else set()
        return seen[node]

    reach, frontier = set(around(focus)), set(around(focus))
    while frontier:
        frontier = set().union(*(around(n) for n in frontier)) - reach
        reach |= frontier
    shown, expanded = set(around(focus)), []
    while shown != reach:
        best = max(sorted(reach - {focus, *expanded}), key=lambda n: len(around(n) - shown))
        shown |= around(best)
        expanded.append(best)
    return reach, expanded


def labels_settled(page, runs_before: int) -> dict:
    poll(page, "window.diplographNetwork.labelRuns()", lambda n: n > runs_before)
    poll(page, "window.diplographNetwork.labelsSettled()")  # placed after the last zoom
    return page.evaluate(LABELS)


def assert_labels_readable(found: dict, at_least: int) -> None:
    assert found["overlapping"] == 0, found
    assert found["cut"] == [], found  # a node in view has its whole label in view
    assert found["smallest_px"] >= 11, found
    assert len(found["drawn"]) >= at_least, found
    assert found["nodes_overlapping"] <= found["node_pairs"] * 0.002, found


def test_network_labels_stay_readable_at_150_nodes(page, live_url, artifacts):
    reach, expanded = whole_network(page, live_url, "china")
    page.goto(f"{live_url}/network?focus=china&expanded={','.join(expanded)}")
    poll(page, "window.diplographNetwork && window.diplographNetwork.labelRuns()")
    found = labels_settled(page, 0)
    assert found["nodes"] == len(reach) >= 100
    # at the fitted overview: no two drawn labels overlap, each is drawn at a size one
    # reads (the focus and most hubs among them), and the rest wait for the zoom
    assert_labels_readable(found, at_least=len(reach) // 4)
    assert "china" in found["drawn"]
    assert len(set(found["hubs"]) & set(found["drawn"])) >= len(found["hubs"]) * 2 // 3
    shot(page, artifacts, "27-network-all-nodes")
    # 150 nodes and more: the data has fewer, so every event is drawn twice (a copy tied
    # to the same actors, places and facts), laid out afresh as a shared view is
    page.evaluate("""() => {
      const net = window.diplographNetwork, cy = net.cy;
      const events = cy.nodes("[kind = 'event']");
      const end = n => n.data('kind') === 'event' ? n.id() + '-copy' : n.id();
      net.merge({nodes: events.map(e => ({...e.data(), id: e.id() + '-copy'})),
                 edges: events.connectedEdges().map(l => ({...l.data(), id: l.id() + '-copy',
                   source: end(l.source()), target: end(l.target())}))});
      net.relayout(true);
      net.refresh();
    }""")
    found = labels_settled(page, 0)
    assert found["nodes"] >= 150, found["nodes"]
    assert_labels_readable(found, at_least=found["nodes"] // 5)
    shot(page, artifacts, "28-network-150-nodes")
    # zoomed in from the keyboard: the labels that were left out come in, still apart
    runs = page.evaluate("window.diplographNetwork.labelRuns()")
    overview = len(found["drawn"])
    for _ in range(3):
        page.locator("#network-zoom-in").focus()
        page.keyboard.press("Enter")
    zoomed = labels_settled(page, runs)
    assert_labels_readable(zoomed, at_least=1)
    assert len(set(zoomed["drawn"]) - set(found["drawn"])) > 0
    shot(page, artifacts, "29-network-150-nodes-zoomed")
    # a node left unlabelled is named when its entry in the list has the focus
    hidden = next(
        n
        for n in page.evaluate("window.diplographNetwork.cy.nodes().map(n => n.id())")
        if n not in zoomed["drawn"] and not n.endswith("-copy")
    )
    page.locator(f'#network-list li[data-id="{hidden}"] a').focus()
    assert hidden in page.evaluate(LABELS)["drawn"]
    assert overview > 0


# Each map's visible venue names, as drawn on screen.
MAP_NAMES = """() => [...document.querySelectorAll('#map-canvas svg')].map(svg =>
  [...svg.querySelectorAll('a.map-venue text')]
    .filter(t => t.getAttribute('display') !== 'none' && t.getClientRects().length)
    .map(t => { const r = t.getBoundingClientRect(), id = t.closest('a').dataset.id;
      return {id, x1: r.left, x2: r.right, y1: r.top, y2: r.bottom}; }))"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]
    ]


def test_map_names_every_venue_without_overlap(page, live_url, artifacts):
    page.goto(live_url + "/map")
    expect(page.locator("#map-canvas")).to_have_attribute("data-ready", "true")
    maps = page.evaluate(MAP_NAMES)
    for names in maps:
        assert overlapping(names) == []
        assert all(n["y2"] - n["y1"] >= 11 for n in names), names  # a size one reads
    named = [n["id"] for names in maps for n in names]
    venues = page.evaluate("window.diplographMap.venues")
    assert sorted(named) == sorted(venues)  # each venue named once, on one of the maps
    # the crowded corner is drawn enlarged, and its venues are there, each a link
    enlarged = page.evaluate("window.diplographMap.enlarged")
    assert {"busan", "seoul", "beijing", "osaka", "kuala-lumpur"} <= set(enlarged)
    inset = page.locator("#map-canvas svg.map-inset")
    for venue in enlarged:
        expect(inset.locator(f'a.map-venue[data-id="{venue}"]')).to_have_count(1)
    assert page.evaluate("window.diplographMap.contains('South Korea', 'busan')")
    assert page.evaluate("window.diplographMap.contains('South Korea', 'seoul')")
    assert page.evaluate("window.diplographMap.contains('Japan', 'osaka')")
    assert not page.evaluate("window.diplographMap.contains('Japan', 'busan')")
    inset.scroll_into_view_if_needed()
    shot(page, artifacts, "30-map-east-asia")


def test_network_labels_stay_apart_as_nodes_are_expanded_one_by_one(page, live_url, artifacts):
    """The reader's own path: expansions from the keyboard, each laid out from the present
    positions (not afresh), and the labels still apart after each."""
    page.goto(live_url + "/network?focus=china")
    poll(page, "window.diplographNetwork && window.diplographNetwork.labelRuns()")
    start = node_count(page)
    for _ in range(6):  # each time, the most connected node not yet expanded
        hub = page.evaluate(
            "window.diplographNetwork.cy.nodes().not('.expanded').max(n => n.degree()).ele.id()"
        )
        before = node_count(page)
        runs = page.evaluate("window.diplographNetwork.labelRuns()")
        button = page.locator(f'#network-list button[data-id="{hub}"]')
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_text("Collapse")
        found = labels_settled(page, runs)
        assert found["nodes"] >= before
        assert found["overlapping"] == 0 and found["smallest_px"] >= 11, (hub, found)
    assert found["nodes"] > start
    shot(page, artifacts, "31-network-expanded-one-by-one")


def test_event_page_as_of_a_day_from_the_keyboard(page, live_url, artifacts):
    page.goto(f"{live_url}/id/{BUSAN}")
    field = page.locator("#entity-as-of")
    field.focus()
    page.keyboard.type("10252025")  # the browser's own date field: month, day, year
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"as_of=2025-10-25"))
    expect(page.locator("#status-as-of")).to_have_attribute("data-status", "planned")
    shot(page, artifacts, "32-event-as-of-2025-10-25")
    page.goto(f"{live_url}/id/{BUSAN}?as_of=2025-11-26")
    expect(page.locator("#status-as-of")).to_have_attribute("data-status", "held")
