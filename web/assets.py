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

# URL name -> path under node_modules.
VENDOR_FILES = {
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "layout-base.js": "layout-base/layout-base.js",
    "cose-base.js": "cose-base/cose-base.js",
    "cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.js.map": "@zazuko/yasgui/build/yasgui.min.js.map",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
}


@bp.route("/vendor/<name>")
def vendor(name: str):
    """One allow-listed file from node_modules, cached for a day (the lock file pins it)."""
    relative = VENDOR_FILES.get(name)
    if relative is None or not (NODE_MODULES / relative).is_file():
        abort(404)
    return send_from_directory(NODE_MODULES, relative, max_age=86400)
