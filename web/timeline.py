"""The timeline: every event at the precision its sources give, on a zoomable shared axis.

The page draws the events with d3 (web/static/timeline.js) in lanes, one per kind or per
actor, each from its earliest to its latest possible day: a month is a bar a month wide,
a day a point. Below the drawing, the same events as a list sorted by date, each with
every source's status report (oldest first) and a link to the view as of that report.
`?as_of=YYYY-MM-DD` shows what the sources published by that day said. The list is also a
table, `/timeline/table?format=csv|json` with the same filters.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, render_template, request, url_for

from diplograph.web import chronology, display, tables
from diplograph.web.chronology import Filters, Item
from diplograph.web.context import cached, select
from diplograph.web.describe import Describer
from diplograph.web.entities import source_index

bp = Blueprint("timeline", __name__)


class Span:
    def __init__(self, x: float, width: float):
        self.x, self.width = x, width


def year_span(when: display.When, year: int) -> Span:
    """Where [earliest, latest] falls on `year`'s axis, in percent of the track."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = (end - start).days + 1
    first = max(when.earliest, start)
    last = min(when.latest, end)
    x = (first - start).days / days * 100
    width = ((last - first).days + 1) / days * 100
    return Span(round(x, 3), round(max(width, 0.6), 3))


def all_events() -> list[Item]:
    """Every event of the build, read once per build."""
    return cached("timeline", lambda: chronology.load_events(Describer(select(), source_index())))


def publication_days() -> list[dt.date]:
    found = (display.parse_written(s.date) for s in source_index().sources if s.date)
    return [w.latest for w in found if w is not None]


def periods(items: list[Item]) -> list[tuple[str, list[tuple[Item, Span | None]]]]:
    """Events grouped by year (undated last), each sorted by its earliest day."""
    dated: dict[int, list[Item]] = {}
    undated = []
    for item in items:
        if item.when is None:
            undated.append(item)
        else:
            dated.setdefault(item.when.earliest.year, []).append(item)
    out = [
        (str(year), [(i, year_span(i.when, year)) for i in sorted(group, key=chronology.sort_key)])
        for year, group in sorted(dated.items())
    ]
    if undated:
        out.append(("Undated", [(i, None) for i in sorted(undated, key=lambda i: i.label)]))
    return out


def item_json(item: Item) -> dict:
    when = item.when
    return {
        "id": item.id,
        "label": item.label,
        "href": url_for("entities.entity", entity_id=item.id),
        "start": when.earliest.isoformat() if when else None,
        # the day after the latest: a day-precision event spans one day on the axis
        "end": (when.latest + dt.timedelta(days=1)).isoformat() if when else None,
        "precision": when.precision if when else None,
        "when": item.when_text,
        "status": (item.status or "unknown").lower(),
        "group": item.group,
        "kinds": item.kinds,
        "actors": [{"id": k, "label": v} for k, v in sorted(item.actors.items())],
        "place": item.place,
        "place_id": item.place_id,
    }


def view_data(filters: Filters, shown: list[Item]) -> dict:
    start, end = chronology.corpus_window(all_events(), publication_days())
    return {
        "window": [(filters.start or start).isoformat(), (filters.end or end).isoformat()],
        "as_of": filters.as_of.isoformat() if filters.as_of else None,
        "lanes": filters.lanes,
        "focus": filters.focus,
        "items": [item_json(i) for i in sorted(shown, key=chronology.sort_key)],
    }


def choices(items: list[Item]) -> dict[str, list[tuple[str, str]]]:
    index = source_index()
    return {
        "actors": sorted({kv for i in items for kv in i.actors.items()}, key=lambda kv: kv[1]),
        "topics": sorted({kv for i in items for kv in i.topics.items()}, key=lambda kv: kv[1]),
        "sources": [
            (s.id, s.short) for s in index.sources if any(s.id in i.sources for i in items)
        ],
    }


@bp.route("/timeline")
def timeline():
    filters = Filters.from_args(request.args)
    items = all_events()
    shown = chronology.select(items, filters)
    return render_template(
        "timeline.html",
        periods=periods(shown),
        filters=filters,
        choices=choices(items),
        total=len(items),
        shown=len(shown),
        data=view_data(filters, shown),
        data_url=url_for("timeline.timeline_data", **filters.params()),
        alternates=[{"type": "application/json", "href": url_for("timeline.timeline_data")}],
        table_urls={
            fmt: url_for("timeline.timeline_table", format=fmt, **filters.params())
            for fmt in ("csv", "json")
        },
    )


@bp.route("/timeline/data")
def timeline_data():
    """The events the timeline draws, with the same parameters, as JSON."""
    filters = Filters.from_args(request.args)
    return jsonify(view_data(filters, chronology.select(all_events(), filters)))


TABLE_COLUMNS = ["id", "label", "when", "earliest", "latest", "precision", "status", "kinds"]
TABLE_COLUMNS += ["place", "place_id", "actors", "actor_ids"]


def table_row(item: Item) -> list:
    """One row of the list: the event as the page shows it; many values joined by " | "."""
    when = item.when
    actors = sorted(item.actors.items(), key=lambda kv: kv[1])
    return [
        item.id,
        item.label,
        item.when_text,
        when.earliest.isoformat() if when else None,
        when.latest.isoformat() if when else None,
        when.precision if when else None,
        (item.status or "").lower(),
        " | ".join(item.kinds),
        item.place,
        item.place_id,
        " | ".join(label for _, label in actors),
        " | ".join(key for key, _ in actors),
    ]


@bp.route("/timeline/table")
def timeline_table():
    """The list below the timeline, with the same filters, as CSV or JSON (in its order)."""
    filters = Filters.from_args(request.args)
    shown = chronology.select(all_events(), filters)
    rows = [table_row(item) for _, entries in periods(shown) for item, _ in entries]
    fmt = request.args.get("format", "csv")
    return tables.table_response("timeline", TABLE_COLUMNS, rows, fmt)
