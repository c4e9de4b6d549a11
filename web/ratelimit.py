"""Load shedding: a per-client concurrency limit on /sparql, and 503s when the store is full.

Public SPARQL endpoints cap how many queries one client may run at once, so a single
client (or one runaway script) cannot hold every query worker while everyone else
waits. A client over its limit gets `429 Too Many Requests` with `Retry-After` at once,
before its query is parsed. The client is the connection's address (`remote_addr`):
behind a reverse proxy, put werkzeug's ProxyFix in front so that is the real client.

Pages run trusted queries on the same workers; when those time out or find every
worker busy, the page answers `503` with `Retry-After` instead of a bare 500.

Settings: SPARQL_CLIENT_CONCURRENCY (queries one address may run at once; 0 turns the
limit off) and SPARQL_RETRY_AFTER (seconds, sent in Retry-After). With the embedded store
the limit is kept strictly below a process's query workers (`client_share`): a client's
queries may all land in one process, and must leave it a worker for everyone else.

When several server processes share the listening socket (web/server.py), a client's
connections land in any of them, so the counts live in shared memory (`SharedCounts`):
the limit is per client across the whole server, not per process.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import tempfile
import threading
from array import array

from flask import Flask, Response, current_app, g, request

from diplograph import store as st

DEFAULTS = {"SPARQL_CLIENT_CONCURRENCY": 2, "SPARQL_RETRY_AFTER": 1}
LIMITED_ENDPOINTS = frozenset({"sparql.endpoint"})
KEY = "diplograph.ratelimit"


class ClientLimiter:
    """Counts each client's requests in flight; thread-safe (the server calls from threads)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._active: dict[str, int] = {}

    def acquire(self, client: str) -> bool:
        with self._lock:
            running = self._active.get(client, 0)
            if running >= self.limit:
                return False
            self._active[client] = running + 1
            return True

    def release(self, client: str) -> None:
        with self._lock:
            running = self._active.get(client, 0) - 1
            if running > 0:
                self._active[client] = running
            else:
                self._active.pop(client, None)  # idle clients cost no memory

    def active(self, client: str) -> int:
        with self._lock:
            return self._active.get(client, 0)


class SharedCounts:
    """Per-client counts of requests in flight, shared by processes forked after it is made.

    An open-addressing table in an anonymous shared mapping: a slot is a client (a 16-byte
    digest of its address) and one count per process (a column, which a process `claim`s),
    so the counts of a process that died mid-request are dropped without guessing. Only
    clients with a request in flight hold a slot (a slot is freed by backward-shift
    deletion), so a table larger than the server's request threads never fills. Processes
    are serialised by a POSIX record lock on an inherited file, which the kernel releases
    if its holder dies; the threads of one process by a thread lock (record locks belong
    to the process).
    """

    DIGEST_WORDS = 4

    def __init__(self, processes: int, slots: int = 4096):
        self.processes = processes
        self.slots = slots
        self._width = self.DIGEST_WORDS + processes
        self._map = mmap.mmap(-1, 4 * slots * self._width)  # MAP_SHARED | MAP_ANONYMOUS
        self._cells = memoryview(self._map).cast("i")
        self._owners = memoryview(mmap.mmap(-1, 4 * processes)).cast("i")  # pid per column
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the table)
        self._thread_lock = threading.Lock()
        self._digests: dict[str, tuple[int, ...]] = {}

    def limiter(self, index: int, limit: int) -> SharedLimiter:
        """The ClientLimiter interface for process number `index` (0 <= index < processes)."""
        if not 0 <= index < self.processes:
            raise ValueError(f"process index {index} out of range")
        return SharedLimiter(self, index, limit)

    def claim(self) -> int:
        """A column for the calling process: a free one, or one whose process has stopped
        (its counts, held by requests that died with it, dropped first)."""
        me = os.getpid()
        with self._locked():
            owners = self._owners.tolist()
            if me in owners:
                return owners.index(me)
            for index, owner in enumerate(owners):
                if owner == 0 or not _running(owner):
                    self._forget(index)
                    self._owners[index] = me
                    return index
        raise RuntimeError(f"all {self.processes} columns are held by running processes")

    # -- under the lock ----------------------------------------------------------------

    def _locked(self):
        return _RecordLock(self._thread_lock, self._file.fileno())

    def _digest(self, client: str) -> tuple[int, ...]:
        words = self._digests.get(client)
        if words is None:
            raw = hashlib.blake2b(client.encode("utf-8", "surrogateescape"), digest_size=16)
            words = memoryview(raw.digest()).cast("i").tolist()
            words[0] |= 1  # never all zeros: that marks an empty slot
            if len(self._digests) >= 1024:
                self._digests.clear()  # a memo of recent clients, not a record of them all
            words = self._digests[client] = tuple(words)
        return words

    def _home(self, words) -> int:
        return (words[0] & 0x7FFFFFFF) % self.slots

    def _key(self, slot: int) -> tuple[int, ...]:
        base = slot * self._width
        return tuple(self._cells[base : base + self.DIGEST_WORDS])

    def _find(self, words) -> tuple[int | None, bool]:
        """(slot holding `words`, True), or (the empty slot it would go in, False)."""
        slot = self._home(words)
        for _ in range(self.slots):
            key = self._key(slot)
            if key == words:
                return slot, True
            if not key[0]:
                return slot, False
            slot = (slot + 1) % self.slots
        return None, False  # full: only if more clients are in flight than slots

    def _total(self, slot: int) -> int:
        base = slot * self._width + self.DIGEST_WORDS
        return sum(self._cells[base : base + self.processes])

    def _delete(self, slot: int) -> None:
        """Empty `slot`, moving later entries of its probe run back so lookups still find them."""
        width, cells = self._width, self._cells
        cells[slot * width : (slot + 1) * width] = _zeros(width)
        j = slot
        while True:
            j = (j + 1) % self.slots
            key = self._key(j)
            if not key[0]:
                return
            home = self._home(key)
            stays = (slot < home <= j) if slot <= j else (home > slot or home <= j)
            if not stays:
                cells[slot * width : (slot + 1) * width] = cells[j * width : (j + 1) * width]
                cells[j * width : (j + 1) * width] = _zeros(width)
                slot = j

    def acquire(self, index: int, client: str, limit: int) -> bool:
        words = self._digest(client)
        with self._locked():
            slot, found = self._find(words)
            if slot is None:
                return False
            base = slot * self._width
            if found:
                if self._total(slot) >= limit:
                    return False
            else:
                self._cells[base : base + self.DIGEST_WORDS] = array("i", words)
            self._cells[base + self.DIGEST_WORDS + index] += 1
            return True

    def release(self, index: int, client: str) -> None:
        words = self._digest(client)
        with self._locked():
            slot, found = self._find(words)
            if not found:
                return
            cell = slot * self._width + self.DIGEST_WORDS + index
            if self._cells[cell] > 0:
                self._cells[cell] -= 1
            if self._total(slot) == 0:
                self._delete(slot)

    def active(self, client: str) -> int:
        words = self._digest(client)
        with self._locked():
            slot, found = self._find(words)
            return self._total(slot) if found else 0

    def clients(self) -> int:
        """How many clients hold a slot (tests: nothing leaks)."""
        with self._locked():
            return sum(1 for slot in range(self.slots) if self._key(slot)[0])

    def _forget(self, index: int) -> None:
        """Drop every count of process `index` (it died; requests it held are gone)."""
        live = []
        for slot in range(self.slots):
            key = self._key(slot)
            if key[0]:
                base = slot * self._width + self.DIGEST_WORDS
                counts = self._cells[base : base + self.processes].tolist()
                counts[index] = 0
                if any(counts):
                    live.append((key, counts))
        self._cells[:] = _zeros(len(self._cells))
        for key, counts in live:
            slot, _ = self._find(key)
            base = slot * self._width
            self._cells[base : base + self._width] = array("i", key + tuple(counts))


