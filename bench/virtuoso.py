"""The private Virtuoso of `.ci/virtuoso`: start it, and address a registry of one's own.

Each caller pushes into its own registry (`urn:diplograph:versions:test-<name>`), so the
benches and the test modules sharing the one server never switch each other's serving
version. tests/support/virtuoso_support.py builds its test helpers on these two.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from diplograph.store.http import Endpoints

ROOT = Path(__file__).resolve().parents[1]


def virtuoso_env() -> dict[str, str]:
    """Start the private server if needed; its URLs and the generated DBA password."""

    def run(*args):
        return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300)

    started = run("bash", ".ci/virtuoso", "start")
    assert started.returncode == 0, started.stderr
    env = dict(line.split("=", 1) for line in run("bash", ".ci/virtuoso", "env").stdout.split())
    env["VIRTUOSO_PASSWORD"] = Path(env["VIRTUOSO_PASSWORD_FILE"]).read_text().strip()
    return env


def endpoints(env: dict[str, str], name: str) -> Endpoints:
    return Endpoints.for_url(
        env["VIRTUOSO_SPARQL_URL"],
        env["VIRTUOSO_USER"],
        env["VIRTUOSO_PASSWORD"],
        registry=f"urn:diplograph:versions:test-{name}",
    )
