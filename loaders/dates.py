"""Dates at the precision a source gives: a day, an ISO week, a month or a year.

A date becomes a shared node minted from its written form (`id/date/2026-04`),
carrying a typed literal and the first and last days it may denote, so that
"April 2026" is never silently turned into 1 April.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Literal, Namespace
from rdflib.namespace import XSD

from diplograph.ontology import closed

XSD = closed(XSD)

#: English month and weekday names, January and Monday first: the one table that the
#: loader's mention rule, the pages' date labels and the drafting tool read.
#: Spelled out rather than taken from `calendar`, whose names follow the process's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

TIME = Namespace("http://www.w3.org/2006/time#")

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


#: The words the pages use for each precision.
PRECISION_NAMES = {
    TIME.unitDay: "day",
    TIME.unitWeek: "week",
    TIME.unitMonth: "month",
    TIME.unitYear: "year",
}


@dataclass(frozen=True)
class FuzzyDate:
    text: str
    literal: Literal
    precision: object
    earliest: dt.date
    latest: dt.date

    @property
    def precision_name(self) -> str:
        """The precision as a word: "day", "week", "month" or "year"."""
        return PRECISION_NAMES[self.precision]


def read_date(text: str) -> FuzzyDate | None:
    """The date `text` is written as (`YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM` or `YYYY`), or None.

    The one date-at-precision rule: the loader reads curated dates with it
    (parse_date) and the pages read the written form back (web.display). None when
    `text` is none of the forms; ValueError when it is one but no calendar date.
    """
    if m := _DAY.match(text):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return FuzzyDate(text, Literal(day.isoformat(), datatype=XSD.date), TIME.unitDay, day, day)
    if m := _WEEK.match(text):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return FuzzyDate(
            text,
            Literal(monday.isoformat(), datatype=XSD.date),
            TIME.unitWeek,
            monday,
            monday + dt.timedelta(days=6),
        )
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        last = calendar.monthrange(year, month)[1]
        return FuzzyDate(
            text,
            Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth),
            TIME.unitMonth,
            dt.date(year, month, 1),
            dt.date(year, month, last),
        )
    if m := _YEAR.match(text):
        year = int(m[1])
        return FuzzyDate(
            text,
            Literal(f"{year:04d}", datatype=XSD.gYear),
            TIME.unitYear,
            dt.date(year, 1, 1),
            dt.date(year, 12, 31),
        )
    return None


def parse_date(text: str) -> FuzzyDate:
    """Parse `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM` or `YYYY`; ValueError names the forms."""
    text = text.strip()
    try:
        found = read_date(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a calendar date: {exc}") from None
    if found is None:
        raise ValueError(
            f"'{text}' is not a date: write YYYY-MM-DD (day), YYYY-Www (ISO week), "
            "YYYY-MM (month) or YYYY (year)"
        )
    return found
