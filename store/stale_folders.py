"""The folders killed servers' forkservers left in the temporary directory, removed.

The query workers come from a multiprocessing forkserver (pool.py), whose listening
socket lives in a `pymp-*` folder of the temporary directory; the folder is removed when
its process exits, but not when it is killed (SIGKILL, the OOM killer, a container
stop), so every killed server left one behind. A new pool removes those folders: ours
(same owner), older than a minute, holding nothing but `listener-*` sockets that no
process has bound any more. Linux lists every bound Unix socket in /proc/net/unix; where
it cannot be read, nothing is removed. A live server's folder is never touched, and
nothing is ever connected to (a forkserver takes any connection for a fork request).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

PREFIX = "pymp-"
LISTENER = "listener-"
#: Seconds a folder must have been left alone: one being made is never taken for debris.
MIN_AGE = 60.0
BOUND_SOCKETS = Path("/proc/net/unix")


def bound_paths() -> set[str] | None:
    """The paths of the Unix sockets bound now, or None if the kernel's table is unreadable."""
    try:
        rows = BOUND_SOCKETS.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    except OSError:
        return None
    # "Num RefCount Protocol Flags Type St Inode Path": the path, when there is one, is last
    return {fields[7] for fields in (row.split(None, 7) for row in rows) if len(fields) == 8}


def stale_folders(tmp: Path, bound: set[str], now: float, uid: int) -> list[Path]:
    """The `pymp-*` folders of `tmp` that only a dead forkserver could have left."""
    found = []
    for folder in tmp.glob(PREFIX + "*"):
        try:
            info = folder.lstat()
            entries = list(folder.iterdir())
            kinds = [entry.lstat() for entry in entries]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid or now - info.st_mtime < MIN_AGE:
            continue
        sockets = all(
            e.name.startswith(LISTENER) and stat.S_ISSOCK(k.st_mode)
            for e, k in zip(entries, kinds, strict=True)
        )
        if entries and sockets and not any(str(e) in bound for e in entries):
            found.append(folder)
    return found


def remove_stale_folders(tmp: Path | None = None) -> list[Path]:
    """Remove what killed forkservers left in `tmp` (the temporary directory); returns them."""
    bound = bound_paths()
    if bound is None:
        return []
    folder = Path(tmp or tempfile.gettempdir())
    removed = stale_folders(folder, bound, time.time(), os.getuid())
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed
