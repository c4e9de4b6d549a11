"""Pages read one build per request, and per-page caches stay bounded."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from diplograph.web import context


class RecordingStore:
    """Stands in for the store: records which build each query was pinned to."""

    def __init__(self):
        self.builds: list[Path] = []

    def query(self, sparql, *, timeout=None, build=None):
        self.builds.append(build)
        return _Empty()


class _Empty(list):
    variables: list = []


def switch(instance: Path, build: str) -> None:
    link = instance / ".tmp-link"
    link.symlink_to(Path("builds") / build)
    os.replace(link, instance / "current")


def make_app(tmp_path: Path) -> tuple[Flask, RecordingStore]:
    for name in ("one", "two"):
        (tmp_path / "builds" / name).mkdir(parents=True)
    switch(tmp_path, "one")
    app = Flask("pin-test")
    app.config["DIPLOGRAPH_HOME"] = str(tmp_path)
    store = RecordingStore()
    app.extensions[context.STORE_KEY] = store
    return app, store


def test_regression_page_mixing_two_builds(tmp_path):
    app, store = make_app(tmp_path)
    with app.test_request_context("/"):
        context.select()("SELECT * WHERE { ?s ?p ?o }")
        switch(tmp_path, "two")  # a build is published between two queries of one page
        context.select_result("SELECT * WHERE { ?s ?p ?o }")
        context.select()("ASK { ?s ?p ?o }")
    assert store.builds == [(tmp_path / "builds" / "one").resolve()] * 3
    with app.test_request_context("/"):
        context.select()("SELECT * WHERE { ?s ?p ?o }")
    assert store.builds[-1] == (tmp_path / "builds" / "two").resolve()


def test_regression_unbounded_entity_cache(tmp_path, monkeypatch):
    app, _store = make_app(tmp_path)
    monkeypatch.setattr(context, "BOUNDED_ENTRIES", 5)
    calls = []
    with app.test_request_context("/"):
        for i in range(50):
            context.cached(f"entity:made-up-{i}", lambda i=i: calls.append(i), bounded=True)
        lru = app.extensions["diplograph.pages.lru"]
        assert len(lru) == 5
        assert list(lru) == [f"entity:made-up-{i}" for i in range(45, 50)]
        context.cached("entity:made-up-49", lambda: calls.append("again"), bounded=True)
    assert "again" not in calls
