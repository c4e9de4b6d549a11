"""Browser fixtures shared by the analyst-task and accessibility tests: the app served by
waitress on loopback, Debian's Chromium through Playwright (the launch flags of
tests/system/test_browser.py), screenshots into the test artifacts folder, the app's own
SPARQL endpoint for checking a page against the data, and axe-core from node_modules
(injected by the test, never served to users)."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import waitress
from playwright.sync_api import sync_playwright

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


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("DIPLOGRAPH_TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def live_url(app):
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)

    def serve():
        with contextlib.suppress(OSError):
            server.run()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


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
