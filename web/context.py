"""How the page blueprints reach the graph: the store, the current build, per-build caches.

Pages query the store only through `diplograph.store` (via the app's store object in
`app.extensions`); everything derived from a build (the name index, the sources) is cached
under the build's id and rebuilt when a new build is published.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import current_app, g

from diplograph.store import builds

#: One row of a SELECT: each variable's term, or None where it is unbound.
Row = dict[str, "ox.NamedNode | ox.Literal | ox.BlankNode | None"]
Select = Callable[[str], list[Row]]

# Re-entrant: a factory may itself call `cached` (an entity page needs the source index).
_LOCK = threading.RLock()
STORE_KEY = "diplograph.store"


def _store():
    return current_app.extensions[STORE_KEY]


def select() -> Select:
    """A function running one SELECT on the current build, returning rows of terms."""
    if "dg_select" not in g:

        def run(sparql: str) -> list[Row]:
            result = _query(sparql)
            names = [v.value for v in result.variables]
            return [{n: solution[n] for n in names} for solution in result]

        g.dg_select = run
    return g.dg_select


def instance() -> Path:
    """The app's instance directory: its DIPLOGRAPH_HOME setting, else the process's."""
    home = current_app.config.get("DIPLOGRAPH_HOME") or current_app.config.get("INSTANCE_DIR")
    return Path(home or builds.instance_dir())


def current_build() -> Path | None:
    """The published build directory (None before the first build), resolved once per request.

    Pinning it means a page that runs several queries while a new build is switched in
    still reads one build, whole, and not a mix of the old and the new.
    """
    if "dg_build" not in g:
        g.dg_build = builds.current_build(instance())
    return g.dg_build


def _query(sparql: str):
    return _store().query(sparql, build=current_build())


def build_info() -> dict:
    """The current build's manifest (id, date, counts, validation report), or {} if none."""
    build = current_build()
    if build is None:
        return {}
    manifest = build / "manifest.json"
    key = str(manifest)
    cache = current_app.extensions.setdefault("diplograph.manifest", {})
    if key not in cache:
        try:
            cache.clear()
            cache[key] = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
    return cache[key]


def build_key() -> str:
    """Changes whenever another build is published (each build has its own directory)."""
    return str(current_build())


#: Per-item entries (one per entity page) are kept in a bounded LRU, so a crawler asking
#: for endless made-up ids cannot grow memory without limit.
BOUNDED_ENTRIES = 4096


def cached(name: str, factory: Callable[[], Any], *, bounded: bool = False) -> Any:
    """A value computed once per build (and per app): rebuilt when the build changes."""
    store_name = "diplograph.pages.lru" if bounded else "diplograph.pages"
    cache = current_app.extensions.setdefault(store_name, OrderedDict())
    key = build_key()
    with _LOCK:
        entry = cache.get(name)
        if entry is not None and entry[0] == key:
            if bounded:
                cache.move_to_end(name)
            return entry[1]
    value = factory()
    with _LOCK:
        entry = cache.get(name)
        if entry is None or entry[0] != key:
            entry = (key, value)
            cache[name] = entry
        if bounded:
            cache.move_to_end(name)
            while len(cache) > BOUNDED_ENTRIES:
                cache.popitem(last=False)
    return entry[1]


def select_result(sparql: str) -> tuple[list[str], list[Row]]:
    """Variables and rows of one SELECT (the variables even when no row matches)."""
    result = _query(sparql)
    names = [v.value for v in result.variables]
    return names, [{n: solution[n] for n in names} for solution in result]