class SharedLimiter:
    """ClientLimiter's interface over SharedCounts, for one server process."""

    def __init__(self, counts: SharedCounts, index: int, limit: int):
        self.counts = counts
        self.index = index
        self.limit = limit

    def acquire(self, client: str) -> bool:
        return self.counts.acquire(self.index, client, self.limit)

    def release(self, client: str) -> None:
        self.counts.release(self.index, client)

    def active(self, client: str) -> int:
        return self.counts.active(client)


class _RecordLock:
    def __init__(self, thread_lock: threading.Lock, fd: int):
        self.thread_lock = thread_lock
        self.fd = fd

    def __enter__(self):
        self.thread_lock.acquire()
        try:
            fcntl.lockf(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.thread_lock.release()
            raise

    def __exit__(self, *_exc):
        try:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


def _running(pid: int) -> bool:
    """Whether process `pid` exists and has not stopped (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def _zeros(n: int) -> array:
    return array("i", bytes(4 * n))


def share(app: Flask, counts: SharedCounts, index: int) -> None:
    """Make `app` count its clients in `counts` as process `index` (if its limit is on)."""
    limiter = app.extensions.get(KEY)
    if limiter is not None:
        app.extensions[KEY] = counts.limiter(index, limiter.limit)


def _text(status: int, message: str) -> Response:
    retry = str(current_app.config["SPARQL_RETRY_AFTER"])
    response = Response(message + "\n", status, content_type="text/plain; charset=utf-8")
    response.headers["Retry-After"] = retry
    return response


def _limit_client():
    if request.endpoint not in LIMITED_ENDPOINTS:
        return None
    limiter: ClientLimiter | None = current_app.extensions.get(KEY)
    if limiter is None:
        return None
    client = request.remote_addr or "unknown"
    if not limiter.acquire(client):
        response = _text(
            429,
            f"Too many queries at once from {client}: at most {limiter.limit} may run "
            "concurrently. Wait for one to finish and try again.",
        )
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    g.dg_limited_client = client
    return None


def _release_client(_exc=None) -> None:
    client = g.pop("dg_limited_client", None)
    if client is not None:
        current_app.extensions[KEY].release(client)


def _store_unavailable(exc: st.StoreError):
    """Pages: a timed-out or starved trusted query is a transient 503, never a 500."""
    if isinstance(exc, st.NoBuild):
        return _text(503, "No build has been published yet: run `diplograph build`.")
    return _text(503, f"The graph store is busy ({exc}) Please try again.")


def client_share(limit: int, workers: int) -> int:
    """The per-client limit actually applied: at most all but one of a process's workers
    (never below 1), so one client never holds every worker of the process it lands in."""
    return min(limit, max(1, workers - 1))


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    limit = int(app.config["SPARQL_CLIENT_CONCURRENCY"])
    if limit > 0 and not app.config.get("STORE_URL"):
        limit = client_share(limit, int(app.config.get("WORKERS") or st.default_workers()))
    if limit > 0:
        app.extensions[KEY] = ClientLimiter(limit)
    app.before_request(_limit_client)
    app.teardown_request(_release_client)
    for transient in (st.QueryTimeout, st.StoreBusy, st.NoBuild):
        app.register_error_handler(transient, _store_unavailable)
