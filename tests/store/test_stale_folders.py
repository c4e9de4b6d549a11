"""The folders killed forkservers leave (store/stale_folders.py): removed only when old,
ours, and holding nothing but sockets no process has bound; a live server's never."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from diplograph.store import stale_folders
from diplograph.store.stale_folders import MIN_AGE, bound_paths
from diplograph.store.stale_folders import stale_folders as find


def _folder(tmp: Path, name: str, *, listening: bool = False, age: float = 2 * MIN_AGE):
    """A `pymp-*` folder with one listener socket: bound by a live socket, or left."""
    folder = tmp / f"pymp-{name}"
    folder.mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "listener-abc"))
    if listening:
        sock.listen()
    else:
        sock.close()  # the file stays, as when its process is killed
    then = time.time() - age
    os.utime(folder, (then, then))
    return folder, sock


def test_only_old_folders_of_unbound_listeners_are_stale(tmp_path):
    dead, _ = _folder(tmp_path, "dead")
    live, sock = _folder(tmp_path, "live", listening=True)
    young, _ = _folder(tmp_path, "young", age=1)
    other = tmp_path / "pymp-other"
    other.mkdir()
    (other / "heap").write_bytes(b"not a socket")
    (tmp_path / "pymp-empty").mkdir()
    try:
        bound = bound_paths()
        assert bound is not None and str(live / "listener-abc") in bound
        stale = find(tmp_path, bound, time.time(), os.getuid())
        assert stale == [dead]
        assert find(tmp_path, bound, time.time(), os.getuid() + 1) == []  # not ours
    finally:
        sock.close()


def test_a_killed_servers_folder_goes_when_the_next_pool_starts(tmp_path, monkeypatch):
    """A real forkserver, killed: its folder stays; the next pool removes it."""
    code = (
        "import multiprocessing, sys, time\n"
        "ctx = multiprocessing.get_context('forkserver')\n"
        "p = ctx.Process(target=time.sleep, args=(0,)); p.start(); p.join()\n"
        "print(multiprocessing.util.get_temp_dir(), flush=True)\n"
        "time.sleep(60)\n"
    )
    env = dict(os.environ, TMPDIR=str(tmp_path))
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    folder = Path(server.stdout.readline().strip())
    assert folder.parent == tmp_path and any(folder.iterdir())
    assert find(tmp_path, bound_paths(), time.time() + 2 * MIN_AGE, os.getuid()) == []  # alive
    forkserver = [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    for pid in [server.pid, *forkserver]:
        os.kill(pid, signal.SIGKILL)
    server.wait()
    deadline = time.time() + 10
    while time.time() < deadline and str(next(folder.iterdir())) in bound_paths():
        time.sleep(0.05)
    assert folder.is_dir()  # killed: nothing removed it
    monkeypatch.setattr(stale_folders, "MIN_AGE", 0.0)
    assert stale_folders.remove_stale_folders(tmp_path) == [folder]
    assert not folder.exists()


def test_nothing_is_removed_without_the_kernels_table(tmp_path, monkeypatch):
    dead, _ = _folder(tmp_path, "dead")
    monkeypatch.setattr(stale_folders, "BOUND_SOCKETS", tmp_path / "no-such-table")
    assert stale_folders.remove_stale_folders(tmp_path) == []
    assert dead.is_dir()
