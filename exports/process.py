"""The exports of a build, written by a process of its own while the build loads and validates.

A separate process (not a fork) so that its memory is its own, and counted as such; it
dies with the process that started it (a killed build must not leave it writing on).

It takes jobs, one JSON line each on its standard input, and answers each with a line on
its standard output ("done"; it exits on a failure, its words in the log). A process that
builds again and again (`serve --watch`, the benches) keeps it between builds
(cli/warm.py), so its interpreter and imports (~0.45 s of CPU, a third of what it spends
on a one-edit build of the real data) are paid once, not per save; it keeps nothing else
from one job to the next. A one-off `diplograph build` gives it one job; it ends when the
build's process does (its standard input closes).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from diplograph.store.lifeline import die_with_parent

#: A fault a test injects into the export process (tests/cli/test_build.py).
FAULT_ENV = "DIPLOGRAPH_FAULT"


class ExportFailed(RuntimeError):
    """The export process failed: the message ends with the tail of what it printed."""


class ExportProcess:
    """`python -m diplograph.exports.export -`, started before the build has anything to
    export: the interpreter and its imports overlap the build's reading (or, kept from the
    last build, are done already); `begin` then hands it the build's files."""

    def __init__(self) -> None:
        self.spec: Path | None = None
        self.begun = False  # a job handed over and not yet answered
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by stop()
        self._log_from = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "diplograph.exports.export", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            preexec_fn=die_with_parent,
        )

    def ready(self) -> bool:
        """Alive and between jobs: it can take the next build's."""
        return not self.begun and self.process.poll() is None

    def begin(self, nq: Path, out: Path, manifest: dict, reuse: Path | None = None) -> None:
        """Write the exports of `nq` into `out` (`reuse`: the last build's exports)."""
        self.spec = out.with_name(".exports-manifest.json")
        self.spec.write_text(json.dumps(manifest))
        args = [str(nq), str(out), str(self.spec)] + ([str(reuse)] if reuse else [])
        job = {"args": args, "fault": os.environ.get(FAULT_ENV)}  # read now: it may be kept
        self.begun, self._log_from = True, os.fstat(self.log.fileno()).st_size
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except BrokenPipeError:  # it died already: wait() says why
            pass

    def wait(self) -> None:
        """Wait for the job's answer; raise ExportFailed with the tail of its output (the
        process is stopped then: it never takes another job)."""
        answer = self.process.stdout.readline()
        self.begun = False
        if answer.strip() != b"done":
            tail = self._tail()
            self.stop()
            raise ExportFailed("writing the exports failed:\n" + tail)
        if self.spec is not None:
            self.spec.unlink()
            self.spec = None

    def _tail(self) -> str:
        with open(self.log.fileno(), "rb", closefd=False) as log:
            log.seek(self._log_from)
            lines = log.read().decode("utf-8", "replace").strip().splitlines()
        return "\n".join(lines[-15:])

    def stop(self) -> None:
        """End it (killed if at work) and close what it held."""
        with contextlib.suppress(BrokenPipeError, ValueError):
            self.process.stdin.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        with contextlib.suppress(ValueError):
            self.process.stdout.close()
        self.log.close()
