"""Events in time, as the timeline and the map read them: dates at their precision, each
source's status reports with their days, and the filters both views share (in the URL).

"As of" a day is what the sources published by then said: an event's status as of a day
is that of its latest report certainly published by that day (same-day ties go to the
firmest status), and an event no report mentions by then is not shown at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from diplograph.web import display
from diplograph.web.describe import Describer
from diplograph.web.graphdata import local_id, nodes_of_type, source_id

# The statuses a status filter groups together, and how each group is drawn apart.
GROUPS = {
    "held": display.HELD,
    "upcoming": display.UPCOMING,
    "postponed": {"Postponed"},
    "cancelled": {"Cancelled"},
}

# How an event is tied to a place on the map: where it is held, where a trip or call
# starts from and where it goes.
VENUE_ROLES = ("place", "origin", "destination")


@dataclass
class Report:
    """One source's status for an event, on the day the source was published."""

    status: str
    when: display.When | None
    source: str
    source_label: str

    @property
    def day(self) -> dt.date | None:
        return self.when.latest if self.when else None

    @property
    def sort_key(self) -> tuple:
        order = display.STATUS_ORDER
        rank = order.index(self.status) if self.status in order else len(order)
        return (self.when is None, self.when.earliest if self.when else dt.date.min, rank)


@dataclass
class Item:
    id: str
    label: str
    kinds: list[str]
    when: display.When | None
    when_text: str
    note: str
    reports: list[Report]
    actors: dict[str, str]
    topics: dict[str, str]
    sources: set[str] = field(default_factory=set)
    place: str = ""
    place_id: str = ""
    venues: list[tuple[str, str]] = field(default_factory=list)  # (place id, role)
    status: str | None = None  # as of the view's day, set by `as_of`

    @property
    def group(self) -> str:
        return status_group(self.status)


def status_group(status: str | None) -> str:
    for name, members in GROUPS.items():
        if status in members:
            return name
    return "other"


def reports_of(describer: Describer, event: str) -> list[Report]:
    """The event's status reports, oldest first (by day, not by the text of the day)."""
    q = describer.q
    out = []
    for report in q.objects(event, "statusReport"):
        r = report.value
        graph = next((g for _p, _o, g in q.quads(r, "eventStatus")), "")
        as_of = q.value(r, "asOf")
        sid = source_id(graph) or ""
        out.append(
            Report(
                display.status_name(q.text(r, "eventStatus") or ""),
                describer.when(as_of.value) if as_of is not None else None,
                sid,
                describer.sources.short(sid),
            )
        )
    return sorted(out, key=lambda r: (r.sort_key, r.source))


def load_events(describer: Describer) -> list[Item]:
    q = describer.q
    events = nodes_of_type(describer.select, "Event")
    q.fetch(describer.select, events)
    describer.load_nested(events)
    q.fetch_labels(describer.select, {o for e in events for o in q.iri_objects(e)})
    return [event_item(describer, e) for e in events]


def event_item(describer: Describer, e: str) -> Item:
    q = describer.q
    dates = [w for w, _n in describer.dates(e)]
    when = min(dates, key=lambda w: (w.latest - w.earliest, w.earliest)) if dates else None
    place = q.value(e, "place")
    reports = reports_of(describer, e)
    return Item(
        id=local_id(e),
        label=q.label(e),
        kinds=[display.term_label(k) for k in display.specific_types(q.types.get(e, set()))[:2]],
        when=when,
        when_text=" / ".join(sorted({w.text for w in dates})) or "date unknown",
        note="; ".join(o.value for o in q.objects(e, "dateNote")),
        reports=reports,
        actors={local_id(o.value): q.label(o.value) for o in q.objects(e, "participant")},
        topics={local_id(o.value): q.label(o.value) for o in q.objects(e, "topic")},
        sources={s for _p, _o, g in q.quads(e) if (s := source_id(g))}
        | {r.source for r in reports},
        place=q.label(place.value) if place is not None else "",
        place_id=local_id(place.value) if place is not None else "",
        venues=sorted(
            {(local_id(o.value), role) for role in VENUE_ROLES for o in q.objects(e, role)}
        ),
    )


def status_as_of(reports: list[Report], day: dt.date | None) -> Report | None:
    """The latest report published by `day` (of every report when None)."""
    known = [r for r in reports if day is None or (r.day is not None and r.day <= day)]
    if not known:
        return None
    return max(known, key=lambda r: (r.when.earliest if r.when else dt.date.min, -r.sort_key[2]))


def parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


@dataclass
class Filters:
    """The view's URL parameters, shared by /timeline and /map."""

    actor: str = ""
    topic: str = ""
    source: str = ""
    status: str = ""
    as_of: dt.date | None = None
    start: dt.date | None = None  # ?from=
    end: dt.date | None = None  # ?to=
    lanes: str = "kind"
    focus: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        def arg(name: str) -> str:
            return args.get(name, "").strip()

        return cls(
            actor=arg("actor"),
            topic=arg("topic"),
            source=arg("source"),
            status=arg("status") if arg("status") in (*GROUPS, "other") else "",
            as_of=parse_day(arg("as_of")),
            start=parse_day(arg("from")),
            end=parse_day(arg("to")),
            lanes="actor" if arg("lanes") == "actor" else "kind",
            focus=arg("focus"),
        )

    def params(self, **override) -> dict[str, str]:
        """The non-empty parameters, as a URL would carry them."""
        values = {
            "actor": self.actor,
            "topic": self.topic,
            "source": self.source,
            "status": self.status,
            "as_of": self.as_of.isoformat() if self.as_of else "",
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "lanes": "" if self.lanes == "kind" else self.lanes,
            "focus": self.focus,
        } | override
        return {k: v for k, v in values.items() if v}

    def matches(self, item: Item) -> bool:
        when = item.when
        return (
            (not self.actor or self.actor in item.actors)
            and (not self.topic or self.topic in item.topics)
            and (not self.source or self.source in item.sources)
            and (not self.status or item.group == self.status)
            and (not self.start or (when is not None and when.latest >= self.start))
            and (not self.end or (when is not None and when.earliest <= self.end))
        )


def as_of(items: list[Item], day: dt.date | None) -> list[Item]:
    """Copies of the items known by `day`, each with its status as of that day."""
    out = []
    for item in items:
        found = status_as_of(item.reports, day)
        if day is not None and found is None:
            continue  # no source had reported it yet
        copy = Item(**{**item.__dict__})
        copy.status = found.status if found else None
        out.append(copy)
    return out


def select(items: list[Item], filters: Filters) -> list[Item]:
    return [i for i in as_of(items, filters.as_of) if filters.matches(i)]


def sort_key(item: Item) -> tuple:
    return (item.when is None, item.when.sort_key if item.when else (), item.label)


def corpus_window(items: list[Item], publication_days: list[dt.date]) -> tuple[dt.date, dt.date]:
    """The period a view opens on: from a month before the first source to the end of the
    last event dated after it (the corpus's own period, not an event of 2001 it recalls)."""
    first = min(publication_days) if publication_days else dt.date.today()
    start = first - dt.timedelta(days=30)
    ends = [i.when.latest for i in items if i.when and i.when.latest >= start]
    end = max([*ends, max(publication_days, default=first)]) + dt.timedelta(days=15)
    return start, end
