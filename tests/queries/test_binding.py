"""The one VALUES binder: where the block goes, what it says, and what it refuses."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from diplograph.queries.binding import bind_values, where_brace

QUERY = """#+ summary: where { is only a comment here
PREFIX ex: <http://example.org/where/>
SELECT ?s ?label WHERE {
  ?s ex:label ?label FILTER (?label != "where {")
}
"""


def test_the_block_opens_the_outer_where_group_past_comments_iris_and_strings():
    at = where_brace(QUERY)
    assert QUERY[at - 6 : at + 1] == "WHERE {"
    text = bind_values(QUERY, ["s"], [[ox.NamedNode("http://example.org/a")]])
    assert "WHERE {\n  VALUES (?s) { (<http://example.org/a>) }\n" in text


def test_rows_and_variables_make_one_table():
    a, b = ox.NamedNode("http://example.org/a"), ox.Literal("x")
    text = bind_values(QUERY, ["s", "label"], [[a, b], [a, ox.Literal("y")]])
    row = '(<http://example.org/a> "{}")'
    assert f"VALUES (?s ?label) {{ {row.format('x')} {row.format('y')} }}" in text
    store = ox.Store()
    store.add(ox.Quad(a, ox.NamedNode("http://example.org/where/label"), b))
    rows = list(store.query(text))
    assert [(r["s"], r["label"]) for r in rows] == [(a, b)]


def test_a_value_is_one_term_however_it_is_written():
    sneaky = ox.Literal('x" } ; DROP ALL ; SELECT * WHERE { "')
    text = bind_values(QUERY, ["label"], [[sneaky]])
    store = ox.Store()
    assert list(store.query(text)) == []  # it parses: the value stayed one literal


def test_no_where_clause_is_an_error():
    assert where_brace("ASK { ?s ?p ?o }") is None
    with pytest.raises(ValueError, match="WHERE"):
        bind_values("ASK { ?s ?p ?o }", ["s"], [[ox.NamedNode("http://example.org/a")]])
