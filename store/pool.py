"""A small pool of long-lived, killable query workers.

Each request borrows an idle worker, sends it one message and waits on its pipe
with the time limit; the waiting thread is the watchdog. A worker past the limit
is SIGKILLed (the only way to stop an Oxigraph query) and replaced, so a runaway
query costs one worker for the length of the limit and nobody else waits on it; a public
query past DEMOTE_AFTER also runs at the lowest CPU priority, so it slows nobody down.
Workers are forked from a forkserver that has pyoxigraph preloaded: replacing
one is cheap, and no worker inherits the web server's threads.

Each worker caps its own address space (RLIMIT_AS, `memory_limit`): a query that needs
more makes the engine's allocation fail, which aborts that worker alone; the request gets
a 503 naming the limit, and the next one a fresh worker. A worker that dies of anything
else is logged with its signal. A new pool removes the folders killed servers' forkservers
left behind (stale_folders.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
import time

from diplograph.store import worker as worker_module
from diplograph.store.base import QueryTimeout, StoreBusy, StoreError
from diplograph.store.stale_folders import remove_stale_folders
from diplograph.store.worker import WorkerOutOfMemory, out_of_memory_message

_WORKER_MODULE = worker_module.__name__
#: Seconds after which a query still running drops to the lowest CPU priority, so a
#: runaway (up to the time limit) takes CPU only from idle time, not from pages.
DEMOTE_AFTER = 1.0
LOWEST_PRIORITY = 19
#: Operations demoted past DEMOTE_AFTER: public queries (anyone's text) only. The app's
#: own queries (pages, catalogue, counts) are bounded by design; at nice 19, on a machine
#: busy with other work, a cold page's query got almost no CPU and ran into its time limit.
DEMOTED_OPERATIONS = frozenset({"query"})
#: Seconds a request waits for a fresh worker to start and open the store (not counted in
#: the query's time limit): about 2 s at load average 8, and a once-per-worker cost.
START_WAIT = 15.0
#: Bytes of address space each query worker may map (RLIMIT_AS); None or 0: no limit.
#: An idle worker maps about 380 MB (most of it reserved, not resident).
DEFAULT_MEMORY_LIMIT = 1024 * 1024 * 1024

log = logging.getLogger(__name__)


class WorkerCrashed(StoreBusy):
    """The worker died mid-query (a signal, not the time limit): replaced, and logged."""


def _demote(worker) -> bool:
    try:
        os.setpriority(os.PRIO_PROCESS, worker.pid, LOWEST_PRIORITY)
    except OSError:  # already gone: the poll that follows reports it
        return False
    return True


class _Worker:
    def __init__(self, ctx, memory_limit: int | None):
        self.path: str | None = None  # the store it has open
        self.opening: str | None = None  # the store it was asked to open, not answered yet
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_module.serve, args=(child, memory_limit), daemon=True
        )
        self.process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Run (operation, path, kwargs) in a worker; kill it if it outlives the timeout."""

    def __init__(
        self,
        size: int = 2,
        demote_after: float = DEMOTE_AFTER,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    ):
        self._demote_after = demote_after
        self.memory_limit = memory_limit or None
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload([_WORKER_MODULE])
        remove_stale_folders()  # what killed servers' forkservers left in the temporary folder
        self._size = max(1, size)
        self._idle: queue.SimpleQueue[_Worker | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        for _ in range(self._size):
            self._idle.put(None)  # spawned on first use

    def run(self, operation: str, path: str, kwargs: dict, timeout: float):
        """The worker's answer, or QueryTimeout/StoreBusy; never blocks past about twice the
        timeout plus START_WAIT (an idle worker, starting one, running the operation)."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise StoreBusy(
                f"All {self._size} query workers stayed busy for {timeout:g} s; try again."
            ) from None
        try:
            if worker is not None and not worker.process.is_alive():
                self._retire(worker)  # died while idle (killed, OOM): replace it unseen
                worker = None
            if worker is None:
                worker = self._spawn()
            start = max(timeout, START_WAIT)
            if worker.path != path and not self._open(worker, path, start):
                raise StoreBusy(  # it goes on starting: the next request finds it further on
                    f"A query worker is still starting after {start:g} s; try again."
                )
            worker.conn.send((operation, path, kwargs))
            demoted = False
            demotable = operation in DEMOTED_OPERATIONS and timeout > self._demote_after
            answered = worker.conn.poll(self._demote_after if demotable else timeout)
            if not answered and demotable:
                demoted = _demote(worker)
                answered = worker.conn.poll(timeout - self._demote_after)
            if not answered:
                self._retire(worker)
                worker = None
                raise QueryTimeout(
                    f"Query stopped: it ran longer than the {timeout:g} s time limit."
                )
            status, value = worker.conn.recv()
            if demoted:  # niceness cannot be undone unprivileged: a fresh worker takes over
                self._retire(worker)
                worker = None
        except (EOFError, OSError, BrokenPipeError) as exc:
            death = None
            if worker is not None:
                death = self._death(worker, operation, path)
                self._retire(worker)
                worker = None
            raise death or StoreBusy(
                f"Query worker died ({type(exc).__name__}); it has been replaced: try again."
            ) from exc
        finally:
            self._idle.put(worker)  # None: the next borrower spawns a fresh worker
        if status == "error":
            raise value
        return value

    def _open(self, worker: _Worker, path: str, timeout: float) -> bool:
        """Have a fresh worker (or one on an older build) open `path` before any query's
        clock starts: under load, starting a worker and opening the store took seconds, so
        a public query on a fresh worker was demoted for that alone and starved, and since a
        demoted worker is replaced, so was the next. False: not open yet; the worker is
        kept, still opening, and the next borrower waits for the same answer (killing it
        would start the same seconds over, every time)."""
        if worker.opening is not None and worker.opening != path:
            if not worker.conn.poll(timeout):  # the answer for another build, first
                return False
            worker.conn.recv()
            worker.opening = None
        if worker.opening is None:
            worker.conn.send(("open", path, {}))
            worker.opening = path
        if not worker.conn.poll(timeout):
            return False
        status, value = worker.conn.recv()
        worker.opening = None
        if status == "error":
            raise value
        worker.path = path
        return True

    def _death(self, worker: _Worker, operation: str, path: str) -> StoreBusy | None:
        """Why a worker died mid-request, logged; None when it did not die (a closed pipe)."""
        worker.process.join(2)
        code = worker.process.exitcode
        if code is None:
            return None
        cause = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        log.error("query worker %s died during a %s on %s (%s)", worker.pid, operation, path, cause)
        if code == -signal.SIGABRT and self.memory_limit:
            return WorkerOutOfMemory(out_of_memory_message(self.memory_limit))
        if -code in (signal.SIGKILL, signal.SIGTERM):  # killed from outside, not by its query
            return StoreBusy(
                f"Query worker died ({cause}) during this query; it has been replaced: try again."
            )
        if code < 0:
            return WorkerCrashed(
                f"Query worker crashed ({cause}) running this query; it has been replaced. "
                "The query is likely to crash it again: simplify it."
            )
        return None

    def _spawn(self) -> _Worker:
        if self._closed:
            raise StoreError("The store has been closed.")
        worker = _Worker(self._ctx, self.memory_limit)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.kill()

    def pids(self) -> set[int]:
        with self._lock:
            return {w.pid for w in self._workers if w.process.is_alive()}

    def close(self) -> None:
        """Kill every worker; the pool refuses work afterwards."""
        self._closed = True
        with self._lock:
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            try:
                self._idle.get_nowait()
            except queue.Empty:
                break
