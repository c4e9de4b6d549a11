"""N-Triples terms as bytes: the pieces the line-based writers share.

The exports are written straight from the build's sorted N-Quads lines rather
than through a parser, so these helpers work on the terms' N-Triples spelling:
split a line, undo the N-Triples escapes when a target syntax needs the text.
"""

from __future__ import annotations

import re

_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


def _unescape_one(match: re.Match) -> str:
    code = match.group(1) or match.group(2)
    if code:
        return chr(int(code, 16))
    char = match.group(3)
    if char not in _ECHAR:
        raise ValueError(f"invalid N-Triples escape \\{char}")
    return _ECHAR[char]


def unescape(text: bytes) -> str:
    """The value an N-Triples string or IRI body spells (UCHAR and ECHAR escapes undone)."""
    decoded = text.decode("utf-8")
    return _ESCAPE.sub(_unescape_one, decoded) if "\\" in decoded else decoded


def split_line(line: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """(subject, predicate, object, graph) of an N-Quads line; graph is b'' if absent.

    The writers inline this for speed; it is the reference they follow. Subject
    and predicate never hold a space; the last term is a graph name when it
    holds no quote (the last chunk of a literal always does).
    """
    s, p, rest = line.split(b" ", 2)
    rest = rest.rstrip()
    body = rest[:-1].rstrip() if rest.endswith(b".") else rest
    o, sep, g = body.rpartition(b" ")
    if not sep or b'"' in g:
        return s, p, body, b""
    return s, p, o, g


def literal_parts(term: bytes) -> tuple[bytes, bytes]:
    """(quoted lexical form, suffix) of a literal: b'"x"', then b'', b'@en' or b'^^<dt>'."""
    end = term.rfind(b'"')
    return term[: end + 1], term[end + 1 :]
