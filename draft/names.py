"""Names the graph does not know: candidates for new people, places and organisations.

A run of capitalised words that no known name covers is a candidate. Its type is
suggested from the words in and around it, and `rapidfuzz` lists the nearest known
ids, so that a variant spelling ("Besant") is caught as a duplicate, not added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from diplograph.draft.gazetteer import Mention
from diplograph.draft.graph import Known
from diplograph.draft.text import Sentence, fold
from diplograph.loaders.dates import MONTHS, WEEKDAYS

_CAP = r"(?:[A-Z][\w'.-]*[\w.]|[A-Z])"
_RUN = re.compile(rf"{_CAP}(?:\s+(?:of|for|and|the|de|van|von|bin)\s+{_CAP}|\s+{_CAP})*")
_ORG = re.compile(
    r"\b(?:University|Institute|Ministry|Bank|Committee|Council|Party|Group|Times|Journal|News|"
    r"Agency|Department|Association|Corporation|Corp|Inc|Ltd|Company|Fund|Office|Commission|"
    r"Organization|Organisation|Forum|Post|Daily|Press|Federation|Union|Center|Centre|Capital)\b"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|from|near|visit(?:ed|ing)?)\s+$")
_PERSON_BEFORE = re.compile(
    r"\b(?:President|Minister|Secretary|Mr|Mrs|Ms|Dr|Professor|analyst|said|says|CEO|Senator)\.?\s+$",
    re.I,
)
# Words that open sentences or name months and days: capitalised, but not names.
_COMMON = (
    set(
        [
            "The",
            "A",
            "An",
            "This",
            "That",
            "These",
            "Those",
            "It",
            "Its",
            "He",
            "She",
            "They",
            "We",
            "I",
            "In",
            "On",
            "At",
            "For",
            "But",
            "And",
            "Or",
            "As",
            "If",
            "While",
            "When",
            "After",
            "Before",
            "Yet",
            "Still",
            "Meanwhile",
            "However",
            "Both",
            "Investors",
            "Analysts",
            "Markets",
            "What",
            "Whether",
            "Disclaimer",
            "Following",
            "Contact",
            "Us",
            "App",
            "English",
            "Chinese",
            "American",
            "Asian",
            "Western",
        ]
    )
    | set(MONTHS)
    | set(WEEKDAYS)
)


@dataclass
class NewName:
    label: str
    type: str
    occurrences: list[tuple[int, int]] = field(default_factory=list)
    nearest: list[tuple[str, float]] = field(default_factory=list)
    confidence: float = 0.4


def new_names(text: str, sents: list[Sentence], mentions: list[Mention], known: Known):
    covered = [(m.start, m.end) for m in mentions]
    choices = {}
    for ent in known.entities.values():
        for name in [ent.label, *ent.aliases]:
            choices[fold(name)] = ent.id
    found: dict[str, NewName] = {}
    for sent in sents:
        if _heading(sent.text):
            continue
        for m in _RUN.finditer(text, sent.start, sent.end):
            label = m.group().rstrip(".'")
            start, end = m.start(), m.start() + len(label)
            words = label.split()
            if words[0] in _COMMON:
                words = words[1:]
                start = end - len(" ".join(words)) if words else end
                label = " ".join(words)
            if not words or all(w in _COMMON for w in words) or len(label) < 3:
                continue
            if any(s < end and start < e for s, e in covered):
                continue
            if len(words) == 1 and start == sent.start:
                continue  # a capitalised first word is no evidence of a name
            kind = _suggest(text, start, label)
            if kind is None:
                continue
            cand = found.setdefault(label, NewName(label, kind))
            cand.occurrences.append((start, end))
    for cand in found.values():
        hits = process.extract(fold(cand.label), choices.keys(), scorer=fuzz.WRatio, limit=3)
        cand.nearest = [(choices[h[0]], round(h[1] / 100, 2)) for h in hits if h[1] >= 60]
        cand.confidence = 0.6 if len(cand.label.split()) > 1 else 0.4
    return list(found.values())


def _suggest(text: str, start: int, label: str) -> str | None:
    if _ORG.search(label) or label.isupper():
        return "Organisation"
    before = text[max(0, start - 20) : start]
    if _PLACE_BEFORE.search(before):
        return "Place"
    if _PERSON_BEFORE.search(before) or len(label.split()) in (2, 3):
        return "Person"
    return None


def _heading(line: str) -> bool:
    """A title-case line with no closing stop: headings and menus, not running text."""
    words = line.split()
    caps = sum(w[:1].isupper() for w in words)
    return not line.rstrip().endswith((".", "?", "!", '"', "\u201d")) and caps * 2 >= len(words)
