"""RDF dumps of a build: Turtle, N-Triples, JSON-LD, RDF/XML, TriG and N-Quads.

Everything starts from the build's sorted `graph.nq`, so the same data gives
the same bytes. N-Quads and N-Triples are the lines themselves (the union,
deduplicated, for N-Triples); Turtle, TriG, RDF/XML and JSON-LD are written
from the lines by our own writers (`turtle`, `rdfxml`, `jsonld`), which
group by subject as sorted input already does: no parse, about a second per
million quads in every format.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from diplograph.exports.jsonld import build_context, context_document, prefixes, write_jsonld
from diplograph.exports.rdfxml import write_rdfxml
from diplograph.exports.turtle import write_turtle
from diplograph.ontology import BASE, ONTOLOGY_IRI
from diplograph.shapes import SHAPES_DIR

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    label: str
    quads: bool  # keeps named graphs


# The one table mapping format names, file suffixes and media types.
FORMATS = {
    f.name: f
    for f in [
        Format("ttl", "ttl", "text/turtle", "Turtle", False),
        Format("nt", "nt", "application/n-triples", "N-Triples", False),
        Format("jsonld", "jsonld", "application/ld+json", "JSON-LD", True),
        Format("rdf", "rdf", "application/rdf+xml", "RDF/XML", False),
        Format("trig", "trig", "application/trig", "TriG", True),
        Format("nq", "nq", "application/n-quads", "N-Quads", True),
    ]
}
PARTS = ("diplograph", "ontology", "shapes")


def split_graph(line: bytes) -> tuple[bytes, bytes]:
    """(triple, graph) for an N-Quads line; graph is b'' for the default graph.

    The last term is a graph name when it has no quote (a literal always ends
    in one) and at least three terms precede it.
    """
    body = line.rstrip()[:-1].rstrip()
    head, _, last = body.rpartition(b" ")
    if b'"' in last or head.count(b" ") < 2:
        return body, b""
    return head, last


def quad_lines(nq: bytes) -> list[bytes]:
    return [line for line in nq.split(b"\n") if line.strip() and not line.startswith(b"#")]


def ordered_lines(lines: Iterable[bytes], quads: bool) -> Iterator[bytes]:
    """Lines in serialisation order: N-Quads grouped by graph, or N-Triples of the union.

    Sorted input keeps each triple's lines adjacent, so the union is deduplicated
    by comparing neighbours, and subjects stay contiguous inside every group.
    """
    if quads:
        groups: dict[bytes, list[bytes]] = {}
        current, bucket = None, []
        for line in lines:
            graph = split_graph(line)[1]
            if graph != current:  # sorted input: runs of one graph are common
                current, bucket = graph, groups.setdefault(graph, [])
            bucket.append(line)
        for key in sorted(groups):
            yield from groups[key]
        return
    previous = None
    for line in lines:
        s, p, o, _ = line.split(b" ", 3)
        if o[0] == 34:  # a literal may hold spaces: it ends at the term after its last quote
            rest = line[len(s) + len(p) + 2 :]
            triple = line[: len(s) + len(p) + 2 + rest.find(b" ", rest.rfind(b'"'))]
        else:
            triple = line[: len(s) + len(p) + len(o) + 2]
        if triple != previous:
            yield triple + b" .\n"
            previous = triple


class LineReader(io.RawIOBase):
    """A binary stream over an iterator of lines, so the parser pulls as it goes."""

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


def serialise(
    lines: Iterable[bytes],
    fmt: str,
    out: IO[bytes],
    *,
    base: str = BASE,
    context: dict | None = None,
    progress: Progress | None = None,
) -> None:
    """Write canonical N-Quads `lines` (sorted) to `out` in format `fmt`.

    Every format is written from the lines directly, without parsing them
    back into terms: the line formats as they are, the others by their own
    writers, which rely on sorted input for grouping and on N-Triples term
    syntax being (almost) theirs.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if progress:
        lines = _counted(lines, progress)
    if fmt == "nt":
        out.write(b"".join(ordered_lines(lines, quads=False)))
    elif fmt == "nq":
        reader = LineReader(lines)
        while chunk := reader.read(1 << 20):
            out.write(chunk)
    elif fmt in ("ttl", "trig"):
        write_turtle(lines, out, prefixes(base), graphs=fmt == "trig")
    elif fmt == "rdf":
        write_rdfxml(lines, out, prefixes(base))
    else:
        write_jsonld(lines, out, context or build_context(Graph(), base))


def _counted(lines: Iterable[bytes], progress: Progress, every: int = 8192) -> Iterator[bytes]:
    done = 0
    for done, line in enumerate(lines, 1):
        yield line
        if not done % every:
            progress(every)
    if done % every:
        progress(done % every)


def ontology_graph(lines: Iterable[bytes]) -> Graph:
    """The ontology as loaded in the build (its own named graph)."""
    onto = f"<{ONTOLOGY_IRI}>".encode()
    body = b"".join(t + b" .\n" for t, g in map(split_graph, lines) if g == onto)
    return Graph().parse(data=body.decode(), format="nt")


