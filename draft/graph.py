"""What the graph already knows, read from the curated YAML: entities, posts, events.

The drafter may read the shared entity files and every facts file except the one it
is drafting (the bench sets a source's own file aside).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from diplograph.loaders.curated import ENTITY_FILES, as_list
from diplograph.loaders.yamlsrc import Map, read_yaml

EVENT_WORDS = ("Meeting", "Summit", "Call", "Visit", "Trip", "Tour", "Round", "Speech", "Event")


@dataclass
class Entity:
    id: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    anonymous: bool = False
    file: str = ""
    cues: list[str] = field(default_factory=list)
    posts: dict[str, str] = field(default_factory=dict)  # post id -> position status
    within: str = ""  # a post's polity or organisation (post_in)


@dataclass
class KnownEvent:
    id: str
    types: list[str]
    label: str
    participants: set[str]
    dates: set[str]


@dataclass
class Known:
    entities: dict[str, Entity] = field(default_factory=dict)
    holders: dict[str, list[str]] = field(default_factory=dict)  # post id -> current holders
    events: dict[str, KnownEvent] = field(default_factory=dict)
    fact_ids: set[str] = field(default_factory=set)

    def kind(self, entity_id: str) -> str:
        ent = self.entities.get(entity_id)
        return ent.file if ent else ""


def _ref(value) -> str:
    return str(value["id"] if isinstance(value, Map) and "id" in value else value)


def _agent(value) -> str:
    return str(value.get("agent", "")) if isinstance(value, Map) else str(value)


def load_known(data_dir: Path, exclude_source: str | None = None) -> Known:
    """Entities from data/entities, events from data/facts (less `exclude_source`'s file)."""
    data_dir = Path(data_dir)
    known = Known()
    for name in ENTITY_FILES:
        path = data_dir / "entities" / f"{name}.yaml"
        if path.is_file():
            for item in as_list(read_yaml(path, path.name)):
                _add_entity(known, item, name, exclude_source)
    for path in sorted((data_dir / "facts").glob("*.yaml")):
        if path.stem == exclude_source:
            continue
        doc = read_yaml(path, path.name) or {}
        for item in as_list(doc.get("facts")):
            _add_fact(known, item)
    return known


def _add_entity(known: Known, item: Map, file: str, exclude_source: str | None) -> None:
    ent = Entity(
        id=str(item["id"]),
        type=str(as_list(item.get("type"))[0]) if item.get("type") else "",
        label=str(item.get("label", item["id"])),
        aliases=[str(a) for a in as_list(item.get("aliases"))],
        anonymous=str(item.get("anonymous", "")).lower() == "true",
        file=file,
        cues=[str(c) for c in as_list(item.get("cues"))],
        within=str(item.get("post_in", "")),
    )
    known.entities[ent.id] = ent
    for pos in as_list(item.get("positions")):
        # A position sourced to the article being drafted is that article's curation,
        # not prior knowledge: set aside with its facts file.
        if not isinstance(pos, Map) or (
            exclude_source and str(pos.get("source")) == exclude_source
        ):
            continue
        status = str(pos.get("position_status", "current"))
        ent.posts[str(pos["post"])] = status
        if status == "former":
            continue
        holders = known.holders.setdefault(str(pos["post"]), [])
        if ent.id not in holders:
            holders.append(ent.id)


def _add_fact(known: Known, item: Map) -> None:
    fid = str(item["id"])
    known.fact_ids.add(fid)
    types = [str(t) for t in as_list(item.get("type"))]
    event = known.events.get(fid)
    if event is None and not any(w in t for t in types for w in EVENT_WORDS):
        return
    if event is None:
        event = known.events[fid] = KnownEvent(
            fid, types, str(item.get("label", fid)), set(), set()
        )
    event.participants |= {_agent(p) for p in as_list(item.get("participants"))}
    if item.get("date"):
        event.dates.add(_ref(item["date"]) if isinstance(item["date"], Map) else str(item["date"]))
    if item.get("label"):
        event.label = str(item["label"])
