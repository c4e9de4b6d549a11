"""A query's syntax error in plain words: where it is, what was expected, and a hint.

The engine's message lists every token it could have accepted, including Unicode ranges
of name characters ("error at 1:27: expected one of ",", ".", ['A' ..= 'Z' | ...]");
`reword` turns it into "Syntax error at line 1, column 27: expected '.', ';' or '}' near
'…'." with a hint for the usual causes. Messages the store's own pre-flight checks give
("undeclared prefix 'dg'") are placed in the query the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from diplograph import store as st
from diplograph.ontology.prefixes import NAMESPACES

_ENGINE = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_UNDECLARED = re.compile(r"undeclared prefix '([^']*)'")
_FOUND = re.compile(r"expected SELECT, ASK, CONSTRUCT or DESCRIBE, found '([^']*)'")
_PREFIX = "Query syntax error: "
MAX_EXPECTED = 8  # tokens named before "or N others"
NEAR_BEFORE, NEAR_AFTER = 16, 12  # characters of context either side of the position
# Builtin functions the engine lists one by one where any expression may start.
BUILTINS = {
    "ABS", "AVG", "BNODE", "BOUND", "CEIL", "COALESCE", "CONCAT", "CONTAINS", "COUNT", "DATATYPE",
    "DAY", "ENCODE_FOR_URI", "EXISTS", "FLOOR", "GROUP_CONCAT", "HOURS", "IF", "IRI", "LANG",
    "LANGMATCHES", "LCASE", "MAX", "MD5", "MIN", "MINUTES", "MONTH", "NOT", "NOW", "RAND",
    "REGEX", "REPLACE", "ROUND", "SAMPLE", "SECONDS", "SHA1", "SHA256", "SHA384", "SHA512", "STR",
    "STRAFTER", "STRBEFORE", "STRDT", "STRENDS", "STRLANG", "STRLEN", "STRSTARTS", "STRUUID",
    "SUBSTR", "SUM", "TIMEZONE", "TZ", "UCASE", "URI", "UUID", "YEAR", "sameTerm", "isBLANK",
    "isIRI", "isLITERAL", "isNUMERIC", "isURI", "isTRIPLE", "TRIPLE", "SUBJECT", "PREDICATE",
    "OBJECT",
}  # fmt: skip
WORDS = {"'?'": "a variable", "'$'": "a variable", "'<'": "an IRI", "':'": "a prefixed name"}


def plain_message(exc: Exception, read_request: Callable[[], tuple]) -> str:
    """The error's message for the client; a syntax error reworded, placed in the query
    that `read_request()` gives again (the endpoint's reader: the body is read once)."""
    if not isinstance(exc, st.QuerySyntaxError):
        return str(exc)
    try:
        query = read_request()[0]
    except Exception:  # the request was read once already; never fail the error reply
        query = None
    return reword(str(exc), query)


def reword(message: str, query: str | None) -> str:
    """The store's syntax-error message in plain words (unchanged if it is not one)."""
    body = message.removeprefix(_PREFIX).strip()
    match = _ENGINE.search(body)
    if match:
        line, column = int(match[1]), int(match[2])
        return _engine_error(line, column, match[3], query or "")
    prefix = _UNDECLARED.search(body)
    if prefix:
        return _undeclared(prefix[1], query or "")
    found = _FOUND.search(body)
    if found:
        line, column = _locate(query or "", found[1])
        hint = "a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after its PREFIX lines)"
        where = f" at line {line}, column {column}" if line else ""
        return f"Syntax error{where}: expected SELECT, ASK, CONSTRUCT or DESCRIBE near " \
            f"'{found[1]}'.\nHint: check the spelling; {hint}."  # fmt: skip
    return message


def _engine_error(line: int, column: int, expected_text: str, query: str) -> str:
    items, notes = expected(expected_text)
    if "Prefix not found" in notes:  # the engine stops just after the prefixed name
        lines = query.split("\n")
        head = lines[line - 1][: column - 1] if 1 <= line <= len(lines) else ""
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", head)
        if name:
            return _undeclared(name[1] or "", query)
    near, before = near_text(query, line, column)
    where = f"near '{before}{near}'" if near else f"at the end of the query, after '{before}'"
    wanted = f"expected {_join(items)} " if items else ""
    text = f"Syntax error at line {line}, column {column}: {wanted}{where}."
    return f"{text}\nHint: {hint(items, notes, near)}"


def _undeclared(prefix: str, query: str) -> str:
    line, column = _locate(query, f"{prefix}:")
    where = f" at line {line}, column {column}" if line else ""
    known = NAMESPACES.get(prefix)
    add = f"PREFIX {prefix}: <{known}>" if known else f"PREFIX {prefix}: <…>"
    return (
        f"Syntax error{where}: the prefix '{prefix}:' is not declared.\n"
        f"Hint: add the line {add} at the top of the query."
    )


def expected(text: str) -> tuple[list[str], list[str]]:
    """(the tokens the parser wanted, in plain words; sentences it mixed into the list)."""
    text = text.strip()
    text = text.removeprefix("expected one of ").removeprefix("expected ")
    items: list[str] = []
    notes: list[str] = []
    for raw in _split(text):
        word = _describe(raw)
        if word is None:
            continue
        if " " in word and not word.startswith(("a ", "an ")):
            notes.append(word)
            continue
        word = "an expression" if word in BUILTINS else WORDS.get(word, word)
        if word == "an expression" and word in items:
            continue
        if word not in items:
            items.append(word)
    return items, notes


def _split(text: str) -> list[str]:
    """The comma-separated list, keeping commas inside quotes and [character classes]."""
    parts, current, depth, quote = [], [], 0, ""
    for i, char in enumerate(text):
        if quote:
            if char == quote and text[i - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _describe(raw: str) -> str | None:
    """One expected token in words: 'x' for punctuation, KEYWORD, "a name" for a class."""
    if raw.startswith('"') and raw.endswith('"'):
        return f"'{raw[1:-1]}'"
    if raw.startswith("["):
        if "'A'" in raw or "'a'" in raw:
            return "a name"
        if "'0'" in raw:
            return "a digit"
        return None  # [_]: any character, or a class no reader needs spelt out
    return raw


def _join(items: list[str]) -> str:
    shown = items[:MAX_EXPECTED]
    rest = len(items) - len(shown)
    if rest:
        return ", ".join(shown) + f" or {rest} other{'s' if rest > 1 else ''}"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" or {shown[-1]}"


def near_text(query: str, line: int, column: int) -> tuple[str, str]:
    """(what the query has from line:column on, what comes just before), each a few
    characters on one line; the first is empty at the end of the query."""
    lines = query.split("\n")
    if not 1 <= line <= len(lines):
        return "", ""
    at = max(column - 1, 0)
    before = " ".join((" ".join(lines[: line - 1]) + " " + lines[line - 1][:at]).split())
    after = " ".join((lines[line - 1][at:] + " " + " ".join(lines[line:])).split())
    if len(before) > NEAR_BEFORE:
        before = "…" + before[-NEAR_BEFORE:].lstrip()
    if len(after) > NEAR_AFTER:
        after = after[:NEAR_AFTER].rstrip() + "…"
    if lines[line - 1][at : at + 1].isspace() and before and after:
        before += " "
    return after, before


def hint(items: list[str], notes: list[str], near: str) -> str:
    """The likeliest cause, from what was expected and where."""
    if notes:
        note = notes[0].rstrip(".")
        return (
            f"{note[0].upper()}{note[1:]}: in a query that groups, every selected variable "
            "must be grouped (GROUP BY) or aggregated (COUNT, SAMPLE, …)."
        )
    if not near and "'}'" in items:
        return "the query ends too early: a '{' is not closed with '}'."
    if not near and "')'" in items:
        return "the query ends too early: a '(' is not closed with ')'."
    if "'.'" in items and near and (near[:1] in "?$<_" or ":" in near.split()[0]):
        return "end the triple pattern before this point with '.'."
    if "CONSTRUCT" in items and "SELECT" not in items:
        return "check the spelling of SELECT, ASK, CONSTRUCT or DESCRIBE."
    if "')'" in items:
        return "a '(' before this point is not closed with ')', or a comma is missing."
    return (
        "check the spelling and punctuation just before this point: a missing '.', '}', "
        "')' or quote is the usual cause."
    )


def _locate(query: str, token: str) -> tuple[int, int]:
    """(line, column) of the first `token` in the query outside comments; (0, 0) if absent."""
    for number, text in enumerate(query.split("\n"), start=1):
        code = text.split("#", 1)[0] if "<" not in text else text
        at = code.find(token)
        if at >= 0:
            return number, at + 1
    return 0, 0
