"""Files answered from memory, so a client that never reads does not hold an app thread.

Granian writes a body the app returns as one bytes object from Rust, asynchronously: the
app thread is free at once, however slowly the client reads. A streamed body (Flask's
send_file gives a file wrapper) is pulled by the app thread chunk by chunk, and that
thread blocks as soon as the socket's buffers are full: eight clients that request a
3 MB export and never read held every thread of a two-process server.

So a whole-file answer (status 200, a werkzeug FileWrapper) is read into memory and
returned as one bytes object. The bytes are kept per file version (device, inode, mtime,
size) in a small LRU, so any number of stalled readers share one copy; exports are
immutable per build. Files over `BUFFER_FILE_BYTES`, range and HEAD answers stream as
before.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

from flask import Flask
from werkzeug.wsgi import FileWrapper

DEFAULTS = {"BUFFER_FILE_BYTES": 64 * 1024 * 1024, "BUFFER_CACHE_BYTES": 256 * 1024 * 1024}


class FileCache:
    """File versions' bytes, least recently used dropped past `max_bytes` in total."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = 0

    def get(self, file) -> bytes:
        info = os.fstat(file.fileno())
        key = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
                return body
        file.seek(0)
        body = file.read()
        with self._lock:
            if key not in self._entries and len(body) <= self.max_bytes:
                self._entries[key] = body
                self._size += len(body)
                while self._size > self.max_bytes:
                    _, dropped = self._entries.popitem(last=False)
                    self._size -= len(dropped)
        return body


class BufferedFiles:
    """WSGI middleware: whole files under `max_file` bytes answered as one bytes object."""

    def __init__(self, wsgi_app, max_file: int, cache: FileCache):
        self.wsgi_app = wsgi_app
        self.max_file = max_file
        self.cache = cache

    def __call__(self, environ, start_response):
        status = []

        def remember(line, headers, exc_info=None):
            status.append(line)
            return start_response(line, headers, exc_info)

        iterable = self.wsgi_app(environ, remember)
        if not isinstance(iterable, FileWrapper) or not status or not status[0].startswith("200"):
            return iterable
        try:
            size = os.fstat(iterable.file.fileno()).st_size
        except (AttributeError, OSError, ValueError):
            return iterable
        if size > self.max_file:
            return iterable
        try:
            return [self.cache.get(iterable.file)]
        finally:
            iterable.close()


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    cache = FileCache(int(app.config["BUFFER_CACHE_BYTES"]))
    app.wsgi_app = BufferedFiles(app.wsgi_app, int(app.config["BUFFER_FILE_BYTES"]), cache)
