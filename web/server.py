"""Serving with several processes: one listening socket, N forked waitress servers.

One Python process answers requests on one core at a time (the GIL), so the parent binds
the socket and forks `processes` children, each running waitress on the inherited socket;
the kernel hands every new connection to one of them. Each child builds its own app after
the fork (its own read-only store handles and query workers, nothing shared but the
socket and the per-client counts), so a new build published under `current` is picked
up by every child exactly as by a single process.

The per-client concurrency limit stays per client across the whole server: its counts
live in shared memory (ratelimit.SharedCounts), one column per child, cleared when a
child dies. The parent only supervises: a child that dies after it started serving is
replaced; one that dies while starting stops the server (it would fail again). SIGTERM
or SIGINT stops every child (each finishes its requests in progress, for a few seconds at
most, and kills its query workers), then the parent exits; a child whose parent vanished
(SIGKILL) notices its lifeline pipe closing and stops too.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable

import waitress

from . import ratelimit


def fork_call(body: Callable[[], int]) -> int:
    """Run `body` in a forked child that exits with its status, never returning to the
    parent's code (a SystemExit's code counts; anything else is printed and exits 1).
    Returns the child's pid to the parent."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        code = body()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


#: Seconds the parent waits for its children to stop after SIGTERM before it SIGKILLs them.
STOP_GRACE = 15.0
_STOP = (signal.SIGTERM, signal.SIGINT)


def default_processes() -> int:
    return os.cpu_count() or 1


def workers_per_process(processes: int) -> int:
    """Each process's query workers: the one-process default (st.default_workers) shared
    out, but never fewer than two, so one runaway query leaves its process a worker."""
    from ..loaders.store import default_workers

    return max(2, -(-default_workers() // processes))


def listening_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """Bound and listening, as waitress would make it (SO_REUSEADDR, first address found)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    make_app: Callable,
    sock: socket.socket,
    *,
    processes: int,
    threads: int,
    announce: Callable[[str], None] | None = None,
    **waitress_options,
) -> int:
    """Serve make_app() on `sock` from `processes` forked children; returns the exit status.

    Call it from a process with no other thread (it forks). With processes == 1 the app
    is served in this process, as plain waitress would.
    """
    if processes <= 1:
        app = make_app()
        handlers = {signum: signal.signal(signum, _exit_on_signal) for signum in _STOP}
        try:
            waitress.serve(app, sockets=[sock], threads=threads, **waitress_options)
        finally:
            _close_app(app)
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
        return 0
    return _Parent(make_app, sock, processes, threads, announce, waitress_options).run()


class _Parent:
    def __init__(self, make_app, sock, processes, threads, announce, options):
        self.make_app = make_app
        self.sock = sock
        self.processes = processes
        self.threads = threads
        self.options = options
        self.say = announce or (lambda message: print(message, file=sys.stderr, flush=True))
        # More slots than requests that can be in flight at once: the table never fills.
        self.counts = ratelimit.SharedCounts(processes, max(1024, 4 * processes * threads))
        self.children: dict[int, int] = {}  # pid -> index
        self.ready: set[int] = set()  # pids that reported ready
        self.lifeline_r, self.lifeline_w = os.pipe()
        self.ready_r, self.ready_w = os.pipe()
        os.set_blocking(self.ready_r, False)

    def run(self) -> int:
        watched = {*_STOP, signal.SIGCHLD}
        # SIG_DFL discards SIGCHLD; with a handler it stays pending for sigtimedwait.
        old_handler = signal.signal(signal.SIGCHLD, lambda *_: None)
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, watched)
        status = 0
        try:
            for index in range(self.processes):
                self._spawn(index)
            while True:
                info = signal.sigtimedwait(watched, 1.0)
                self._note_ready()
                if info is not None and info.si_signo in _STOP:
                    break
                failed = self._reap()
                if failed:
                    self.say(f"server process {failed} failed while starting: stopping")
                    status = 1
                    break
        finally:
            self._stop_all()
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
            signal.signal(signal.SIGCHLD, old_handler)
            for fd in (self.lifeline_r, self.lifeline_w, self.ready_r, self.ready_w):
                os.close(fd)
        return status

    def _spawn(self, index: int) -> None:
        def body() -> int:
            os.close(self.lifeline_w)
            os.close(self.ready_r)
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            return _child(self, index)

        self.children[fork_call(body)] = index

    def _note_ready(self) -> None:
        try:
            data = os.read(self.ready_r, 4096)
        except BlockingIOError:
            return
        for line in data.split(b"\n"):
            if line:
                self.ready.add(int(line))

    def _reap(self) -> int | None:
        """Replace children that died after starting; the pid of one that died starting."""
        while self.children:
            pid, _status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return None
            index = self.children.pop(pid, None)
            if index is None:
                continue
            self.counts.forget_process(index)
            self._note_ready()
            if pid not in self.ready:
                return pid
            self.ready.discard(pid)
            self.say(f"server process {pid} exited; starting another")
            self._spawn(index)
        return None

    def _stop_all(self) -> None:
        for pid in list(self.children):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        while self.children and time.monotonic() < deadline:
            pid, _status = os.waitpid(-1, os.WNOHANG)
            if pid:
                self.children.pop(pid, None)
            else:
                time.sleep(0.05)
        for pid in list(self.children):
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self.children.pop(pid)


def _child(parent: _Parent, index: int) -> int:
    """One server process: its own app, waitress on the shared socket, the shared counts."""
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    threading.Thread(target=_watch_parent, args=(parent.lifeline_r,), daemon=True).start()
    app = parent.make_app()
    gc.freeze()  # what start-up made is never garbage: keep full collections short
    try:
        ratelimit.share(app, parent.counts, index)
        server = waitress.create_server(
            app,
            sockets=[parent.sock],
            threads=parent.threads,
            **parent.options,
        )
        os.write(parent.ready_w, f"{os.getpid()}\n".encode())
        server.run()  # returns once a signal raised SystemExit in it (waitress drains)
    finally:
        _close_app(app)
    return 0


def _exit_on_signal(_signum, _frame):
    """Stop waitress (it drains its requests in progress); later signals are ignored."""
    for signum in _STOP:
        signal.signal(signum, signal.SIG_IGN)
    raise SystemExit(0)


def _watch_parent(fd: int) -> None:
    """Block until the parent's end of the lifeline closes (it died), then stop this child."""
    while True:
        try:
            if not os.read(fd, 1):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os.kill(os.getpid(), signal.SIGTERM)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _close_app(app) -> None:
    """Kill the app's query workers now (atexit handlers do not run after os._exit)."""
    from .context import STORE_KEY

    store = app.extensions.get(STORE_KEY)
    if store is not None:
        store.close()
