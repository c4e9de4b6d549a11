"""Downloads: the current build's precomputed dumps, its VoID description and JSON-LD context.

The build writes every file (see `loaders.export.write_all`), so the app only
streams bytes from disk: no serialisation per request, and conditional and
range requests come free with `send_file`. Only names in the build's index
are served, so the route cannot reach any other file.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_file

from diplograph.exports import export
from diplograph.ontology import ONTOLOGY_DIR
from diplograph.web.context import current_build

bp = Blueprint("exports", __name__, template_folder="templates")

VOID_PATH = "/.well-known/void"
# Used when the page blueprints (and their base.html) are not registered.
MINIMAL_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{% block title %}{% endblock %} · diplograph</title>
{% for alt in alternates|default([]) %}
<link rel="alternate" type="{{ alt.type }}" href="{{ alt.href }}">{% endfor %}
</head><body><main id="main">{% block main %}{% endblock %}</main></body></html>
"""


def exports_dir() -> Path | None:
    """The published build's exports folder, or None before the first build."""
    build = current_build()
    return None if build is None else build / "exports"


def exports_index() -> dict:
    folder = exports_dir()
    index = folder / "index.json" if folder is not None else None
    if index is None or not index.is_file():
        abort(404, description="No exports in the current build: run `diplograph build`.")
    return json.loads(index.read_text())


def _send(name: str, media_type: str):
    folder = exports_dir()
    path = folder / name if folder is not None else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=media_type, conditional=True, etag=True, max_age=300)
    if media_type.startswith("text/") or media_type.endswith("+xml"):
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.add("Link", f'<{VOID_PATH}>; rel="describedby"')
    return response


@bp.route("/downloads")
def downloads():
    index = exports_index()
    files = [dict(f, label=_label(f)) for f in index["files"]]
    layout = (
        "base.html"
        if "pages" in current_app.blueprints
        else current_app.jinja_env.from_string(MINIMAL_LAYOUT)
    )
    html = render_template(
        "downloads.html",
        layout=layout,
        version=index.get("version"),
        groups=[(p, [f for f in files if f["part"] == p]) for p in _parts(files)],
        void_path=VOID_PATH,
        alternates=[{"type": "text/turtle", "href": VOID_PATH}],
    )
    return html, 200, {"Link": f'<{VOID_PATH}>; rel="describedby"; type="text/turtle"'}


@bp.route("/downloads/<name>")
def download(name: str):
    for entry in exports_index()["files"]:
        if entry["name"] == name:
            return _send(name, entry["media_type"])
    abort(404)


@bp.route(VOID_PATH)
def void():
    return _send("void.ttl", "text/turtle")


@bp.route("/context.jsonld")
def context():
    """The build's JSON-LD context, or the project's when no build has one."""
    folder = exports_dir()
    if folder is not None and (folder / "context.jsonld").is_file():
        return _send("context.jsonld", "application/ld+json")
    response = send_file(ONTOLOGY_DIR / "context.jsonld", mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _parts(files: list[dict]) -> list[str]:
    order = ["diplograph", "graph", "ontology", "shapes", "void", "context"]
    return [p for p in order if any(f["part"] == p for f in files)]


def _label(entry: dict) -> str:
    spec = export.FORMATS.get(entry["format"])
    if entry["part"] == "context":
        return "JSON-LD context"
    return spec.label if spec else entry["format"]
