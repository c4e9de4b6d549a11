"""Timeline: precision, per-source status history by date, filters in the URL, "as of"."""

from __future__ import annotations

import csv
import datetime as dt
import html as html_lib
import io
import re

from diplograph.web.chronology import Report, status_as_of
from diplograph.web.display import parse_written
from diplograph.web.timeline import year_span

BUSAN = "trump-xi-busan-meeting-2025"


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


def item_of(html: str, event_id: str) -> str:
    at = html.index(f'id="event-{event_id}"')
    return html[at : html.index('<li class="tl-event', at + 1)]


def test_held_and_planned_events_are_styled_apart(client):
    html = client.get("/timeline").get_data(as_text=True)
    classes = events(html)
    assert "status-held" in classes and "status-planned" in classes
    assert 'data-status="held"' in item_of(html, BUSAN)


def test_planned_2026_meeting_is_shown_with_its_status_history(client):
    html = client.get("/timeline?actor=xi-jinping").get_data(as_text=True)
    at = html.index("Trump&#39;s state visit to Beijing, April 2026")
    item = html[at : html.index("</ul>", html.index('class="history"', at))]
    assert "April 2026" in item
    assert re.search(r"planned as of <a [^>]*>25 Nov 2025</a> — Gate Square, 25 Nov 2025", item)
    assert 'data-precision="month"' in html[html.rfind("<li", 0, at) : at]


def test_status_history_is_sorted_by_day_not_by_text():
    day = parse_written
    reports = [
        Report("Held", day("2025-11-25"), "b", "B"),
        Report("Planned", day("2025-10-24"), "a", "A"),
        Report("Planned", day("2025-10-9"[:7]), "c", "C"),  # a month: October 2025
    ]
    ordered = sorted(reports, key=lambda r: (r.sort_key, r.source))
    assert [r.source for r in ordered] == ["c", "a", "b"]
    assert status_as_of(reports, dt.date(2025, 10, 25)).status == "Planned"
    assert status_as_of(reports, dt.date(2025, 11, 26)).status == "Held"
    assert status_as_of(reports, dt.date(2025, 10, 1)) is None


def test_busan_history_lists_each_source_oldest_first(client):
    item = item_of(client.get("/timeline").get_data(as_text=True), BUSAN)
    days = re.findall(r"as of <a [^>]*>(\d+ \w+ \d{4})</a>", item)
    parsed = [dt.datetime.strptime(d, "%d %b %Y").date() for d in days]
    assert len(parsed) >= 2 and parsed == sorted(parsed)
    assert f"as_of=2025-10-24&amp;focus={BUSAN}" in item or f"focus={BUSAN}" in item


def test_filters_narrow_the_events(client):
    everything = len(events(client.get("/timeline").get_data(as_text=True)))
    with_xi = events(client.get("/timeline?actor=xi-jinping").get_data(as_text=True))
    on_tariffs = events(client.get("/timeline?topic=tariffs").get_data(as_text=True))
    held = events(client.get("/timeline?status=held").get_data(as_text=True))
    from_one = events(client.get("/timeline?source=kedglobal-2025-11-25").get_data(as_text=True))
    in_april = events(client.get("/timeline?from=2026-04-01&to=2026-04-30").get_data(as_text=True))
    assert 0 < len(with_xi) < everything
    assert 0 < len(on_tariffs) < everything
    assert 0 < len(from_one) < everything
    assert 0 < len(in_april) < everything
    assert held and all(c.startswith("status-held") for c in held)


def test_as_of_shows_what_the_sources_said_then(client):
    before = client.get("/timeline/data?as_of=2025-10-25").get_json()
    after = client.get("/timeline/data?as_of=2025-11-26").get_json()
    status = {i["id"]: i["status"] for i in before["items"]}
    assert status[BUSAN] == "planned"
    assert {i["id"]: i["status"] for i in after["items"]}[BUSAN] == "held"
    # events no source had reported by then are not shown
    assert len(before["items"]) < len(after["items"])
    html = client.get(f"/timeline?as_of=2025-10-25&focus={BUSAN}").get_data(as_text=True)
    assert 'data-status="planned"' in item_of(html, BUSAN)
    assert "published by 2025-10-25" in html


def test_timeline_data_opens_on_the_corpus_period(client):
    data = client.get("/timeline/data").get_json()
    start, end = (dt.date.fromisoformat(d) for d in data["window"])
    assert dt.date(2025, 9, 1) <= start <= dt.date(2025, 10, 24)
    assert dt.date(2026, 4, 30) <= end <= dt.date(2027, 2, 1)
    busan = next(i for i in data["items"] if i["id"] == BUSAN)
    assert (busan["start"], busan["end"], busan["precision"]) == ("2025-10-30", "2025-10-31", "day")
    starts = [i["start"] for i in data["items"] if i["start"]]
    assert starts == sorted(starts)


def test_timeline_page_loads_d3_locally_and_lanes_are_switchable(client):
    html = client.get("/timeline?lanes=actor").get_data(as_text=True)
    assert 'src="/vendor/d3-zoom.min.js"' in html and 'src="/static/timeline.js"' in html
    assert '"lanes": "actor"' in html
    assert client.get("/vendor/d3-scale.min.js").status_code == 200


def test_the_list_downloads_as_csv_and_json_with_the_page_filters(client):
    page = client.get("/timeline?actor=xi-jinping").get_data(as_text=True)
    assert "/timeline/table?format=csv&amp;actor=xi-jinping" in page
    assert "/timeline/table?format=json&amp;actor=xi-jinping" in page
    answer = client.get("/timeline/table?format=csv&actor=xi-jinping")
    assert answer.status_code == 200
    assert answer.content_type == "text/csv; charset=utf-8"
    assert 'filename="timeline.csv"' in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert list(rows[0]) == ["id", "label", "when", "earliest", "latest", "precision"] + [
        "status",
        "kinds",
        "place",
        "place_id",
        "actors",
        "actor_ids",
    ]
    # the same events as the page's list, in its order, each as the page shows it
    assert [r["id"] for r in rows] == re.findall(
        r'<li class="tl-event [^"]*" id="event-([^"]+)"', page
    )
    busan = next(r for r in rows if r["id"] == BUSAN)
    item = item_of(page, BUSAN)
    assert f">{html_lib.escape(busan['label'])}</a>" in item
    assert f'<span class="tl-when">{busan["when"]}</span>' in item
    assert "xi-jinping" in busan["actor_ids"].split(" | ")
    assert busan["earliest"] == "2025-10-30"

    answer = client.get("/timeline/table?format=json&actor=xi-jinping")
    assert answer.content_type == "application/json"
    data = answer.get_json()
    assert data["columns"][:2] == ["id", "label"]
    assert [r["id"] for r in data["rows"]] == [r["id"] for r in rows]
    assert client.get("/timeline/table?format=xml").status_code == 404
