"""The merge: a store's default graph is the set of triples of all its named graphs.

SPARQL defines the merge of graphs as a set. Oxigraph 0.5's union default graph repeats a
triple once per graph holding it (and joins multiply the repeats), and a shared SPARQL
store's own default graph holds every graph in it, other deployments' and old versions'
included. So both backends store the merge once more, as data: the embedded store in its
default graph (`embedded.load_nquads`), a remote store as one graph per pushed version
(`publish_remote.push`). Both take it from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


def merged(triples: Iterable[str]) -> list[str]:
    """Each distinct triple (as N-Triples text, without the final dot) once, first seen first."""
    return list(dict.fromkeys(triples))


def with_merge(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, and after it its triple in the default graph (a store keeps that once)."""
    for quad in quads:
        yield quad
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object)
