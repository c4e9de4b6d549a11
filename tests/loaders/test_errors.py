"""`suggest`: the same suggestions as difflib's get_close_matches, found through rapidfuzz."""

from __future__ import annotations

import difflib
import random
import string

from diplograph.loaders.errors import suggest


def _difflib(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
    return f" (did you mean: {', '.join(close)}?)" if close else ""


def test_suggestions_on_a_small_case():
    known = ["person-macron", "person-merkel", "summit-g7-2019", "org-nato"]
    assert suggest("person-macorn", known) == " (did you mean: person-macron, person-merkel?)"
    assert suggest("sumit-g7-2019", known) == " (did you mean: summit-g7-2019?)"
    assert suggest("zzz", known) == ""


def test_suggestions_are_difflibs():
    rng = random.Random(22)
    alphabet = string.ascii_lowercase + "-"
    known = ["".join(rng.choices(alphabet, k=rng.randint(3, 20))) for _ in range(1500)]
    words = [k[:-1] + "x" for k in rng.sample(known, 200)]
    words += ["".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(200)]
    for word in [*words, "", "a"]:
        assert suggest(word, known) == _difflib(word, known), word
