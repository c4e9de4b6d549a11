"""The query catalogue in the browser, and the SPARQL editor (YASGUI) on /sparql.

Each catalogue query has its own page: what it answers, a form for its parameters, its
results as a table with CSV and JSON downloads. The form submits by GET, so the page's
address is a permalink that reruns the query with the same parameters.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, make_response, render_template, request, url_for

from diplograph.queries import catalogue as cat
from diplograph.queries import render
from diplograph.web import entity_params, security
from diplograph.web.context import cached, select_result
from diplograph.web.search import name_index

bp = Blueprint("catalogue_views", __name__)
MAX_ROWS = 5000


def load() -> dict[str, cat.Query]:
    """The catalogue, read once per build (parsing every header costs more than a query)."""
    return cached("catalogue", cat.load_catalogue)


@bp.route("/queries")
def catalogue():
    return render_template("catalogue.html", queries=list(load().values()))


@bp.route("/queries/<name>")
def query_page(name: str):
    try:
        query = cat.get_query(name)
    except cat.QueryError:
        abort(404)
    given = {p.name: request.args[p.name] for p in query.params if p.name in request.args}
    wants_run = "run" in request.args or bool(given)
    fmt = request.args.get("format", "html")
    result, error = None, None
    resolved = entity_params.resolve(query, given, name_index())
    if resolved.errors:
        error, wants_run, fmt = " ".join(resolved.errors), False, "html"
    if wants_run or fmt in ("csv", "json"):
        try:
            sparql = cat.bind(query, resolved.values)
            variables, rows = select_result(sparql)
            result = cat.Result(variables, rows[:MAX_ROWS])
        except cat.QueryError as exc:
            error = str(exc)
    if result is not None and fmt == "csv":
        return Response(
            render.as_csv(result),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if result is not None and fmt == "json":
        return Response(
            render.as_json(result),
            mimetype="application/sparql-results+json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    params = dict(given, run="1")
    values = {p.name: given.get(p.name, p.default or p.example or "") for p in query.params}
    return render_template(
        "query.html",
        query=query,
        values=values,
        result=result,
        rows=readable_rows(result) if result else [],
        editor_url=editor_link(query, resolved.values),
        entity_params=[p.name for p in query.params if p.type == "entity"],
        error=error,
        permalink=_page_url(name, params),
        csv_url=_page_url(name, {**params, "format": "csv"}),
        json_url=_page_url(name, {**params, "format": "json"}),
    ), (400 if error else 200)


def readable_rows(result: cat.Result) -> list[list[dict]]:
    labels = entity_params.labels_for(name_index())
    return [[entity_params.cell(r.get(v), labels) for v in result.variables] for r in result.rows]


def editor_link(query: cat.Query, values: dict[str, str]) -> str:
    """The SPARQL editor opened on this query with these parameters bound (its ?query=)."""
    try:
        text = cat.bind(query, values or query.example_params())
    except cat.QueryError:
        text = query.sparql
    return f"{url_for('catalogue_views.editor')}#{urlencode({'query': text})}"


def _page_url(name: str, params: dict[str, str]) -> str:
    """The page's address with its parameters (one may be called `name`, like the route's)."""
    return f"{url_for('catalogue_views.query_page', name=name)}?{urlencode(params)}"


@bp.route("/query-editor")
def editor():
    examples = []
    for q in load().values():
        try:
            text = cat.bind(q, q.example_params())
        except cat.QueryError:
            text = q.sparql
        examples.append({"name": q.name, "title": q.title, "query": text})
    response = make_response(render_template("editor.html", examples=examples))
    response.headers["Content-Security-Policy"] = security.policy((security.YASGUI_RESIZER_STYLE,))
    return response