def shapes_lines(shapes_dir: Path = SHAPES_DIR) -> list[bytes]:
    """The SHACL shapes as sorted N-Triples, blank nodes canonically labelled."""
    graph = Graph()
    for path in sorted(Path(shapes_dir).glob("*.ttl")):
        graph.parse(path, format="turtle")
    if not len(graph):
        return []
    data = to_canonical_graph(graph).serialize(format="nt", encoding="utf-8")
    return sorted(set(quad_lines(data)))


def graph_lines(graph: Graph) -> list[bytes]:
    return sorted(set(quad_lines(graph.serialize(format="nt", encoding="utf-8"))))


def part_lines(
    part: str,
    lines: list[bytes],
    manifest: dict,
    shapes: list[bytes] | None = None,
    stats=None,
) -> list[bytes]:
    """The sorted N-Quads/N-Triples lines of one downloadable part of a build.

    `shapes` saves canonicalising the shapes again (slow) when the caller has them.
    """
    from diplograph.exports.void import default_files, describe

    shapes = shapes_lines() if shapes is None else shapes
    if part == "diplograph":
        description = graph_lines(describe(lines, manifest, default_files(bool(shapes)), stats))
        graph = f" <{manifest.get('base', BASE)}graph/void>".encode()
        return sorted(lines + [line[:-2].rstrip() + graph + b" ." for line in description])
    if part == "ontology":
        onto = f"<{ONTOLOGY_IRI}>".encode()
        return [t + b" ." for t, g in map(split_graph, lines) if g == onto]
    if part == "shapes":
        return shapes
    if part == "void":
        return graph_lines(describe(lines, manifest, default_files(bool(shapes)), stats))
    raise ValueError(f"unknown part {part!r}")


def file_name(part: str, fmt: str) -> str:
    return f"{part}.{FORMATS[fmt].suffix}"


def _atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as out:
        write(out)
    os.replace(tmp, path)


def write_all(
    nq_path: Path, out_dir: Path, manifest: dict, *, progress: Progress | None = None
) -> dict:
    """Write every part in every format, plus void.ttl and an index.json, into `out_dir`.

    void.ttl is written last because it lists the byte sizes of the others.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = manifest.get("base", BASE)
    lines = quad_lines(Path(nq_path).read_bytes())
    context = build_context(ontology_graph(lines), base)
    files = []
    shapes = shapes_lines()
    from diplograph.exports.void import Stats, describe

    stats = Stats(lines, base)
    for part in PARTS:
        selected = part_lines(part, lines, manifest, shapes, stats)
        if not selected:
            continue
        for fmt, spec in FORMATS.items():
            name = file_name(part, fmt)
            _atomic_write(
                out_dir / name,
                lambda out, s=selected, f=fmt: serialise(
                    s, f, out, base=base, context=context, progress=progress
                ),
            )
            files.append(_entry(out_dir / name, spec.media_type, part, fmt))
    (out_dir / "context.jsonld").write_text(context_document(context))
    files.append(_entry(out_dir / "context.jsonld", "application/ld+json", "context", "jsonld"))
    void = describe(lines, manifest, files=files, stats=stats)
    _atomic_write(
        out_dir / "void.ttl",
        lambda out: serialise(graph_lines(void), "ttl", out, base=base),
    )
    files.append(_entry(out_dir / "void.ttl", "text/turtle", "void", "ttl"))
    index = {"version": manifest.get("version"), "files": files}
    (out_dir / "index.json").write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
    return index


def _entry(path: Path, media_type: str, part: str, fmt: str) -> dict:
    data = path.read_bytes()
    return {
        "name": path.name,
        "part": part,
        "format": fmt,
        "media_type": media_type,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def load_part(build_dir: Path, part: str = "diplograph") -> tuple[list[bytes], dict]:
    """The sorted lines of one part of a build, and the options `serialise` needs for it."""
    build_dir = Path(build_dir)
    manifest = json.loads((build_dir / "manifest.json").read_text())
    base = manifest.get("base", BASE)
    lines = quad_lines((build_dir / "graph.nq").read_bytes())
    context = build_context(ontology_graph(lines), base)
    return part_lines(part, lines, manifest), {"base": base, "context": context}


def export(
    build_dir: Path,
    fmt: str,
    out: IO[bytes],
    *,
    part: str = "diplograph",
    progress: Progress | None = None,
) -> None:
    """Serialise one part of a build to a binary stream."""
    selected, options = load_part(build_dir, part)
    serialise(selected, fmt, out, progress=progress, **options)


def main(argv: list[str] | None = None) -> None:
    """`python -m diplograph.exports.export GRAPH_NQ OUT_DIR MANIFEST_JSON`: the build runs
    `write_all` in a process of its own, on the other core, while it loads and validates."""
    import sys

    nq, out, manifest = argv if argv is not None else sys.argv[1:]
    if os.environ.get("DIPLOGRAPH_FAULT") == "exporting":  # tests: a failing export process
        raise SystemExit("export failed on purpose (DIPLOGRAPH_FAULT=exporting)")
    write_all(Path(nq), Path(out), json.loads(Path(manifest).read_text()))


if __name__ == "__main__":
    main()
