"""SHACL on the affected focus nodes (shapes/focused.py) gives what validating everything gives.

Each example changes the real data's merge (triples removed, triples re-pointed at another
value of the same predicate, types swapped), validates the changed store in full with the
compiled engine, and checks that the last results of the unaffected focus nodes plus the
focused results of the affected ones are the same results.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from diplograph.cli.build import load_graphs
from diplograph.data import DATA_DIR
from diplograph.loaders.merge import add_merge
from diplograph.ontology import DG, ONTOLOGY_IRI
from diplograph.shapes import compiled, focused
from diplograph.shapes.validation import shapes_graph

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_ONTOLOGY = ox.NamedNode(ONTOLOGY_IRI)


@pytest.fixture(scope="module")
def real():
    """The real data's merge, the ontology graph and the full results on them."""
    store = load_graphs(DATA_DIR).quads.to_store()
    add_merge(store)
    merge = sorted(
        (q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())), key=str
    )
    ontology = list(store.quads_for_pattern(None, None, None, _ONTOLOGY))
    return merge, ontology, compiled.Compiler(shapes_graph(), _store(merge, ontology)).results()


def _store(triples, ontology) -> ox.Store:
    store = ox.Store()
    store.extend(ontology)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def _key(result) -> tuple:
    messages = tuple(sorted(result.messages))
    return (str(result.focus), str(result.value), str(result.path), str(result.shape), messages)


def _lines(ontology) -> list[str]:
    """The ontology graph's quads as the build's N-Quads lines."""
    return sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in ontology)


def _focused(before, store, removed, added, ontology=None) -> Counter:
    shapes = shapes_graph()
    bounds = focused.reach(shapes)
    nodes = focused.affected(store, removed, added, bounds)
    mine = {str(n) for n in nodes}
    small = focused.substore(store, nodes, bounds, ontology and _lines(ontology))
    fresh = [
        r for r in compiled.Compiler(shapes, small).results() if str(focused._text(r.focus)) in mine
    ]
    kept = [r for r in before if str(focused._text(r.focus)) not in mine]
    return Counter(map(_key, fresh + kept))


def _check(real, removed, added) -> Counter:
    merge, ontology, before = real
    changed = set(merge) - set(removed) | set(added)
    added = [t for t in added if t not in merge]
    store = _store(changed, ontology)
    full = Counter(map(_key, compiled.Compiler(shapes_graph(), store).results()))
    assert _focused(before, store, removed, added) == full
    assert _focused(before, store, removed, added, ontology) == full  # from the build's lines
    return full


def test_the_ontology_from_the_builds_lines_is_the_ontology_in_the_store(real):
    merge, ontology, _before = real
    store = _store(merge, ontology)
    bounds = focused.reach(shapes_graph())
    from_store = focused.substore(store, set(), bounds)
    from_lines = focused.substore(store, set(), bounds, _lines(ontology))
    assert len(from_lines) == len(from_store) == len(ontology) > 1000

    def named(small):  # blank nodes are labelled per load: the rest compared as text
        return sorted(str(q) for q in small if "_:" not in str(q))

    assert named(from_lines) == named(from_store)


@st.composite
def changes(draw, merge):
    removed = draw(st.lists(st.sampled_from(merge), max_size=3, unique=True))
    added = []
    for _ in range(draw(st.integers(0, 3))):
        first, second = draw(st.sampled_from(merge)), draw(st.sampled_from(merge))
        if draw(st.booleans()):  # the first's subject takes the second's value of its predicate
            added.append(ox.Triple(first.subject, first.predicate, second.object))
        else:  # or the second's subject (a value elsewhere, perhaps) takes the first's type
            added.append(ox.Triple(second.subject, _TYPE, first.object))
    return removed, added


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_focused_results_are_the_full_results(real, data):
    removed, added = data.draw(changes(real[0]))
    # a changed rdfs:subClassOf makes core_results validate everything (tested below)
    assume(not any(t.predicate == _SUBCLASS for t in removed + added))
    _check(real, removed, added)


def test_a_value_losing_its_type_fails_the_facts_that_point_at_it(real):
    """Two hops: the type triple's subject is the value; the fact that reaches it is the
    focus node that fails sh:class (found only by walking back from the value)."""
    merge, _ontology, before = real
    person = ox.NamedNode(str(DG.Person))
    participant = ox.NamedNode(str(DG.participant))
    people = {t.subject for t in merge if t.predicate == _TYPE and t.object == person}
    value = next(t.object for t in merge if t.predicate == participant and t.object in people)
    removed = [t for t in merge if t.subject == value and t.predicate == _TYPE]
    full = _check(real, removed, [])
    assert sum(full.values()) > len(before)  # the facts' sh:class checks now fail


def test_shapes_that_step_over_rdf_type_or_without_bound_are_validated_in_full():
    base = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
        "ex:S sh:targetClass ex:C ; sh:property [ sh:minCount 1 ; sh:path "
    )
    unbounded = base + "[ sh:zeroOrMorePath ex:p ] ] ."
    typed = base + "( ex:p <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ] ."
    late_inverse = base + "( ex:p [ sh:inversePath ex:q ] ) ] ."
    bounded = base + "ex:p ; sh:class ex:D ] ."
    for text in (unbounded, typed, late_inverse):
        assert focused.reach(Graph().parse(data=text, format="turtle")) is None
    assert focused.reach(Graph().parse(data=bounded, format="turtle")).hops == 1


def test_a_changed_subclass_validates_everything(real):
    merge, ontology, _before = real
    added = ox.Triple(ox.NamedNode(str(DG.Sanction)), _SUBCLASS, ox.NamedNode(str(DG.Meeting)))
    store = _store([*merge, added], ontology)
    change = focused.Change([], [str(added)], last={"shacl_core": []})
    assert focused.core_results(shapes_graph(), store, change) is None
