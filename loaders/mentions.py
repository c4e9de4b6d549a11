"""Whether an excerpt mentions a value: one matching rule, for the loader and the support check.

A value is mentioned when one of its names (its label, an alias, or a curated cue such as
"the call" for a phone call) occurs in the excerpt as whole words, case-insensitively,
allowing a plural or possessive ending ("tariffs", "Trump's", "Xi’s") and any run of
spaces or hyphens between words. Nothing looser: "Trump" does not match "Trumpet", and a
name split across a sentence does not match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from diplograph.loaders.dates import MONTHS

# The rule is matched on normalised text whose dashes are all "-" (_DASHES), word by word
# with str methods: no pattern to compile per name (a fresh process reading the real data
# compiled 344 of them; its load_graphs took 0.99-1.06 s with them, 0.78-0.93 s without).
_SUFFIXES = ("s", "es", "'s", "s'", "")  # a plural or possessive ending, or none
_SEPARATORS = " -"
_DASHES = str.maketrans({"–": "-", "‐": "-"})


def normalise(text: str) -> str:
    """Case-folded, curly quotes made straight, whitespace collapsed."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())


@lru_cache(maxsize=4096)
def name_words(name: str) -> tuple[str, ...]:
    """The name's words, normalised, hyphens counted as spaces."""
    return tuple(normalise(name).translate(_DASHES).replace("-", " ").split())


def _wordy(flat: str, at: int) -> bool:
    """Whether flat[at] is a word character (as the re module's \\w: alphanumeric or _)."""
    return 0 <= at < len(flat) and (flat[at].isalnum() or flat[at] == "_")


def _found_at(flat: str, start: int, words: tuple[str, ...]) -> bool:
    """Whether the name `words` is written from `start` (where its first word is): each
    next word after a run of spaces or hyphens, then an optional ending and no word
    character. Words hold no space or hyphen, so the run is taken whole (as a greedy
    `[\\s\\-]+` would: backing off could never start a word)."""
    at = start + len(words[0])
    for word in words[1:]:
        run = at
        while run < len(flat) and flat[run] in _SEPARATORS:
            run += 1
        if run == at or not flat.startswith(word, run):
            return False
        at = run + len(word)
    return any(flat.startswith(s, at) and not _wordy(flat, at + len(s)) for s in _SUFFIXES)


def _found(flat: str, words: tuple[str, ...]) -> bool:
    """Whether normalised `flat` mentions the name `words`: any start of its first word
    that no word character precedes."""
    start = flat.find(words[0])
    while start >= 0:
        if not _wordy(flat, start - 1) and _found_at(flat, start, words):
            return True
        start = flat.find(words[0], start + 1)
    return False


def mentions(text: str, names: Iterable[str]) -> bool:
    """True when `text` mentions any of `names` (see the module's rule)."""
    flat = normalise(text).translate(_DASHES)
    for name in map(str, names):
        words = name_words(name)
        if words and all(w in flat for w in words) and _found(flat, words):
            return True
    return False


def date_names(written: str) -> list[str]:
    """How a text may write a curated date: "October 30", "30 October", "Oct. 30", "2026"."""
    parts = written.split("-")
    if not parts[0].isdigit():
        return []
    names = [parts[0]] if len(parts) == 1 else []
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = MONTHS[int(parts[1]) - 1]
        short = month[:3]
        if len(parts) == 2:
            names += [month, f"{short}."]
        else:
            day = int(parts[2])
            for m in (month, short, f"{short}."):
                names += [f"{m} {day}", f"{day} {m}", f"{m} {day}th", f"{day}th {m}"]
            try:
                weekday = dt.date(int(parts[0]), int(parts[1]), day).strftime("%A")
                names.append(weekday)
            except ValueError:
                pass
    return names


def number_names(text: str) -> list[str]:
    """How a text may write a number: as written, with thousands separators, in millions."""
    names = [text]
    try:
        value = float(text)
    except ValueError:
        return names
    if value.is_integer():
        whole = int(value)
        names.append(f"{whole:,}")
        for word, size in (("billion", 10**9), ("million", 10**6)):
            if whole >= size and whole % (size // 10) == 0:
                scaled = whole / size
                shown = f"{scaled:g}"
                names += [f"{shown} {word}", f"{shown}{word[0]}"]
                break
    return names
