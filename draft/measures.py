"""Commitments and measures: quantities with units, rates and deadlines.

"12 million metric tons of soybeans through January" gives a quantity (value, unit,
resource) and a deadline; "tariffs cut to 47% from 57%" a rate and the rate before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diplograph.draft.dates import FoundDate
from diplograph.draft.gazetteer import Mention
from diplograph.draft.graph import Known

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER = r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|trillion)?"
_QUANTITY = re.compile(
    rf"(?P<bound>at least|more than|over|up to|about|around|nearly|roughly|as high as|as much as)?"
    rf"\s*(?P<cur>\$|US\$|USD\s?)?{_NUMBER}\s*"
    r"(?P<unit>%|percent|per cent|metric tons?|tons?|tonnes?|bushels?|aircraft|planes?|jets?|"
    r"dollars)?(?:\s+(?:of|in)\s+(?P<what>[A-Za-z][\w-]*(?:\s[a-z][\w-]*)?))?",
    re.I,
)
_BOUND = {
    "at least": "at-least",
    "more than": "at-least",
    "over": "at-least",
    "up to": "at-most",
    "as high as": "at-most",
    "as much as": "at-most",
}
_UNIT = {"%": "percent", "percent": "percent", "per cent": "percent"}
_DEADLINE = re.compile(r"\b(?:through|by|until|before|starting|from|effective)\s+$", re.I)
_MEASURE = re.compile(
    r"\b(?:tariffs?|levies|duties|duty|export controls?|sanctions?|curbs?)\b", re.I
)
_COMMIT = re.compile(
    r"\b(?:buy|buying|purchase|purchases|purchasing|import|pledged?|commit(?:ted|ment)?|"
    r"agreed|promised?|invest(?:ment)?)\b",
    re.I,
)


@dataclass
class Quantity:
    start: int
    end: int
    value: float
    unit: str | None
    bound: str | None
    currency: str | None
    resource: Mention | None = None


@dataclass
class DraftMeasure:
    type: str  # Tariff | Measure | PurchaseCommitment | Commitment
    start: int
    end: int
    quantities: list[Quantity] = field(default_factory=list)
    deadline: FoundDate | None = None
    confidence: float = 0.5


def _value(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * _SCALE.get((scale or "").lower(), 1)


def quantities(text: str, start: int, end: int, mentions: list[Mention], known) -> list[Quantity]:
    out = []
    for m in _QUANTITY.finditer(text, start, end):
        if not (m["unit"] or m["cur"] or m.group(4)):
            continue
        unit_word = (m["unit"] or "").lower()
        unit = _UNIT.get(unit_word) or ("tonne" if "ton" in unit_word else None)
        if unit is None and unit_word and not m["cur"]:
            unit = "item"
        if unit is None and not m["cur"]:
            continue
        q = Quantity(
            m.start() + len(m.group()) - len(m.group().lstrip()),
            m.end(),
            _value(m.group(3), m.group(4)),
            unit,
            _BOUND.get((m["bound"] or "").lower(), "about" if m["bound"] else None),
            "USD" if m["cur"] or unit_word == "dollars" else None,
        )
        topics = [t for t in mentions if q.start <= t.start <= q.end + 25]
        q.resource = next((t for t in topics if known.kind(t.entity) == "topics"), None)
        out.append(q)
    return out


def find_measures(text, sents, mentions, dates, known: Known) -> list[DraftMeasure]:
    out = []
    for sent in sents:
        qs = quantities(text, sent.start, sent.end, mentions, known)
        rates = [q for q in qs if q.unit == "percent"]
        amounts = [q for q in qs if q.unit != "percent"]
        if rates and _MEASURE.search(sent.text):
            kind = "Tariff" if re.search(r"tariff|levies|dut", sent.text, re.I) else "Measure"
            out.append(_measure(text, sent, kind, rates, dates, 0.6))
        if amounts and _COMMIT.search(sent.text):
            goods = any(q.unit in ("tonne", "item") for q in amounts)
            money = any(q.currency for q in amounts)
            kind = "PurchaseCommitment" if goods else "InvestmentPledge" if money else "Commitment"
            out.append(_measure(text, sent, kind, amounts, dates, 0.5))
    return out


def _measure(text, sent, kind, qs, dates, confidence) -> DraftMeasure:
    ms = DraftMeasure(kind, sent.start, sent.end, qs, confidence=confidence)
    for d in dates:
        if sent.start <= d.start < sent.end and _DEADLINE.search(text[sent.start : d.start]):
            ms.deadline = d
            break
    return ms
