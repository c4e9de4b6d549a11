"""The exports of a build, written by a process of its own while the build loads and validates.

A separate process (not a fork) so that its memory is its own, and counted as such; it
dies with the build (a killed build must not leave it writing on).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from diplograph.store.lifeline import die_with_parent


class ExportFailed(RuntimeError):
    """The export process failed: the message ends with the tail of what it printed."""


class ExportProcess:
    """`python -m diplograph.exports.export` on a build's graph.nq, started at once."""

    def __init__(self, nq: Path, out: Path, manifest: dict, reuse: Path | None = None):
        spec = out.with_name(".exports-manifest.json")
        spec.write_text(json.dumps(manifest))
        self.spec = spec
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by wait() or stop()
        args = [str(nq), str(out), str(spec)] + ([str(reuse)] if reuse else [])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "diplograph.exports.export", *args],
            stdout=self.log,
            stderr=self.log,
            preexec_fn=die_with_parent,
        )

    def wait(self) -> None:
        """Wait for the exports; raise ExportFailed with the tail of the process's output."""
        try:
            if self.process.wait() != 0:
                self.log.seek(0)
                tail = self.log.read().decode("utf-8", "replace").strip().splitlines()[-15:]
                raise ExportFailed("writing the exports failed:\n" + "\n".join(tail))
        finally:
            self.log.close()
        self.spec.unlink()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
