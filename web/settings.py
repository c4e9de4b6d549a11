"""What `diplograph serve` is told, as one object: the server, the store and every limit.

The command builds a `ServeSettings` from its options once; `web.server.serve(settings)`
hands the same object to `create_app(settings)` in each forked worker (the loader is a
closure), so no setting travels through the environment. Every limit is documented in
docs/reliability.md with the attack it answers.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from diplograph import store as st
from diplograph.web.protocol import PUBLIC_QUERY_BYTES

MIB = 1024 * 1024
#: Each query worker's address-space cap (RLIMIT_AS): a query that needs more dies alone.
DEFAULT_WORKER_MEMORY = 1024 * MIB


def workers_per_process(processes: int) -> int:
    """Each process's query workers: the one-process default (st.default_workers) shared
    out, but never fewer than two, so one runaway query leaves its process a worker."""
    return max(2, -(-st.default_workers() // processes))


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: Server worker processes sharing the socket; 0: one per CPU.
    processes: int = 0
    #: Python threads per server process calling the app.
    threads: int = 8
    #: The instance folder (builds, `current`); None: DIPLOGRAPH_HOME or ./instance.
    home: str | None = None
    #: A SPARQL 1.1 store's query URL (see `diplograph push`); None: the embedded store.
    store_url: str | None = None
    #: Query worker processes per server process; None: the default share (at least 2).
    query_workers: int | None = None
    query_timeout: float = st.DEFAULT_TIMEOUT
    max_rows: int | None = st.DEFAULT_MAX_ROWS
    #: Bytes of any query the store runs (pages' own queries included).
    max_query_bytes: int = st.DEFAULT_MAX_QUERY_BYTES
    #: Bytes of a query sent to /sparql, GET or POST (protocol.PUBLIC_QUERY_BYTES says why).
    public_query_bytes: int = PUBLIC_QUERY_BYTES
    #: Queries one client address may run at once (0: no limit); capped below the workers.
    client_concurrency: int = 2
    retry_after: int = 1
    #: Bytes of address space per query worker (RLIMIT_AS); 0: unlimited.
    worker_memory: int = DEFAULT_WORKER_MEMORY
    #: Seconds a request body may take to arrive once its headers have.
    body_timeout: float = 10.0
    #: Request bodies a server process reads at once (the rest get 503 at once); 0: threads/2.
    body_readers: int = 0
    #: Seconds a client may take to send its request headers.
    header_timeout: float = 10.0

    def resolved(self) -> ServeSettings:
        """The same settings with the 0/None defaults that depend on the machine filled in."""
        processes = self.processes or (os.cpu_count() or 1)
        workers = self.query_workers or workers_per_process(processes)
        return dataclasses.replace(self, processes=processes, query_workers=workers)

    def app_config(self) -> dict:
        """The Flask configuration these settings give each worker's app."""
        config = {
            "QUERY_TIMEOUT": self.query_timeout,
            "MAX_ROWS": self.max_rows,
            "MAX_QUERY_BYTES": self.max_query_bytes,
            "PUBLIC_QUERY_BYTES": self.public_query_bytes,
            "WORKERS": self.query_workers,
            "STORE_URL": self.store_url,
            "SPARQL_CLIENT_CONCURRENCY": self.client_concurrency,
            "SPARQL_RETRY_AFTER": self.retry_after,
            "WORKER_MEMORY": self.worker_memory,
            "BODY_TIMEOUT": self.body_timeout,
            "BODY_READERS": self.body_readers or max(1, self.threads // 2),
        }
        if self.home is not None:
            config["DIPLOGRAPH_HOME"] = self.home
        return config


__all__ = ["DEFAULT_WORKER_MEMORY", "ServeSettings", "workers_per_process"]
