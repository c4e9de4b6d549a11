"""Timeline: held and planned apart, per-source status history, filters, real precision."""

from __future__ import annotations

import datetime as dt
import re

from diplograph.web.display import parse_written
from diplograph.web.timeline import year_span


def test_dates_keep_their_precision():
    assert parse_written("2026-04").text == "April 2026"
    assert parse_written("2025-W44").text == "week of 27 Oct 2025"
    assert parse_written("2026").text == "2026"
    assert parse_written("2025-10-30").text == "30 Oct 2025"
    assert parse_written("2026-04").latest == dt.date(2026, 4, 30)


def test_a_month_is_drawn_a_month_wide_and_a_year_fills_the_track():
    month = year_span(parse_written("2026-04"), 2026)
    assert 8 < month.width < 9 and 24 < month.x < 25
    assert year_span(parse_written("2026"), 2026).width == 100
    assert year_span(parse_written("2025-10-30"), 2025).width < 1


def events(html: str) -> list[str]:
    return re.findall(r'<li class="tl-event ([^"]+)"', html)


def test_held_and_planned_events_are_styled_apart(client):
    html = client.get("/timeline").get_data(as_text=True)
    classes = events(html)
    assert "status-held" in classes and "status-planned" in classes
    busan = html[html.index("Trump–Xi meeting in Busan, 30 October 2025") :]
    assert "held" in busan[:1500]


def test_planned_2026_meeting_is_shown_with_its_status_history(client):
    html = client.get("/timeline?actor=xi-jinping").get_data(as_text=True)
    at = html.index("Trump&#39;s state visit to Beijing, April 2026")
    item = html[at : html.index("</li>\n", html.index('class="history"', at))]
    assert "April 2026" in item
    assert "planned as of 25 Nov 2025 — Gate Square, 25 Nov 2025" in item
    assert 'data-precision="month"' in html[html.rfind("<li", 0, at) : at]


def test_filters_narrow_the_events(client):
    everything = len(events(client.get("/timeline").get_data(as_text=True)))
    with_xi = events(client.get("/timeline?actor=xi-jinping").get_data(as_text=True))
    on_tariffs = events(client.get("/timeline?topic=tariffs").get_data(as_text=True))
    held = events(client.get("/timeline?status=held").get_data(as_text=True))
    assert 0 < len(with_xi) < everything
    assert 0 < len(on_tariffs) < everything
    assert held and all(c.startswith("status-held") for c in held)
