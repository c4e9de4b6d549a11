"""RDF dumps of a build: Turtle, N-Triples, JSON-LD, RDF/XML, TriG and N-Quads.

Everything starts from the build's sorted `graph.nq`, so the same data gives
the same bytes. N-Quads and N-Triples are the lines themselves (the union,
deduplicated, for N-Triples); Turtle, TriG and RDF/XML are pyoxigraph's
serialisers fed the lines in that order (`serialisers`); compact JSON-LD with
the project's context is our own writer (`jsonld`: pyld compacts a million
quads far too slowly, docs/benchmarks-export.md). The formats, their suffixes
and media types are the rows of `store.formats`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from diplograph.exports.graph_files import index_entries
from diplograph.exports.jsonld import build_context, context_document, write_jsonld
from diplograph.exports.patch import patch_dumps
from diplograph.exports.process import FAULT_ENV
from diplograph.exports.serialisers import ordered_lines, write_grouped
from diplograph.exports.void import Stats, describe
from diplograph.ontology import BASE, ONTOLOGY_IRI
from diplograph.ontology.prefixes import prefixes
from diplograph.shapes import SHAPES_DIR
from diplograph.store.formats import EXPORTS
from diplograph.store.nquads import LineReader, quad_lines, read_quad_lines, split_graph

__all__ = ["FORMATS", "ordered_lines", "quad_lines", "split_graph"]  # re-exported for callers

Progress = Callable[[int], None]

#: The dump formats by name (`ttl`, `nt`, `jsonld`, `rdf`, `trig`, `nq`): rows of the one table.
FORMATS = EXPORTS
PARTS = ("diplograph", "ontology", "shapes")


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

    The line formats are written as they are, JSON-LD by its own writer, the
    others by pyoxigraph's; all rely on sorted input for grouping.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if progress:
        lines = _counted(lines, progress)
    if fmt == "nt":
        out.writelines(ordered_lines(lines, quads=False))  # streamed: never the whole dump
    elif fmt == "nq":
        reader = LineReader(lines)
        while chunk := reader.read(1 << 20):
            out.write(chunk)
    elif fmt == "jsonld":
        write_jsonld(lines, out, context or build_context(Graph(), base))
    else:
        write_grouped(lines, FORMATS[fmt], out, prefixes(base))


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
    return f"{part}{FORMATS[fmt].suffix}"


def default_files(has_shapes: bool) -> list[dict]:
    """The dumps a build writes (without their sizes): what the embedded description lists."""
    parts = ["diplograph", "ontology"] + (["shapes"] if has_shapes else [])
    return [
        {"name": file_name(p, f), "part": p, "format": f, "media_type": spec.media_type}
        for p in parts
        for f, spec in FORMATS.items()
    ]


def _atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> str:
    """Write `path` through a temporary file; returns the SHA-256 of what was written."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as raw:
        out = _Hashed(raw)
        write(out)
    os.replace(tmp, path)
    return out.sha256.hexdigest()


class _Hashed:
    """A binary sink that hashes what it writes: a dump is hashed as it is written, never
    read back (at a million quads, reading 740 MB of dumps back took 1.5 s of the export
    job's 9 s; hashing the bytes in memory, 0.45 s)."""

    def __init__(self, raw: IO[bytes]):
        self.raw, self.sha256 = raw, hashlib.sha256()

    def write(self, data) -> int:
        self.sha256.update(data)
        return self.raw.write(data)

    def writelines(self, chunks: Iterable[bytes]) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        self.raw.flush()


