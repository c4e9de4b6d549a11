"""The network view: actors and events, starting from one entity and expanding on click.

The page is a Cytoscape.js canvas (served from node_modules) with a plain list beside it,
so every node can also be reached and expanded from the keyboard. `/network/data` gives
one node's neighbourhood as JSON; the browser merges it into what is already drawn.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, abort, jsonify, render_template, request, url_for

from diplograph.web import display
from diplograph.web.chronology import parse_day
from diplograph.web.context import select
from diplograph.web.graphdata import DG, Quads, entity_iri, incoming, local_id
from diplograph.web.timeline import all_events

bp = Blueprint("network", __name__)

# Relations drawn as edges: who takes part in, is bound by or targeted by what.
EDGES = {
    "participant",
    "party",
    "obligor",
    "beneficiary",
    "imposer",
    "target",
    "initiator",
    "partOf",
    "onSidelinesOf",
    "follows",
    "respondsTo",
    "madeAt",
    "place",
    "origin",
    "destination",
}
DEFAULT_START = "donald-trump"
KINDS = ("actor", "event", "fact", "place")
MAX_EXPANDED = 40  # nodes expanded from one URL: each is a query


def kind_of(types: set[str]) -> str:
    if "Agent" in types:
        return "actor"
    if "Event" in types:
        return "event"
    if "Place" in types:
        return "place"
    return "fact"


def neighbourhood(entity_id: str) -> dict | None:
    """The node, its neighbours along EDGES, and the edges between them."""
    run = select()
    node = entity_iri(entity_id)
    try:
        ox.NamedNode(node)  # an id that makes no IRI (a space, a control character) names nothing
    except ValueError:
        return None
    q = Quads()
    q.fetch(run, [node])
    edges: dict[tuple[str, str, str], None] = {}
    for p, o, _g in q.quads(node):
        local = p[len(DG) :]
        if local in EDGES and o.value.startswith(entity_iri("")):
            edges[(node, local, o.value)] = None
    for s, p, _g in incoming(run, node):
        local = p[len(DG) :]
        if local in EDGES:
            edges[(s, local, node)] = None
    if not q.quads(node) and not edges:
        return None
    others = {s for s, _p, _o in edges} | {o for _s, _p, o in edges}
    q.fetch_labels(run, others - {node})
    dates = {i.id: i.when for i in all_events() if i.when}
    nodes = []
    for iri in sorted(others | {node}):
        types = q.types.get(iri, set())
        kinds = display.specific_types(types)
        nodes.append(
            {
                "id": local_id(iri),
                "label": q.label(iri),
                "kind": kind_of(types),
                "type": display.term_label(kinds[0]) if kinds else "",
                "href": url_for("entities.entity", entity_id=local_id(iri)),
                **event_dates(dates.get(local_id(iri))),
            }
        )
    return {
        "center": entity_id,
        "nodes": nodes,
        "edges": [
            {
                "id": f"{local_id(s)}|{p}|{local_id(o)}",
                "source": local_id(s),
                "target": local_id(o),
                "label": display.term_label(p),
            }
            for s, p, o in edges
        ],
    }


def event_dates(when: display.When | None) -> dict:
    """An event's earliest and latest day, for the date filter; nothing for other nodes."""
    if when is None:
        return {}
    return {"start": when.earliest.isoformat(), "end": when.latest.isoformat()}


def merged(centres: list[str]) -> dict | None:
    """The neighbourhoods of the focus and of every expanded node, as one drawing."""
    first = neighbourhood(centres[0])
    if first is None:
        return None
    nodes = {n["id"]: n for n in first["nodes"]}
    edges = {e["id"]: e for e in first["edges"]}
    expanded = [centres[0]]
    for other in centres[1:]:
        more = neighbourhood(other)
        if more is None or other in expanded:
            continue
        expanded.append(other)
        nodes.update({n["id"]: n for n in more["nodes"]})
        edges.update({e["id"]: e for e in more["edges"]})
    return {
        "center": centres[0],
        "expanded": expanded,
        "nodes": sorted(nodes.values(), key=lambda n: (n["label"].casefold(), n["id"])),
        "edges": list(edges.values()),
    }


def view_state(args) -> dict:
    """The URL's view: focus (or id), expanded nodes, kinds shown, and a date range."""
    focus = (args.get("focus") or args.get("id") or DEFAULT_START).strip() or DEFAULT_START
    expanded = [e for e in args.get("expanded", "").split(",") if e.strip()][:MAX_EXPANDED]
    kinds = [k for k in args.get("kinds", "").split(",") if k in KINDS] or list(KINDS)
    start, end = parse_day(args.get("from", "")), parse_day(args.get("to", ""))
    return {
        "focus": focus,
        "expanded": [e.strip() for e in expanded],
        "kinds": kinds,
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
    }


@bp.route("/network")
def network():
    state = view_state(request.args)
    data = merged([state["focus"], *state["expanded"]])
    if data is None:
        abort(404)
    return render_template("network.html", start=state["focus"], data=data, state=state)


@bp.route("/network/data")
def network_data():
    data = neighbourhood(request.args.get("id", "").strip())
    if data is None:
        abort(404)
    return jsonify(data)
