"""`serve --watch`: a save is rebuilt and shown; a broken file is a banner, not a crash."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request

import pytest
from click.testing import CliRunner
from serving_support import serving

from diplograph.cli.build import build
from diplograph.cli.main import main
from diplograph.cli.watch import is_loopback
from diplograph.data import DATA_DIR
from diplograph.loaders.excerpts import default_sources_dir

WAIT = 240  # seconds: a bound on a rebuild on a loaded machine, never a measurement


def test_loopback_hosts():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


def test_watch_refuses_a_host_other_than_loopback(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--watch", str(tmp_path), "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "--watch rebuilds a local working copy" in result.output


def _page(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
        assert answer.status == 200
        return answer.read().decode("utf-8")


def _until(port: int, path: str, found) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        page = _page(port, path)
        if found(page):
            return page
        time.sleep(0.5)
    raise AssertionError(f"{path} never showed what was awaited:\n{page[:2000]}")


@pytest.mark.slow
def test_serve_watch_rebuilds_on_save_and_shows_errors_as_a_banner(tmp_path):
    data, instance = tmp_path / "data", tmp_path / "instance"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    build(data, instance, sources_dir=default_sources_dir())
    facts = sorted((data / "facts").glob("*.yaml"))[0]
    text = facts.read_text()
    fact_id, label = re.search(r"- id: (\S+)\n(?:    .*\n)*?    label: (.+)\n", text).groups()
    with serving(instance, "--watch", str(data), "--processes", "1") as server:
        assert label in _page(server.port, f"/id/{fact_id}")
        facts.write_text(text.replace(f"label: {label}", "label: Relabelled on save", 1))
        _until(server.port, f"/id/{fact_id}", lambda page: "Relabelled on save" in page)
        assert "build-error" not in _page(server.port, "/")

        facts.write_text(text + "\n  - id: Not-An-Id\n    type: Claim\n")
        where = f"facts/{facts.name}:"
        page = _until(server.port, "/", lambda page: "build-error" in page)
        assert where in page  # file:line of the problem
        assert "Relabelled on save" in _page(server.port, f"/id/{fact_id}")  # still serving

        facts.write_text(text)
        _until(server.port, "/", lambda page: "build-error" not in page)
        assert label in _page(server.port, f"/id/{fact_id}")
        assert server.proc.poll() is None
