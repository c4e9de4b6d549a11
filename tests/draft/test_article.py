"""Each kind of candidate, drafted from a small article written for the test."""

from __future__ import annotations

import datetime as dt

import pytest

from diplograph.draft.dates import resolve
from diplograph.draft.files import located_excerpts


def test_every_excerpt_is_verbatim_at_its_offset(drafted):
    text, doc = drafted
    found = list(located_excerpts(doc))
    assert len(found) > 20
    for offset, excerpt in found:
        assert text[offset : offset + len(excerpt)] == excerpt


def test_mentions_labels_aliases_surnames_and_post_holders(drafted):
    _, doc = drafted
    by_entity = {m["entity"]: m for m in doc["mentions"]}
    assert {"xi-jinping", "donald-trump", "busan", "white-house", "xinhua"} <= set(by_entity)
    hows = {o["how"] for o in by_entity["xi-jinping"]["occurrences"]}
    assert {"label", "alias"} <= hows
    # "The Treasury Secretary" names the post's current holder.
    bessent = by_entity["scott-bessent"]["occurrences"]
    assert bessent[0]["post"] == "us-secretary-of-the-treasury"
    # "Washington" as an actor is the polity; "Beijing" after "visit" is the city.
    assert "united-states" in by_entity and "beijing" in by_entity


def test_new_names_with_type_and_nearest_ids(drafted):
    _, doc = drafted
    new = {n["label"]: n for n in doc["new_entities"]}
    assert new["Marek Kowalczyk"]["type"] == "Person"
    assert new["Halden Institute"]["type"] == "Organisation"
    assert all("id" in x and 0 <= x["score"] <= 1 for n in new.values() for x in n["nearest"])


@pytest.mark.parametrize(
    ("words", "future", "expected"),
    [
        ("next Thursday", True, ("2025-10-30", "day")),
        ("Thursday", False, ("2025-10-23", "day")),
        ("late last week", False, ("2025-W42", "week")),
        ("next month", True, ("2025-11", "month")),
        ("sometime next year", True, ("2026", "year")),
        ("April 2026", True, ("2026-04", "month")),
        ("November 1", False, ("2025-11-01", "day")),
        ("this week", False, ("2025-W43", "week")),
    ],
)
def test_dates_resolve_at_the_precision_given(words, future, expected):
    assert resolve(words, dt.date(2025, 10, 24), future) == expected


def test_dates_keep_the_source_words(drafted):
    _, doc = drafted
    notes = {d["date_note"]: d["value"] for d in doc["dates"]}
    assert notes["next Thursday"] == "2025-10-30"
    assert notes["late last week"] == "2025-W42"
    assert notes["sometime next year"] == "2026"
    assert notes["next month"] == "2025-11"


def _facts(doc, kind):
    return [f for f in doc["facts"] if f.get("type") == kind]


def test_quotation_with_speaker_and_addressee(drafted):
    _, doc = drafted
    (quote,) = [q for q in _facts(doc, "Quotation") if "great deal" in q["text"]]
    assert quote["speaker"]["id"] == "donald-trump"
    assert quote["text"] == "We are going to make a great deal for our farmers"
    assert quote["date"]["value"] == "2025-10-21"


def test_paraphrase_with_speaker_and_outlet(drafted):
    _, doc = drafted
    paras = [p for p in _facts(doc, "Paraphrase") if "core interests" in p["excerpt"][0]]
    assert paras and paras[0]["speaker"]["id"] == "xi-jinping"
    assert [r["id"] for r in paras[0]["reported_by"]] == ["xinhua"]


def test_events_matched_or_proposed_with_status(drafted):
    _, doc = drafted
    events = [f for f in doc["facts"] if "match" in f]
    meeting = next(e for e in events if "Busan" in e["excerpt"][0])
    assert meeting["status"] == "planned"
    assert meeting["date"]["value"] == "2025-10-30"
    assert meeting["place"]["id"] == "busan"
    assert {p["agent"] for p in meeting["participants"]} == {"xi-jinping", "donald-trump"}
    assert meeting["match"] == "trump-xi-busan-meeting-2025"


def test_commitments_and_measures(drafted):
    _, doc = drafted
    (buy,) = _facts(doc, "PurchaseCommitment")
    assert buy["quantity"]["value"] == 12_000_000 and buy["quantity"]["unit"] == "tonne"
    assert buy["resource"]["id"] == "soybeans"
    assert buy["deadline"]["value"] == "2026-01"
    tariff = next(f for f in doc["facts"] if f.get("rate_percent"))
    assert tariff["rate_percent"]["value"] == 47


def test_topics_carry_their_own_excerpt(drafted):
    _, doc = drafted
    topics = [t for f in doc["facts"] for t in f.get("topics", [])]
    assert topics and all(set(t) == {"id", "excerpt", "offset"} for t in topics)
