"""Errors in curated data, each pointing at a file and line a curator can open."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    rule: str = "curation"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.rule}] {self.message}"


class CurationError(Exception):
    """Raised with every problem found, not just the first: curators fix them in one pass."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def suggest(word: str, known: Iterable[str], n: int = 3) -> str:
    """' (did you mean: a, b?)' for the nearest known names, or ''."""
    close = difflib.get_close_matches(word, list(known), n=n, cutoff=0.6)
    return f" (did you mean: {', '.join(close)}?)" if close else ""
