"""The Flask application factory: configuration, the store, one blueprint per concern."""

from __future__ import annotations

import atexit
from pathlib import Path

from flask import Flask

from diplograph import store as st
from diplograph.store.builds import instance_dir
from diplograph.web import (
    assets,
    buffering,
    catalogue_views,
    drafts,
    entities,
    exports,
    network,
    pages,
    permalinks,
    protocol,
    ratelimit,
    search,
    security,
    sparql,
    timeline,
)
from diplograph.web import map as venue_map
from diplograph.web.context import STORE_KEY
from diplograph.web.settings import ServeSettings

DEFAULTS = {
    "QUERY_TIMEOUT": st.DEFAULT_TIMEOUT,  # seconds before a query's worker is killed
    "MAX_ROWS": st.DEFAULT_MAX_ROWS,  # row (or triple) cap on public query results
    "MAX_QUERY_BYTES": st.DEFAULT_MAX_QUERY_BYTES,
    "WORKERS": None,  # query worker processes; None: max(2, CPUs)
    "STORE_URL": None,  # a SPARQL 1.1 store's query URL (see `diplograph push`); None: embedded
    "WORKER_MEMORY": ServeSettings.worker_memory,  # bytes of address space per query worker
}


def create_app(config: ServeSettings | dict | None = None) -> Flask:
    """Build the app from `diplograph serve`'s settings object, or from a test's dict of
    Flask settings (over the defaults). With neither (`flask run`), FLASK_* variables."""
    if isinstance(config, ServeSettings):
        config = config.app_config()
    home = Path((config or {}).get("DIPLOGRAPH_HOME") or instance_dir())
    # `diplograph` is a namespace package: Flask cannot guess an instance path for it.
    app = Flask(__name__, instance_path=str(home.resolve()))
    app.config.from_mapping(DEFAULTS, DIPLOGRAPH_HOME=str(home))
    if config is None:
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(config)

    store = st.open_store(
        app.config["DIPLOGRAPH_HOME"],
        workers=app.config["WORKERS"] and int(app.config["WORKERS"]),
        timeout=float(app.config["QUERY_TIMEOUT"]),
        max_rows=app.config["MAX_ROWS"] and int(app.config["MAX_ROWS"]),
        max_query_bytes=int(app.config["MAX_QUERY_BYTES"]),
        store_url=app.config["STORE_URL"],
        worker_memory=int(app.config["WORKER_MEMORY"] or 0),
    )
    app.extensions[STORE_KEY] = store
    atexit.register(store.close)

    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    ratelimit.init_app(app)
    protocol.init_app(app)
    buffering.init_app(app)
    app.register_blueprint(sparql.bp)
    for bp in _page_blueprints():
        app.register_blueprint(bp)
    if app.config.get("CURATION"):  # local curation only: draft review pages (issue 20)
        app.register_blueprint(drafts.bp)


def _page_blueprints() -> list:
    """The page blueprints, in the order their routes should be matched."""
    return [
        security.bp,
        assets.bp,
        pages.bp,
        entities.bp,
        search.bp,
        timeline.bp,
        network.bp,
        venue_map.bp,
        catalogue_views.bp,
        permalinks.bp,
        exports.bp,
    ]


__all__ = ["DEFAULTS", "ServeSettings", "create_app"]
