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
    expect(page.locator('path.map-country.venue[data-name="South Korea"]')).to_have_count(1)
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
