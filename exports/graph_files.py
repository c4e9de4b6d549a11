"""One N-Quads file per named graph of the data: a source's facts, the entities, the curation.

A partner that follows one source downloads its graph alone, and an incremental build
writes the files of only the graphs it changed: the others are hard links to the last
build's (the same digest, the same bytes). Each file is the graph's sorted lines as the
build made them, so its SHA-256 is the graph's digest the manifest already records, and
`index.json` lists it without reading it again. The ontology has its own dumps (the
"ontology" part), so it is not one of these.
"""

from __future__ import annotations

import os
from pathlib import Path

from diplograph.store.formats import EXPORTS

PART = "graph"
SUFFIX = EXPORTS["nq"].suffix


def subset_name(iri: str) -> str:
    """`…/graph/x` -> `graph-x`: the local name of the graph's VoID subset, and its file's
    name without the suffix (VoID gives the file as the subset's dump)."""
    return "graph-" + iri.rsplit("/", 1)[-1]


def graph_file_name(graph: str, base: str) -> str | None:
    """`<{base}graph/x>` (a graph term as the lines write it) -> `graph-x.nq`; None for a
    graph outside the data's (the ontology's)."""
    iri = graph.strip("<>")
    if not iri.startswith(base + "graph/"):
        return None
    return subset_name(iri) + SUFFIX


def index_entries(out_dir: Path, digests: dict[str, str]) -> list[dict]:
    """`index.json`'s entries of the files `write_graph_files` wrote ({name: digest}):
    a file's SHA-256 is its graph's digest, so the files are not read again."""
    return [
        {
            "name": name,
            "part": PART,
            "format": "nq",
            "media_type": EXPORTS["nq"].media_type,
            "bytes": (out_dir / name).stat().st_size,
            "sha256": digest,
        }
        for name, digest in sorted(digests.items())
    ]


def write_graph_files(
    out_dir: Path,
    graphs: dict[str, tuple[list[str], str]],
    base: str,
    previous: Path | None = None,
    previous_digests: dict[str, str] | None = None,
) -> dict[str, str]:
    """Write a file per data graph of `graphs` ({"<graph>": (sorted lines, digest)}) into
    `out_dir`; a graph whose digest is the one `previous_digests` gives is linked from
    `previous` (the last build's exports) instead. Returns {file name: digest}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    known = previous_digests or {}
    written = {}
    for graph, (lines, digest) in sorted(graphs.items()):
        name = graph_file_name(graph, base)
        if name is None:
            continue
        old = previous / name if previous is not None else None
        if old is not None and known.get(graph) == digest and old.is_file():
            os.link(old, out_dir / name)
        else:
            with open(out_dir / name, "w", encoding="utf-8") as out:
                out.writelines(lines)
        written[name] = digest
    return written
