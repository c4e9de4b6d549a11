"""The shape corpus (tests/fixtures/shapes): its examples, their declared expectations, and
how to build and validate one; the format is described in tests/shapes/test_shapes.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rdflib import Namespace

from diplograph.cli.build import load_graphs
from diplograph.shapes.validation import validate_dataset

SH = Namespace("http://www.w3.org/ns/shacl#")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
CORPUS = FIXTURES / "shapes"
FAMILIES = {"agents", "places", "events", "commitments", "measures", "statements", "sources"}
_EXPECT = re.compile(r"^# expect(-warning)?:\s*(.+)$")
_SECTION = re.compile(r"^--- # (\S+)\s*$")

VALID = sorted((CORPUS / "valid").glob("*.*"))
INVALID = sorted((CORPUS / "invalid").glob("*.*"))


def expectations(path: Path) -> tuple[bool, list[tuple], list[tuple]]:
    """(conforms?, expected violations, expected warnings) declared in the file's header."""
    conforms, violations, warnings = False, [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if not match:
            continue
        if match[2].strip() == "conforms":
            conforms = True
            continue
        shape, message, where = (part.strip() for part in match[2].split("|"))
        assert len(message) >= 15, f"{path.name}: quote more of the message"
        (warnings if match[1] else violations).append((shape, message, where))
    return conforms, violations, warnings


def overlay(example: Path, target: Path) -> Path:
    """Copy the minimal data to `target` and lay the example's YAML sections over it."""
    shutil.copytree(MINIMAL, target)
    lines = example.read_text(encoding="utf-8").splitlines()
    sections: list[tuple[str, int]] = [
        (m[1], i + 1) for i, line in enumerate(lines) if (m := _SECTION.match(line))
    ]
    assert sections, f"{example.name}: no '--- # <path>' section"
    bounds = [start for _, start in sections[1:]] + [len(lines) + 1]
    for (rel, start), end in zip(sections, bounds, strict=True):
        body = "\n" * start + "\n".join(lines[start : end - 1]) + "\n"
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        listing = lines[start : end - 1] and any(ln.startswith("- ") for ln in lines[start:end])
        if dest.exists() and listing:
            body += "\n" + dest.read_text(encoding="utf-8")
        dest.write_text(body, encoding="utf-8")
    return target


def graphs_for(example: Path, tmp_path: Path):
    """The minimal data with the example laid over it (YAML) or added to it (TriG)."""
    if example.suffix == ".trig":
        graphs = load_graphs(MINIMAL)
        graphs.dataset.parse(example, format="trig")
        return graphs
    return load_graphs(overlay(example, tmp_path / "data"))


def report_for(example: Path, tmp_path: Path) -> dict:
    graphs = graphs_for(example, tmp_path)
    return validate_dataset(graphs.dataset, graphs.curated)


def _matches(found: list[dict], expected: list[tuple]) -> tuple[list, list]:
    unmatched = list(found)
    missing = []
    for shape, message, where in expected:
        hit = next(
            (
                f
                for f in unmatched
                if f["shape"] == shape and f["message"].startswith(message) and f["where"] == where
            ),
            None,
        )
        if hit is None:
            missing.append((shape, message, where))
        else:
            unmatched.remove(hit)
    return missing, [(f["shape"], f["message"][:70], f["where"]) for f in unmatched]
