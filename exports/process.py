"""The exports of a build, written by a process of its own while the build loads and validates.

A separate process (not a fork) so that its memory is its own, and counted as such; it
dies with the build (a killed build must not leave it writing on).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from diplograph.store.lifeline import die_with_parent


class ExportFailed(RuntimeError):
    """The export process failed: the message ends with the tail of what it printed."""


class ExportProcess:
    """`python -m diplograph.exports.export -`, started before the build has anything to
    export: the interpreter and its imports (~0.3 s, more than patching the last build's
    exports takes) overlap the build's reading; `begin` then hands it the build's files."""

    def __init__(self) -> None:
        self.spec: Path | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by wait() or stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "diplograph.exports.export", "-"],
            stdin=subprocess.PIPE,
            stdout=self.log,
            stderr=self.log,
            preexec_fn=die_with_parent,
        )

    def begin(self, nq: Path, out: Path, manifest: dict, reuse: Path | None = None) -> None:
        """Write the exports of `nq` into `out` (`reuse`: the last build's exports)."""
        self.spec = out.with_name(".exports-manifest.json")
        self.spec.write_text(json.dumps(manifest))
        args = [str(nq), str(out), str(self.spec)] + ([str(reuse)] if reuse else [])
        try:
            self.process.stdin.write((json.dumps(args) + "\n").encode("utf-8"))
            self.process.stdin.close()
        except BrokenPipeError:  # it died already: wait() says why
            pass

    def wait(self) -> None:
        """Wait for the exports; raise ExportFailed with the tail of the process's output."""
        try:
            if self.process.wait() != 0:
                self.log.seek(0)
                tail = self.log.read().decode("utf-8", "replace").strip().splitlines()[-15:]
                raise ExportFailed("writing the exports failed:\n" + "\n".join(tail))
        finally:
            self.log.close()
        if self.spec is not None:
            self.spec.unlink()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        self.log.close()
