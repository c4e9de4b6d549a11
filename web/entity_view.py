"""What an entity page shows, as plain data: rows, their support, the summary box.

`describe.py` fills these in from the graph; the templates only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diplograph.web.graphdata import local_id


@dataclass
class Node:
    """The far end of a relation: a link, or a literal value."""

    label: str
    href: str | None = None
    note: str = ""


@dataclass
class Support:
    """One source's backing for a relation: the source and the excerpts it cites."""

    source: str
    source_label: str
    excerpts: list[str] = field(default_factory=list)
    implied: str = ""


@dataclass
class Relation:
    subject: Node
    phrase: str
    object: Node
    support: list[Support] = field(default_factory=list)
    sort_key: tuple = ()

    @property
    def unsupported(self) -> bool:  # no source quotes an excerpt for it, nor says it is implied
        return not any(s.excerpts or s.implied for s in self.support)

    @property
    def reference_count(self) -> int:
        return sum(max(1, len(s.excerpts)) for s in self.support)


@dataclass
class Status:
    status: str
    when: str
    source: str
    source_label: str
    excerpts: list[str]
    order: tuple = ()  # (earliest day, latest day) of the report's date, for sorting


@dataclass
class Side:
    """One side of a disagreement: what is claimed, by whom, on whose report."""

    fact: Node
    who: str
    says: str
    support: list[Support]


@dataclass
class Dispute:
    label: str
    href: str
    description: str
    sides: list[Side]


@dataclass
class Fact:
    """One line of a summary box: a heading and the values under it."""

    heading: str
    values: list[Node]


@dataclass
class EntityView:
    iri: str
    id: str
    label: str
    kind: str  # "event", "person", "commitment" or "" (which summary box the page leads with)
    types: list[str]
    aliases: list[str]
    descriptions: list[str]
    wikidata: list[str]
    texts: list[tuple[str, list[Support]]]
    when: list[tuple[str, str]]
    statuses: list[Status]
    positions: list[Relation]
    groups: list[tuple[str, list[Relation]]]
    disputes: list[Dispute]
    is_source: bool
    summary: list[Fact] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)  # words sources use for it (dg:cue)


def href(iri: str) -> str | None:
    entity = local_id(iri)
    return None if entity == iri else f"/id/{entity}"
