"""`did you mean` for 5,000 unknown ids: difflib against every known id (as before) and
`loaders.errors.suggest` (rapidfuzz picks candidates, difflib ranks them).

    .venv/bin/python -m bench.bench_suggest [--known N]

Known ids: the curated data's, padded with variants to N (a validate run of the project
at scale knows tens of thousands). Unknown ids: misspellings of known ones and noise.
Prints both times and checks the answers are the same.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import time

from diplograph.data import DATA_DIR
from diplograph.loaders.errors import suggest

UNKNOWN = 5000


def known_ids(count: int) -> list[str]:
    pattern = re.compile(r"^\s*-?\s*id:\s*([A-Za-z0-9_:.-]+)", re.MULTILINE)
    ids = sorted({m for p in DATA_DIR.rglob("*.yaml") for m in pattern.findall(p.read_text())})
    rng = random.Random(1)
    padded = list(ids)
    while len(padded) < count:
        padded.append(f"{rng.choice(ids)}-{len(padded)}")
    return padded


def unknown_ids(known: list[str]) -> list[str]:
    rng = random.Random(2)
    words = []
    for i in range(UNKNOWN):
        word = rng.choice(known)
        cut = rng.randrange(len(word))
        words.append(word[:cut] + "x" + word[cut + 1 :] if i % 2 else f"new-id-{i}")
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--known", type=int, default=5000)
    args = parser.parse_args()
    known = known_ids(args.known)
    words = unknown_ids(known)
    started = time.perf_counter()
    new = [suggest(w, known) for w in words]
    fast = time.perf_counter() - started
    started = time.perf_counter()
    old = [difflib.get_close_matches(w, known, n=3, cutoff=0.6) for w in words]
    slow = time.perf_counter() - started
    expected = [f" (did you mean: {', '.join(o)}?)" if o else "" for o in old]
    same = new == expected
    print(
        f"{len(words)} unknown ids, {len(known)} known: difflib {slow:.1f} s, "
        f"suggest {fast:.2f} s ({slow / fast:.0f}x), same answers: {same}"
    )


if __name__ == "__main__":
    main()
