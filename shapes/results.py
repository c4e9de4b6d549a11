"""What a SHACL engine here reports, and the error for SHACL it does not compile.

The compiled engine (core SHACL) and sparql.py (SHACL-SPARQL constraints) give
their results in this one form, and validation.py turns pyshacl's own report
into it too, so the fast engine and its baseline compare result for result.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef


class UnsupportedShape(ValueError):
    """A shape uses SHACL that this engine does not compile: run pyshacl on it instead."""


@dataclass
class Result:
    """One validation result, as pyshacl would report it (terms as rdflib terms)."""

    focus: object
    value: object
    path: object
    shape: object
    messages: list[str]
    severity: URIRef
