"""Browser fixtures shared by every browser test: the app served by waitress on loopback,
Debian's Chromium through Playwright (no browser download), screenshots into the test
artifacts folder. Each test module keeps its own `page` (what it checks on every page
differs: console errors and foreign requests, or axe-core with the CSP bypassed)."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
import waitress
from browser_support import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright


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
