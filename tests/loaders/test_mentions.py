"""The mention rule (loaders/mentions.py): matched with str methods, it gives the answers of
the rule's regular expression."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.loaders.mentions import mentions, normalise


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
     "Kuala", "Lumpur", "et", "Trumpet", "ASEAN", "é", "the call", "_", "ß", "SS", "1"]
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


def test_each_start_of_the_first_word_is_tried():
    # the first "xi" is inside a word, the second is followed by a word character: only
    # the third is the name
    assert mentions("taxi xin xi-jinping", ["Xi Jinping"])
    assert not mentions("taxi xin", ["Xi"])


def test_endings_and_separators():
    assert mentions("the trumps' plan", ["Trump"]) and mentions("busan's", ["Busan"])
    assert mentions("Kuala -- Lumpur", ["Kuala Lumpur"])
    assert not mentions("KualaLumpur", ["Kuala Lumpur"]) and not mentions("xi_", ["Xi"])
