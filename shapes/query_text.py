"""The pieces of SPARQL text the compiled SHACL engine writes its queries from.

Terms go into the text only as IRIs and literals, written by pyoxigraph or
rdflib (a blank node in a query would be a variable), and each piece raises no
SPARQL error, so a FILTER on a negated test keeps exactly the failing nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

import pyoxigraph as ox
from rdflib import BNode
from rdflib.namespace import SH

from diplograph.shapes.results import UnsupportedShape

#: sh:nodeKind as a test of the term in {0}.
NODE_KINDS = {
    SH.IRI: "isIRI({0})",
    SH.BlankNode: "isBlank({0})",
    SH.Literal: "isLiteral({0})",
    SH.BlankNodeOrIRI: "(isIRI({0}) || isBlank({0}))",
    SH.BlankNodeOrLiteral: "(isBlank({0}) || isLiteral({0}))",
    SH.IRIOrLiteral: "(isIRI({0}) || isLiteral({0}))",
}


@dataclass
class Context:
    """Where a variable gets its values: the group pattern that binds it."""

    pattern: str
    fresh: count = field(default_factory=count)

    def var(self, stem: str) -> str:
        return f"?_{stem}{next(self.fresh)}"


def sparql_term(term) -> str:
    """A term written into a query: IRIs and literals only (a blank node there is a variable)."""
    if isinstance(term, ox.BlankNode | BNode):
        raise UnsupportedShape(f"blank node {term} cannot be named in a query")
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)
    return term.n3()


def any_of(var: str, terms) -> str:
    """True when `var` is one of `terms`, compared as terms (not as values)."""
    terms = sorted({sparql_term(t) for t in terms})
    return "(" + " || ".join(f"sameTerm({var}, {t})" for t in terms) + ")" if terms else "false"


def focus_nodes(targets: str) -> str:
    """The focus nodes, each once however many of the target classes it has."""
    return f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"


def with_count(step: str, test: str) -> str:
    """A subquery of the nodes whose number of distinct values along `step` passes `test`."""
    return (
        f"{{ SELECT ?this WHERE {{ ?this {step} ?_c }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_c) {test}) }}"
    )


def distinct_values(var: str, step: str, n: int, ctx: Context) -> str:
    """A pattern that matches when `var` has at least `n` distinct values along `step`."""
    names = [ctx.var("n") for _ in range(n)]
    pattern = " ".join(f"{var} {step} {v} ." for v in names)
    apart = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
    return pattern + (f" FILTER ({' && '.join(apart)})" if apart else "")
