"""Each SPARQL text parsed once for the pyshacl reference runs of the tests.

pyshacl hands rdflib the same SPARQL-based constraint text once per focus node, and rdflib
parses it again each time (pyparsing): on a minimal example three quarters of a pyshacl run
was parsing, on the real data minutes of the suite. rdflib's translated queries are made to
be evaluated again with other initial bindings (`prepareQuery`), so caching the translation
by its text changes no result; the product's baseline engine is left as pyshacl ships it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

#: translated queries by (text, base, prefixes), kept across blocks (the shapes do not change)
_CACHE: dict = {}


@contextlib.contextmanager
def parsed_once() -> Iterator[dict]:
    """Within the block, rdflib translates each (text, base, prefixes) once; yields the cache."""
    cache = _CACHE
    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 (rdflib's names)
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            found = cache.get(key)
            if found is None:
                found = cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = found
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield cache
    finally:
        processor.SPARQLProcessor.query = original
