# ruff: noqa: F811  (the browser fixtures are imported by name and taken as arguments)
"""Accessibility (issue 18): axe-core, from node_modules and injected by the test, finds no
serious or critical violation on any kind of page, at desktop and at phone width."""

from __future__ import annotations

import json

import pytest
from browser_support import axe_violations, page, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "home": "/",
    "event": "/id/trump-xi-busan-meeting-2025",
    "person": "/id/scott-bessent",
    "commitment": "/id/china-soybean-purchase-commitment",
    "polity": "/id/china",
    "place": "/id/busan",
    "statement": "/id/statement-xi-taiwan-return-postwar-order",
    "disagreement": "/id/disagreement-busan-meeting-format-2025",
    "search": "/search?q=busan",
    "search-words": "/search?q=post-World+War+II",
    "timeline": "/timeline",
    "network": "/network",
    "map": "/map",
    "catalogue": "/queries",
    "query": "/queries/cq03-purchase-commitments?run=1",
    "downloads": "/downloads",
    "ontology": "/ontology",
    "validation": "/validation",
    "sources": "/sources",
    "source": "/sources/gatesquare-2025-11-25",
    "disagreements": "/disagreements",
    "editor": "/query-editor",
    "not-found": "/no-such-page",
}


# The editor too: editor.js moves YASGUI's "+" button out of its tab list (a tablist holds
# only tabs) and gives CodeMirror its contenteditable input, inside the scroll area;
# editor.css darkens the line numbers and the pale token colours.
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violations(page, live_url, artifacts, name):
    page.goto(live_url + PAGES[name], wait_until="networkidle")
    found = axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    found += [v for v in axe_violations(page) if v not in found]
    if found:
        shot(page, artifacts, f"axe-{name}")
    assert found == [], json.dumps(found, indent=1)


def test_mobile_header_is_at_most_120px_and_opens_as_a_menu(page, live_url, artifacts):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_url + "/id/trump-xi-busan-meeting-2025")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 120
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Timeline").is_visible()
    shot(page, artifacts, "mobile-menu-open")
