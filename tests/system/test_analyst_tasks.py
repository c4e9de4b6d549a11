"""The analyst's reading path (issue 18), end to end in Chromium: eight questions, each
answered through the pages as a person would, each answer checked against the data (the
app's own SPARQL endpoint), each step's screenshot kept in the test artifacts."""

# ruff: noqa: F811  (the browser fixtures are imported by name and taken as arguments)
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from browser_support import page, shot, sparql  # noqa: F401
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUSAN = "trump-xi-busan-meeting-2025"


def labels(page, live_url, query: str) -> set[str]:
    return {r["label"] for r in sparql(page, live_url, query)}


def test_who_met_whom_in_busan_and_what_was_agreed(page, live_url, artifacts):
    page.goto(live_url + "/")
    page.fill("#site-search-q", "busan meeting")
    page.press("#site-search-q", "Enter")
    events = page.locator("section.search-group", has_text="Events")
    events.locator("a", has_text="Busan").first.click()
    expect(page).to_have_url(f"{live_url}/id/{BUSAN}")
    who = labels(page, live_url, f"SELECT ?label {{ id:{BUSAN} dg:participant/dg:label ?label }}")
    where = labels(page, live_url, f"SELECT ?label {{ id:{BUSAN} dg:place/dg:label ?label }}")
    agreed = labels(
        page, live_url, f"SELECT ?label {{ ?x dg:madeAt id:{BUSAN} ; dg:label ?label }}"
    )
    assert who and where and agreed
    box = page.locator(".summary")
    for heading, values in [("Who", who), ("Where", where), ("Outcome", agreed)]:
        row = box.locator(".summary-fact", has=page.locator("dt", has_text=heading))
        for value in values:
            expect(row).to_contain_text(value)
    expect(box.locator(".summary-fact", has=page.locator("dt", has_text="When"))).to_contain_text(
        "30 Oct 2025"
    )
    # Who, where, when and what was agreed are all in the first screen (1280×900).
    for heading in ("When", "Where", "Who", "Outcome"):
        top = box.locator("dt", has_text=heading).first.bounding_box()
        assert top["y"] + top["height"] <= 900, heading
    shot(page, artifacts, "analyst-1-busan-who-where-what")


def test_find_bessent_from_a_misspelling(page, live_url, artifacts):
    page.goto(live_url + "/timeline")
    box = page.locator("#site-search-q")
    box.fill("bessnet")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox.get_by_role("option").first).to_contain_text("Scott Bessent")
    expect(box).to_have_attribute("aria-expanded", "true")
    shot(page, artifacts, "analyst-2-suggest-bessnet")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-0$"))
    box.press("Enter")
    expect(page).to_have_url(live_url + "/id/scott-bessent")
    posts = labels(
        page, live_url, "SELECT ?label { ?h dg:holder id:scott-bessent ; dg:post/dg:label ?label }"
    )
    for post in posts:
        expect(page.locator(".summary")).to_contain_text(post)
    shot(page, artifacts, "analyst-2-bessent")


def test_what_did_china_commit_to_buy_and_do_the_sources_disagree(page, live_url, artifacts):
    page.goto(live_url + "/queries/cq03-purchase-commitments")
    page.click("#run-query")
    expect(page.locator("#row-count")).to_be_visible()
    data = page.request.get(live_url + "/queries/cq03-purchase-commitments?run=1&format=json")
    expect(page.locator("table.results tbody tr")).to_have_count(
        len(data.json()["results"]["bindings"])
    )
    expect(page.locator(".row-count")).to_contain_text("rows")
    shot(page, artifacts, "analyst-3-purchase-commitments")
    page.goto(live_url + "/id/china")
    found = labels(
        page,
        live_url,
        "SELECT DISTINCT ?label "
        "{ ?c a dg:PurchaseCommitment ; dg:obligor id:china ; dg:label ?label }",
    )
    group = page.locator("section.relation-group[aria-label='obligor of']")
    for label in found:
        expect(group).to_contain_text(label)
    shot(page, artifacts, "analyst-3-china-obligor-of")
    page.goto(live_url + "/id/china-soybean-purchase-commitment")
    summary = page.locator(".summary")
    expect(summary).to_contain_text("87,500,000")
    expect(summary).to_contain_text("3 years 6 months")
    statuses = sparql(
        page,
        live_url,
        "SELECT DISTINCT ?g ?label "
        "{ GRAPH ?g { id:china-soybean-purchase-commitment dg:status ?s } "
        "?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
    )
    status_row = summary.locator(".summary-fact", has=page.locator("dt", has_text="Status"))
    for s in statuses:
        expect(status_row).to_contain_text(s["label"])
    disputed = sparql(
        page,
        live_url,
        "SELECT ?d { ?d a dg:Disagreement ; "
        "dg:disputes|dg:about id:china-soybean-purchase-commitment }",
    )
    expect(page.locator("#disputes")).to_have_count(1 if disputed else 0)
    shot(page, artifacts, "analyst-3-soybean-commitment")


