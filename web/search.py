"""Search: entities by any of their names (forgiving of spelling, accents and word order),
and the record's words (statements, quotations, excerpts) by full text.

Both indexes are built from the store once per build and kept in memory (names.py, a
linear scan scored with rapidfuzz; fulltext.py, SQLite FTS5); a new build is picked up on
the next search. `/search/suggest` is the type-ahead behind every page's search box.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for

from diplograph.web import display, tables
from diplograph.web.context import cached, select
from diplograph.web.entities import source_index
from diplograph.web.fulltext import TextIndex
from diplograph.web.graphdata import Quads, internal_query, local_id
from diplograph.web.names import Entry, Hit, Name, NameIndex, group_hits, normalise

bp = Blueprint("search", __name__)

# Groups shown in this order; an entity goes in the first group its types include.
GROUPS = [
    ("Person", "People"),
    ("UnnamedCollective", "Unnamed groups (analysts, insiders…)"),
    ("Country", "Countries and polities"),
    ("Polity", "Countries and polities"),
    ("Organisation", "Organisations"),
    ("Place", "Places"),
    ("Event", "Events"),
    ("Commitment", "Commitments"),
    ("Measure", "Measures"),
    ("Claim", "Claims"),
    ("Statement", "Statements"),
    ("Disagreement", "Disagreements"),
    ("Topic", "Topics"),
    ("Post", "Posts"),
    ("Source", "Sources"),
]
GROUP_ORDER = list(dict.fromkeys(name for _t, name in GROUPS))
SUGGESTIONS = 8


def group_of(types: set[str]) -> str:
    for cls, name in GROUPS:
        if cls in types:
            return name
    return "Other"


def search_texts() -> list[tuple[str, str, str, str]]:
    """(node, kind, text, graph) rows of queries/internal/search-texts.rq, once per build."""

    def load():
        rows = select()(internal_query("search-texts"))
        return [(r["s"].value, r["kind"].value, r["text"].value, r["g"].value) for r in rows]

    return cached("search-texts", load)


def load_index() -> NameIndex:
    names: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in select()(internal_query("search-names")):
        iri = row["s"].value
        names.setdefault(iri, set()).add(row["name"].value)
        types.setdefault(iri, set()).add(row["type"].value.rsplit("#", 1)[-1])
        labels.setdefault(iri, row["label"].value)
    context: dict[str, list[str]] = {}
    for node, kind, text, _g in search_texts():
        if kind in ("description", "post"):
            context.setdefault(node, []).append(normalise(text))
    entries = []
    for iri, found in names.items():
        label = labels.get(iri, local_id(iri))
        names_of = [Name.of(n) for n in sorted(found)]
        kinds = display.specific_types(types[iri])
        group = group_of(types[iri])
        entries.append(Entry(iri, label, group, names_of, kinds, context.get(iri, [])))
    return NameIndex(entries)


def name_index() -> NameIndex:
    return cached("names", load_index)


def text_index() -> TextIndex:
    return cached("fulltext", lambda: TextIndex.load(select()))


def hit_record(h: Hit) -> dict:
    return {
        "id": local_id(h.entry.iri),
        "iri": h.entry.iri,
        "label": h.entry.label,
        "group": h.entry.group,
        "matched": h.matched,
        "score": round(h.score, 3),
        "href": f"/id/{local_id(h.entry.iri)}",
    }


@bp.route("/search/suggest")
def suggest():
    """The best few entities for a partly typed name (the search box's type-ahead)."""
    query = request.args.get("q", "").strip()[:100]
    hits = name_index().search(query, limit=SUGGESTIONS) if len(query) >= 2 else []
    return jsonify([hit_record(h) for h in hits])


@bp.route("/search")
def search():
    query = request.args.get("q", "").strip()[:200]
    kind = request.args.get("type", "")
    hits = name_index().search(query) if query else []
    passages = text_index().search(query) if query else []
    fmt = request.args.get("format")
    if fmt == "json" or (fmt is None and request.accept_mimetypes.best == "application/json"):
        return jsonify([hit_record(h) for h in hits if not kind or h.entry.group == kind])
    if fmt == "csv":
        columns = ["id", "label", "group", "matched", "score"]
        rows = [[hit_record(h)[c] for c in columns] for h in hits]
        return tables.table_response("search", columns, rows, "csv")
    groups = group_hits(hits, GROUP_ORDER)
    shown = [(g, hs) for g, hs in groups if not kind or g == kind]
    labels = Quads()
    labels.fetch_labels(select(), {p.fact for p in passages})
    sources = source_index()
    return render_template(
        "search.html",
        query=query,
        search_query=query,
        kind=kind,
        all_groups=[(g, len(hs)) for g, hs in groups],
        groups=shown,
        count=len(hits),
        passages=passages,
        fact_label=labels.label,
        source_label=sources.short,
        local_id=local_id,
        term_label=display.term_label,
        csv_url=url_for("search.search", q=query, format="csv"),
        json_url=url_for("search.search", q=query, format="json"),
    )
