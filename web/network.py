"""The network view: actors and events, starting from one entity and expanding on click.

The page is a Cytoscape.js canvas (served from node_modules) with a plain list beside it,
so every node can also be reached and expanded from the keyboard. `/network/data` gives
one node's neighbourhood as JSON; the browser merges it into what is already drawn.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, abort, jsonify, render_template, request, url_for

from diplograph.web import display
from diplograph.web.context import select
from diplograph.web.graphdata import DG, Quads, entity_iri, incoming, local_id

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
}
DEFAULT_START = "donald-trump"


def kind_of(types: set[str]) -> str:
    if "Agent" in types:
        return "actor"
    if "Event" in types:
        return "event"
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


@bp.route("/network")
def network():
    start = request.args.get("id", DEFAULT_START).strip() or DEFAULT_START
    data = neighbourhood(start)
    if data is None:
        abort(404)
    return render_template("network.html", start=start, data=data)


@bp.route("/network/data")
def network_data():
    data = neighbourhood(request.args.get("id", "").strip())
    if data is None:
        abort(404)
    return jsonify(data)
