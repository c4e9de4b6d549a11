"""The mention rule (loaders/mentions.py): the fast path gives the rule's answers."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.loaders.mentions import mentions, name_pattern, normalise


def _by_the_rule(text: str, name: str) -> bool:
    """The rule as first written: whole words, any run of spaces or dashes between them, a
    plural or possessive ending, matched on the normalised text with every dash kept."""
    words = normalise(name).replace("-", " ").replace("–", " ").replace("‐", " ").split()
    if not words:
        return False
    body = r"[\s\-–‐]+".join(re.escape(w) for w in words)
    return bool(re.search(rf"(?<![\w]){body}(?:s|es|['’]s|s['’])?(?![\w])", normalise(text)))


_PIECES = st.sampled_from(
    ["Xi", "xi", "Trump", "trump", "s", "es", "'", "’", "-", "–", "‐", " ", "  ", "\n",
     "Kuala", "Lumpur", "et", "Trumpet", "ASEAN", "é", "the call"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_TEXTS, name=_TEXTS)
def test_mentions_gives_the_rules_answer(text, name):
    assert mentions(text, [name]) == _by_the_rule(text, name)


def test_the_rules_examples():
    assert mentions("Xi’s visit to Kuala–Lumpur", ["xi"])
    assert mentions("Xi’s visit to Kuala–Lumpur", ["Kuala Lumpur"])
    assert mentions("new tariffs", ["tariff"]) and not mentions("a Trumpet", ["Trump"])


def test_a_name_whose_words_the_text_lacks_compiles_no_pattern():
    name_pattern.cache_clear()
    assert not mentions("The leaders met in Busan.", ["Kuala Lumpur", "Gyeongju summit"])
    assert name_pattern.cache_info().misses == 0
    assert mentions("The leaders met in Busan.", ["Busan"])
    assert name_pattern.cache_info().misses == 1
