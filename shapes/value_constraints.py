"""A shape's value constraints as SPARQL expressions, true when a node passes.

Each expression raises no SPARQL error (each function is guarded by a test of
the term's kind), so a FILTER on its negation keeps exactly the failures.
Where pyshacl's verdict hangs on rdflib's reading of a literal, the distinct
values at stake are judged once in Python (literal_rules) and the failures are
written into the expression: the same answers, judged once per distinct value
rather than once per focus node.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SH, XSD

from diplograph.ontology.terms import to_rdflib
from diplograph.shapes.literal_rules import min_inclusive, string_of, well_typed
from diplograph.shapes.query_text import NODE_KINDS, Context, any_of, distinct_values, sparql_term
from diplograph.shapes.results import UnsupportedShape
from diplograph.shapes.shape_reader import COUNT, ShapeReader
from diplograph.shapes.targets import Targets


class ValueConstraints:
    """Compiles what a shape asks of one node (its value constraints, nested shapes)."""

    def __init__(self, reader: ShapeReader, targets: Targets, store: ox.Store):
        self.reader = reader
        self.targets = targets
        self.store = store

    def distinct(self, var: str, ctx: Context, condition: str) -> list:
        """The distinct terms `var` takes in `ctx` that meet `condition`, as rdflib terms."""
        query = f"SELECT DISTINCT {var} WHERE {{ {ctx.pattern} FILTER ({condition}) }}"
        name = var[1:]
        return [to_rdflib(row[name]) for row in self.store.query(query)]

    def value_ok(self, shape, var: str, ctx: Context) -> list[str]:
        """An expression for each value constraint of `shape`, true when the node `var` passes."""
        read = self.reader
        found = []
        for cls in read.values(shape, SH["class"]):
            found.append(f"EXISTS {{ {self.targets.typed(var, [cls], ctx.var('t'))} }}")
        kind = read.one(shape, SH.nodeKind)
        if kind is not None:
            if kind not in NODE_KINDS:
                raise read.refuse(shape, f"sh:nodeKind {kind}")
            found.append(NODE_KINDS[kind].format(var))
        datatype = read.one(shape, SH.datatype)
        if datatype is not None:
            found.append(self.datatype_ok(datatype, var, ctx))
        listed = read.one(shape, SH["in"])
        if listed is not None:
            members = read.members(listed)
            if not all(isinstance(m, URIRef) for m in members):
                raise read.refuse(shape, "sh:in with literals (only IRIs are compiled)")
            found.append(any_of(var, members))
        for bound in read.values(shape, SH.minInclusive):
            literals = self.distinct(var, ctx, f"isLiteral({var})")
            bad = [v for v in literals if not min_inclusive(v, bound)]
            found.append(f"(isLiteral({var}) && !{any_of(var, bad)})")
        found += self.text_ok(shape, var, ctx)
        for options in read.values(shape, SH["or"]):
            either = [self.conforms(s, var, ctx) for s in read.members(options)]
            found.append("(" + " || ".join(either or ["false"]) + ")")
        return found

    def text_ok(self, shape, var: str, ctx: Context) -> list[str]:
        """sh:pattern (with sh:flags) and sh:minLength, on the text pyshacl looks at."""
        read = self.reader
        found = []
        patterns = read.values(shape, SH.pattern)
        if patterns:
            flags = 0
            for text in map(str, read.values(shape, SH.flags)[:1]):
                flags |= (re.I if "i" in text.lower() else 0) | (re.M if "m" in text.lower() else 0)
            candidates = self.distinct(var, ctx, f"!isBlank({var})")
            for pattern in patterns:
                regex = re.compile(str(pattern), flags)
                bad = [v for v in candidates if not regex.search(string_of(v))]
                found.append(f"(!isBlank({var}) && !{any_of(var, bad)})")
        length = read.one(shape, SH.minLength)
        if length is not None:
            n = int(length)
            ok = "true" if n == 0 else f"(!isBlank({var}) && STRLEN(STR({var})) >= {n})"
            found.append(ok)
        return found

    def datatype_ok(self, datatype, var: str, ctx: Context) -> str:
        if datatype == RDFS.Literal:
            return f"isLiteral({var})"
        if datatype == RDF.langString:
            return f'(isLiteral({var}) && LANG({var}) != "")'
        if datatype == RDFS.Datatype:
            raise UnsupportedShape("sh:datatype rdfs:Datatype (Oxigraph has no untyped literals)")
        same = f"(isLiteral({var}) && sameTerm(DATATYPE({var}), {sparql_term(datatype)}))"
        if datatype == XSD.string:
            return same
        bad = [v for v in self.distinct(var, ctx, same) if not well_typed(v, datatype)]
        return f"({same} && !{any_of(var, bad)})"

    def conforms(self, shape, var: str, ctx: Context) -> str:
        """An expression true when the node `var` conforms to the (nested) shape."""
        read = self.reader
        read.check_known(shape, top=False)
        if read.deactivated(shape):
            return "true"
        if read.values(shape, SH.lessThanOrEquals):
            raise read.refuse(shape, "sh:lessThanOrEquals inside sh:or")
        if read.values(shape, SH.sparql):
            raise read.refuse(shape, "SPARQL constraints inside sh:or")
        parts = []
        path = read.one(shape, SH.path)
        if path is None:
            if any(read.values(shape, p) for p in COUNT):
                raise read.refuse(shape, "sh:minCount/maxCount without sh:path")
            parts += self.value_ok(shape, var, ctx)
        else:
            parts += self.path_ok(shape, path, var, ctx)
        for prop in read.values(shape, SH.property):
            parts.append(self.conforms(prop, var, ctx))
        return "(" + " && ".join(parts or ["true"]) + ")"

    def path_ok(self, shape, path, var: str, ctx: Context) -> list[str]:
        """A nested property shape's counts and value constraints, as tests of the node `var`."""
        read = self.reader
        parts = []
        step = read.path(path)
        low, high = read.one(shape, SH.minCount), read.one(shape, SH.maxCount)
        if low is not None and int(low) > 0:
            parts.append(f"EXISTS {{ {distinct_values(var, step, int(low), ctx)} }}")
        if high is not None:
            too_many = distinct_values(var, step, int(high) + 1, ctx)
            parts.append(f"NOT EXISTS {{ {too_many} }}")
        value = ctx.var("v")
        inner = Context(f"{ctx.pattern} {var} {step} {value} .", ctx.fresh)
        for ok in self.value_ok(shape, value, inner):
            parts.append(f"NOT EXISTS {{ {var} {step} {value} . FILTER (!{ok}) }}")
        return parts
