"""Front-end libraries served from node_modules by the app itself: never a CDN, works offline.

`.ci/setup` installs them with `npm ci` at the repository root; only the files listed here
are reachable, so the route cannot be used to read anything else under node_modules.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

bp = Blueprint("assets", __name__)

# The repository root in a checkout; the package folder in an installed wheel.
NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"

# d3 modules by page: the timeline's axis, scales and zoom; the map's projection.
D3_TIMELINE = [
    "array", "color", "interpolate", "format", "time", "time-format", "scale", "selection",
    "axis", "dispatch", "drag", "ease", "timer", "transition", "zoom",
]  # fmt: skip
D3_MAP = ["array", "geo", "selection"]
D3_MODULES = sorted(set(D3_TIMELINE) | set(D3_MAP))

# URL name -> path under node_modules.
VENDOR_FILES = {
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "layout-base.js": "layout-base/layout-base.js",
    "cose-base.js": "cose-base/cose-base.js",
    "cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.js.map": "@zazuko/yasgui/build/yasgui.min.js.map",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    **{f"d3-{m}.min.js": f"d3-{m}/dist/d3-{m}.min.js" for m in D3_MODULES},
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-110m.json": "world-atlas/countries-110m.json",
}

# Script tags a page loads, in dependency order (each d3 module adds to the global `d3`).
BUNDLES = {
    "d3-timeline": [f"d3-{m}.min.js" for m in D3_TIMELINE],
    "d3-map": [f"d3-{m}.min.js" for m in D3_MAP] + ["topojson-client.min.js"],
    "cytoscape": ["cytoscape.min.js", "layout-base.js", "cose-base.js", "cytoscape-fcose.js"],
}


@bp.app_context_processor
def bundles() -> dict:
    """`vendor_bundle(name)` in templates: the vendor files a page's scripts need."""
    return {"vendor_bundle": BUNDLES.__getitem__}


@bp.route("/vendor/<name>")
def vendor(name: str):
    """One allow-listed file from node_modules, cached for a day (the lock file pins it)."""
    relative = VENDOR_FILES.get(name)
    if relative is None or not (NODE_MODULES / relative).is_file():
        abort(404)
    return send_from_directory(NODE_MODULES, relative, max_age=86400)