def write_all(
    nq_path: Path,
    out_dir: Path,
    manifest: dict,
    *,
    progress: Progress | None = None,
    reuse: Path | None = None,
) -> dict:
    """Write every part in every format, plus void.ttl and an index.json, into `out_dir`.

    void.ttl is written last because it lists the byte sizes of the others. `reuse` is the
    exports folder of a build with the same ontology and shapes (an incremental build):
    their files (and the context) are linked from there, not written again (canonical
    shapes are slow), and the data's dumps are patched from its dumps (`patch`).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = manifest.get("base", BASE)
    lines = read_quad_lines(nq_path)
    reused = reuse is not None and all((reuse / n).is_file() for n in REUSED)
    if reused:
        context = json.loads((reuse / "context.jsonld").read_text())["@context"]
        shapes = quad_lines((reuse / "shapes.nq").read_bytes())
    else:
        context, shapes = build_context(ontology_graph(lines), base), shapes_lines()
    stats = Stats(lines, base)
    selected = part_lines("diplograph", lines, manifest, shapes, stats)
    dumps = patch_dumps(reuse, selected, _serialiser(base, context), context) if reused else None
    files = []
    for part in PARTS:
        if reused and part != "diplograph":  # linked: their lines are not needed
            selected = (reuse / file_name(part, "nq")).is_file()
        elif part != "diplograph":
            selected = part_lines(part, lines, manifest, shapes, stats)
        for fmt, spec in FORMATS.items() if selected else ():
            name = file_name(part, fmt)
            digest = None  # a linked file's: read from it
            if reused and part != "diplograph":
                os.link(reuse / name, out_dir / name)
            elif dumps is not None and part == "diplograph":
                digest = _atomic_write(out_dir / name, lambda o, d=dumps[fmt]: o.writelines(d))
            else:
                digest = _atomic_write(
                    out_dir / name,
                    lambda out, s=selected, f=fmt: serialise(
                        s, f, out, base=base, context=context, progress=progress
                    ),
                )
            files.append(_entry(out_dir / name, spec.media_type, part, fmt, digest))
    files += index_entries(out_dir, manifest.get("graph_files", {}))
    if reused:
        os.link(reuse / "context.jsonld", out_dir / "context.jsonld")
    else:
        (out_dir / "context.jsonld").write_text(context_document(context))
    context_type = FORMATS["jsonld"].media_type
    files.append(_entry(out_dir / "context.jsonld", context_type, "context", "jsonld"))
    void = describe(lines, manifest, files=files, stats=stats)
    digest = _atomic_write(
        out_dir / "void.ttl",
        lambda out: serialise(graph_lines(void), "ttl", out, base=base),
    )
    files.append(_entry(out_dir / "void.ttl", FORMATS["ttl"].media_type, "void", "ttl", digest))
    index = {"version": manifest.get("version"), "files": files}
    (out_dir / "index.json").write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
    return index


#: What an incremental build takes from the last build's exports.
REUSED = ("shapes.nq", "context.jsonld") + tuple(file_name("diplograph", f) for f in FORMATS)


def _serialiser(base: str, context: dict):
    """`serialise` with this build's options, for the blocks `patch` writes afresh."""

    def write(lines: list[bytes], fmt: str, out: IO[bytes]) -> None:
        serialise(lines, fmt, out, base=base, context=context)

    return write


def _entry(path: Path, media_type: str, part: str, fmt: str, digest: str | None = None) -> dict:
    """`index.json`'s entry of a written file; `digest`, its SHA-256 if known, else read."""
    if digest is None:
        with open(path, "rb") as handle:  # hashed as it is read: a dump can be gigabytes
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return {
        "name": path.name,
        "part": part,
        "format": fmt,
        "media_type": media_type,
        "bytes": path.stat().st_size,
        "sha256": digest,
    }


def load_part(build_dir: Path, part: str = "diplograph") -> tuple[list[bytes], dict]:
    """The sorted lines of one part of a build, and the options `serialise` needs for it."""
    build_dir = Path(build_dir)
    manifest = json.loads((build_dir / "manifest.json").read_text())
    base = manifest.get("base", BASE)
    lines = read_quad_lines(build_dir / "graph.nq")
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
    """`python -m diplograph.exports.export GRAPH_NQ OUT_DIR MANIFEST_JSON [REUSE_DIR]`: the
    build runs `write_all` in a process of its own, on the other core, while it loads and
    validates. With `-` alone it takes jobs from standard input (exports/process.py), one
    JSON line each, `{"args": [...], "fault": ...}`, and answers each "done" on standard
    output; so the build can start it (and its imports) before it knows the arguments, and
    a process that builds again can keep it. Nothing more on standard input ends it quietly;
    a failed job ends it with its words on standard error."""
    args = argv if argv is not None else sys.argv[1:]
    if args != ["-"]:
        _job(args, os.environ.get(FAULT_ENV))
        return
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # anything printed goes to the log
    for line in sys.stdin:
        if not line.strip():
            return
        job = json.loads(line)
        _job(job["args"], job.get("fault"))
        answers.write("done\n")
        answers.flush()


def _job(args: list[str], fault: str | None) -> None:
    nq, out, manifest, *reuse = args
    if fault == "exporting":  # tests: a failing export process
        raise SystemExit("export failed on purpose (DIPLOGRAPH_FAULT=exporting)")
    spec = json.loads(Path(manifest).read_text())
    write_all(Path(nq), Path(out), spec, reuse=Path(reuse[0]) if reuse else None)


if __name__ == "__main__":
    main()
