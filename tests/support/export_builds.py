"""Builds on disk for the export, VoID, diff and downloads tests.

Written without SHACL/OWL validation or the store: these tests are about what
is done with a build's graph.nq, and the curated fixture is known to be valid.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from diplograph.cli.build import load_graphs, nquads
from diplograph.exports import export
from diplograph.ontology import BASE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
SOURCES = FIXTURES / "sources"


def make_build(
    root: Path, data_dir: Path = MINIMAL, *, name: str = "build", base: str = BASE
) -> Path:
    """A build directory like `diplograph build` writes: graph.nq, manifest.json, exports/."""
    graphs = load_graphs(data_dir, base=base, sources_dir=SOURCES)
    body = nquads(graphs.dataset)
    digest = hashlib.sha256(body).hexdigest()
    build_dir = Path(root) / name
    build_dir.mkdir(parents=True)
    (build_dir / "graph.nq").write_bytes(body)
    manifest = {
        "build_id": name,
        "version": f"0.1.0+{digest[:12]}",
        "base": base,
        "triples": body.count(b"\n"),
        "sha256": digest,
    }
    (build_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    export.write_all(build_dir / "graph.nq", build_dir / "exports", manifest)
    return build_dir


def copy_data(tmp: Path, data_dir: Path = MINIMAL) -> Path:
    target = Path(tmp) / "data"
    shutil.copytree(data_dir, target)
    return target
