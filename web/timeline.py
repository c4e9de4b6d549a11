"""The timeline: every event at the precision its sources give, held and planned apart.

Each event is drawn on its year's axis from its earliest to its latest possible day, so a
month is a bar a month wide and a year fills the track; a day is a thin mark. The status
shown is the most recent report, with every source's report listed underneath.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import Blueprint, render_template, request

from diplograph.web import display
from diplograph.web.context import cached, select
from diplograph.web.describe import Describer, Status
from diplograph.web.entities import source_index
from diplograph.web.graphdata import DG, entity_iri, local_id, nodes_of_type

bp = Blueprint("timeline", __name__)


@dataclass
class Span:
    x: float
    width: float


@dataclass
class Item:
    id: str
    label: str
    kinds: list[str]
    when: display.When | None
    when_text: str
    note: str
    status: str | None
    history: list[Status]
    actors: dict[str, str]
    topics: dict[str, str]
    place: str = ""
    span: Span | None = None
    roles: dict[str, list[str]] = field(default_factory=dict)


def year_span(when: display.When, year: int) -> Span:
    """Where [earliest, latest] falls on `year`'s axis, in percent of the track."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = (end - start).days + 1
    first = max(when.earliest, start)
    last = min(when.latest, end)
    x = (first - start).days / days * 100
    width = ((last - first).days + 1) / days * 100
    return Span(round(x, 3), round(max(width, 0.6), 3))


def load_events(describer: Describer) -> list[Item]:
    q = describer.q
    events = nodes_of_type(describer.select, "Event")
    q.fetch(describer.select, events)
    describer.load_nested(events)
    q.fetch_labels(describer.select, {o for e in events for o in q.iri_objects(e)})
    items = []
    for e in events:
        dates = [w for w, _n in describer.dates(e)]
        when = min(dates, key=lambda w: (w.latest - w.earliest, w.earliest)) if dates else None
        actors = {local_id(o.value): q.label(o.value) for o in q.objects(e, "participant")}
        topics = {local_id(o.value): q.label(o.value) for o in q.objects(e, "topic")}
        place = q.value(e, "place")
        kinds = display.specific_types(q.types.get(e, set()))
        items.append(
            Item(
                id=local_id(e),
                label=q.label(e),
                kinds=[display.term_label(k) for k in kinds[:2]],
                when=when,
                when_text=" / ".join(sorted({w.text for w in dates})) or "date unknown",
                note="; ".join(o.value for o in q.objects(e, "dateNote")),
                status=describer.latest_status(e),
                history=describer.statuses(e),
                actors=actors,
                topics=topics,
                place=q.label(place.value) if place is not None else "",
            )
        )
    return items


def periods(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """Events grouped by year (undated last), each sorted by its earliest day."""
    dated: dict[int, list[Item]] = {}
    undated = []
    for item in items:
        if item.when is None:
            undated.append(item)
            continue
        year = item.when.earliest.year
        item.span = year_span(item.when, year)
        dated.setdefault(year, []).append(item)
    out = [
        (str(year), sorted(group, key=lambda i: (i.when.sort_key, i.label)))
        for year, group in sorted(dated.items())
    ]
    if undated:
        out.append(("Undated", sorted(undated, key=lambda i: i.label)))
    return out


@bp.route("/timeline")
def timeline():
    actor = request.args.get("actor", "").strip()
    topic = request.args.get("topic", "").strip()
    status = request.args.get("status", "").strip()
    items = cached("timeline", lambda: load_events(Describer(select(), source_index())))
    actors = sorted({(k, v) for i in items for k, v in i.actors.items()}, key=lambda kv: kv[1])
    topics = sorted({(k, v) for i in items for k, v in i.topics.items()}, key=lambda kv: kv[1])
    shown = [
        i
        for i in items
        if (not actor or actor in i.actors)
        and (not topic or topic in i.topics)
        and (not status or status_group(i.status) == status)
    ]
    return render_template(
        "timeline.html",
        periods=periods(shown),
        actors=actors,
        topics=topics,
        actor=actor,
        topic=topic,
        status=status,
        total=len(items),
        shown=len(shown),
        months=[m[:3] for m in display.MONTHS],
        entity_iri=entity_iri,
        dg=DG,
    )


def status_group(status: str | None) -> str:
    if status in display.HELD:
        return "held"
    if status in display.UPCOMING:
        return "upcoming"
    return "other"
