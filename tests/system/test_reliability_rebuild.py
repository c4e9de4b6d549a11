"""Rebuild while serving: readers counting triples over HTTP during a build see the old
graph or the new one, whole, never a mix; a failed build leaves the last one serving."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from reliability_support import (
    MINIMAL,
    build_into,
    live_server,
    served_count,
    variant,
)

from diplograph.loaders.errors import CurationError
from diplograph.store import current_build
from diplograph.web import create_app

READERS = 6


class Readers:
    """Threads that count the served quads in a loop, each keeping what it saw in order."""

    def __init__(self, base: str):
        self.base = base
        self.stop = threading.Event()
        self.seen: list[list[int]] = [[] for _ in range(READERS)]
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._read, args=(i,)) for i in range(READERS)]

    def _read(self, i: int) -> None:
        with requests.Session() as session:
            while not self.stop.is_set():
                try:
                    self.seen[i].append(served_count(session, self.base))
                except Exception as exc:  # any failure at all is what the test looks for
                    self.failures.append(repr(exc))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def total(self) -> int:
        return sum(len(s) for s in self.seen)

    def wait_for(self, n: int) -> None:
        """Until every reader has made n more reads (progress, not a time assertion)."""
        targets = [len(s) + n for s in self.seen]
        deadline = time.monotonic() + 60
        while any(len(s) < t for s, t in zip(self.seen, targets, strict=True)):
            assert time.monotonic() < deadline, "readers stalled"
            time.sleep(0.01)


@pytest.fixture
def serving(tmp_path):
    instance = tmp_path / "instance"
    old = build_into(MINIMAL, instance)
    app = create_app(
        {"DIPLOGRAPH_HOME": str(instance), "WORKERS": 2, "SPARQL_CLIENT_CONCURRENCY": 0}
    )
    try:
        with live_server(app) as base:
            yield instance, old, base
    finally:
        app.extensions["diplograph.store"].close()


def test_build_while_serving_shows_old_or_new_whole_and_failed_build_keeps_new(serving, tmp_path):
    instance, old, base = serving
    new_data = variant(tmp_path, "b")
    broken = variant(tmp_path, "broken", extra="- id: [unclosed\n")
    with Readers(base) as readers:
        readers.wait_for(5)
        new = build_into(new_data, instance)
        readers.wait_for(5)
        with pytest.raises(CurationError):
            build_into(broken, instance)
        readers.wait_for(5)
    assert not readers.failures, readers.failures[:3]
    assert new.triples != old.triples
    for seen in readers.seen:
        assert set(seen) <= {old.triples, new.triples}
        # `current` switched once: the old build before, the new one after, never back.
        first_new = seen.index(new.triples)
        assert seen[:first_new] == [old.triples] * first_new
        assert seen[first_new:] == [new.triples] * (len(seen) - first_new)
        assert seen[0] == old.triples
    assert current_build(instance) == new.build_dir.resolve()


def test_pages_follow_the_new_build_and_survive_a_failed_one(serving, tmp_path):
    instance, _old, base = serving
    search = f"{base}/search?q=delta+reliability&format=json"
    assert requests.get(search, timeout=30).json() == []
    build_into(variant(tmp_path, "b"), instance)
    hits = requests.get(search, timeout=30).json()
    assert [h["id"] for h in hits] == ["delta-reliability"]
    with pytest.raises(CurationError):
        build_into(variant(tmp_path, "broken", extra="- id: [unclosed\n"), instance)
    assert [h["id"] for h in requests.get(search, timeout=30).json()] == ["delta-reliability"]
    assert requests.get(f"{base}/id/delta-reliability", timeout=30).status_code == 200
