"""The pages around the data: home, sources, disagreements, ontology, validation report;
the site's error pages, robots.txt and sitemap.xml."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from diplograph.ontology.docs import render_ontology_html
from diplograph.shapes.report import render_html
from diplograph.store.builds import last_error
from diplograph.web import display, tables
from diplograph.web.context import build_info, cached, instance, select
from diplograph.web.describe import Describer
from diplograph.web.entities import source_index
from diplograph.web.exports import exports_dir
from diplograph.web.graphdata import Quads, graph_namespace, iri, local_id, nodes_of_type, run
from diplograph.web.search import name_index

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def build_error() -> dict:
    """The last failed build's error (`serve --watch` records it), shown on every page."""
    return {"build_error": last_error(instance())}


# What the home page counts, in this order, with the words it uses.
HOME_COUNTS = [
    ("Person", "people"),
    ("UnnamedCollective", "unnamed groups"),
    ("Organisation", "organisations"),
    ("Polity", "countries and polities"),
    ("Place", "places"),
    ("Event", "events"),
    ("Meeting", "meetings"),
    ("PhoneCall", "phone calls"),
    ("Commitment", "commitments"),
    ("Measure", "measures"),
    ("Statement", "statements"),
    ("Claim", "claims"),
    ("Disagreement", "disagreements"),
    ("Topic", "topics"),
    ("Source", "sources"),
    ("Excerpt", "excerpts"),
]


@bp.route("/")
def home():
    info = build_info()
    counts = info.get("counts") or {}
    shown = [(label, counts.get(cls, 0), cls) for cls, label in HOME_COUNTS if cls in counts]
    validation = info.get("validation") or {}
    return render_template(
        "home.html",
        info=info,
        counts=shown,
        validation=validation,
        sources=source_index().sources,
    )


@bp.route("/sources")
def sources():
    return render_template("sources.html", sources=source_index().sources)


def source_facts(source_id: str) -> list[tuple[str, list[dict]]]:
    """The facts a source's graph supports, grouped by their most specific type."""
    rows = run(select(), "source-facts", g=[iri(graph_namespace() + source_id)])
    excerpts: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        fact, exact = row["fact"].value, row["exact"].value
        if exact not in excerpts[fact]:
            excerpts[fact].append(exact)
    q = Quads()
    q.fetch_labels(select(), excerpts)
    groups: dict[str, list[dict]] = defaultdict(list)
    for fact, texts in excerpts.items():
        kinds = display.specific_types(q.types.get(fact, set()))
        kind = display.term_label(kinds[0]) if kinds else "fact"
        groups[kind].append({"id": local_id(fact), "label": q.label(fact), "excerpts": texts})
    for facts in groups.values():
        facts.sort(key=lambda f: f["label"].casefold())
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


@bp.route("/sources/<source_id>")
def source(source_id: str):
    found = source_index().by_id.get(source_id)
    if found is None:
        abort(404)
    groups = source_facts(source_id)
    fact_ids = {f["id"] for _k, facts in groups for f in facts}
    describer = Describer(select(), source_index())
    disputes = [
        d
        for d in describer.disputes_of(all_disagreements())
        if any(s.fact.href and s.fact.href[4:] in fact_ids for s in d.sides)
    ]
    return render_template(
        "source.html",
        source=found,
        groups=groups,
        total=len(fact_ids),
        disputes=disputes,
    )


@bp.route("/sources/<source_id>/facts")
def source_facts_data(source_id: str):
    """A source page's facts as CSV or JSON, in the page's order; excerpts joined by " | "."""
    if source_id not in source_index().by_id:
        abort(404)
    rows = [
        [kind, f["label"], f["id"], " | ".join(f["excerpts"])]
        for kind, facts in source_facts(source_id)
        for f in facts
    ]
    columns = ["kind", "fact", "fact_id", "excerpts"]
    fmt = request.args.get("format", "csv")
    return tables.table_response(f"{source_id}-facts", columns, rows, fmt)


def all_disagreements() -> list[str]:
    return cached("disagreements", lambda: nodes_of_type(select(), "Disagreement"))


@bp.route("/disagreements")
def disagreements():
    disputes = Describer(select(), source_index()).disputes_of(all_disagreements())
    return render_template("disagreements.html", disputes=disputes)


@bp.route("/ontology")
def ontology():
    folder = exports_dir()
    files = sorted(p.name for p in folder.glob("ontology.*")) if folder is not None else []
    return render_template(
        "ontology.html",
        body=cached("ontology-html", render_ontology_html),
        files=files,
        alternates=[{"type": "text/turtle", "href": "/downloads/ontology.ttl"}] if files else [],
    )


@bp.route("/validation")
def validation():
    info = build_info()
    report = info.get("validation")
    body = render_html(report) if report else None
    return render_template("validation.html", info=info, report=report or {}, body=body)


def wants_page() -> bool:
    """Whether a browser asked (HTML above any data format: curl's */* is not a browser)."""
    best = request.accept_mimetypes.best_match(
        ["application/json", "text/turtle", "application/sparql-results+json", "text/html"]
    )
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def sparql_home():
    """/sparql without a query, opened by a browser: the editor rather than a download of
    the service description (web/sparql.py calls this; None lets it answer as before)."""
    if request.method == "GET" and wants_page():
        return redirect(url_for("catalogue_views.editor"), 303)
    return None


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
@bp.app_errorhandler(500)
def error_page(error):
    """Errors in the site's layout, with its search, for browsers; as before for the rest."""
    if not isinstance(error, HTTPException):
        error = getattr(error, "original_exception", None) or error
    code = getattr(error, "code", 500) or 500
    if not wants_page():
        return error if isinstance(error, HTTPException) else ("Internal Server Error", 500)
    description = getattr(error, "description", "") if code != 500 else ""
    return render_template("error.html", code=code, description=description), code


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /sparql", "Disallow: /search", "Allow: /"]
    lines.append(f"Sitemap: {url_for('pages.sitemap', _external=True)}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap():
    """Every entity page and the site's own pages (sitemaps.org protocol)."""
    pages_ = ["pages.home", "timeline.timeline", "network.network", "map.venue_map"]
    pages_ += ["pages.sources", "pages.disagreements", "catalogue_views.catalogue"]
    pages_ += ["pages.ontology", "pages.validation", "exports.downloads"]
    urls = [url_for(p, _external=True) for p in pages_]
    root = request.host_url.rstrip("/")
    urls += sorted(root + "/id/" + local_id(e.iri) for e in name_index().entries)
    return render_template("sitemap.xml", urls=urls), 200, {"Content-Type": "application/xml"}
