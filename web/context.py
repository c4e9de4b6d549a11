"""How the page blueprints reach the graph: the store, the current build, per-build caches.

Pages query the store only through `loaders.store` (via the app's store object in
`app.extensions`); everything derived from a build (the name index, the sources) is cached
under the build's id and rebuilt when a new build is published.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app, g

from ..loaders import paths
from .graphdata import Row, Select

# Re-entrant: a factory may itself call `cached` (an entity page needs the source index).
_LOCK = threading.RLock()
STORE_KEY = "diplograph.store"


def _store():
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


def current_build() -> Path:
    """The published build directory: `<instance>/current` (as the exports blueprint reads it)."""
    home = current_app.config.get("DIPLOGRAPH_HOME") or current_app.config.get("INSTANCE_DIR")
    return (Path(home or paths.instance_dir()) / "current").resolve()


def build_info() -> dict:
    """The current build's manifest (id, date, counts, validation report), or {} if none."""
    manifest = current_build() / "manifest.json"
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


def select_result(sparql: str) -> tuple[list[str], list[Row]]:
    """Variables and rows of one SELECT (the variables even when no row matches)."""
    result = _store().query(sparql)
    names = [v.value for v in result.variables]
    return names, [{n: solution[n] for n in names} for solution in result]
