"""Shared fixtures: built instances, the app with its client and CLI runner, a live server.

Two instances: the project's curated data (for pages), and a small protocol instance
(the W3C SPARQL Protocol data plus a graph of numbered rows) for the endpoint tests,
served as users run it (`diplograph serve`: granian, worker processes) and, for tests that
look inside the app while it serves, by waitress from a thread of the test process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import waitress
from endpoint_data import ENDPOINT_LIMITS, KASEI, ROW_COUNT, ROWS_GRAPH, W3C_DIR

from diplograph import store as st
from diplograph.loaders.parsed_files import CACHE_ENV


@pytest.fixture(scope="session", autouse=True)
def parsed_files_cache(tmp_path_factory):
    """The parsed project files (loaders/parsed_files.py) go to the session's own folder,
    not the user's cache, for this process and every process it starts with its
    environment."""
    saved = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("parsed-files"))
    yield Path(os.environ[CACHE_ENV])
    if saved is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = saved


def _close(app) -> None:
    from diplograph.web.context import STORE_KEY

    app.extensions[STORE_KEY].close()


@pytest.fixture(scope="session")
def project_instance(tmp_path_factory) -> Path:
    """The project's curated data, built without validation and published."""
    from diplograph.cli.build import build

    home = tmp_path_factory.mktemp("project-instance")
    build(instance=home, validate=False)
    return home


@pytest.fixture(scope="session")
def app(project_instance):
    from diplograph.web import create_app

    app = create_app({"TESTING": True, "DIPLOGRAPH_HOME": str(project_instance), "WORKERS": 2})
    yield app
    _close(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def protocol_nquads() -> str:
    """data1..3.nt each in the named graph the W3C manifest names, plus ROWS_GRAPH."""
    lines = []
    for n in (1, 2, 3):
        graph = f"<{KASEI}data{n}.rdf>"
        for line in (W3C_DIR / f"data{n}.nt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(f"{line.rstrip().removesuffix('.').rstrip()} {graph} .")
    for i in range(ROW_COUNT):
        lines.append(
            f'<http://example.org/row/{i:03d}> <http://example.org/n> "{i}" <{ROWS_GRAPH}> .'
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def protocol_instance(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("protocol-instance")
    build_dir = home / "builds" / "protocol"
    build_dir.mkdir(parents=True)
    (build_dir / "graph.nq").write_text(protocol_nquads(), encoding="utf-8")
    st.load_nquads(build_dir / "graph.nq", build_dir / "store")
    st.publish(home, build_dir)
    return home


@pytest.fixture(scope="session")
def endpoint_app(protocol_instance):
    """The app over the protocol instance, with small limits so the tests can hit them."""
    from diplograph.web import create_app

    config = {"TESTING": True, "DIPLOGRAPH_HOME": str(protocol_instance), **ENDPOINT_LIMITS}
    app = create_app(config)
    yield app
    _close(app)


@pytest.fixture
def endpoint_client(endpoint_app):
    return endpoint_app.test_client()


@pytest.fixture(scope="session")
def served_endpoint(protocol_instance):
    """Base URL of the protocol instance under `diplograph serve` (two granian worker
    processes) with the endpoint tests' limits: the server users run."""
    from serving_support import serving

    limits = {f"FLASK_{name}": str(value) for name, value in ENDPOINT_LIMITS.items()}
    with serving(protocol_instance, "--processes", "2", "--threads", "4", **limits) as server:
        yield f"http://127.0.0.1:{server.port}"


@pytest.fixture(scope="session")
def live_server(endpoint_app):
    """Base URL of endpoint_app served by waitress on a free loopback port, from a thread
    of this process (granian forks): for tests that inspect the app as it serves."""
    server = waitress.create_server(endpoint_app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)
