"""The one N-Quads line split: literals may hold spaces, quotes and things that look like IRIs."""

from __future__ import annotations

from diplograph.store import nquads
from diplograph.store.nquads import quad_lines, read_quad_lines, split_graph, split_quad


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


def test_read_quad_lines_reads_a_block_at_a_time_as_quad_lines_reads_whole(tmp_path, monkeypatch):
    """Lines cut by a block's end are joined again, the last line may lack its newline,
    and blank and comment lines go, as in quad_lines of the whole file."""
    text = b'# c\n<s> <p> "a b\\nc" <g> .\n\n<s> <p> <o> <g> .\n_:b1 <p> "x" .'
    path = tmp_path / "g.nq"
    path.write_bytes(text)
    for block in (1, 2, 5, 7, 1 << 24):
        monkeypatch.setattr(nquads, "READ_BLOCK", block)
        assert read_quad_lines(path) == quad_lines(text), block
    assert len(read_quad_lines(path)) == 3
