"""The Flask application factory: configuration, the store, one blueprint per concern."""

from __future__ import annotations

import atexit
from pathlib import Path

from flask import Flask

from diplograph import store as st
from diplograph.store.builds import instance_dir
from diplograph.web import drafts

DEFAULTS = {
    "QUERY_TIMEOUT": st.DEFAULT_TIMEOUT,  # seconds before a query's worker is killed
    "MAX_ROWS": st.DEFAULT_MAX_ROWS,  # row (or triple) cap on public query results
    "MAX_QUERY_BYTES": st.DEFAULT_MAX_QUERY_BYTES,
    "WORKERS": None,  # query worker processes; None: max(2, CPUs)
    "STORE_URL": None,  # a SPARQL 1.1 store's query URL (see `diplograph push`); None: embedded
}


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. Settings: defaults, then FLASK_* environment variables, then test_config."""
    home = Path((test_config or {}).get("DIPLOGRAPH_HOME") or instance_dir())
    # `diplograph` is a namespace package: Flask cannot guess an instance path for it.
    app = Flask(__name__, instance_path=str(home.resolve()))
    app.config.from_mapping(DEFAULTS, DIPLOGRAPH_HOME=str(home))
    if test_config is None:
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    # A form-encoded query can be three times its text; refuse larger bodies unread.
    app.config.setdefault("MAX_CONTENT_LENGTH", 3 * int(app.config["MAX_QUERY_BYTES"]) + 4096)

    from diplograph.web.context import STORE_KEY

    store = st.open_store(
        app.config["DIPLOGRAPH_HOME"],
        workers=app.config["WORKERS"] and int(app.config["WORKERS"]),
        timeout=float(app.config["QUERY_TIMEOUT"]),
        max_rows=app.config["MAX_ROWS"] and int(app.config["MAX_ROWS"]),
        max_query_bytes=int(app.config["MAX_QUERY_BYTES"]),
        store_url=app.config["STORE_URL"],
    )
    app.extensions[STORE_KEY] = store
    atexit.register(store.close)

    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from diplograph.web import ratelimit, sparql

    ratelimit.init_app(app)
    app.register_blueprint(sparql.bp)
    for bp in _page_blueprints():
        app.register_blueprint(bp)
    if app.config.get("CURATION"):  # local curation only: draft review pages (issue 20)
        app.register_blueprint(drafts.bp)


def _page_blueprints() -> list:
    """The page blueprints, in the order their routes should be matched."""
    from diplograph.web import (
        assets,
        catalogue_views,
        entities,
        exports,
        network,
        pages,
        search,
        security,
        timeline,
    )

    return [
        security.bp,
        assets.bp,
        pages.bp,
        entities.bp,
        search.bp,
        timeline.bp,
        network.bp,
        catalogue_views.bp,
        exports.bp,
    ]


__all__ = ["DEFAULTS", "create_app"]
