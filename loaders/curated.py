"""Read the curated data folder into records, indexed by id, with line numbers.

This is the first pass of a build: it knows which files exist, which ids are
defined where, and catches structural mistakes (a duplicate id, a fact defined
twice, a record without an id) before any RDF is made.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from diplograph.loaders.errors import CurationError, Problem
from diplograph.loaders.vocab import Vocabulary
from diplograph.loaders.yamlsrc import Map, Seq, Str, parse_yaml, read_bytes

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENTITY_FILES = ("people", "organisations", "places", "posts", "topics")


@dataclass
class Record:
    data: Map
    file: str
    kind: str  # source | entity | fact | disagreement
    source_id: str | None = None

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def line(self) -> int:
        return self.data.line

    def where(self, key: str | None = None) -> int:
        if key and key in self.data.key_lines:
            return self.data.key_lines[key]
        return self.data.line


@dataclass
class Curated:
    data_dir: Path
    records: list[Record] = field(default_factory=list)
    definitions: dict[str, Record] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    #: SHA-256 of each file read, by its path in the folder: what a file's records are made of
    digests: dict[str, str] = field(default_factory=dict)
    #: each file's bytes, by its path: a record's text is where its line starts and the next
    #: record's starts (loaders/units.py tells records apart by it)
    texts: dict[str, bytes] = field(default_factory=dict)

    def extensions(self, fact_id: str) -> list[Record]:
        return [r for r in self.records if r.kind == "fact" and r.id == fact_id]


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, Seq | list) else [value]


def _records(value, rel: str, problems: list[Problem]) -> list[Map]:
    if value is None:
        return []
    if not isinstance(value, Seq):
        problems.append(Problem(rel, getattr(value, "line", 1), "expected a list of records"))
        return []
    out = []
    for item in value:
        if not isinstance(item, Map):
            problems.append(Problem(rel, getattr(item, "line", 1), "each record must be a mapping"))
        elif "id" not in item:
            problems.append(Problem(rel, item.line, "missing required field 'id'", "required"))
        elif not isinstance(item["id"], Str) or not ID_PATTERN.match(item["id"]):
            problems.append(
                Problem(
                    rel,
                    item.line,
                    f"id '{item['id']}' must be lower-case words "
                    "joined by '-' (e.g. scott-bessent)",
                    "id",
                )
            )
        else:
            out.append(item)
    return out


class _Reader:
    """One pass over a data folder: its files read in order, problems collected."""

    def __init__(self, data_dir: Path, parsed: dict | None):
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.cur = Curated(data_dir)
        self.parsed = {} if parsed is None else parsed
        self.kept: dict[str, tuple[bytes, object]] = {}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.data_dir).as_posix()

    def load(self, path: Path):
        """A file's parsed values; the last build's when its bytes are the same (the values
        are never changed once parsed: records only read them)."""
        rel = self.rel(path)
        try:
            raw = read_bytes(path, rel)
            last = self.parsed.get(rel)
            value = last[1] if last is not None and last[0] == raw else parse_yaml(raw, rel)
        except CurationError as exc:
            self.problems.extend(exc.problems)
            return None
        self.cur.digests[rel] = hashlib.sha256(raw).hexdigest()
        self.cur.texts[rel] = raw
        self.kept[rel] = (raw, value)
        return value

    def add(self, path: Path, value, kind: str, source_id: str | None = None) -> None:
        for item in _records(value, self.rel(path), self.problems):
            self.cur.records.append(Record(item, self.rel(path), kind, source_id))

    def sources(self) -> None:
        path = self.data_dir / "sources.yaml"
        if not path.is_file():
            self.problems.append(
                Problem("sources.yaml", 0, "missing: the list of sources", "required")
            )
        else:
            self.add(path, self.load(path), "source")

    def entities(self) -> None:
        for name in ENTITY_FILES:
            path = self.data_dir / "entities" / f"{name}.yaml"
            if path.is_file():
                self.add(path, self.load(path), "entity")
        for path in sorted((self.data_dir / "entities").glob("*.yaml")):
            if path.stem not in ENTITY_FILES:
                message = f"unexpected entity file; use one of {', '.join(ENTITY_FILES)}"
                self.problems.append(Problem(self.rel(path), 1, message, "layout"))

    def facts(self) -> None:
        for path in sorted((self.data_dir / "facts").glob("*.yaml")):
            doc = self.load(path)
            if doc is None:
                continue
            if not isinstance(doc, Map) or "source" not in doc or "facts" not in doc:
                message = "a facts file is a mapping with 'source' and 'facts'"
                self.problems.append(Problem(self.rel(path), 1, message, "required"))
                continue
            if path.stem != doc["source"]:
                self.problems.append(
                    Problem(
                        self.rel(path),
                        doc.key_lines["source"],
                        f"file is named {path.stem} but declares source '{doc['source']}'",
                        "layout",
                    )
                )
            self.add(path, doc["facts"], "fact", str(doc["source"]))

    def disagreements(self) -> None:
        path = self.data_dir / "disagreements.yaml"
        if path.is_file():
            self.add(path, self.load(path), "disagreement")

    def index(self) -> None:
        """Where each id is defined, its types and label; duplicates are problems."""
        cur = self.cur
        for record in cur.records:
            defining = record.kind != "fact" or "type" in record.data or "label" in record.data
            if not defining:
                continue
            if record.id in cur.definitions:
                first = cur.definitions[record.id]
                self.problems.append(
                    Problem(
                        record.file,
                        record.line,
                        f"duplicate id '{record.id}' (already defined at "
                        f"{first.file}:{first.line}); to add what another source "
                        "says about a fact, give only its id, excerpt and new fields",
                        "duplicate-id",
                    )
                )
                continue
            cur.definitions[record.id] = record
            default = {"source": ["NewsArticle"], "disagreement": ["Disagreement"]}
            types = [str(t) for t in as_list(record.data.get("type"))]
            cur.types[record.id] = types or default.get(record.kind, [])
            if "label" in record.data:
                cur.labels[record.id] = str(record.data["label"])

    def undefined_facts(self) -> None:
        for record in self.cur.records:
            if record.kind == "fact" and record.id not in self.cur.definitions:
                self.problems.append(
                    Problem(
                        record.file,
                        record.line,
                        f"fact '{record.id}' is never defined: one record needs 'type' and 'label'",
                        "required",
                    )
                )


def read_curated(data_dir: Path, vocab: Vocabulary, parsed: dict | None = None) -> Curated:
    """First pass over data/: every record with its file, kind and line.

    `parsed`: {file: (bytes, values)} of an earlier read, whose values are taken for files
    with the same bytes; left holding this read's files (a long-lived process's builds)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise CurationError([Problem(str(data_dir), 0, "data directory not found")])
    reader = _Reader(data_dir, parsed)
    reader.sources()
    reader.entities()
    reader.facts()
    reader.disagreements()
    reader.index()
    reader.undefined_facts()
    if parsed is not None:
        parsed.clear()
        parsed.update(reader.kept)
    if reader.problems:
        raise CurationError(reader.problems)
    return reader.cur
