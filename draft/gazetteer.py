"""Mentions of known entities, found with an Aho-Corasick automaton over the graph's names.

The gazetteer is built from the entity files' labels and aliases (and the surname of a
person once their full name has appeared); the text is matched in folded form, so
curly quotes, dashes and accents do not hide a name. Post titles ("the Treasury
Secretary") name their current holder.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import ahocorasick

from diplograph.draft.graph import Entity, Known
from diplograph.draft.text import fold

# A city name used for its state's government ("Beijing has warned") is the polity;
# after one of these words it is the place itself.
_LOCATIVE = re.compile(
    r"\b(?:in|at|to|from|near|into|visit|visiting|visited|across|departing|leaving|left)"
    r"\s+(?:the\s+)?$"
)
_WORD = re.compile(r"\w")
# Names matched without regard to case: topics are common nouns, anonymous people are
# described ("one senior Asia economist"); other names must be capitalised as written.
_CASELESS_FILES = {"topics"}


@dataclass(frozen=True)
class Name:
    surface: str
    ids: tuple[str, ...]
    how: str  # label | alias | surname | post


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int
    end: int
    surface: str
    how: str
    confidence: float
    via: str | None = None  # the post whose title named a holder


def _names(ent: Entity) -> list[tuple[str, str]]:
    label = re.sub(r"\s*\([^)]*\)\s*$", "", ent.label)  # "... (unnamed)"
    out = [(label, "label")] + [(a, "alias") for a in ent.aliases]
    if ent.file == "places" and ent.type not in ("Country", "Polity") and "," in label:
        out.append((label.split(",")[0], "label"))  # "Washington, D.C." is "Washington"
    if ent.file == "places":
        out += [(d, "demonym") for d in ent.cues + demonyms(label)]
    return out


def demonyms(label: str) -> list[str]:
    """The regular adjective of a one-word place name: Europe → European, Asia → Asian."""
    if " " in label or not label[:1].isupper():
        return []
    if label.endswith("e"):
        return [label + "an"]
    if label.endswith("a"):
        return [label + "n"]
    return []


class Gazetteer:
    def __init__(self, known: Known) -> None:
        self.known = known
        table: dict[str, dict[str, Name]] = {}
        self.surnames: dict[str, str] = {}  # folded surname -> person id
        for ent in known.entities.values():
            for surface, how in _names(ent):
                key = fold(surface).lower()
                if len(key) < 2:
                    continue
                bucket = table.setdefault(key, {})
                prev = bucket.get("")
                ids = (prev.ids if prev else ()) + (ent.id,)
                bucket[""] = Name(surface, tuple(dict.fromkeys(ids)), how)
            parts = ent.label.split()
            if ent.file == "people" and not ent.anonymous and len(parts) >= 2:
                self.surnames[fold(parts[-1]).lower()] = ent.id
        self.automaton = ahocorasick.Automaton()
        for key, bucket in table.items():
            self.automaton.add_word(key, (key, bucket[""]))
        for key, pid in self.surnames.items():
            if key not in table:
                self.automaton.add_word(key, (key, Name(key, (pid,), "surname")))
        self.automaton.make_automaton()

    def raw_matches(self, folded: str) -> list[tuple[int, int, Name]]:
        """Whole-word matches, not overlapping, covering as much text as they can
        ("US Treasury Secretary" is "US" and "Treasury Secretary", not "US Treasury")."""
        lower = folded.lower()
        found = []
        for end_idx, (key, name) in self.automaton.iter(lower):
            start, end = end_idx - len(key) + 1, end_idx + 1
            if start > 0 and _WORD.match(lower[start - 1]):
                continue
            if end < len(lower) and _WORD.match(lower[end]):
                continue
            found.append((start, end, name))
        return _widest_cover(found)

    def mentions(self, text: str) -> list[Mention]:
        folded = fold(text)
        out: list[Mention] = []
        seen_people: set[str] = set()
        for start, end, name in self.raw_matches(folded):
            mention = self._resolve(text, folded, start, end, name, seen_people)
            if mention is not None:
                out.append(mention)
                if self.known.kind(mention.entity) == "people" and mention.how != "surname":
                    seen_people.add(mention.entity)
        return out

    def _resolve(self, text, folded, start, end, name, seen_people) -> Mention | None:
        surface = text[start:end]
        ids = name.ids
        files = {self.known.kind(i) for i in ids}
        anonymous = any(self.known.entities[i].anonymous for i in ids if i in self.known.entities)
        if not anonymous and not files & _CASELESS_FILES and not self._cased(surface, name.surface):
            return None
        if name.how == "surname":
            if ids[0] not in seen_people:
                return None
            return Mention(ids[0], start, end, surface, "surname", 0.85)
        if len(ids) > 1:
            ids = self._disambiguate(folded, start, ids)
        entity = ids[0]
        if self.known.kind(entity) == "posts":
            return self._post(entity, start, end, surface)
        confidence = 0.95 if name.how == "label" else 0.9
        if files & _CASELESS_FILES:
            confidence = 0.7
        return Mention(entity, start, end, surface, name.how, confidence)

    @staticmethod
    def _cased(surface: str, written: str) -> bool:
        """A proper name must be capitalised as the graph writes it (not 'us' for 'US')."""
        if written.startswith("The ") and surface.startswith("the "):
            surface, written = surface[4:], written[4:]  # "the White House"
        if any(c.isupper() for c in written):
            return (
                all(
                    a == b or not b.isupper()
                    for a, b in zip(fold(surface), fold(written), strict=False)
                )
                and surface[:1].isupper() == written[:1].isupper()
            )
        return True

    def _disambiguate(self, folded: str, start: int, ids: tuple[str, ...]) -> tuple[str, ...]:
        """A place after 'in', 'at', 'to'... is the place; otherwise the polity it stands for."""
        locative = bool(_LOCATIVE.search(folded[max(0, start - 20) : start]))

        def rank(eid: str) -> int:
            ent = self.known.entities[eid]
            is_polity = ent.type in ("Country", "Polity")
            return 0 if is_polity != locative else 1

        return tuple(sorted(ids, key=rank))

    def _post(self, post: str, start: int, end: int, surface: str) -> Mention:
        holders = self.known.holders.get(post, [])
        if len(holders) == 1:
            return Mention(holders[0], start, end, surface, "post", 0.8, via=post)
        return Mention(post, start, end, surface, "post", 0.6)


def _widest_cover(found: list[tuple[int, int, Name]]) -> list[tuple[int, int, Name]]:
    """The non-overlapping matches covering the most characters (ties: fewer, longer ones),
    by weighted interval scheduling over the matches sorted by end."""
    found = sorted(found, key=lambda m: (m[1], m[0]))
    ends = [m[1] for m in found]
    best: list[tuple[int, int, list]] = [(0, 0, [])]  # (covered, -count, chosen) up to i
    for i, (start, end, name) in enumerate(found):
        j = bisect.bisect_right(ends, start, 0, i)
        covered, neg, chosen = best[j]
        take = (covered + end - start, neg - 1, chosen + [(start, end, name)])
        best.append(max(best[-1], take, key=lambda b: (b[0], b[1])))
    return sorted(best[-1][2], key=lambda m: m[0])
