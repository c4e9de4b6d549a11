"""Entity pages at the entity's own path: HTML for people, RDF for machines.

`/id/<id>` serves the page a reader wants, and the same path serves Turtle, JSON-LD,
N-Triples or RDF/XML by content negotiation or by suffix (`/id/<id>.ttl`), through the
app's one negotiation table. The HTML advertises its RDF twins with `Link` headers.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, render_template, request

from diplograph.web import chronology, negotiation, tables
from diplograph.web.context import cached, select
from diplograph.web.describe import Describer
from diplograph.web.entity_view import EntityView
from diplograph.web.graphdata import entity_iri
from diplograph.web.sources import SourceIndex

bp = Blueprint("entities", __name__)

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-zA-Z0-9][a-zA-Z0-9.-]*)*$")


def source_index() -> SourceIndex:
    return cached("sources", lambda: SourceIndex.load(select()))


def alternates(entity_id: str) -> list[dict]:
    return [
        {"type": t, "href": f"/id/{entity_id}{suffix}"} for t, suffix in negotiation.alternates()
    ]


def link_header(entity_id: str) -> str:
    links = [f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"' for a in alternates(entity_id)]
    return ", ".join(links)


def entity_view(base: str) -> EntityView:
    """The page's data; a page depends only on the build, so it is assembled once per build."""
    view = cached(
        f"entity:{base}",
        lambda: Describer(select(), source_index()).describe(entity_iri(base)),
        bounded=True,
    )
    if view is None:
        abort(404)
    return view


def status_as_of(base: str, day: dt.date | None) -> chronology.Report | None:
    """The event's status as the sources published by `day` reported it, by the timeline's
    own rule (chronology.status_as_of), so the event page and /timeline?as_of= agree."""

    def reports() -> list[chronology.Report]:
        describer = Describer(select(), source_index())
        iri = entity_iri(base)
        describer.q.fetch(describer.select, [iri])
        describer.load_nested([iri])
        return chronology.reports_of(describer, iri)

    return chronology.status_as_of(cached(f"reports:{base}", reports, bounded=True), day)


@bp.route("/relations/<path:entity_id>")
def relations_data(entity_id: str):
    """An entity page's relation rows as CSV or JSON, one row per relation and source."""
    if not _ID.match(entity_id):
        abort(404)
    view = entity_view(entity_id)
    columns = ["relation", "value", "value_id", "note", "source", "excerpts"]
    rows = []
    for phrase, rels in view.groups:
        for r in rels:
            target = (r.object.href or "").removeprefix("/id/")
            for s in r.support or [None]:
                texts = " | ".join(s.excerpts) if s else ""
                rows.append([phrase, r.object.label, target, r.object.note, s and s.source, texts])
    name = entity_id.replace("/", "-") + "-relations"
    return tables.table_response(name, columns, rows, request.args.get("format", "csv"))


@bp.route("/id/<path:entity_id>")
def entity(entity_id: str):
    base, rdf_format = negotiation.split_suffix(entity_id)
    if not _ID.match(base):
        abort(404)
    if rdf_format is None:
        rdf_format = negotiation.from_accept(request)
    if rdf_format is not None:
        return negotiation.rdf_response(entity_iri(base), rdf_format)
    view = entity_view(base)
    as_of = chronology.parse_day(request.args.get("as_of", "")) if view.statuses else None
    response = render_template(
        "entity.html",
        view=view,
        alternates=alternates(base),
        as_of=as_of,
        status_then=status_as_of(base, as_of) if as_of else None,
    )
    return response, 200, {"Link": link_header(base), "Vary": "Accept"}
