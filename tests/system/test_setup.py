"""The one-command set-up: what .ci/setup must leave on a fresh machine for the rest to work."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
from requests.auth import HTTPDigestAuth

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Flags a closed network needs: without them Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def quick_start_commands() -> list[str]:
    """The command lines of the first code block under the README's "Quick start" heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.M | re.S)
    assert section, "README.md has no '## Quick start' section"
    block = re.search(r"^```[a-z]*\n(.*?)^```", section.group(1), re.M | re.S)
    assert block, "the quick start has no code block"
    lines = [line.strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def script_commands(path: Path) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300, **kwargs)


def test_readme_quick_start_is_exactly_serve_then_test():
    assert quick_start_commands() == ["bash .ci/serve", "bash .ci/test"]


def test_ci_run_execs_the_readme_test_command_verbatim():
    test_command = quick_start_commands()[1]
    assert script_commands(ROOT / ".ci" / "run") == [f"exec {test_command}"]


def test_readme_keeps_the_sections_later_work_fills():
    headings = re.findall(r"^## (.+)$", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)
    for heading in ("Quick start", "Command line", "Data", "Architecture"):
        assert heading in headings


def test_ci_scripts_are_valid_bash():
    for script in ("setup", "test", "serve", "run", "virtuoso"):
        result = run("bash", "-n", f".ci/{script}")
        assert result.returncode == 0, result.stderr


def test_setup_is_idempotent_and_installs_nothing_the_second_time():
    result = run("bash", ".ci/setup")
    assert result.returncode == 0, result.stderr
    assert "installing" not in result.stdout + result.stderr
    assert "done (full)" in result.stdout


def test_every_front_end_package_is_installed_at_its_locked_version():
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert {"cytoscape", "@zazuko/yasgui"} <= set(manifest["dependencies"])
    for name in manifest["dependencies"]:
        installed = ROOT / "node_modules" / name / "package.json"
        assert installed.is_file(), f"{name} is not in node_modules"
        version = json.loads(installed.read_text(encoding="utf-8"))["version"]
        assert version == lock["packages"][f"node_modules/{name}"]["version"]


@pytest.mark.parametrize(
    "asset",
    [
        "cytoscape/dist/cytoscape.min.js",
        "cytoscape-fcose/cytoscape-fcose.js",
        "@zazuko/yasgui/build/yasgui.min.js",
        "@zazuko/yasgui/build/yasgui.min.css",
    ],
)
def test_browser_builds_the_web_app_serves_are_present(asset):
    assert (ROOT / "node_modules" / asset).stat().st_size > 1000


def test_rapper_accepts_good_turtle_and_rejects_bad(tmp_path):
    assert run("rapper", "--version").returncode == 0
    good = tmp_path / "good.ttl"
    good.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text('<urn:a> <urn:b> "c" \n', encoding="utf-8")
    assert run("rapper", "-q", "-i", "turtle", "-c", str(good)).returncode == 0
    assert run("rapper", "-q", "-i", "turtle", "-c", str(bad)).returncode != 0


def test_java_runs_for_hermit():
    result = run("java", "-version")
    assert result.returncode == 0
    assert "version" in result.stderr


def test_chromium_reports_its_version():
    result = run(CHROMIUM, "--version")
    assert result.returncode == 0
    assert re.search(r"Chromium \d+\.", result.stdout)


