"""The project's own files, parsed once per machine instead of once per process.

A fresh `diplograph build` parses the ontology (and canonicalises its blank nodes) and
the shapes before it reads a single fact: about 0.1 s of the 1.0 s a one-edit build of the
real data took in a process of its own (docs/benchmarks.md, session 9), for files that
change only with the project. What is made from them is pickled into a per-user cache
folder, under a key of the files' bytes, the versions of Python, rdflib and diplograph, and
the source of the code that makes it; the next process reads it back in milliseconds.

Only parses of files the project ships are kept here, never a build's results, so a full
build (the reference incremental builds are compared with) takes them too. A missing,
unreadable or stale entry is made again and rewritten, atomically, so the folder can be
deleted at any time; writing an entry removes the older ones of its name. Where the folder
cannot be written, everything is made in each process, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Where the entries go: this variable, else $XDG_CACHE_HOME/diplograph, else ~/.cache/diplograph.
CACHE_ENV = "DIPLOGRAPH_CACHE"


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "diplograph"


@lru_cache(maxsize=1)
def _versions() -> bytes:
    """Python's, rdflib's and diplograph's versions: what the pickled objects depend on."""
    return "\0".join((sys.version, version("rdflib"), version("diplograph"))).encode()


def key_of(files: Iterable[Path], make: Callable | None = None) -> str:
    """The files' names and bytes, the versions whose objects are pickled, and the source
    of the module that defines `make` (a checkout's edits change no version number)."""
    digest = hashlib.sha256(_versions())
    code = [Path(make.__code__.co_filename)] if make is not None else []
    for path in [*files, *code]:
        data = Path(path).read_bytes()
        digest.update(Path(path).name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()[:32]


def kept(name: str, files: Iterable[Path], make: Callable[[], T]) -> T:
    """What `make` makes from `files`: read from the cache when an entry of these files'
    bytes is there, else made and written for the next process."""
    folder = cache_dir()
    path = folder / f"{name}-{key_of(files, make)}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 -- a torn or foreign entry: made again below
        pass
    value = make()
    with contextlib.suppress(OSError):  # a read-only home, a full disk: made each time
        _write(folder, path, value)
    return value


def _write(folder: Path, path: Path, value) -> None:
    """`value` pickled into `path` (atomically), and the older entries of its name gone."""
    folder.mkdir(parents=True, exist_ok=True)
    name = path.name.rsplit("-", 1)[0]
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False) as out:
        try:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            os.unlink(out.name)
            raise
    os.replace(out.name, path)
    for older in folder.glob(f"{name}-*.pickle"):
        if older != path:
            older.unlink(missing_ok=True)
