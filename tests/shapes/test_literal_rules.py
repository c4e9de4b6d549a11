"""pyshacl's judgement of single literals (shapes/literal_rules.py): sh:minInclusive's
comparison of numbers, made without importing pyshacl, gives pyshacl's own answers."""

from __future__ import annotations

import sys
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import XSD

from diplograph.shapes.literal_rules import min_inclusive, pyshacls_min_inclusive

_NUMERIC = [XSD.integer, XSD.decimal, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.short]
_LEXICAL = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["0", "-0", "0.0", "+1", "01", "1.", ".5", "1e3", "abc", "", " 1", "NaN"]),
)
_DATATYPES = st.sampled_from([*_NUMERIC, XSD.float, XSD.double, XSD.string, XSD.date, None])
_LITERALS = st.builds(Literal, _LEXICAL, datatype=_DATATYPES)


def _outcome(judge, literal: Literal, bound: Literal):
    """The answer, or the kind of error raised (NaN decimals make pyshacl raise)."""
    try:
        return judge(literal, bound)
    except ArithmeticError as exc:
        return type(exc)


@settings(max_examples=600, deadline=None)
@given(literal=_LITERALS, bound=_LITERALS)
def test_min_inclusive_gives_pyshacls_answer(literal, bound):
    assert _outcome(min_inclusive, literal, bound) == _outcome(
        pyshacls_min_inclusive, literal, bound
    )


def test_the_shapes_bounds():
    """The bounds the shapes give (0 and 1, xsd:integer) against values of the data's kinds."""
    for bound in (Literal(0), Literal(1)):
        for value in (Literal(Decimal("0.0")), Literal(-1), Literal("2", datatype=XSD.decimal)):
            assert min_inclusive(value, bound) == pyshacls_min_inclusive(value, bound)
    assert not min_inclusive(Literal("x", datatype=XSD.integer), Literal(0))  # ill-typed
    assert not min_inclusive(Literal(True), Literal(0))  # a boolean is no number here


def test_numbers_are_compared_without_pyshacl(monkeypatch):
    """Importing pyshacl took a sixth of a fresh process's incremental build: numbers,
    every bound the shapes give, never import it (a non-number still does)."""
    for name in [m for m in sys.modules if m == "pyshacl" or m.startswith("pyshacl.")]:
        monkeypatch.delitem(sys.modules, name)
    assert min_inclusive(Literal(Decimal("2.5")), Literal(0))
    assert not min_inclusive(Literal(-3), Literal(1))
    assert "pyshacl" not in sys.modules
    day = Literal("2025-01-02", datatype=XSD.date)
    assert min_inclusive(day, Literal("2025-01-01", datatype=XSD.date))
    assert "pyshacl" in sys.modules
