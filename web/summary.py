"""The box an entity page leads with: the essentials for its kind, read off its rows.

An event answers when, where, who (with roles), its status per source and what came of
it; a person, the posts held and the latest events; a commitment, who owes what to whom,
how much, by when, and its status per source.
"""

from __future__ import annotations

from collections import defaultdict

from diplograph.web import display
from diplograph.web.entity_view import EntityView, Fact, Node, Relation
from diplograph.web.graphdata import DG, source_id
from diplograph.web.reader import Reader

RECENT_EVENTS = 5


def kind_of(types: set[str]) -> str:
    for cls, kind in (("Commitment", "commitment"), ("Event", "event"), ("Person", "person")):
        if cls in types:
            return kind
    return ""


def values(rows: dict[str, list[Relation]], *keys: str) -> list[Node]:
    return [r.object for k in keys for r in rows.get(k, [])]


def facts(describer: Reader, view: EntityView, rows: dict[str, list[Relation]]) -> list[Fact]:
    reader = {"event": event, "person": person, "commitment": commitment}.get(view.kind)
    if reader is None:
        return []
    return [f for f in reader(describer, view, rows) if f.values]


def event(describer: Reader, view: EntityView, rows) -> list[Fact]:
    statuses: dict[str, list[str]] = defaultdict(list)
    for s in reversed(view.statuses):  # newest report first
        statuses[s.status].append(s.source_label or "the curators")
    return [
        Fact("When", [Node(text) for text, _note in view.when]),
        Fact("Where", values(rows, "place", "onSidelinesOf")),
        Fact("Who", values(rows, "participant")),
        Fact(
            "Status",
            [Node(display.term_label(k), None, "; ".join(v)) for k, v in statuses.items()],
        ),
        Fact("Outcome", values(rows, "^madeAt", "^occasion")),
        Fact("Followed by", values(rows, "^follows")),
    ]


def person(describer: Reader, view: EntityView, rows) -> list[Fact]:
    events = sorted(rows.get("^participant", []), key=lambda r: r.sort_key, reverse=True)
    return [
        Fact("Posts held", [r.object for r in view.positions]),
        Fact("Nationality", values(rows, "nationality")),
        Fact("Latest events", [r.object for r in events[:RECENT_EVENTS]]),
    ]


def commitment(describer: Reader, view: EntityView, rows) -> list[Fact]:
    return [
        Fact("Who owes", values(rows, "obligor")),
        Fact("What", values(rows, "resource")),
        Fact("How much", values(rows, "quantity", "amount")),
        Fact("To whom", values(rows, "beneficiary")),
        Fact("Deadline", values(rows, "deadline")),
        Fact("Over", values(rows, "duration")),
        Fact("Made at", values(rows, "madeAt", "occasion")),
        Fact("Status", fact_statuses(describer, view.iri)),
    ]


def fact_statuses(describer: Reader, iri: str) -> list[Node]:
    """A commitment's or measure's dg:status, each with the sources that report it."""
    by_status: dict[str, list[str]] = defaultdict(list)
    for _p, o, g in describer.q.quads(iri, "status"):
        sid = source_id(g)
        if sid and o.value.startswith(DG):
            by_status[display.term_label(o.value[len(DG) :])].append(describer.sources.short(sid))
    return [Node(k, None, "; ".join(sorted(v))) for k, v in by_status.items()]
