"""The build's N-Quads lines: the one split of a line into its terms, and a stream of lines.

A build keeps its data as sorted, canonical N-Quads (`graph.nq`): one statement a line,
terms separated by single spaces. Subject, predicate and graph name never hold a space
(IRIs and blank node labels cannot), and neither do IRIs hold a quote, so the only term
that needs a second look is a literal object, which may hold both: it ends at the first
space after its last quote. The store's loader, the exports, the dataset description and
the release diff all split lines here, without parsing them into terms.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

Progress = Callable[[int], None]


def split_quad(line: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """(subject, predicate, object, graph) of an N-Quads line; graph is b'' if default.

    The line may end in ' .' or ' .\\n'; each term is spelled as on the line.
    """
    s, p, o, rest = line.split(b" ", 3)
    if o[0] == 34:  # a literal may hold spaces: it ends at the first one after its last quote
        rest = line[len(s) + len(p) + 2 :]
        end = rest.find(b" ", rest.rfind(b'"'))
        o, rest = rest[:end], rest[end + 1 :]
    return s, p, o, rest.rstrip()[:-1].rstrip()


def split_graph(line: bytes) -> tuple[bytes, bytes]:
    """(triple, graph) of an N-Quads line: the triple's terms as on the line, graph b'' if
    the line is in the default graph."""
    s, p, o, g = split_quad(line)
    return line[: len(s) + len(p) + len(o) + 2], g


def quad_lines(nq: bytes) -> list[bytes]:
    """The statements of an N-Quads (or N-Triples) document: no blank or comment lines."""
    return [line for line in nq.split(b"\n") if line.strip() and not line.startswith(b"#")]


#: Bytes read at a time by `read_quad_lines`.
READ_BLOCK = 1 << 24


def read_quad_lines(path) -> list[bytes]:
    """`quad_lines` of a file, read a block at a time: the file's bytes and its lines are
    never held at once (at 10M quads each is 2.6 GB, and the export process runs beside
    the store's load)."""
    found: list[bytes] = []
    rest = b""
    with open(path, "rb") as handle:
        while block := handle.read(READ_BLOCK):
            block = rest + block
            end = block.rfind(b"\n") + 1
            found += quad_lines(block[:end])
            rest = block[end:]
    return found + quad_lines(rest)


class LineReader(io.RawIOBase):
    """A binary stream over an iterator of lines, so a parser pulls as it goes."""

    def __init__(self, lines: Iterable[bytes], progress: Progress | None = None):
        self._lines = iter(lines)
        self._buffer = memoryview(b"")
        self._progress = progress

    def readable(self) -> bool:
        return True

    def _refill(self) -> None:
        chunk = []
        for line in self._lines:
            chunk.append(line if line.endswith(b"\n") else line + b"\n")
            if len(chunk) >= 8192:
                break
        if chunk and self._progress:
            self._progress(len(chunk))
        self._buffer = memoryview(b"".join(chunk))

    def readinto(self, target) -> int:
        if not len(self._buffer):
            self._refill()
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def parse_lines(lines: Iterable[bytes]) -> Iterator[ox.Quad]:
    """The lines' quads, parsed as they are pulled (blank node labels kept as written)."""
    return ox.parse(LineReader(lines), format=ox.RdfFormat.N_QUADS)
