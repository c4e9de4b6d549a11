"""The export process (exports/process.py): started before its files are known, then begun."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from diplograph.cli.build import _WARM, build
from diplograph.exports.process import ExportFailed, ExportProcess

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Path:
    instance = tmp_path_factory.mktemp("instance")
    minimal = FIXTURES / "valid" / "minimal"
    return build(minimal, instance, sources_dir=FIXTURES / "sources", validate=False).build_dir


def test_begun_later_it_writes_what_the_build_wrote(small_build, tmp_path):
    exports = ExportProcess()  # started before anything to export exists
    manifest = json.loads((small_build / "manifest.json").read_text())
    exports.begin(small_build / "graph.nq", tmp_path / "exports", manifest)
    exports.wait()
    for name in ("diplograph.nq", "diplograph.ttl", "diplograph.jsonld"):
        assert (tmp_path / "exports" / name).read_bytes() == (
            small_build / "exports" / name
        ).read_bytes(), name
    assert not (tmp_path / ".exports-manifest.json").exists()


def test_a_build_that_fails_first_leaves_no_process(tmp_path):
    exports = ExportProcess()
    exports.stop()
    assert exports.process.poll() is not None


def test_nothing_on_stdin_ends_it_quietly():
    done = subprocess.run(
        [sys.executable, "-m", "diplograph.exports.export", "-"],
        input=b"",
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr == b""


def test_a_failure_reaches_the_caller_with_its_words(small_build, tmp_path):
    exports = ExportProcess()
    exports.begin(tmp_path / "missing.nq", tmp_path / "exports", {"build_id": "x"})
    with pytest.raises(ExportFailed, match="missing.nq"):
        exports.wait()


def test_a_kept_process_takes_the_next_job_and_a_failure_ends_it(small_build, tmp_path):
    exports = ExportProcess()
    manifest = json.loads((small_build / "manifest.json").read_text())
    try:
        for run in ("first", "second"):
            (tmp_path / run).mkdir()
            exports.begin(small_build / "graph.nq", tmp_path / run / "exports", manifest)
            exports.wait()
            assert exports.ready(), run  # alive and idle: a later build can hand it a job
        first, second = (sorted((tmp_path / r / "exports").iterdir()) for r in ("first", "second"))
        assert [p.name for p in first] == [p.name for p in second]
        assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
        exports.begin(tmp_path / "missing.nq", tmp_path / "exports", manifest)
        with pytest.raises(ExportFailed, match="missing.nq"):
            exports.wait()
        assert not exports.ready() and exports.process.poll() is not None
    finally:
        exports.stop()


def test_builds_in_one_process_hand_the_export_process_on(small_build, tmp_path):
    kept = _WARM.exports  # small_build's, kept after its build
    assert kept is not None and kept.ready()
    minimal = FIXTURES / "valid" / "minimal"
    build(minimal, tmp_path / "instance", sources_dir=FIXTURES / "sources", validate=False)
    assert _WARM.exports is kept and kept.ready()
