"""Shared by the reliability tests: two small builds that differ, a live server, a counter.

Build "A" is the minimal curated fixture; build "B" adds one person, so every reader can
tell from a triple count which build answered. Builds run without validation (the
validation tests cover it): these tests are about publishing and serving.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests
import waitress

from diplograph.cli.build import build

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
SOURCES = FIXTURES / "sources"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
EXTRA_PERSON = "- id: delta-reliability\n  type: Person\n  label: Delta Reliability\n"


def variant(tmp: Path, name: str, extra: str = EXTRA_PERSON) -> Path:
    """A copy of the minimal fixture with `extra` appended to its people."""
    target = Path(tmp) / name
    shutil.copytree(MINIMAL, target)
    with (target / "entities" / "people.yaml").open("a", encoding="utf-8") as f:
        f.write(extra)
    return target


def build_into(data_dir: Path, instance: Path, *, publish: bool = True):
    """Build `data_dir` into `instance` and publish it.

    Build A published into a new instance is a copy of the one such build this process
    made: most of these tests start from it, and building it anew each time (about 7 s)
    cost the serving and crash tests about 150 s of the suite; what they test happens
    after it. Other data, or an instance that already has builds, is really built.
    """
    if data_dir == MINIMAL and publish and not Path(instance).exists():
        return _copy_of_minimal(Path(instance))
    return build(data_dir, instance, sources_dir=SOURCES, validate=False, publish=publish)


_MINIMAL_BUILT: list = []  # (instance, result) of this process's one real build of A


def _copy_of_minimal(instance: Path):
    if not _MINIMAL_BUILT:
        template = Path(tempfile.mkdtemp(prefix="minimal-instance-")) / "instance"
        atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
        result = build(MINIMAL, template, sources_dir=SOURCES, validate=False)
        _MINIMAL_BUILT.append((template, result))
    template, result = _MINIMAL_BUILT[0]
    shutil.copytree(template, instance, symlinks=True)  # `current` is a relative link
    return dataclasses.replace(result, build_dir=instance / "builds" / result.build_id)


BUILD_SCRIPT = """
import sys
from pathlib import Path
from diplograph.cli.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]), sources_dir=Path(sys.argv[3]), validate=False)
"""


def build_process(data_dir: Path, instance: Path, fault: str | None = None) -> subprocess.Popen:
    """`build` in its own process, optionally told to SIGKILL itself at a named point."""
    env = dict(os.environ)
    env.pop("DIPLOGRAPH_FAULT", None)
    if fault:
        env["DIPLOGRAPH_FAULT"] = fault
    return subprocess.Popen(
        [sys.executable, "-c", BUILD_SCRIPT, str(data_dir), str(instance), str(SOURCES)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@contextmanager
def live_server(app, threads: int = 16):
    """Serve `app` with waitress on a free loopback port; yield its base URL."""
    server = waitress.create_server(
        app, host="127.0.0.1", port=0, threads=threads, ident="diplograph-test"
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(5)


def count_url(base: str) -> str:
    return f"{base}/sparql?query={quote(COUNT_QUERY)}&format=csv"


def served_count(session: requests.Session, base: str) -> int:
    """The quad count the server answers; raises on any non-200."""
    response = session.get(count_url(base), timeout=30)
    response.raise_for_status()
    return int(response.text.split()[-1])
