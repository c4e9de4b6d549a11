"""A real `diplograph serve` (granian, worker processes) in a child process, for the tests
that need the server users run: its port, its stderr, and its process tree from /proc."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

CLI = str(Path(sys.executable).with_name("diplograph"))
WAIT = 60  # seconds: a bound on waiting for the server, never a measurement


class Server:
    """A `diplograph serve` in its own session, its stderr collected by a thread."""

    def __init__(self, instance: Path, *args: str, **env: str):
        environment = dict(os.environ, DIPLOGRAPH_HOME=str(instance), **env)
        environment.pop("FLASK_STORE_URL", None)
        self.proc = subprocess.Popen(
            [CLI, "serve", "--port", "0", *args],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._port = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self._port.wait(WAIT):
            self.kill()
            raise AssertionError("no 'Serving' line:\n" + "".join(self.lines))
        self.port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(self.lines)).group(1))

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line)
            if line.startswith("Serving"):
                self._port.set()

    def children(self) -> set[int]:
        return children_of(self.proc.pid)

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        conn.connect()
        return conn

    def connections_per_child(self, wanted: int) -> dict[int, http.client.HTTPConnection]:
        """One keep-alive connection held by each of `wanted` different children."""
        held: dict[int, http.client.HTTPConnection] = {}
        for _ in range(200):
            conn = self.connect()
            owner = self.owner_of(conn)
            if owner in held or owner is None:
                conn.close()
            else:
                held[owner] = conn
            if len(held) == wanted:
                return held
        raise AssertionError(f"connections reached only {sorted(held)}")

    def owner_of(self, conn: http.client.HTTPConnection) -> int | None:
        """The server process holding the other end of `conn`, once one has accepted it."""
        client_port = conn.sock.getsockname()[1]
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            inodes = set()
            for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
                fields = line.split()
                local, remote = fields[1].split(":"), fields[2].split(":")
                if int(local[1], 16) == self.port and int(remote[1], 16) == client_port:
                    inodes.add(f"socket:[{fields[9]}]")
            for pid in self.children():
                try:
                    links = {os.readlink(f) for f in Path(f"/proc/{pid}/fd").iterdir()}
                except OSError:
                    continue
                if inodes & links:
                    return pid
            time.sleep(0.02)
        return None

    def kill(self):
        """Everything in the server's session, even what outlived its parent (workers
        lead process groups of their own, so the session, not a group, is the unit)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for pid in in_session(self.proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextmanager
def serving(instance, *args, **env):
    server = Server(instance, *args, **env)
    try:
        yield server
    finally:
        server.kill()


# -- the process tree, from /proc -------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"  # a zombie has stopped


def _running_where(field: int, value: int) -> set[int]:
    """Processes that have not stopped whose /proc stat `field` (after the name) is `value`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[field]) == value and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def children_of(pid: int) -> set[int]:
    return _running_where(1, pid)  # the parent's pid


def in_session(sid: int) -> set[int]:
    return _running_where(3, sid)  # the session id


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in children_of(todo.pop()):
            found.add(child)
            todo.append(child)
    return found


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.05)
