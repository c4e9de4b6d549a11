"""Serving: granian's HTTP server (Rust) in front of the app, one worker process per CPU.

Waitress, which served before, parsed HTTP and handed every request between its threads
in Python, under the GIL: about 350 µs of the 470 µs of server CPU a point lookup cost
(290 µs with granian; docs/benchmarks.md, "Point lookups"). Granian reads, parses and
writes HTTP in Rust and calls the WSGI app from a few Python threads per process, so a
process spends its GIL on the app.

Granian's parent binds the socket and forks `processes` workers (multiprocessing's fork:
the loader below runs in each after the fork). Each builds its own app there (its own
read-only store handles and query workers, nothing shared but the socket and the
per-client counts), so a new build published under `current` is picked up by every
worker exactly as by one. The per-client concurrency limit stays per client across the
whole server: its counts live in shared memory made before the fork
(ratelimit.SharedCounts), one column per worker, claimed by the worker and taken over
from a dead one.

Supervision is granian's: a worker that dies is replaced; one that dies again within a
few seconds of being started stops the server with status 1 (it would only fail again).
SIGTERM or SIGINT stops every worker (each finishes its requests in progress, for
STOP_GRACE seconds at most, and kills its query workers), then the parent exits; a worker
whose parent vanished (SIGKILL) is sent SIGTERM by the kernel and stops too.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.util
import os
import signal
import socket
import sys
import traceback
from collections.abc import Callable

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LOGGING_CONFIG
from granian.net import SocketSpec
from granian.server import MPServer

from diplograph.store.lifeline import die_with_parent
from diplograph.web import create_app, ratelimit
from diplograph.web.context import STORE_KEY
from diplograph.web.settings import ServeSettings

#: Seconds the parent waits for its workers to stop after SIGTERM before it SIGKILLs them.
STOP_GRACE = 15
#: Connections the kernel queues for the workers to accept.
BACKLOG = 1024


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


def checked_port(host: str, port: int) -> int:
    """`port`, or the one the system picks for 0, once shown it can be listened on
    (granian binds in its own code, where a failure would come later and say less)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1)
        return sock.getsockname()[1]


def serve(
    settings: ServeSettings,
    *,
    listening: Callable[[], None] | None = None,
    make_app: Callable[[ServeSettings], object] = create_app,
) -> int:
    """Serve make_app(settings) on settings.host:port from `processes` granian workers of
    `threads` Python threads each; returns the exit status (1: workers kept failing as they
    started). `listening` is called once the socket listens (connections queue from then on).

    Call it from a process with no other thread (granian forks its workers).
    """
    if multiprocessing.get_start_method() != "fork":  # the loader is a closure: no pickling
        raise RuntimeError("serving needs multiprocessing's fork start method")
    settings = settings.resolved()
    processes, threads = settings.processes, settings.threads
    # Twice the columns: a replacement may start before granian reaps the worker it replaces.
    counts = ratelimit.SharedCounts(2 * processes, max(1024, 4 * processes * threads))

    def load(_target: str):
        """In each worker, after the fork: the app, counting its clients in `counts`."""
        die_with_parent(signal.SIGTERM)
        # Its own process group: Ctrl-C (SIGINT to the terminal's group) reaches the parent
        # alone, which stops each worker with one SIGTERM. A granian worker sent a signal of
        # its own as well as the parent's SIGTERM can miss both and hang until SIGKILL,
        # STOP_GRACE seconds later; the query workers it forks would print KeyboardInterrupt.
        os.setpgid(0, 0)
        app = make_app(settings)
        multiprocessing.util.Finalize(None, _close_app, args=(app,), exitpriority=10)
        ratelimit.share(app, counts, counts.claim())
        gc.freeze()  # what start-up made is never garbage: keep full collections short
        return app

    to_stderr = {  # granian logs to stdout; a server's log belongs on stderr
        name: {**handler, "stream": "ext://sys.stderr"}
        for name, handler in LOGGING_CONFIG["handlers"].items()
    }
    server = SharedSocketServer(
        "diplograph",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,
        workers=processes,
        blocking_threads=threads,
        backlog=BACKLOG,
        # Headers must arrive within header_timeout (bodies: protocol.BodyReader's deadline).
        http1_settings=HTTP1Settings(header_read_timeout=int(settings.header_timeout * 1000)),
        respawn_failed_workers=True,
        workers_kill_timeout=STOP_GRACE,
        log_dictconfig={"handlers": to_stderr},
    )
    if listening is not None:
        server.on_startup(listening)
    try:
        server.serve(target_loader=load)
    except SystemExit as stop:  # granian's way of stopping when its workers keep failing
        return stop.code if isinstance(stop.code, int) else 1
    return 0


class SharedSocketServer(MPServer):
    """Granian with one listening socket, bound by the parent and inherited by every
    worker (granian's own way on systems other than Linux).

    On Linux granian gives each worker a socket of its own on the port
    (SO_REUSEPORT), made as the worker starts: the port refuses connections until
    then, and the connections the kernel queued for a worker that dies are reset.
    One shared socket listens before any worker starts and keeps its queue.
    """

    def _init_shared_socket(self):
        holder = SocketSpec(self.bind_addr, self.bind_port, self.backlog).build()
        self._ssp, self._shd, self._sfd = None, holder, holder.get_fd()
        self._sso = socket.socket(fileno=self._sfd)
        self._sso.set_inheritable(True)
        # One socket on the port: no other may join it (granian binds with reuse-port).
        self._sso.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 0)
        self._sso.listen(self.backlog)  # bound only: granian's workers would listen


def _close_app(app) -> None:
    """Kill the app's query workers now (a worker leaves by os._exit: no atexit)."""
    store = app.extensions.get(STORE_KEY)
    if store is not None:
        store.close()
