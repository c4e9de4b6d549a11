"""Speaker rules, each on a small text written for the test: names inside a quotation do
not speak, a possessive name qualifies the next one, a pronoun takes the last named
speaker, and an outlet that is the subject of the speech verb speaks."""

from __future__ import annotations

import datetime as dt

import pytest

from diplograph.data import DATA_DIR
from diplograph.draft.article import Article, draft_with
from diplograph.draft.gazetteer import Gazetteer
from diplograph.draft.graph import load_known


@pytest.fixture(scope="module")
def known():
    return load_known(DATA_DIR)


def _speakers(known, text: str) -> list[tuple[str, str | None]]:
    doc = draft_with(Article("t", text, dt.date(2025, 11, 25)), known, Gazetteer(known))
    return [
        (f["text"], f.get("speaker", {}).get("id"))
        for f in doc["facts"]
        if f.get("type") in ("Quotation", "Paraphrase")
    ]


def test_a_name_inside_the_quotation_is_not_its_speaker(known):
    text = (
        'Donald Trump wrote, "I just had a very good call with President Xi," '
        'and called it "a fine follow-up to our meeting."'
    )
    found = dict(_speakers(known, text))
    assert found["a fine follow-up to our meeting"] == "donald-trump"


def test_a_pronoun_takes_the_last_named_speaker_not_the_last_name(known):
    text = (
        'Donald Trump said, "Our talks with Xi Jinping were good." '
        'Xi Jinping was not available. "The relationship is very strong," he said.'
    )
    found = dict(_speakers(known, text))
    assert found["The relationship is very strong"] == "donald-trump"


def test_an_outlet_that_explains_is_the_speaker_and_a_possessive_is_not(known):
    text = 'China\'s state-run Global Times explained that "the issue was raised in January calls."'
    found = dict(_speakers(known, text))
    assert found["the issue was raised in January calls"] == "global-times"
