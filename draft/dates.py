"""Dates in an article, resolved against its publication date at the precision it gives.

`dateparser` resolves the expression ("next Thursday", "April 2026", "next month");
this layer finds the expressions, drops hedges ("late last week", "sometime next
year") that dateparser does not read, chooses past or future for a bare weekday from
the sentence's tense, and writes the value in the curated forms (day, ISO week,
month, year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import dateparser

from diplograph.loaders.dates import MONTHS, WEEKDAYS

# Month names, then their abbreviations ("Sept." too, and May has none).
_MONTHS = "|".join(MONTHS) + "|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?"
_MONTHS += "|Oct\\.?|Nov\\.?|Dec\\.?"
_DAYS = "|".join(WEEKDAYS)
_UNITS = "week|month|year"
_HEDGE = r"(?:(?:early|late|later|earlier|mid|sometime|some time)\s+)"
# The shapes of date expressions; dateparser reads each one found.
_PATTERN = re.compile(
    rf"\b(?:"
    rf"(?:(?:{_DAYS}),?\s+)?(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?"
    rf"|(?:{_MONTHS})(?:\s+(?:of\s+)?\d{{4}})?"
    rf"|{_HEDGE}?(?:(?:next|last|this|coming|past)\s+)?(?:{_DAYS})(?:\s+(?:morning|night|evening))?"
    rf"|{_HEDGE}?(?:next|last|this|coming|past)\s+(?:{_UNITS})"
    rf"|{_HEDGE}?(?:(?:earlier|later)\s+)?this\s+(?:{_UNITS})"
    rf"|(?:yesterday|today|tomorrow)"
    rf"|on\s+the\s+\d{{1,2}}(?:st|nd|rd|th)"
    rf"|(?:in|by|since|until|through|from)\s+(?:19|20)\d{{2}}(?:[-\u2013](?:19|20)?\d{{2}})?"
    rf")\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|would|set to|scheduled|plans?|planned|expected|to meet|to visit|to travel|"
    r"next|upcoming|coming|ahead|is due|are due)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    words: str
    value: str  # 2025-10-30 | 2025-W44 | 2026-04 | 2026
    precision: str


def format_date(day: dt.date, precision: str) -> str:
    if precision == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "year":
        return f"{day.year:04d}"
    return day.isoformat()


def resolve(words: str, published: dt.date, future: bool) -> tuple[str, str] | None:
    """(value, precision) for one expression, or None when it names no date."""
    core = re.sub(
        rf"^(?:on|in|by|since|until|through|from)\s+|^{_HEDGE}", "", words.strip(), flags=re.I
    )
    core = re.sub(rf"^{_HEDGE}", "", core, flags=re.I)
    core = re.sub(r"\s+(?:morning|night|evening)$", "", core, flags=re.I)
    core = re.sub(r"^(?:earlier|later)\s+", "", core, flags=re.I)
    if m := re.fullmatch(r"((?:19|20)\d{2})[-\u2013]((?:19|20)?\d{2})", core):
        return m[1], "year"
    core = re.sub(r"^coming\s+", "next ", core, flags=re.I)
    core = re.sub(r"^past\s+", "last ", core, flags=re.I)
    day = dateparser.parse(
        core,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(published, dt.time(12)),
            "PREFER_DATES_FROM": "future" if future else "past",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    if day is None:
        return None
    day = _nearest(core, day.date(), published)
    precision = _period(core)
    return format_date(day, precision), precision


def _period(core: str) -> str:
    low = core.lower()
    if re.search(r"\bweek\b", low):
        return "week"
    if re.search(r"\bmonth\b", low) or re.fullmatch(
        rf"(?:{_MONTHS})(?:\s+(?:of\s+)?\d{{4}})?", core, re.I
    ):
        return "month"
    if re.search(r"\byear\b", low) or re.fullmatch(r"(?:19|20)\d{2}", low):
        return "year"
    return "day"


def find_dates(text: str, published: dt.date, sentence_of) -> list[FoundDate]:
    """Every date expression in `text`; `sentence_of(offset)` gives its sentence's text."""
    found = []
    for m in _PATTERN.finditer(text):
        words = m.group()
        if words[:1].islower() and re.fullmatch(rf"(?:{_MONTHS})", words, re.I):
            continue  # "may", "march" as verbs
        if re.fullmatch(r"May", words):
            continue
        sentence = sentence_of(m.start()) or words
        resolved = resolve(words, published, _future(text, m.start(), sentence))
        if resolved:
            found.append(FoundDate(m.start(), m.end(), words, *resolved))
    return found


_PAST_VERB = re.compile(
    r"\b(?:\w+ed|said|met|spoke|told|was|were|rose|fell|made|held|began)\s+(?:on\s+)?$"
)


def _future(text: str, start: int, sentence: str) -> bool:
    """Past when a past-tense verb leads into the date ("confirmed Thursday"), else by cue words."""
    if _PAST_VERB.search(text[max(0, start - 25) : start]):
        return False
    return bool(_FUTURE.search(sentence))


def _nearest(core: str, day: dt.date, published: dt.date) -> dt.date:
    """A month and day without a year, or the publication's own weekday, nearest to it."""
    low = core.lower()
    if re.search(rf"\b(?:{_MONTHS})\b", core, re.I) and not re.search(r"\d{4}", core):
        options = [day.replace(year=published.year + k) for k in (-1, 0, 1)]
        return min(options, key=lambda d: abs((d - published).days))
    bare = re.fullmatch(rf"(?:{_DAYS})", core, re.I)
    if bare and low == published.strftime("%A").lower():
        return published
    return day
