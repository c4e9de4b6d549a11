"""pyshacl's judgement of single literals, in Python, for the compiled engine.

Where pyshacl's outcome hangs on rdflib's reading of a literal (is it
well-typed, how it compares, the text a regular expression sees), SPARQL on
Oxigraph could answer differently; so the compiled engine fetches the distinct
values at stake and judges each here, with pyshacl's own rules, then writes the
few that fail into its query.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import XSD

from diplograph.shapes.results import UnsupportedShape

# The Python type rdflib gives a well-formed literal of each datatype pyshacl checks.
_PYTHON_TYPES = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _actual_datatype(value, datatype) -> bool:
    """pyshacl's check that a literal's Python value suits its datatype."""
    kind = _PYTHON_TYPES.get(datatype)
    return True if kind is None else isinstance(value, kind)


def well_typed(literal: Literal, datatype) -> bool:
    """sh:datatype as pyshacl judges a literal whose datatype is the one required."""
    if getattr(literal, "ill_typed", None) is True:
        return False
    return _actual_datatype(literal.value, datatype)


def min_inclusive(literal: Literal, bound: Literal) -> bool:
    """sh:minInclusive as pyshacl judges one literal against its bound.

    Two well-typed integers or decimals (every bound the shapes give, and the values they
    bound) are compared here, as pyshacl does, by value: importing pyshacl for its
    comparison (and tearing it down at exit) took about 0.06 s of the 1.1 s a fresh process
    spent on a one-edit build of the real data (docs/benchmarks.md, session 9). Anything
    else is pyshacl's to judge; tests/shapes/test_literal_rules.py holds the two to the
    same answers.
    """
    if _number(literal) and _number(bound):
        return literal.value >= bound.value
    return pyshacls_min_inclusive(literal, bound)


def pyshacls_min_inclusive(literal: Literal, bound: Literal) -> bool:
    """sh:minInclusive by pyshacl's own comparison, for any two literals."""
    # deferred: importing pyshacl takes about 0.05 s, and only sh:minInclusive needs it.
    from pyshacl.rdfutil.compare import compare_literal

    if isinstance(bound.value, str) != isinstance(literal.value, str):
        return False
    try:
        return compare_literal(literal, bound) >= 0
    except (TypeError, NotImplementedError):
        return False


def _number(literal: Literal) -> bool:
    """A well-typed literal whose value is an int or a finite Decimal (not a bool)."""
    value = literal.value
    if getattr(literal, "ill_typed", None) is True:
        return False
    return type(value) is int or (type(value) is Decimal and value.is_finite())


def string_of(term) -> str:
    """The text sh:pattern and sh:minLength look at (pyshacl's value_node_to_string)."""
    literal = isinstance(term, Literal) and term.value is not None
    if literal and term.datatype in (None, RDF.langString, XSD.string):
        return str(term.value)
    return str(term)


def less_or_equal(value, other) -> bool:
    """sh:lessThanOrEquals as pyshacl compares one pair of values."""
    if isinstance(value, BNode) or isinstance(other, BNode):
        raise UnsupportedShape("sh:lessThanOrEquals cannot compare a blank node")

    def plain(term):
        if isinstance(term, URIRef):
            return str(term), True
        if isinstance(term, Literal) and isinstance(term.value, str):
            return term.value, True
        return term, False

    (a, a_text), (b, b_text) = plain(value), plain(other)
    if a_text != b_text:
        return False
    return bool(a <= b)
