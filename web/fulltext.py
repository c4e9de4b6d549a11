"""Full-text search over the record's words: statements, quotations and cited excerpts.

An SQLite FTS5 index (the standard library's sqlite3; Porter stemming, diacritics folded)
held in memory, built from the store at first use per build. Each hit is the matching
passage with its words marked, the fact it belongs to and the source that says it.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from diplograph.web.graphdata import Select, internal_query, source_id
from diplograph.web.names import normalise

START, END = "\x02", "\x03"  # snippet() markers, never in the sources' text


@dataclass
class Passage:
    fact: str
    kind: str  # "text" (a statement's or quotation's words) or "excerpt"
    source: str
    segments: list[tuple[str, bool]]  # the snippet, in pieces: (text, matched?)
    rank: float


class TextIndex:
    def __init__(self, rows: list[tuple[str, str, str, str]]):
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.lock = threading.Lock()
        self.db.execute(
            "CREATE VIRTUAL TABLE passages USING fts5("
            "text, fact UNINDEXED, kind UNINDEXED, source UNINDEXED, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        self.db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?)", sorted(set(rows)))
        self.db.commit()

    @classmethod
    def load(cls, select: Select) -> TextIndex:
        rows = []
        for row in select(internal_query("search-texts")):
            kind = row["kind"].value
            sid = source_id(row["g"].value)
            if kind in ("text", "excerpt") and sid:
                rows.append((row["text"].value, row["s"].value, kind, sid))
        return cls(rows)

    def search(self, query: str, limit: int = 30) -> list[Passage]:
        words = normalise(query).split()
        if not words:
            return []
        # Every word must occur; the last may be the start of a word (typing "fentan").
        match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        with self.lock:
            found = self.db.execute(
                "SELECT fact, kind, source, snippet(passages, 0, ?, ?, '…', 32), rank "
                "FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?",
                (START, END, match, limit),
            ).fetchall()
        return [Passage(f, k, s, segments(snip), r) for f, k, s, snip, r in found]


def segments(snippet: str) -> list[tuple[str, bool]]:
    """ "a \x02b\x03 c" -> [("a ", False), ("b", True), (" c", False)]."""
    out = []
    for i, part in enumerate(snippet.split(START)):
        if i == 0:
            out.append((part, False))
            continue
        hit, _sep, rest = part.partition(END)
        out += [(hit, True), (rest, False)]
    return [(t, m) for t, m in out if t]