def test_what_did_trump_say_about_fentanyl_and_to_whom(page, live_url, artifacts):
    page.goto(live_url + "/search?q=fentanyl")
    page.locator("section.search-group", has_text="Topics").get_by_role("link").first.click()
    expect(page).to_have_url(live_url + "/id/fentanyl")
    said = sparql(
        page,
        live_url,
        "SELECT ?s ?label ?to "
        "{ ?s dg:speaker id:donald-trump ; dg:topic id:fentanyl ; dg:label ?label "
        "OPTIONAL { ?s dg:addressee/dg:label ?to } }",
    )
    assert said
    statements = page.locator("section.relation-group[aria-label='topic of']")
    for row in said:
        expect(statements).to_contain_text(row["label"])
    shot(page, artifacts, "analyst-4-fentanyl-topic-of")
    # "To whom": each statement's page names its addressee exactly when the data has one.
    row = next((r for r in said if r.get("to")), said[0])
    statements.get_by_role("link", name=row["label"]).first.click()
    expect(page.locator("#said")).to_be_visible()
    addressee = page.locator("section.relation-group[aria-label='addressee']")
    if row.get("to"):
        expect(addressee).to_contain_text(row["to"])
    else:
        expect(addressee).to_have_count(0)
    shot(page, artifacts, "analyst-4-statement")


def test_which_meetings_are_planned_for_2026_and_where(page, live_url, artifacts):
    page.goto(live_url + "/queries/cq01-planned-meetings?run=1")
    expect(page.locator("#row-count")).to_be_visible()
    data = page.request.get(live_url + "/queries/cq01-planned-meetings?run=1&format=json").json()
    rows = data["results"]["bindings"]
    assert rows
    shown = page.locator("table.results tbody tr")
    expect(shown).to_have_count(len(rows))
    filter_box = page.get_by_label("Filter rows")
    filter_box.fill("2026")
    visible = shown.filter(visible=True)
    for tr in visible.all():
        assert "2026" in tr.inner_text()
    n = visible.count()
    expect(page.locator(".row-count")).to_contain_text(
        f"{n} rows" if n == len(rows) else f"{n} of {len(rows)} rows"
    )
    assert "P" not in re.findall(r"\bP\d+[YMD]", page.locator("table.results").inner_text())
    shot(page, artifacts, "analyst-5-planned-2026")


def test_what_each_source_said_about_the_busan_meetings_status(page, live_url, artifacts):
    page.goto(f"{live_url}/id/{BUSAN}")
    reports = sparql(
        page,
        live_url,
        f"SELECT ?r ?g {{ id:{BUSAN} dg:statusReport ?r . GRAPH ?g {{ ?r dg:eventStatus ?s }} }}",
    )
    rows = page.locator("table.status-history tbody tr")
    expect(rows).to_have_count(len(reports))
    dates = [row.locator("td").nth(1).inner_text() for row in rows.all()]
    ordered = [re.sub(r"^week of ", "", d) for d in dates]
    days = [dt.datetime.strptime(d, "%d %b %Y").date() for d in ordered]
    assert days == sorted(days), dates
    shot(page, artifacts, "analyst-6-busan-status-per-source")


def test_which_statements_xinhua_and_state_media_reported(page, live_url, artifacts):
    for outlet in ("xinhua", "chinese-state-media"):
        page.goto(f"{live_url}/id/{outlet}")
        reported = labels(
            page, live_url, f"SELECT ?label {{ ?s dg:reportedBy id:{outlet} ; dg:label ?label }}"
        )
        assert reported, outlet
        group = page.locator("section.relation-group[aria-label='reported']")
        for label in reported:
            expect(group).to_contain_text(label)
        shot(page, artifacts, f"analyst-7-reported-by-{outlet}")


def test_download_the_soybean_commitments_facts_as_csv(page, live_url, artifacts):
    page.goto(live_url + "/id/china-soybean-purchase-commitment")
    with page.expect_download() as info:
        page.locator(".data-links a", has_text="CSV").first.click()
    text = info.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    obligors = labels(
        page,
        live_url,
        "SELECT ?label { id:china-soybean-purchase-commitment dg:obligor/dg:label ?label }",
    )
    assert {r["value"] for r in rows if r["relation"] == "obligor"} == obligors
    shown = page.locator("section.relation-group li.relation").count()
    assert len({(r["relation"], r["value"]) for r in rows}) == shown
    shot(page, artifacts, "analyst-8-soybean-csv")
