"""Text positions: sentences, folded matching text and verbatim excerpts with offsets.

Every candidate a draft proposes quotes the article verbatim; the offsets point into
the original text, so the folding used for matching keeps one character per character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00a0": " ",
    "\u2013": "-",
    "\u2014": "-",
}


def fold(text: str) -> str:
    """Quotes straightened, dashes hyphens, accents dropped: same length, same offsets."""
    out = []
    for ch in text:
        ch = _FOLD.get(ch, ch)
        if ord(ch) > 127:
            base = unicodedata.normalize("NFKD", ch)[:1]
            ch = base if base and ord(base) < 128 else ch
        out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


# A full stop ends a sentence unless it closes an abbreviation (U.S., D.C., Mr.).
_END = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s+[\"'\u201c\u2018(]?[A-Z0-9])|\n\s*\n|\n")
_ABBREV = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs|etc|Gen|Sen|Rep)\.$")


def sentences(text: str) -> list[Sentence]:
    """The article's sentences (and headings, one per line) with their offsets."""
    found, start = [], 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group().startswith(".") and _ABBREV.search(text[max(start, end - 12) : m.start() + 1]):
            continue
        _add(found, text, start, end)
        start = end
    _add(found, text, start, len(text))
    return found


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        found.append(Sentence(start + lead, start + lead + len(chunk), chunk))


def sentence_at(sents: list[Sentence], offset: int) -> Sentence | None:
    for s in sents:
        if s.start <= offset < s.end:
            return s
    return None


def evidence(text: str, start: int, end: int) -> dict:
    """An excerpt as a draft writes it: the verbatim passage and where it starts."""
    return {"excerpt": text[start:end], "offset": start}
