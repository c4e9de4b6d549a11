"""Search over every label and alias, forgiving of case, accents and transliteration.

The name index (see `names.py`) is built from the store once per build and kept in
memory; a new build is picked up on the next search.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from diplograph.web import display
from diplograph.web.context import cached, select
from diplograph.web.graphdata import internal_query, local_id
from diplograph.web.names import Entry, Name, NameIndex, group_hits

bp = Blueprint("search", __name__)

# Groups shown in this order; an entity goes in the first group its types include.
GROUPS = [
    ("Person", "People"),
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


def group_of(types: set[str]) -> str:
    for cls, name in GROUPS:
        if cls in types:
            return name
    return "Other"


def load_index() -> NameIndex:
    names: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in select()(internal_query("search-names")):
        iri = row["s"].value
        names.setdefault(iri, set()).add(row["name"].value)
        types.setdefault(iri, set()).add(row["type"].value.rsplit("#", 1)[-1])
        labels.setdefault(iri, row["label"].value)
    entries = []
    for iri, found in names.items():
        label = labels.get(iri, local_id(iri))
        names_of = [Name.of(n) for n in sorted(found)]
        kinds = display.specific_types(types[iri])
        entries.append(Entry(iri, label, group_of(types[iri]), names_of, kinds))
    return NameIndex(entries)


def name_index() -> NameIndex:
    return cached("names", load_index)


@bp.route("/search")
def search():
    query = request.args.get("q", "").strip()[:200]
    hits = name_index().search(query) if query else []
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return jsonify(
            [
                {
                    "id": local_id(h.entry.iri),
                    "iri": h.entry.iri,
                    "label": h.entry.label,
                    "group": h.entry.group,
                    "matched": h.matched,
                    "score": round(h.score, 3),
                }
                for h in hits
            ]
        )
    groups = group_hits(hits, GROUP_ORDER)
    return render_template(
        "search.html",
        query=query,
        search_query=query,
        groups=groups,
        count=len(hits),
        local_id=local_id,
        term_label=display.term_label,
    )
