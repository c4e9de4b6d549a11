"""`serve --watch`: rebuild on save, for a curator working on a local copy.

A process of its own (forked before the server starts, so the server's processes never
carry its state) polls the data folder's and the source texts' files; when one changes it
runs the build, incremental when only facts files changed. A failed build leaves the last
good one serving and writes `last-error.json` beside `current`, which every page shows as
a banner (with file:line) until a build succeeds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from diplograph.cli.build import BuildError, build
from diplograph.loaders.errors import CurationError
from diplograph.loaders.excerpts import default_sources_dir
from diplograph.store.builds import clear_last_error, write_last_error
from diplograph.store.lifeline import die_with_parent

POLL_SECONDS = 0.5


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is a loopback address."""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(
        ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos
    )


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under `folders`: what a save changes."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                stat = path.stat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _error(exc: BaseException) -> dict:
    """What the banner shows: a message and, for curation errors, each problem's file:line."""
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if isinstance(exc, CurationError):
        problems = [{"where": f"{p.file}:{p.line}", "message": p.message} for p in exc.problems]
        return {
            "time": when,
            "message": "The curated data could not be read.",
            "problems": problems,
        }
    problems = []
    if isinstance(exc, BuildError):
        for item in exc.report.get("violations", []):
            problems.append({"where": item.get("where", ""), "message": item.get("message", "")})
    return {"time": when, "message": str(exc).splitlines()[0][:500], "problems": problems}


def rebuild(data_dir: Path, instance: Path, sources_dir: Path | None, log) -> bool:
    """One build; its error recorded for the pages instead of raised. True if published."""
    try:
        result = build(data_dir, instance, sources_dir=sources_dir, progress=log)
    except (CurationError, BuildError, OSError, ValueError) as exc:
        error = _error(exc)
        write_last_error(instance, error)
        log(f"Build failed (the last good build stays in service): {error['message']}")
        return False
    clear_last_error(instance)
    log(f"Published build {result.build_id}.")
    return True


def watch(
    data_dir: Path,
    instance: Path,
    sources_dir: Path | None,
    log: Callable[[str], None],
    *,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Poll, and rebuild after each change (saves within one poll are one rebuild)."""
    folders = [Path(data_dir)] + ([Path(sources_dir)] if sources_dir else [])
    seen = snapshot(folders)
    while not stop():
        time.sleep(POLL_SECONDS)
        now = snapshot(folders)
        if now != seen:
            seen = now
            log("Change seen: rebuilding...")
            rebuild(Path(data_dir), instance, sources_dir, log)  # a save meanwhile: once more


def start(data_dir: Path, instance: Path, sources_dir: Path | None) -> int:
    """Fork the watch loop (before the server starts); returns its pid. It dies with us."""
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        die_with_parent()
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        watch(data_dir, instance, sources_dir, lambda m: print(m, file=sys.stderr, flush=True))
    except BaseException:  # noqa: BLE001 -- a child never returns into the server's code
        import traceback  # deferred: only on the way out of a crashed watcher

        traceback.print_exc()
        status = 1
    finally:
        os._exit(status)


def stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def check_host(watch: str | None, host: str) -> None:
    """`--watch` serves a curator's working copy: never on an address others can reach."""
    if watch and not is_loopback(host):
        raise click.ClickException(
            f"--watch rebuilds a local working copy: serve it on 127.0.0.1, not {host}"
        )


@contextlib.contextmanager
def watching(watch: str | None, instance: Path):
    """The watch loop beside the server, while it serves (nothing when `watch` is None)."""
    pid = start(Path(watch), instance, default_sources_dir()) if watch else None
    try:
        yield
    finally:
        if pid is not None:
            stop(pid)
