"""The map of venues: every place an event is held in, starts from or goes to, drawn
offline (d3-geo over world-atlas's Natural Earth outlines, both from npm; no tiles).

The events are the timeline's, with the same URL parameters (actor, topic, source,
status, as_of, from, to), so one link moves between the two views. A city is drawn at
its curated coordinates (each pair names the Wikidata item it was taken from); a venue
without coordinates at those of the place it lies in; a country on its outline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, jsonify, render_template, request, url_for

from diplograph.web import chronology
from diplograph.web.chronology import Filters, Item
from diplograph.web.context import cached, select
from diplograph.web.graphdata import internal_query, local_id
from diplograph.web.timeline import all_events

bp = Blueprint("map", __name__)


@dataclass
class Place:
    id: str
    label: str
    lat: float | None = None
    lon: float | None = None
    source: str = ""  # the Wikidata item the coordinates come from
    parents: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


def load_places() -> dict[str, Place]:
    places: dict[str, Place] = {}
    for row in select()(internal_query("places")):
        pid = local_id(row["place"].value)
        place = places.setdefault(pid, Place(pid, row["label"].value))
        place.names.add(place.label)
        if row.get("lat") is not None and row.get("lon") is not None:
            place.lat, place.lon = float(row["lat"].value), float(row["lon"].value)
        if row.get("from") is not None:
            place.source = row["from"].value
        if row.get("parent") is not None:
            place.parents.add(local_id(row["parent"].value))
        if row.get("alias") is not None:
            place.names.add(row["alias"].value)
    return places


def located(place: Place, places: dict[str, Place]) -> Place | None:
    """The place itself if it has coordinates, else the nearest place it lies in that has
    (locatedIn is transitive and materialised: the one with the fewest parents is nearest)."""
    if place.lat is not None:
        return place
    found = [places[p] for p in place.parents if p in places and places[p].lat is not None]
    return min(found, key=lambda p: (-len(p.parents), p.id)) if found else None


def venues(items: list[Item], places: dict[str, Place]) -> list[dict]:
    """One entry per place with a venue role, with the events tied to it, sorted by name."""
    by_place: dict[str, list[dict]] = {}
    for item in sorted(items, key=chronology.sort_key):
        for pid, role in item.venues:
            by_place.setdefault(pid, []).append(
                {
                    "id": item.id,
                    "label": item.label,
                    "href": url_for("entities.entity", entity_id=item.id),
                    "role": role,
                    "when": item.when_text,
                    "status": (item.status or "unknown").lower(),
                    "group": item.group,
                }
            )
    out = []
    for pid, events in by_place.items():
        place = places.get(pid) or Place(pid, pid)
        at = located(place, places)
        out.append(
            {
                "id": pid,
                "label": place.label,
                "href": url_for("entities.entity", entity_id=pid),
                "lat": at.lat if at else None,
                "lon": at.lon if at else None,
                "located_by": at.id if at else None,
                "coordinates_source": at.source if at else "",
                "names": sorted(place.names),
                "events": events,
            }
        )
    return sorted(out, key=lambda v: v["label"])


def view_data(filters: Filters) -> dict:
    places = cached("places", load_places)
    shown = chronology.select(all_events(), filters)
    return {
        "as_of": filters.as_of.isoformat() if filters.as_of else None,
        "venues": venues(shown, places),
        "events": len(shown),
    }


@bp.route("/map")
def venue_map():
    filters = Filters.from_args(request.args)
    data = view_data(filters)
    return render_template(
        "map.html",
        data=data,
        filters=filters,
        data_url=url_for("map.map_data", **filters.params()),
        alternates=[{"type": "application/json", "href": url_for("map.map_data")}],
    )


@bp.route("/map/data")
def map_data():
    """The venues the map draws, with the same parameters as the page, as JSON."""
    return jsonify(view_data(Filters.from_args(request.args)))
