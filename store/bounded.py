"""Which queries provably cannot run away, so may skip the killable worker.

A query qualifies only in this exact shape (anything else takes the worker path, where
the time limit applies):

    [BASE/PREFIX ...] SELECT (?v ... | *) [WHERE] { S P O [.] } [LIMIT n]

one triple pattern, whose subject or object is an IRI (or prefixed name), whose predicate
is an IRI, `a` or a variable (no property path), with no variable repeated, no literal,
no comment, no modifier but LIMIT. Such a pattern is one range scan of one index, which
Oxigraph evaluates lazily; with its LIMIT set to at most the row cap + 1, the engine
does at most that many index steps before it stops. (No DISTINCT, repeated variable or
join: each could make the engine scan far past the rows it returns.)
"""

from __future__ import annotations

import re

from diplograph.store.base import SELECT
from diplograph.store.checks import checked, scan

_TAIL = re.compile(r"[ \t\r\n]*(?:(LIMIT)[ \t\r\n]+([0-9]{1,9})[ \t\r\n]*)?\Z", re.IGNORECASE)
_BOUND = {"iri", "pname"}


def _name(var: str) -> str:
    return var[1:]  # ?x and $x are the same variable


def check_bounded(text: str, max_bytes: int, max_rows: int | None):
    """check_query's verdict (or refusal) and `bounded_text`, from one tokenization."""
    info, scanned = checked(text, max_bytes)
    if info.form != SELECT or info.from_graphs or info.from_named_graphs:
        return info, None
    return info, bounded_text(text, max_rows, scanned)


def bounded_text(text: str, max_rows: int | None, scanned=None) -> str | None:
    """The query with its LIMIT at most max_rows + 1, or None if it is not a bounded lookup.

    Call it on text that check_query has passed (refusals are check_query's job).
    """
    tokens = scan(text) if scanned is None else scanned
    if any(kind in ("comment", "string") for kind, _, _ in tokens):
        return None
    i = _skip_prologue(tokens)
    if not _is_word(tokens, i, "SELECT"):
        return None
    i += 1
    projected: list[str] = []
    if _is_other(tokens, i, "*"):
        i += 1
        star = True
    else:
        star = False
        while i < len(tokens) and tokens[i][0] == "var":
            projected.append(_name(tokens[i][1]))
            i += 1
        if not projected or len(set(projected)) != len(projected):
            return None
    if _is_word(tokens, i, "WHERE"):
        i += 1
    if not _is_other(tokens, i, "{") or len(tokens) < i + 5:
        return None
    (sk, sv, _), (pk, pv, _), (ok, ov, _) = tokens[i + 1 : i + 4]
    i += 4
    if _is_other(tokens, i, "."):
        i += 1
    if not _is_other(tokens, i, "}"):
        return None
    if sk not in _BOUND | {"var"} or ok not in _BOUND | {"var"}:
        return None
    if not (pk in _BOUND | {"var"} or (pk == "word" and pv == "a")):
        return None
    if sk not in _BOUND and ok not in _BOUND:
        return None
    for kind, value in ((sk, sv), (pk, pv), (ok, ov)):
        if kind == "pname" and (value.endswith(".") or value.startswith("_:")):
            return None  # `ex:o.` is a name then a dot to the parser; `_:b` is a variable
    variables = [_name(v) for k, v in ((sk, sv), (pk, pv), (ok, ov)) if k == "var"]
    if len(set(variables)) != len(variables):
        return None
    if not star and not set(projected) <= set(variables):
        return None
    return _with_limit(text, tokens[i][2], max_rows)


def _with_limit(text: str, end: int, max_rows: int | None) -> str | None:
    tail = _TAIL.match(text, end)
    if tail is None:
        return None
    if tail.group(1) is None:
        return None if max_rows is None else f"{text}\nLIMIT {max_rows + 1}\n"
    if max_rows is None or int(tail.group(2)) <= max_rows:
        return text
    return f"{text[: tail.start(1)]}LIMIT {max_rows + 1}\n"


def _skip_prologue(tokens) -> int:
    i = 0
    while True:
        if _is_word(tokens, i, "BASE") and _kind(tokens, i + 1) == "iri":
            i += 2
        elif (
            _is_word(tokens, i, "PREFIX")
            and _kind(tokens, i + 1) == "pname"
            and _kind(tokens, i + 2) == "iri"
        ):
            i += 3
        else:
            return i


def _kind(tokens, i: int) -> str | None:
    return tokens[i][0] if i < len(tokens) else None


def _is_word(tokens, i: int, word: str) -> bool:
    return _kind(tokens, i) == "word" and tokens[i][1].upper() == word


def _is_other(tokens, i: int, value: str) -> bool:
    return _kind(tokens, i) == "other" and tokens[i][1] == value
