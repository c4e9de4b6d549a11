"""Undoing N-Triples escapes, for the line-based writers.

The exports are written straight from the build's sorted N-Quads lines rather
than through a parser; RDF/XML and JSON-LD need a term's text only when its
N-Triples spelling holds an escape that their syntax does not share.
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
