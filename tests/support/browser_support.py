"""Browser helpers: Chromium's path and launch flags, screenshots, the analyst-task and
accessibility tests' page (CSP bypassed so axe-core, from node_modules and never served to
users, can be injected), and the app's own SPARQL endpoint for checking a page against the
data. The shared fixtures are in tests/system/conftest.py."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PREFIXES = (
    "PREFIX dg: <https://w3id.org/diplograph/def#> PREFIX id: <https://w3id.org/diplograph/id/>\n"
)


@pytest.fixture
def page(browser, live_url):
    # CSP bypassed so axe-core can be injected; test_browser.py checks the CSP itself.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, bypass_csp=True
    )
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.errors = errors
    yield tab
    context.close()


def shot(page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)


def sparql(page, live_url: str, query: str) -> list[dict]:
    """Rows of a SELECT on the app's own endpoint, each variable to its plain value."""
    response = page.request.get(
        f"{live_url}/sparql?query={quote(PREFIXES + query)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.ok, response.text()
    bindings = json.loads(response.text())["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the page as shown, of the given impacts."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in found
        if v["impact"] in impacts
    ]


def watched_tab(context, live_url: str):
    """A new tab that collects in `.errors` console errors, page errors and any request
    that leaves the app (the UI works offline): the test asserts the list stays empty."""
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on(
        "request",
        lambda r: not r.url.startswith((live_url, "data:", "blob:")) and tab.errors.append(r.url),
    )
    return tab
