"""The merge: a store's default graph is the set of triples of all its named graphs.

SPARQL defines the merge of graphs as a set. Oxigraph 0.5's union default graph repeats a
triple once per graph holding it (and joins multiply the repeats), and a shared SPARQL
store's own default graph holds every graph in it, other deployments' and old versions'
included. So both backends store the merge once more, as data: the embedded store in its
default graph (`embedded.load_nquads`), a remote store as one graph per pushed version
(`publish_remote.push`), and a store made in memory (`store_with_merge`, for the
catalogue's tests and bench; `add_merge`, for the SHACL engine) the same way. All take it
from here; it sits in loaders/ so that every layer above the loader can.
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


def store_with_merge(nquads: bytes) -> ox.Store:
    """An in-memory store of N-Quads: the named graphs, and their merge as the default graph."""
    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in store])
    return store


def add_merge(store: ox.Store) -> bool:
    """Give a store whose default graph is empty the merge of its graphs; True if it was
    empty (the caller then removes the merge again with `store.clear_graph`)."""
    default = ox.DefaultGraph()
    if next(store.quads_for_pattern(None, None, None, default), None) is not None:
        return False
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return True
