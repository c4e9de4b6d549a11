"""What changed between two builds: quads added and removed, by source and by entity.

Builds store sorted N-Quads with IRIs minted from curated ids, so a set
difference of lines is the change. The RDF Patch rendering lets a partner
apply it to a copy of the previous release.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from diplograph.store.nquads import read_quad_lines, split_graph, split_quad


@dataclass
class BuildRef:
    label: str
    version: str | None
    lines: set[bytes]


@dataclass
class Diff:
    old: BuildRef
    new: BuildRef
    added: list[bytes]
    removed: list[bytes]

    def by_source(self) -> dict[str, dict[str, list[bytes]]]:
        return _group(self, lambda line: split_graph(line)[1].decode())

    def by_entity(self) -> dict[str, dict[str, list[bytes]]]:
        return _group(self, lambda line: split_quad(line)[0].decode())


def _group(diff: Diff, key) -> dict[str, dict[str, list[bytes]]]:
    groups: dict[str, dict[str, list[bytes]]] = defaultdict(lambda: {"added": [], "removed": []})
    for change, lines in (("added", diff.added), ("removed", diff.removed)):
        for line in lines:
            groups[key(line)][change].append(line)
    return dict(sorted(groups.items()))


def read_build(ref: str | Path, builds_dir: Path | None = None) -> BuildRef:
    """A build from its directory, its graph.nq, or its id under `builds_dir`."""
    path = Path(ref)
    if not path.exists() and builds_dir is not None:
        path = Path(builds_dir) / str(ref)
    if path.is_dir():
        nq, manifest_file = path / "graph.nq", path / "manifest.json"
    else:
        nq, manifest_file = path, path.with_name("manifest.json")
    if not nq.is_file():
        raise FileNotFoundError(f"no build at {ref}: {nq} not found")
    version = None
    if manifest_file.is_file():
        version = json.loads(manifest_file.read_text()).get("version")
    return BuildRef(str(ref), version, set(read_quad_lines(nq)))


def diff_builds(old: BuildRef, new: BuildRef) -> Diff:
    return Diff(old, new, sorted(new.lines - old.lines), sorted(old.lines - new.lines))


def render_text(diff: Diff, *, quads: bool = True) -> str:
    out = [
        f"--- {diff.old.label} ({diff.old.version or 'unversioned'})",
        f"+++ {diff.new.label} ({diff.new.version or 'unversioned'})",
        f"{len(diff.added)} quads added, {len(diff.removed)} removed.",
    ]
    for title, groups in (("By source", diff.by_source()), ("By entity", diff.by_entity())):
        out.append(f"\n{title}:")
        for name, change in groups.items():
            out.append(
                f"  {name or '(default graph)'}  +{len(change['added'])} -{len(change['removed'])}"
            )
    if quads:
        for name, change in diff.by_source().items():
            out.append(f"\n@@ {name or '(default graph)'}")
            out += ["- " + line.decode() for line in change["removed"]]
            out += ["+ " + line.decode() for line in change["added"]]
    return "\n".join(out) + "\n"


def render_json(diff: Diff) -> str:
    def decoded(groups):
        return {
            name: {k: [line.decode() for line in v] for k, v in change.items()}
            for name, change in groups.items()
        }

    doc = {
        "old": {"build": diff.old.label, "version": diff.old.version},
        "new": {"build": diff.new.label, "version": diff.new.version},
        "added": len(diff.added),
        "removed": len(diff.removed),
        "by_source": decoded(diff.by_source()),
        "by_entity": {
            name: {k: len(v) for k, v in change.items()}
            for name, change in diff.by_entity().items()
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_patch(diff: Diff) -> str:
    """RDF Patch (https://afs.github.io/rdf-patch/): deletions, then additions, one transaction."""
    out = []
    if diff.new.version:
        out.append(f'H version "{diff.new.version}" .')
    if diff.old.version:
        out.append(f'H previous "{diff.old.version}" .')
    out.append("TX .")
    out += ["D " + line.decode() for line in diff.removed]
    out += ["A " + line.decode() for line in diff.added]
    out.append("TC .")
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "patch": render_patch}
