"""The build layout and the atomic switch: readers never see a half-built graph.

<instance>/builds/<build-id>/{graph.nq, manifest.json, store/}
<instance>/current -> builds/<build-id>
"""

from __future__ import annotations

import json
import os
from pathlib import Path

CURRENT = "current"
BUILDS = "builds"


def instance_dir() -> Path:
    """The directory holding builds and the `current` link (DIPLOGRAPH_HOME or ./instance)."""
    return Path(os.environ.get("DIPLOGRAPH_HOME", Path.cwd() / "instance")).resolve()


def publish(instance_dir: Path | str, build_dir: Path | str) -> Path:
    """Point `current` at build_dir in one rename, so a failed build leaves the old one live."""
    instance_dir, build_dir = Path(instance_dir), Path(build_dir)
    if not (build_dir / "store").is_dir():
        raise FileNotFoundError(f"{build_dir} has no store/ directory: nothing to publish")
    link = instance_dir / CURRENT
    temp = instance_dir / f".{CURRENT}.{os.getpid()}.tmp"
    if temp.is_symlink() or temp.exists():
        temp.unlink()
    # Relative target, so the instance directory can be moved or mounted elsewhere.
    os.symlink(os.path.relpath(build_dir.resolve(), instance_dir.resolve()), temp)
    os.replace(temp, link)
    return link


def current_build(instance_dir: Path | str) -> Path | None:
    """The published build directory (resolved), or None before the first successful build.

    The one place that reads `current`: the CLI, the store and the web app all ask here.
    """
    link = Path(instance_dir) / CURRENT
    return link.resolve() if link.is_dir() else None


def current_key(instance_dir: Path | str) -> str | None:
    """What `current` names, for callers that check on every request whether another
    build was published: the link's target as written (one system call), or the resolved
    build when `current` is not a link; None before the first build."""
    try:
        return os.readlink(os.path.join(instance_dir, CURRENT))
    except OSError:
        build = current_build(instance_dir)
        return None if build is None else os.fspath(build)


LAST_ERROR = "last-error.json"


def write_last_error(instance_dir: Path | str, error: dict) -> None:
    """Record why the last build failed (`serve --watch` shows it on every page), atomically."""
    path = Path(instance_dir) / LAST_ERROR
    temp = path.with_name(f".{LAST_ERROR}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(error, indent=2, sort_keys=True))
    os.replace(temp, path)


def clear_last_error(instance_dir: Path | str) -> None:
    (Path(instance_dir) / LAST_ERROR).unlink(missing_ok=True)


def last_error(instance_dir: Path | str) -> dict | None:
    """The last failed build's error, or None when the last build succeeded."""
    try:
        return json.loads((Path(instance_dir) / LAST_ERROR).read_text())
    except (OSError, ValueError):
        return None
