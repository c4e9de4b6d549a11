"""A query's syntax error in plain words (web/syntax_errors.py), as /sparql answers it."""

from __future__ import annotations

import pytest

from diplograph.web.syntax_errors import expected, near_text, reword

RAW = (
    'Query syntax error: error at 1:41: expected one of "$", "(", ":", "<", "?", IF, '
    "TZ, The SELECT contains a variable that is unbound, ['0' ..= '9' | '\\u{00B7}'], "
    "['A' ..= 'Z' | 'a' ..= 'z' | '\\u{00C0}'..='\\u{00D6}'], ['_'], [_]"
)


def ask(client, query):
    response = client.post("/sparql", data={"query": query})
    return response.status_code, response.get_data(as_text=True)


def test_unclosed_brace_names_line_column_and_hint(client):
    status, text = ask(client, "SELECT *\nWHERE {\n  ?s ?p ?o\n")
    assert status == 400
    first, hint = text.strip().split("\n")
    assert first.startswith("Syntax error at line 4, column 1: expected ")
    assert "'}'" in first and "at the end of the query, after '" in first
    assert hint == "Hint: the query ends too early: a '{' is not closed with '}'."
    assert "\\u{" not in text and "..=" not in text


def test_error_inside_a_line_quotes_the_text_near_it(client):
    status, text = ask(client, "SELECT * WHERE { ?s ?p ?o FILTER(?o = ) } LIMIT 3")
    assert status == 400
    assert text.startswith("Syntax error at line 1, column ")
    assert "expected an expression" in text and "?o = )" in text
    assert "Hint: " in text


def test_undeclared_prefix_says_which_line_to_add(client):
    status, text = ask(client, "SELECT * WHERE {\n  ?s dg:name ?o }")
    assert status == 400
    assert text.splitlines() == [
        "Syntax error at line 2, column 6: the prefix 'dg:' is not declared.",
        "Hint: add the line PREFIX dg: <https://w3id.org/diplograph/def#> at the top of the query.",
    ]


def test_unicode_ranges_become_words():
    items, notes = expected(RAW.split(": ", 2)[2])
    assert items == [
        "a variable", "'('", "a prefixed name", "an IRI", "an expression", "a digit", "a name"
    ]  # fmt: skip
    assert notes == ["The SELECT contains a variable that is unbound"]
    worded = reword(RAW, "SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s")
    assert worded.startswith("Syntax error at line 1, column 41: expected a variable, '(',")
    assert "every selected variable must be grouped (GROUP BY) or aggregated" in worded


@pytest.mark.parametrize(
    ("line", "column", "near"),
    [
        (1, 1, ("SELECT * { ?…", "")),
        (2, 5, ("x }", "SELECT * { ?s")),
        (2, 8, ("", "…ELECT * { ?s x }")),  # past the end: nothing after, the tail before
    ],
)
def test_near_text_is_one_line_either_side(line, column, near):
    assert near_text("SELECT * {\n ?s x }", line, column) == near


def test_other_refusals_are_left_alone(client):
    status, text = ask(client, "INSERT DATA { <a:b> <a:c> <a:d> }")
    assert status == 403 and "read-only" in text
    assert reword("Query timed out after 5 s.", "ASK {}") == "Query timed out after 5 s."
