"""The app the page tests drive: the curated data built once per test session into a
temporary instance, served by `create_app` from the real embedded store.

Validation is skipped in this build (the validation tests cover it): the pages are about
what is done with a published build. Test modules wrap `pages_app()` in their own
`client` fixture, so they all share one build and one worker pool.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from diplograph.loaders import paths
from diplograph.loaders.build import build


@cache
def pages_app():
    home = Path(tempfile.mkdtemp(prefix="diplograph-pages-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    build(paths.DATA_DIR, home / "instance", validate=False)
    from diplograph.web import create_app

    app = create_app({"TESTING": True, "DIPLOGRAPH_HOME": str(home / "instance")})
    return app
