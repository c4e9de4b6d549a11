"""Pre-flight checks on query text: a SPARQL tokenizer, not a keyword regex.

Comments, string literals and IRIs are consumed as whole tokens, so a keyword hidden
in a comment or a string neither triggers nor evades a check. The checks are
deliberately conservative: Oxigraph parses keywords without a word boundary
(`SERVICE:g { }` and `SERVICESILENT<x>` both call out), so any bare word or prefix
name containing "service" is refused. A `<` that could be either an IRI or the
less-than operator is only ambiguous when the IRI reading would swallow a quote;
such queries are refused rather than guessed at.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from diplograph.store.base import (
    ASK,
    CONSTRUCT,
    DESCRIBE,
    SELECT,
    QueryInfo,
    QueryRejected,
    QuerySyntaxError,
    QueryTooLarge,
    ServiceRefused,
    UpdateRefused,
)

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '(?:[^'\\\r\n]|\\.)*'
             | "(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|"""
    + _UCHAR
    + r""")*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FORMS = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}
DEFAULT_MAX_QUERY_BYTES = 100_000
#: Brackets deeper than this are refused: no real query needs them, and a parser's
#: recursion on ten thousand of them can overflow the worker's stack.
MAX_NESTING = 64
#: Operator symbols (`!`, `|`, `&`, `+`, `-`, `*`, `/`, `=`, `<`, `>`; `||` counts two) in
#: one query. The engine parses and evaluates an operator chain recursively: 10,000 `!` or
#: `||` overflow a worker's stack with no bracket at all. Thousands is far past real use.
MAX_OPERATORS = 4096
#: Clauses of one query that each wrap the query's algebra once more (BIND, FILTER,
#: OPTIONAL, UNION, MINUS, VALUES, GRAPH): 5,000 BINDs overflow the stack.
MAX_CLAUSES = 1000
_OPERATOR_CHARS = frozenset("!|&+-*/=<>")
_CLAUSE_WORDS = frozenset({"BIND", "FILTER", "OPTIONAL", "UNION", "MINUS", "VALUES", "GRAPH"})
_OPEN, _CLOSE = "({[", ")}]"
_PATH_ATOM = {"iri", "pname"}


def scan(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, end offset) of every token but whitespace; comments included."""
    return [(m.lastgroup, m.group(), m.end()) for m in _TOKEN.finditer(text) if m.lastgroup != "ws"]


def check_query(text: str, max_bytes: int = DEFAULT_MAX_QUERY_BYTES) -> QueryInfo:
    """Refuse what must never run; return the form, prologue prefixes and FROM graphs."""
    return checked(text, max_bytes)[0]


def checked(text: str, max_bytes: int) -> tuple[QueryInfo, list[tuple[str, str, int]]]:
    """`check_query`, and the scanned tokens (so a second look need not tokenize again)."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise QueryTooLarge(f"Query is larger than the {max_bytes}-byte limit.")
    scanned = scan(text)
    tokens = [(kind, value) for kind, value, _ in scanned if kind != "comment"]
    for kind, value in tokens:
        if kind == "iri" and "'" in value:
            raise QueryRejected(
                f"Ambiguous '<' at {value[:40]!r}: write an apostrophe in an IRI as %27, "
                "or put spaces around the less-than operator."
            )
        if (kind == "word" and "service" in value.lower()) or (
            kind == "pname" and "service" in value.split(":", 1)[0].lower()
        ):
            raise ServiceRefused(
                "SERVICE (federated query) is not allowed: this endpoint makes no outbound "
                "requests. (Prefix names containing 'service' are refused for the same reason.)"
            )
    _check_shape(tokens)
    _check_length(tokens)
    base, prefixes, position = _prologue(tokens)
    if position == len(tokens):
        raise QuerySyntaxError("Query syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE.")
    kind, value = tokens[position]
    keyword = value.upper() if kind == "word" else ""
    if keyword in _UPDATE_WORDS:
        raise UpdateRefused(f"This endpoint is read-only: SPARQL Update ({keyword}) is refused.")
    if keyword not in _FORMS:
        raise QuerySyntaxError(
            f"Query syntax error: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {value!r}."
        )
    from_graphs, from_named = _dataset(tokens[position:], base, prefixes)
    info = QueryInfo(text, _FORMS[keyword], prefixes, tuple(from_graphs), tuple(from_named))
    return info, scanned


def _check_length(tokens) -> None:
    """Refuse operator chains and clause lists long enough to overflow the engine's stack."""
    operators = clauses = 0
    for kind, value in tokens:
        if kind == "other" and value in _OPERATOR_CHARS:
            operators += 1
        elif kind == "word" and value.upper() in _CLAUSE_WORDS:
            clauses += 1
    if operators > MAX_OPERATORS:
        raise QueryRejected(
            f"Query has {operators} operator symbols; at most {MAX_OPERATORS} are allowed "
            "(write long alternatives as VALUES or IN)."
        )
    if clauses > MAX_CLAUSES:
        raise QueryRejected(
            f"Query has {clauses} BIND, FILTER, OPTIONAL, UNION, MINUS, VALUES or GRAPH "
            f"clauses; at most {MAX_CLAUSES} are allowed."
        )


