"""Mention rules: titles naming posts, 'the president', city short names, demonyms, and
the widest cover of overlapping names; each on a small text written for the test."""

from __future__ import annotations

import datetime as dt

import pytest

from diplograph.data import DATA_DIR
from diplograph.draft.article import Article, draft_with
from diplograph.draft.gazetteer import Gazetteer, demonyms
from diplograph.draft.graph import load_known


@pytest.fixture(scope="module")
def known():
    return load_known(DATA_DIR)


def _occurrences(known, text: str) -> list[dict]:
    doc = draft_with(Article("t", text, dt.date(2025, 10, 24)), known, Gazetteer(known))
    return [{"entity": m["entity"], **o} for m in doc["mentions"] for o in m["occurrences"]]


def test_a_title_before_a_holder_names_the_post(known):
    occ = _occurrences(known, "On Monday, US President Donald Trump spoke to reporters.")
    trump = [o for o in occ if o["entity"] == "donald-trump"]
    assert trump and trump[0].get("post") == "us-president"


def test_a_polity_and_a_post_cue_name_the_post_without_a_known_holder(known):
    occ = _occurrences(known, "Officials met Canada's Prime Minister Lena Marsh on Friday.")
    assert any(o["entity"] == "canada" for o in occ)
    # Lena Marsh is not known: no person mention, so no post either (titles need a holder).
    assert not any(o.get("post") == "prime-minister-of-canada" for o in occ)


def test_a_title_naming_another_polity_is_not_the_post(known):
    occ = _occurrences(known, "Japan's Prime Minister Mark Carney, they wrote, was absent.")
    assert not any(o.get("post") == "prime-minister-of-japan" for o in occ)


def test_the_president_names_the_holder_last_named(known):
    text = "Donald Trump left early. The president has often praised the deal."
    occ = _occurrences(known, text)
    the = [o for o in occ if o["excerpt"] == "The president"]
    assert the and the[0]["entity"] == "donald-trump" and the[0]["post"] == "us-president"
    assert text[the[0]["offset"] :].startswith("The president")


def test_the_president_with_no_holder_named_before_is_left_alone(known):
    occ = _occurrences(known, "The president has often praised the deal.")
    assert not any(o["excerpt"] == "The president" for o in occ)


def test_a_city_is_named_by_its_short_name_after_a_locative(known):
    text = "The envoy returned to Washington, while Washington raised tariffs."
    occ = _occurrences(known, text)
    by_offset = {o["offset"]: o["entity"] for o in occ}
    assert by_offset[text.index("Washington")] == "washington-dc"
    assert by_offset[text.rindex("Washington")] == "united-states"


def test_regular_demonyms_name_their_place(known):
    assert demonyms("Europe") == ["European"] and demonyms("Asia") == ["Asian"]
    assert demonyms("South Korea") == [] and demonyms("Japan") == []
    occ = _occurrences(known, "It is unclear whether European countries will agree.")
    assert any(o["entity"] == "europe" and o["excerpt"] == "European" for o in occ)


def test_overlapping_names_take_the_widest_cover(known):
    text = "US Treasury Secretary Scott Bessent said little."
    occ = _occurrences(known, text)
    bessent = [o for o in occ if o["entity"] == "scott-bessent"]
    assert bessent[0]["excerpt"] == "Treasury Secretary"
    assert bessent[0]["post"] == "us-secretary-of-the-treasury"
    assert not any(o["entity"] == "us-treasury" for o in occ)


def test_the_prime_minister_takes_a_two_word_cue(known):
    text = "Sanae Takaichi spoke first. Later the prime minister left."
    occ = _occurrences(known, text)
    the = [o for o in occ if o["excerpt"] == "the prime minister"]
    assert the and the[0]["entity"] == "sanae-takaichi"
