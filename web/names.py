"""A small in-memory name index: search that forgives case, accents, typos and word order.

The sources spell one name many ways ("Bessent", "Besant", "Beisente", "Basset"), so
exact matching is not enough. Every label and alias is reduced to a normalised form (NFKD,
no combining marks, case-folded, punctuation to spaces; letters of every script kept), a
compact form (no spaces, so "Xi Jin-ping" meets "Xi Jinping") and a consonant skeleton (a
crude phonetic key, so "Bessant" meets "Besant"); near misses are scored by rapidfuzz's
edit-distance ratio. A query of several words ("trump xi busan", "bessent treasury")
matches when every word finds a word of the entity's names, or failing that of its
descriptions and posts. A label outranks an alias, and a name outranks a description.
The index is tiny (hundreds of names), so a linear scan is fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

_NON_WORD = re.compile(r"[\W_]+")
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


@cache  # the index asks for the same few thousand words on every query
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
    context: list[str] = field(default_factory=list)  # descriptions and posts, normalised

    def __post_init__(self):
        self.name_words = {w for n in self.names for w in n.words}
        self.context_words = {w for text in self.context for w in text.split()}

    def score(self, query: Name) -> tuple[float, str]:
        """The best of: the whole query against one name (the label a little above an
        alias), or each word of the query against the words of names, then of context."""
        label = normalise(self.label)
        best, matched = 0.0, ""
        for name in self.names:
            found = score_name(query, name) * (1.0 if name.norm == label else 0.95)
            if found > best:
                best, matched = found, name.text
        words = [w for w in query.words if w not in STOP_WORDS] or list(query.words)
        if len(words) > 1 or (best == 0 and words):
            in_names = [score_word(w, self.name_words) for w in words]
            scores = [
                s or 0.8 * score_word(w, self.context_words)
                for w, s in zip(words, in_names, strict=True)
            ]
            if all(scores):
                crowd = 0.02 * min(len(self.label.split()), 10)
                found = 0.85 * sum(scores) / len(scores) - crowd
                if found > best:
                    best = found
                    matched = self.label if all(in_names) else "description"
        return best, matched


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
        best = max(fuzz.ratio(query.compact, c, score_cutoff=80) for c in (name.compact, *words))
        if best:
            return 0.6 * best / 100 - crowd
    return 0.0


def score_word(word: str, candidates: Iterable[str]) -> float:
    """How well one query word matches the best of `candidates` (words of one entity)."""
    best = 0.0
    sound = phonetic(word) if len(word) >= 3 else ""
    sound = sound if len(sound) >= 3 else ""  # "qqqqxxxx" -> "ks" would sound like "cases"
    for c in candidates:
        if c == word:
            return 1.0
        if len(word) >= 2 and c.startswith(word):
            best = max(best, 0.9)
        elif sound and abs(len(c) - len(word)) <= 2 and phonetic(c) == sound:
            best = max(best, 0.7)
        elif len(word) >= 4:
            best = max(best, 0.75 * fuzz.ratio(word, c, score_cutoff=80) / 100)
    return best


# Words that carry no meaning in a query of several words ("meeting in Busan").
STOP_WORDS = {"a", "an", "and", "at", "in", "of", "on", "the", "to", "with", "s"}


class NameIndex:
    """Every entity's label and aliases, searchable; built once per build of the graph."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries = list(entries)

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The best-scoring entities for `query`, best first, ties broken by label."""
        q = Name.of(query)
        hits = []
        for entry in self.entries:
            best, matched = entry.score(q)
            if best > 0:
                hits.append(Hit(entry, best, matched))
        hits.sort(key=lambda h: (-h.score, h.entry.label.casefold()))
        return hits[:limit]


def group_hits(hits: list[Hit], order: list[str]) -> list[tuple[str, list[Hit]]]:
    """Hits grouped by type, the group with the best hit first (ties in `order`), hits in
    rank order: "Busan" shows the city before a person whose alias merely sounds like it."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.entry.group, []).append(hit)
    rank = {name: i for i, name in enumerate(order)}
    return sorted(
        groups.items(),
        key=lambda kv: (-round(kv[1][0].score, 3), rank.get(kv[0], len(order)), kv[0]),
    )
