"""Check that every excerpt occurs in its source text.

Only whitespace and quote marks are normalised: a curator may re-wrap a
passage or straighten a curly quote, but not change a word.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


def default_sources_dir() -> Path | None:
    """The captured source texts, if this checkout can see them (DIPLOGRAPH_SOURCES)."""
    env = os.environ.get("DIPLOGRAPH_SOURCES")
    if env:
        return Path(env)
    candidate = Path(__file__).resolve().parents[2] / "shared" / "sources"
    return candidate if candidate.is_dir() else None


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2032": "'",
        "\u2033": '"',
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True)
class ExcerptUse:
    source_id: str
    text: str
    file: str
    line: int


def missing_excerpts(uses: list[ExcerptUse], source_files: dict[str, Path]) -> list[ExcerptUse]:
    """The excerpts that do not occur in their source (or whose source text is absent)."""
    cache: dict[str, str | None] = {}
    missing = []
    for use in uses:
        if use.source_id not in cache:
            path = source_files.get(use.source_id)
            cache[use.source_id] = (
                normalise(path.read_text(encoding="utf-8")) if path and path.is_file() else None
            )
        haystack = cache[use.source_id]
        if haystack is None or normalise(use.text) not in haystack:
            missing.append(use)
    return missing
