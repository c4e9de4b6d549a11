"""Whether an excerpt mentions a value: one matching rule, for the loader and the support check.

A value is mentioned when one of its names (its label, an alias, or a curated cue such as
"the call" for a phone call) occurs in the excerpt as whole words, case-insensitively,
allowing a plural or possessive ending ("tariffs", "Trump's", "Xi’s") and any run of
spaces or hyphens between words. Nothing looser: "Trump" does not match "Trumpet", and a
name split across a sentence does not match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from diplograph.loaders.dates import MONTHS

# Matched against normalised text whose dashes are all "-" (_DASHES): patterns of ASCII
# classes compile in a sixth of the time of classes that list "–" and "’".
_SUFFIX = r"(?:s|es|'s|s')?"
_BETWEEN = r"[\s\-]+"
_DASHES = str.maketrans({"–": "-", "‐": "-"})


def normalise(text: str) -> str:
    """Case-folded, curly quotes made straight, whitespace collapsed."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())


@lru_cache(maxsize=4096)
def name_words(name: str) -> tuple[str, ...]:
    """The name's words, normalised, hyphens counted as spaces."""
    return tuple(normalise(name).translate(_DASHES).replace("-", " ").split())


@lru_cache(maxsize=4096)
def name_pattern(name: str) -> re.Pattern | None:
    words = name_words(name)
    if not words:
        return None
    body = _BETWEEN.join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w]){body}{_SUFFIX}(?![\w])")


def mentions(text: str, names: Iterable[str]) -> bool:
    """True when `text` mentions any of `names` (see the module's rule).

    A name's pattern is compiled only when each of its words occurs in the text, as the
    pattern needs anyway: a fresh process reading the real data compiled 631 patterns, a
    second of its build, mostly for names the excerpt does not contain.
    """
    flat = normalise(text).translate(_DASHES)
    for name in map(str, names):
        words = name_words(name)
        if words and all(w in flat for w in words) and name_pattern(name).search(flat):
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
