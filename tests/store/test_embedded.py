"""The store-access package: loading, atomic publication, checks, workers, caps."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from diplograph import store as st

EX = "http://example.org/"


def make_build(home, name: str, nquads: str):
    build_dir = home / "builds" / name
    build_dir.mkdir(parents=True)
    (build_dir / "graph.nq").write_text(nquads, encoding="utf-8")
    st.load_nquads(build_dir / "graph.nq", build_dir / "store")
    return build_dir


def quad(s: str, o: str, g: str) -> str:
    return f"<{EX}{s}> <{EX}p> <{EX}{o}> <{EX}{g}> .\n"


@pytest.fixture
def home(tmp_path):
    return tmp_path / "instance"


@pytest.fixture
def store(home):
    # The same triple in two graphs: the merge must hold it once.
    st.publish(home, make_build(home, "one", quad("a", "b", "g1") + quad("a", "b", "g2")))
    handle = st.open_store(home, workers=2, timeout=2, max_rows=3)
    yield handle
    handle.close()


def test_load_nquads_counts_quads_and_refuses_a_used_directory(tmp_path):
    nq = tmp_path / "graph.nq"
    nq.write_text(quad("a", "b", "g1") + quad("c", "d", "g2"), encoding="utf-8")
    assert st.load_nquads(nq, tmp_path / "store") == 2
    with pytest.raises(FileExistsError):
        st.load_nquads(nq, tmp_path / "store")


def test_publish_switches_the_link_and_a_bad_build_leaves_the_old_one(home):
    assert st.current_build(home) is None
    first = make_build(home, "one", quad("a", "b", "g"))
    st.publish(home, first)
    assert st.current_build(home) == first.resolve()
    assert not os.path.isabs(os.readlink(home / "current"))
    broken = home / "builds" / "broken"
    broken.mkdir()
    with pytest.raises(FileNotFoundError):
        st.publish(home, broken)
    assert st.current_build(home) == first.resolve()
    assert [p.name for p in home.iterdir() if p.name.startswith(".")] == []


def test_default_graph_is_the_merge_as_a_set(store):
    rows = list(store.query(f"SELECT ?o WHERE {{ <{EX}a> ?p ?o }}"))
    assert len(rows) == 1
    assert store.triple_count() == 2
    assert store.named_graphs() == [EX + "g1", EX + "g2"]


def test_internal_query_returns_pyoxigraph_terms(store):
    result = store.query(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}")
    assert [v.value for v in result.variables] == ["s"]
    assert [row["s"] for row in result] == [ox.NamedNode(EX + "a")]
    assert store.query("ASK { ?s ?p ?o }") is True
    assert len(store.query("CONSTRUCT WHERE { ?s ?p ?o }")) == 1


def test_workers_follow_a_newly_published_build(store, home):
    assert store.query(f"ASK {{ <{EX}c> ?p ?o }}") is False
    st.publish(home, make_build(home, "two", quad("c", "d", "g3")))
    for _ in range(3):  # every worker, not just the first one asked
        assert store.query(f"ASK {{ <{EX}c> ?p ?o }}") is True


@pytest.mark.parametrize("fmt", st.RESULT_FORMATS)
def test_row_cap_truncates_and_says_so(home, fmt):
    body = "".join(quad(f"s{i}", "o", "g") for i in range(5))
    st.publish(home, make_build(home, "rows", body))
    handle = st.open_store(home, workers=1, max_rows=3)
    try:
        result = handle.execute("SELECT ?s WHERE { ?s ?p ?o }", result_format=fmt)
        assert (result.rows, result.truncated, result.max_rows) == (3, True, 3)
        assert result.body.decode().count("example.org/s") == 3  # one subject per row
        small = handle.execute("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", result_format=fmt)
        assert (small.rows, small.truncated) == (2, False)
    finally:
        handle.close()


def test_a_runaway_query_is_stopped_by_killing_its_worker(home):
    body = "".join(quad(f"s{i}", f"o{i}", "g") for i in range(30))
    st.publish(home, make_build(home, "big", body))
    handle = st.open_store(home, workers=1, timeout=1)
    try:
        assert handle.query("ASK {}") is True
        before = handle.worker_pids()
        product = (
            "SELECT (COUNT(*) AS ?n) WHERE { "
            + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(7))
            + " }"
        )
        with pytest.raises(st.QueryTimeout, match="time limit"):
            handle.execute(product)
        assert before and before.isdisjoint(handle.worker_pids())
        for pid in before:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        assert handle.query("ASK {}") is True  # a fresh worker took its place
    finally:
        handle.close()


def test_from_names_only_graphs_in_the_store(store):
    assert store.execute(f"SELECT * FROM <{EX}g1> {{ ?s ?p ?o }}").form == st.SELECT
    with pytest.raises(st.UnknownGraph, match="nothing is ever fetched"):
        store.execute("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }")
    with pytest.raises(st.UnknownGraph):
        store.execute("PREFIX x: <http://evil.example/> ASK FROM NAMED x:g {}")


def test_protocol_dataset_replaces_the_merge(store):
    result = store.execute(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graph_uris=[EX + "g2"]
    )
    assert b"g2" in result.body and b"g1" not in result.body
    empty = store.execute("ASK { ?s ?p ?o }", default_graph_uris=[EX + "nothing"])
    assert b"false" in empty.body


def test_syntax_errors_carry_line_and_column(store):
    with pytest.raises(st.QuerySyntaxError, match=r"2:\d+"):
        store.execute("SELECT *\nWHERE { ?s ?p }")


def test_serialize_exports_the_named_graphs_without_the_stored_merge(store):
    quads = list(ox.parse(store.serialize("nquads"), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 2 and all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
    triples = list(ox.parse(store.serialize("ntriples"), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == 1


def test_describe(store):
    result = store.describe(EX + "a", "ntriples")
    assert result.body.strip() == f"<{EX}a> <{EX}p> <{EX}b> .".encode()


REFUSED = {
    "update": ("CLEAR ALL", st.UpdateRefused),
    "update after prologue": ("PREFIX a: <x:> INSERT DATA { a:s a:p a:o }", st.UpdateRefused),
    "service": ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", st.ServiceRefused),
    "service lower case": ("select * { service <http://x/> { } }", st.ServiceRefused),
    # Oxigraph reads these as SERVICE too (keywords need no word boundary there).
    "service glued to a prefix name": ("PREFIX : <http://x/> SELECT * { SERVICE:g {} }", None),
    "service glued to silent": ("SELECT * { SERVICESILENT<http://x/> {} }", None),
    "service after a comment line": ("SELECT * { # }\nSERVICE <http://x/> {} }", None),
    "service in optional": ("ASK{?s ?p ?o OPTIONAL{SERVICE<http://x/>{}}}", None),
    # `<` as less-than followed by a string Oxigraph reads as code after the comment trick
    "apostrophe in an iri-like span": (
        "SELECT * { ?s ?p ?o FILTER(?o<'a># ') SERVICE <http://x/> {} }",
        st.QueryRejected,
    ),
    "oversize": ("ASK {}" + " " * 200_000, st.QueryTooLarge),
}


@pytest.mark.parametrize("name", REFUSED)
def test_check_refuses(name):
    text, error = REFUSED[name]
    with pytest.raises(error or st.ServiceRefused):
        st.check_query(text)


ACCEPTED = [
    'SELECT * { ?s ?p "SERVICE" }  # SERVICE <http://x/> {}',
    "PREFIX schema: <http://schema.org/> SELECT ?service { ?service a schema:Service }",
    "SELECT * { <http://x/#frag> ?p ?o FILTER(?o < 3) }",
    "ASK { ?s ?p '''multi\nline SERVICE''' }",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_check_accepts_service_only_as_data(text):
    assert st.check_query(text).form in (st.SELECT, st.ASK)


def test_check_resolves_from_iris_against_prefixes_and_base():
    info = st.check_query(
        "BASE <http://b.example/dir/> PREFIX e: <http://e.example/> "
        "SELECT * FROM e:one FROM NAMED <two> { }"
    )
    assert info.from_graphs == ("http://e.example/one",)
    assert info.from_named_graphs == ("http://b.example/dir/two",)


def test_the_builds_one_pass_load_gives_the_same_store_as_parsing_the_file(tmp_path, monkeypatch):
    """The build loads from its sorted lines in chunks, the merge from adjacent lines."""
    from diplograph.cli.build import load_graphs
    from diplograph.data import DATA_DIR
    from diplograph.loaders.quads import write_lines
    from diplograph.store import embedded

    lines = load_graphs(DATA_DIR).quads.lines()
    write_lines(lines, tmp_path / "graph.nq")
    monkeypatch.setattr(embedded, "LOAD_CHUNK", 997)  # many chunks, split between graphs
    assert st.load_nquads(tmp_path / "graph.nq", tmp_path / "fast", lines=lines) == len(lines)
    assert st.load_nquads(tmp_path / "graph.nq", tmp_path / "parsed") == len(lines)
    fast, parsed = (
        ox.Store.read_only(str(tmp_path / "fast")),
        ox.Store.read_only(str(tmp_path / "parsed")),
    )
    # the same quads, blank nodes aside; and as many blank nodes (none split across calls)
    named = [q for q in fast if not isinstance(q.graph_name, ox.DefaultGraph)]
    merged = [q for q in fast if isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(named) == len(lines) and len(fast) == len(parsed)
    assert _without_blanks(fast) == _without_blanks(parsed)
    assert _blanks(fast) == _blanks(parsed) > 10
    triples = {(q.subject, q.predicate, q.object) for q in named}
    assert len(merged) == len(triples) < len(named)  # some triples are held by several graphs


def _without_blanks(store) -> set[str]:
    return {
        str(q)
        for q in store
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def _blanks(store) -> int:
    return len({t for q in store for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)})