@pytest.mark.browser
def test_playwright_drives_debian_chromium():
    from playwright.sync_api import sync_playwright

    artifacts = Path(os.environ.get("DIPLOGRAPH_TEST_ARTIFACTS", ROOT / "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content("<button onclick=\"this.textContent='clicked'\">click me</button>")
            page.click("button")
            assert page.inner_text("button") == "clicked"
            page.screenshot(path=str(artifacts / "setup-chromium.png"))
        finally:
            browser.close()
    assert (artifacts / "setup-chromium.png").stat().st_size > 0


def test_no_tracked_file_names_this_machines_paths():
    pattern = "(" + "|".join(f"/{top}/" for top in ("work", "root")) + ")"
    result = run("git", "grep", "-nE", pattern, "--", ".", ":!*.lock")
    assert result.returncode == 1, f"machine paths in tracked files:\n{result.stdout}"


# --- Virtuoso -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def virtuoso() -> dict[str, str]:
    """The private Virtuoso of .ci/virtuoso, stopped afterwards unless it was already running."""
    was_running = run("bash", ".ci/virtuoso", "status").returncode == 0
    started = run("bash", ".ci/virtuoso", "start")
    assert started.returncode == 0, started.stderr
    env = dict(
        line.split("=", 1) for line in run("bash", ".ci/virtuoso", "env").stdout.splitlines()
    )
    env["VIRTUOSO_PASSWORD"] = Path(env["VIRTUOSO_PASSWORD_FILE"]).read_text().strip()
    yield env
    if not was_running:
        run("bash", ".ci/virtuoso", "stop")


def isql(env: dict[str, str], sql: str) -> subprocess.CompletedProcess:
    return run("isql-vt", env["VIRTUOSO_ISQL"], "dba", env["VIRTUOSO_PASSWORD"], f"EXEC={sql};")


@pytest.mark.virtuoso
@pytest.mark.slow
def test_virtuoso_answers_a_sparql_query_on_loopback(virtuoso):
    url = virtuoso["VIRTUOSO_SPARQL_URL"]
    assert url.startswith("http://127.0.0.1:")
    assert not url.startswith(("http://127.0.0.1:8890/", "http://127.0.0.1:1111/"))
    response = requests.post(
        url,
        data={"query": "SELECT * WHERE {?s ?p ?o} LIMIT 1"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.json()["head"]["vars"] == ["s", "p", "o"]


@pytest.mark.virtuoso
@pytest.mark.slow
def test_virtuoso_dba_password_is_the_generated_secret_not_dba(virtuoso):
    password = virtuoso["VIRTUOSO_PASSWORD"]
    assert password and password != "dba"
    # Read back the stored password with the secret itself: a failed login would count
    # towards Virtuoso's lock-out of 127.0.0.1.
    result = isql(
        virtuoso, "SELECT pwd_magic_calc(U_NAME, U_PASSWORD, 1) FROM SYS_USERS WHERE U_NAME = 'dba'"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert password in result.stdout


@pytest.mark.virtuoso
@pytest.mark.slow
def test_virtuoso_update_and_graph_store_need_digest_auth_as_dba(virtuoso):
    graph = f"urn:diplograph-test:{uuid.uuid4()}"
    auth = HTTPDigestAuth("dba", virtuoso["VIRTUOSO_PASSWORD"])
    update = f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "via update" }} }}'
    anonymous = requests.post(virtuoso["VIRTUOSO_SPARQL_URL"], data={"update": update}, timeout=30)
    assert not anonymous.ok or "permission" in anonymous.text.lower()
    try:
        updated = requests.post(
            virtuoso["VIRTUOSO_SPARQL_AUTH_URL"], data={"update": update}, auth=auth, timeout=30
        )
        assert updated.status_code == 200, updated.text
        stored = requests.post(
            virtuoso["VIRTUOSO_GSP_URL"],
            params={"graph-uri": graph},
            data=b'<urn:c> <urn:d> "via graph store" .\n',
            headers={"Content-Type": "text/turtle"},
            auth=auth,
            timeout=30,
        )
        assert stored.status_code in (200, 201, 204), stored.text
        result = requests.post(
            virtuoso["VIRTUOSO_SPARQL_URL"],
            data={"query": f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()
        objects = {row["o"]["value"] for row in result["results"]["bindings"]}
        assert objects == {"via update", "via graph store"}
    finally:
        isql(virtuoso, f"SPARQL CLEAR GRAPH <{graph}>")


def test_virtuoso_helper_never_uses_debian_default_ports():
    text = (ROOT / ".ci" / "virtuoso").read_text(encoding="utf-8")
    assert "127.0.0.1:$http_port" in text and "127.0.0.1:$isql_port" in text
    defaults = {
        name: value for name, value in re.findall(r"(\w+_port)=\$\{VIRTUOSO_\w+:-(\d+)\}", text)
    }
    assert set(defaults) == {"http_port", "isql_port"}
    assert not {"8890", "1111"} & set(defaults.values())


def test_serve_script_runs_diplograph_serve_on_loopback():
    commands = script_commands(ROOT / ".ci" / "serve")
    serve = [c for c in commands if "diplograph serve --host" in c]
    assert len(serve) == 1
    assert shlex.split(serve[0])[:7] == [
        "exec",
        ".venv/bin/diplograph",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
    ]
