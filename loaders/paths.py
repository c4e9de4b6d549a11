"""Where things live: the one place that knows the layout on disk.

Data folders are reached relative to this file rather than through
importlib.resources, which fails for mapped folders in editable installs.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PACKAGE_ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "diplograph.ttl"
SHAPES_DIR = PACKAGE_ROOT / "shapes"
QUERIES_DIR = PACKAGE_ROOT / "queries"
DATA_DIR = PACKAGE_ROOT / "data"
WEB_DIR = PACKAGE_ROOT / "web"


def instance_dir() -> Path:
    """The directory holding builds and the `current` link (DIPLOGRAPH_HOME or ./instance)."""
    return Path(os.environ.get("DIPLOGRAPH_HOME", Path.cwd() / "instance")).resolve()


def sources_dir() -> Path | None:
    """The captured source texts, if this checkout can see them (DIPLOGRAPH_SOURCES)."""
    env = os.environ.get("DIPLOGRAPH_SOURCES")
    if env:
        return Path(env)
    candidate = PACKAGE_ROOT.parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None
