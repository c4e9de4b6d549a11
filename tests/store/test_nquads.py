"""The one N-Quads line split: literals may hold spaces, quotes and things that look like IRIs."""

from __future__ import annotations

from diplograph.store.nquads import quad_lines, split_graph, split_quad


def test_split_graph_tells_graph_names_from_literals():
    assert split_graph(b'<s> <p> "a <b>"^^<dt> .') == (b'<s> <p> "a <b>"^^<dt>', b"")
    assert split_graph(b"<s> <p> <o> .") == (b"<s> <p> <o>", b"")
    assert split_graph(b"<s> <p> <o> <g> .") == (b"<s> <p> <o>", b"<g>")
    assert split_graph(b'<s> <p> "x y" _:g .') == (b'<s> <p> "x y"', b"_:g")
    assert split_graph(b'<s> <p> "x" .') == (b'<s> <p> "x"', b"")


def test_split_quad_finds_each_term():
    assert split_quad(b'<s> <p> "a \\" b <g> ." <g> .\n') == (
        b"<s>",
        b"<p>",
        b'"a \\" b <g> ."',
        b"<g>",
    )
    assert split_quad(b'_:b <p> "x"@en-gb <g> .') == (b"_:b", b"<p>", b'"x"@en-gb', b"<g>")
    assert split_quad(b"<s> <p> _:o .") == (b"<s>", b"<p>", b"_:o", b"")


def test_quad_lines_skips_blank_and_comment_lines():
    assert quad_lines(b"# c\n<s> <p> <o> .\n\n") == [b"<s> <p> <o> ."]
