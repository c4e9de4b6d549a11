"""Dates keep the precision their source gives."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib.namespace import XSD

from diplograph.loaders.dates import TIME, parse_date


@pytest.mark.parametrize(
    "text, datatype, unit, earliest, latest",
    [
        ("2025-10-30", XSD.date, TIME.unitDay, "2025-10-30", "2025-10-30"),
        ("2025-W44", XSD.date, TIME.unitWeek, "2025-10-27", "2025-11-02"),
        ("2026-04", XSD.gYearMonth, TIME.unitMonth, "2026-04-01", "2026-04-30"),
        ("2026-02", XSD.gYearMonth, TIME.unitMonth, "2026-02-01", "2026-02-28"),
        ("2026", XSD.gYear, TIME.unitYear, "2026-01-01", "2026-12-31"),
    ],
)
def test_precisions(text, datatype, unit, earliest, latest):
    date = parse_date(text)
    assert date.literal.datatype == datatype
    assert date.precision == unit
    assert date.earliest == dt.date.fromisoformat(earliest)
    assert date.latest == dt.date.fromisoformat(latest)


def test_a_month_is_not_its_first_day():
    assert str(parse_date("2026-04").literal) == "2026-04"


@pytest.mark.parametrize("text", ["2025-13-01", "2025-02-30", "next Thursday", "26/10/2025", ""])
def test_not_a_date(text):
    with pytest.raises(ValueError, match="date"):
        parse_date(text)
