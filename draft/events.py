"""Events (meetings, calls, visits, summits) and their status, matched to known events.

A sentence whose words name an encounter proposes an event: its participants are the
people (or failing them the states) it names, its date the date expression in it, its
status read from tense and cue words. It matches a known event when they share two
participants and the dates fall within a few days of each other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from diplograph.draft.dates import FoundDate
from diplograph.draft.gazetteer import Mention
from diplograph.draft.graph import Known
from diplograph.draft.text import Sentence
from diplograph.loaders.dates import parse_date

# Cue word -> suggested type, in the order they are tried.
_TYPES = (
    (r"phone call|call(?:ed)?\b|spoke (?:by phone )?with|phone conversation|talked", "PhoneCall"),
    (r"state visit|visit(?:s|ed|ing)?\b|trip\b|tour\b", "Visit"),
    (r"summit\b", "Summit"),
    (r"meet(?:s|ing|ings)?\b|met\b|sit-down|encounter|talks\b|face-to-face", "Meeting"),
)
_STATUS = (
    (r"\b(?:postponed|delayed)\b", "postponed"),
    (r"\b(?:cancell?ed|called off)\b", "cancelled"),
    (r"\bconfirmed\b", "confirmed"),
    (r"\b(?:announced|will announce)\b", "announced"),
    (r"\b(?:may|might|could|possible|possibly|expected|likely)\b", "expected"),
    (r"\b(?:will|set to|scheduled|plans? to|planned|to meet|upcoming|ahead of|next)\b", "planned"),
    (r"\b(?:met|held|spoke|talked|visited|called|concluded|took place|agreed)\b", "held"),
)
_WINDOW = dt.timedelta(days=3)


@dataclass
class DraftEvent:
    type: str
    status: str
    sentences: list[Sentence]
    participants: list[Mention]
    dates: list[FoundDate] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    match: str | None = None
    confidence: float = 0.5


def _type(words: str) -> str | None:
    for pattern, name in _TYPES:
        if re.search(pattern, words, re.I):
            return name
    return None


def _status(words: str) -> str:
    for pattern, name in _STATUS:
        if re.search(pattern, words, re.I):
            return name
    return "held"


def find_events(sents, mentions, dates, known: Known) -> list[DraftEvent]:
    out: list[DraftEvent] = []
    for sent in sents:
        kind = _type(sent.text)
        if kind is None:
            continue
        inside = [m for m in mentions if sent.start <= m.start < sent.end]
        people = _unique([m for m in inside if known.kind(m.entity) == "people"])
        states = _unique(
            [m for m in inside if known.entities[m.entity].type in ("Country", "Polity")]
        )
        participants = people if len(people) >= 2 else (people + states)[:4]
        if len(participants) < 2:
            continue
        ev = DraftEvent(kind, _status(sent.text), [sent], participants)
        ev.dates = [d for d in dates if sent.start <= d.start < sent.end]
        ev.places = [m for m in inside if known.entities[m.entity].type in ("City", "Resort")]
        ev.match = _match(ev, known)
        ev.confidence = 0.8 if ev.match else 0.5
        _merge(out, ev)
    return out


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if m.entity not in seen:
            seen.add(m.entity)
            out.append(m)
    return out


def _near(values: set[str], drafted: list[FoundDate]) -> bool:
    if not values or not drafted:
        return True
    for value in values:
        known = parse_date(value)
        for d in drafted:
            mine = parse_date(d.value)
            if mine.earliest - _WINDOW <= known.latest and known.earliest <= mine.latest + _WINDOW:
                return True
    return False


def _match(ev: DraftEvent, known: Known) -> str | None:
    ids = {m.entity for m in ev.participants}
    best, best_score = None, (0, 0)
    for event in known.events.values():
        shared = len(ids & event.participants)
        score = (shared, -len(event.participants - ids))
        if shared >= 2 and _near(event.dates, ev.dates) and score > best_score:
            best, best_score = event.id, score
    return best


def _merge(out: list[DraftEvent], ev: DraftEvent) -> None:
    for other in out:
        if (ev.match and other.match == ev.match) or (
            not ev.match
            and not other.match
            and {m.entity for m in other.participants} == {m.entity for m in ev.participants}
            and {d.value for d in other.dates} == {d.value for d in ev.dates}
        ):
            other.sentences.append(ev.sentences[0])
            other.dates += [d for d in ev.dates if d.value not in {x.value for x in other.dates}]
            return
    out.append(ev)
