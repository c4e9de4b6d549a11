"""A small in-memory name index: search that forgives case, accents and transliteration.

The sources spell one name many ways ("Bessent", "Besant", "Beisente", "Basset"), so
exact matching is not enough. Every label and alias is reduced to a normalised form (NFKD,
no combining marks, case-folded, punctuation to spaces), a compact form (no spaces, so
"Xi Jin-ping" meets "Xi Jinping") and a consonant skeleton (a crude phonetic key, so
"Bessant" meets "Besant"); a query is scored against each, and near misses are caught by
an edit-distance ratio. The index is tiny (hundreds of names), so a linear scan is fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_NON_WORD = re.compile(r"[^0-9a-z]+")
_VOWELS = set("aeiouy")
# Spellings that sound alike, rewritten before vowels are dropped (order matters).
_SOUNDS = [
    ("ph", "f"),
    ("ck", "k"),
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "c"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "sy"),
    ("c", "k"),
    ("q", "k"),
    ("x", "s"),
    ("z", "s"),
    ("dt", "t"),
    ("d", "t"),
    ("v", "f"),
    ("w", ""),
    ("h", ""),
]


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("Xi Jin-ping" -> "xi jin ping")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


def phonetic(word: str) -> str:
    """A consonant skeleton: first letter kept, sounds merged, vowels dropped, runs collapsed."""
    if not word:
        return ""
    head, rest = word[0], word[1:]
    for spelling, sound in _SOUNDS:
        rest = rest.replace(spelling, sound)
    head = "a" if head in _VOWELS else dict(_SOUNDS).get(head, head) or head
    key = head
    for char in rest:
        if char in _VOWELS or char == key[-1]:
            continue
        key += char
    return key


@dataclass(frozen=True)
class Name:
    """One label or alias of an entity, with its precomputed keys."""

    text: str
    norm: str
    compact: str
    sound: str
    words: tuple[str, ...] = ()
    word_sounds: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str) -> Name:
        norm = normalise(text)
        compact = norm.replace(" ", "")
        words = tuple(norm.split())
        sounds = frozenset(phonetic(w) for w in words)
        return cls(text, norm, compact, phonetic(compact), words, sounds)


@dataclass
class Entry:
    iri: str
    label: str
    group: str
    names: list[Name] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


@dataclass
class Hit:
    entry: Entry
    score: float
    matched: str


def score_name(query: Name, name: Name) -> float:
    """How well `query` matches one name: 1.0 exact, down to 0 (no match).

    A match on the whole name beats a match on one of its words, and among word matches a
    short name beats a long one, so "Bessent" ranks the person above the statements whose
    labels merely mention him.
    """
    if not query.norm:
        return 0.0
    if query.norm == name.norm:
        return 1.0
    if query.compact == name.compact:
        return 0.98
    words = name.words
    crowd = 0.01 * min(len(words), 10)
    if name.norm.startswith(query.norm):
        return 0.9 - crowd
    if any(w.startswith(query.norm) for w in words):
        return 0.85 - crowd
    if len(query.compact) >= 3 and query.compact in name.compact:
        return 0.75 - crowd
    if len(query.sound) >= 3:
        if query.sound == name.sound:
            return 0.7
        if query.sound in name.word_sounds:
            return 0.65 - crowd
    if len(query.compact) >= 4:
        best = 0.0
        for candidate in (name.compact, *words):
            if abs(len(candidate) - len(query.compact)) > len(query.compact) // 4 + 1:
                continue  # too different in length to reach a 0.8 ratio
            matcher = SequenceMatcher(None, query.compact, candidate)
            if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8:
                best = max(best, matcher.ratio())
        if best >= 0.8:
            return 0.6 * best - crowd
    return 0.0


class NameIndex:
    """Every entity's label and aliases, searchable; built once per build of the graph."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries = list(entries)

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The best-scoring entities for `query`, best first, ties broken by label."""
        q = Name.of(query)
        hits = []
        for entry in self.entries:
            best, matched = 0.0, ""
            for name in entry.names:
                score = score_name(q, name)
                if score > best:
                    best, matched = score, name.text
            if best > 0:
                hits.append(Hit(entry, best, matched))
        hits.sort(key=lambda h: (-h.score, h.entry.label.casefold()))
        return hits[:limit]


def group_hits(hits: list[Hit], order: list[str]) -> list[tuple[str, list[Hit]]]:
    """Hits grouped by type, groups in `order` (unknown groups last), hits in rank order."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.entry.group, []).append(hit)
    rank = {name: i for i, name in enumerate(order)}
    return sorted(groups.items(), key=lambda kv: (rank.get(kv[0], len(order)), kv[0]))