def _check_shape(tokens) -> None:
    """Refuse bracket nesting past MAX_NESTING, and a path closure around another closure.

    `((p*)*)*` is the property-path "billion laughs": it means no more than `p*`, but an
    engine may explore it level by level. A `*` or `+` counts as a closure when it follows
    an IRI, a prefixed name, `a` or `)`; arithmetic such as `(f(?x) + ?y) * 2` reads the
    same way and is refused too (bind the inner sum to a variable first).
    """
    depth, nested_closure = 0, [False]
    previous = None
    for kind, value in tokens:
        if kind == "other" and value in _OPEN:
            depth += 1
            if depth > MAX_NESTING:
                raise QueryRejected(f"Query nests brackets more than {MAX_NESTING} deep.")
            nested_closure.append(False)
        elif kind == "other" and value in _CLOSE and depth > 0:
            depth -= 1
            inner = nested_closure.pop()
            nested_closure[-1] = nested_closure[-1] or inner
            previous = ("group", inner)
            continue
        elif kind == "other" and value in "*+" and previous is not None:
            prev_kind, prev_value = previous
            if prev_kind == "group" and prev_value:
                raise QueryRejected(
                    "A property path repeats a group that itself repeats (like ((p*)*)*): "
                    "write the inner path once, e.g. p*."
                )
            if (
                prev_kind == "group"
                or prev_kind in _PATH_ATOM
                or (prev_kind == "word" and prev_value == "a")
            ):
                nested_closure[-1] = True
        previous = (kind, value)


def _prologue(tokens):
    base, prefixes, i = None, {}, 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "word" else ""
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = _resolve(tokens[i + 1][1][1:-1], base)
            i += 2
        elif (
            word == "PREFIX"
            and i + 2 < len(tokens)
            and tokens[i + 1][0] == "pname"
            and tokens[i + 2][0] == "iri"
        ):
            prefixes[tokens[i + 1][1].rstrip(":")] = _resolve(tokens[i + 2][1][1:-1], base)
            i += 3
        else:
            break
    return base, prefixes, i


def _dataset(tokens, base, prefixes):
    """FROM / FROM NAMED IRIs; a FROM the check cannot read is left to the parser to reject."""
    default, named = [], []
    for i, (kind, value) in enumerate(tokens):
        if kind != "word" or value.upper() != "FROM":
            continue
        rest = tokens[i + 1 : i + 3]
        is_named = bool(rest) and rest[0][0] == "word" and rest[0][1].upper() == "NAMED"
        target = named if is_named else default
        term = rest[1] if target is named and len(rest) > 1 else (rest[0] if rest else None)
        iri = _term_iri(term, base, prefixes) if term else None
        if iri is None:
            raise QuerySyntaxError("Query syntax error: FROM must be followed by an IRI.")
        target.append(iri)
    return default, named


def _term_iri(term, base, prefixes):
    kind, value = term
    if kind == "iri":
        return _resolve(value[1:-1], base)
    if kind == "pname":
        prefix, local = value.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        raise QuerySyntaxError(f"Query syntax error: undeclared prefix {prefix!r}.")
    return None


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri
