"""The parsed project files kept between processes (loaders/parsed_files.py): an entry is
read back only for the same files, versions and code, and anything else is made anew."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from rdflib import BNode
from rdflib.compare import isomorphic

from diplograph.loaders import parsed_files
from diplograph.loaders.parsed_files import CACHE_ENV, kept
from diplograph.loaders.vocab import read_vocabulary
from diplograph.shapes.validation import read_shapes


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _make(calls: list, value):
    def make():
        calls.append(1)
        return value

    return make


def test_an_entry_is_made_once_then_read(cache, tmp_path):
    source = tmp_path / "a.ttl"
    source.write_text("one")
    calls: list = []
    assert kept("thing", [source], _make(calls, {"v": 1})) == {"v": 1}
    assert kept("thing", [source], _make(calls, {"v": 2})) == {"v": 1}  # read, not made
    assert calls == [1]
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["thing"]


def test_changed_bytes_make_it_again_and_the_old_entry_goes(cache, tmp_path):
    source = tmp_path / "a.ttl"
    source.write_text("one")
    kept("thing", [source], lambda: "first")
    source.write_text("two")
    assert kept("thing", [source], lambda: "second") == "second"
    assert len(list(cache.glob("thing-*.pickle"))) == 1
    assert kept("thing", [source], lambda: "third") == "second"


def test_a_torn_entry_is_made_again(cache, tmp_path):
    source = tmp_path / "a.ttl"
    source.write_text("one")
    kept("thing", [source], lambda: "first")
    (entry,) = cache.glob("thing-*.pickle")
    entry.write_bytes(pickle.dumps("first")[:5])
    assert kept("thing", [source], lambda: "again") == "again"
    assert pickle.loads(entry.read_bytes()) == "again"


def test_the_key_holds_the_versions_and_the_makers_code(tmp_path, monkeypatch):
    source = tmp_path / "a.ttl"
    source.write_text("one")
    base = parsed_files.key_of([source], read_shapes)
    assert parsed_files.key_of([source], read_vocabulary) != base  # another module's code
    monkeypatch.setattr(parsed_files, "_versions", lambda: b"another rdflib")
    assert parsed_files.key_of([source], read_shapes) != base


def test_an_unwritable_folder_only_costs_the_making(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    calls: list = []
    assert kept("thing", [blocker], _make(calls, 1)) == 1
    assert kept("thing", [blocker], _make(calls, 1)) == 1
    assert calls == [1, 1]


def test_the_ontology_and_shapes_read_back_equal_what_parsing_gives(cache):
    """What a fresh process reads back is what it would have parsed: a second process
    reads the entries the first wrote, and gives the same triples and tables."""
    code = (
        "import pickle, sys\n"
        "from diplograph.loaders.vocab import load_vocabulary\n"
        "from diplograph.shapes.validation import shapes_graph\n"
        "v, s = load_vocabulary(), shapes_graph()\n"
        "sys.stdout.buffer.write(pickle.dumps((v, s, dict(s.namespaces()))))\n"
    )
    env = {**os.environ, CACHE_ENV: str(cache)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)
        for _ in range(2)
    ]
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["shapes", "vocabulary"]
    (first, first_shapes, _), (second, second_shapes, namespaces) = (
        pickle.loads(run.stdout) for run in runs
    )
    # the second process read the first's entries: the same blank nodes, the same tables
    assert vars(second) == vars(first) and set(second_shapes) == set(first_shapes)
    # and they are what parsing gives (blank nodes aside, which each parse labels anew)
    parsed, shapes = read_vocabulary(), read_shapes()
    assert second.canonical == parsed.canonical and isomorphic(second.graph, parsed.graph)
    for table in ("classes", "properties", "object_properties", "terms"):
        assert getattr(second, table) == getattr(parsed, table), table
    assert _named(second.ranges) == _named(parsed.ranges)
    assert _named(second.labels) == _named(parsed.labels)
    assert isomorphic(second_shapes, shapes) and namespaces == dict(shapes.namespaces())


def _named(table: dict) -> dict:
    return {k: v for k, v in table.items() if not isinstance(k, BNode) and not isinstance(v, BNode)}
