"""How the page blueprints reach the graph: the store, the current build, per-build caches.

Pages query the store only through `loaders.store` (via the app's store object in
`app.extensions`); everything derived from a build (the name index, the sources) is cached
under the build's id and rebuilt when a new build is published.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app, g

from .graphdata import Row, Select

_LOCK = threading.Lock()


def _store():
    from . import STORE_KEY

    return current_app.extensions[STORE_KEY]


def select() -> Select:
    """A function running one SELECT on the current build, returning rows of terms."""
    if "dg_select" not in g:
        store = _store()

        def run(sparql: str) -> list[Row]:
            result = store.query(sparql)
            names = [v.value for v in result.variables]
            return [{n: solution[n] for n in names} for solution in result]

        g.dg_select = run
    return g.dg_select


def build_info() -> dict:
    """The current build's manifest (id, date, counts, validation report), or {}."""
    try:
        return _store().manifest() or {}
    except Exception:  # noqa: BLE001 - a page should render even with no build
        return {}


def build_key() -> str:
    return str(build_info().get("build_id") or build_info().get("sha256") or "none")


def cached(name: str, factory: Callable[[], Any]) -> Any:
    """A value computed once per build (and per app): rebuilt when the build changes."""
    cache = current_app.extensions.setdefault("diplograph.pages", {})
    key = build_key()
    entry = cache.get(name)
    if entry is None or entry[0] != key:
        with _LOCK:
            entry = cache.get(name)
            if entry is None or entry[0] != key:
                entry = (key, factory())
                cache[name] = entry
    return entry[1]
