"""Binding RDF terms into a query: a VALUES block at the start of its outer WHERE group.

The one way values reach a query's text, for the public catalogue and for the
pages' internal queries alike. Terms are written by pyoxigraph (IRIs validated,
literals escaped), so a value can only ever be one term: it cannot close a brace
or start a new clause. The WHERE is found by a scan that skips comments, IRIs and
strings, so a header comment or a string that says "where {" cannot move the block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def where_brace(text: str) -> int | None:
    """Offset of the `{` that opens the outer WHERE group, skipping comments, IRIs, strings."""
    i, n, seen_where = 0, len(text), False
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            i = text.index(">", i) + 1
            continue
        if not seen_where and text[i : i + 5].upper() == "WHERE":
            before = text[i - 1] if i else " "
            after = text[i + 5] if i + 5 < n else " "
            if not (before.isalnum() or before in "_?$:") and not (after.isalnum() or after == "_"):
                seen_where = True
                i += 5
                continue
        if c == "{" and seen_where:
            return i
        i += 1
    return None


def bind_values(sparql: str, names: Sequence[str], rows: Iterable[Sequence[Term]]) -> str:
    """`sparql` with `VALUES (?name ...) { (term ...) ... }` opening its outer WHERE group.

    Raises ValueError when the query has no WHERE clause.
    """
    at = where_brace(sparql)
    if at is None:
        raise ValueError("query has no WHERE clause")
    variables = " ".join(f"?{name}" for name in names)
    table = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    block = f"\n  VALUES ({variables}) {{ {table} }}\n"
    return sparql[: at + 1] + block + sparql[at + 1 :]
