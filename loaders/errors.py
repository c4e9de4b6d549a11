"""Errors in curated data, each pointing at a file and line a curator can open."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: How alike (0..1, difflib's ratio) a known name must be to be suggested.
CUTOFF = 0.6


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
    """' (did you mean: a, b?)' for the nearest known names, or ''.

    The same answer as difflib.get_close_matches(word, known, n, 0.6), found quickly:
    rapidfuzz's Indel ratio (2 x longest common subsequence / total length) is never below
    difflib's (whose matching blocks are a common subsequence), so it picks the candidates
    in C++ without losing one, and difflib's own ratio ranks those few. Comparing every
    unknown id with every known one in difflib took 180 s for 5,000 unknown ids.
    """
    found = process.extract(
        word, list(known), scorer=fuzz.ratio, score_cutoff=CUTOFF * 100 - 1e-6, limit=None
    )  # best first
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    scored: list[tuple[float, str]] = []
    for candidate, bound, _ in found:
        if len(scored) >= n and heapq.nlargest(n, scored)[-1][0] * 100 > bound + 1e-6:
            break  # no later candidate can beat the n-th: its difflib ratio <= its bound
        matcher.set_seq1(candidate)
        score = matcher.ratio()
        if score >= CUTOFF:
            scored.append((score, candidate))
    close = [candidate for _, candidate in heapq.nlargest(n, scored)]
    return f" (did you mean: {', '.join(close)}?)" if close else ""
