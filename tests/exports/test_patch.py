"""An incremental build's patched dumps are byte for byte a full build's."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from export_builds import make_build
from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.exports import export, patch

G = b"<https://w3id.org/diplograph/graph/"
ID = b"<https://w3id.org/diplograph/id/"
LABEL = b"<http://www.w3.org/2000/01/rdf-schema#label>"


@pytest.fixture(scope="module")
def old(tmp_path_factory):
    return make_build(tmp_path_factory.mktemp("patch"))


def changed(lines: list[bytes], graph_gone: bool) -> list[bytes]:
    """One label edited, one line dropped, a new subject in an old graph and in a new
    graph (a blank node and a literal with a newline, a CR and spaces), or a graph gone."""
    new = list(lines)
    ontology = b"<https://w3id.org/diplograph/def>"  # never changes in an incremental build
    i = next(k for k, line in enumerate(new) if LABEL in line and patch.graph(line) != ontology)
    new[i] = new[i].replace(b'" <', b' (edited)" <', 1)
    del new[next(k for k in range(len(new) // 2, len(new)) if patch.graph(new[k]) != ontology)]
    some = patch.graph(new[i])
    new += [
        ID + b"zz-new> " + LABEL + b' "New" ' + some + b" .",
        ID + b"aa-new> " + LABEL + b' "a\\nb\\r c ." ' + G + b"zz-source> .",
        b"_:b0 " + LABEL + b' "blank"@en ' + G + b"zz-source> .",
    ]
    if graph_gone:
        new = [line for line in new if patch.graph(line) != some]
    return sorted(set(new))


@pytest.mark.parametrize("graph_gone", [False, True])
def test_patched_exports_are_a_full_builds(old, tmp_path, graph_gone, monkeypatch):
    lines = patch.read_lines(old / "graph.nq")
    new = changed(lines, graph_gone)
    manifest = {"base": "https://w3id.org/diplograph/", "version": "9+x", "sha256": "f" * 64}
    for name in ("full", "incremental"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "graph.nq").write_bytes(b"\n".join(new) + b"\n")
    export.write_all(tmp_path / "full" / "graph.nq", tmp_path / "full" / "exports", manifest)
    patched = []
    real = patch.patch_dumps
    monkeypatch.setattr(export, "patch_dumps", lambda *a: patched.append(real(*a)) or patched[0])
    export.write_all(
        tmp_path / "incremental" / "graph.nq",
        tmp_path / "incremental" / "exports",
        manifest,
        reuse=old / "exports",
    )
    assert patched and patched[0] is not None  # patched, not written in full
    full = sorted((tmp_path / "full" / "exports").iterdir())
    incremental = tmp_path / "incremental" / "exports"
    assert [p.name for p in full] == sorted(p.name for p in incremental.iterdir())
    for path in full:
        assert (incremental / path.name).read_bytes() == path.read_bytes(), path.name
    index = json.loads((incremental / "index.json").read_text())
    assert "9+x" in (incremental / "void.ttl").read_text() and index["version"] == "9+x"
    for entry in index["files"]:  # each digest is the file's (hashed as written, not read)
        data = (incremental / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["name"]
        assert entry["bytes"] == len(data), entry["name"]


def test_a_dump_that_does_not_split_is_written_in_full(old, tmp_path):
    """A last build whose Turtle has a statement too few: patch_dumps gives up."""
    lines = patch.read_lines(old / "exports" / "diplograph.nq")
    reuse = tmp_path / "exports"
    reuse.mkdir()
    for path in (old / "exports").iterdir():
        (reuse / path.name).write_bytes(path.read_bytes())
    ttl = (reuse / "diplograph.ttl").read_bytes()
    cut = ttl.index(patch.END) + len(patch.END)  # the first statement goes
    head, _ = patch.turtle_blocks(ttl)
    (reuse / "diplograph.ttl").write_bytes(head + ttl[cut:])
    edited = sorted(lines[:-1])
    context = json.loads((reuse / "context.jsonld").read_text())["@context"]
    serialiser = export._serialiser("https://w3id.org/diplograph/", context)
    assert patch.patch_dumps(reuse, edited, serialiser, context) is None


def test_read_lines_of_an_empty_file(tmp_path: Path):
    (tmp_path / "graph.nq").write_bytes(b"")
    assert patch.read_lines(tmp_path / "graph.nq") == []


LINES = st.lists(st.binary(min_size=1, max_size=3), max_size=60).map(lambda x: sorted(set(x)))


@settings(max_examples=300, deadline=None)
@given(old=LINES, new=LINES, block=st.sampled_from([1, 2, 3, 512]))
def test_sorted_changes_are_the_set_differences(old, new, block):
    assert patch.sorted_changes(old, new, block) == (set(old) - set(new), set(new) - set(old))
