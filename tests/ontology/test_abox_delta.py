"""The OWL check's summary updated from a change (ontology/abox_delta.py) is the summary of the
changed data: the same signatures with the same counts, the same literal pairs, the same number
of individuals, and so the same lines for HermiT and the same report as reading everything.

Each example changes the real data's merge: triples removed (an individual may lose all of
its own), types added, object values re-pointed at another node, literals copied onto another
subject, a new individual; the last summary is updated with the triples that left and joined
the merge, and compared with a full scan of the changed store.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.cli.build import load_graphs
from diplograph.data import DATA_DIR
from diplograph.ontology import DG_IRI, ONTOLOGY_IRI
from diplograph.ontology.abox_delta import Summary, updated
from diplograph.ontology.abox_summary import Scan
from diplograph.ontology.owl_schema import Schema
from diplograph.ontology.owl_terms import SAME_AS, TYPE
from diplograph.ontology.reasoning import check_consistency_store

_ONTOLOGY = ox.NamedNode(ONTOLOGY_IRI)
_DATA = ox.NamedNode("https://w3id.org/diplograph/graph/test-delta")
_ID = "https://w3id.org/diplograph/id/"
_CLASSES = [ox.NamedNode(DG_IRI + c) for c in ("Person", "Meeting", "Topic", "Excerpt", "City")]


@pytest.fixture(scope="module")
def real():
    """The real data's triples (one graph) and the ontology's quads."""
    store = load_graphs(DATA_DIR).quads.to_store()
    ontology = list(store.quads_for_pattern(None, None, None, _ONTOLOGY))
    data = {q.triple for q in store if q.graph_name != _ONTOLOGY}
    return sorted(data, key=str), ontology


@pytest.fixture(scope="module")
def real_summary(real) -> Summary:
    """The unchanged data's summary: every example's last one."""
    return _summary(_store(*real))


def _store(triples, ontology) -> ox.Store:
    """The ontology's graph, the data in a graph of its own, and their merge (default graph)."""
    store = ox.Store()
    store.extend(ontology)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, _DATA) for t in triples)
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in ontology)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def _summary(store: ox.Store) -> Summary:
    schema = Schema(store, _ONTOLOGY)
    scan = Scan(store, schema, _ONTOLOGY)
    return Summary.of(scan, scan.summarise())


EDIT = st.one_of(
    st.tuples(st.just("remove"), st.integers(0, 10**6)),
    st.tuples(st.just("orphan"), st.integers(0, 10**6)),
    st.tuples(st.just("type"), st.integers(0, 10**6), st.integers(0, len(_CLASSES) - 1)),
    st.tuples(st.just("repoint"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("literal"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("new"), st.integers(0, len(_CLASSES) - 1)),
)


def _edit(triples: list, edit: tuple) -> tuple[set, set]:
    """(triples removed, triples added) by one edit of the data."""
    pick = triples[edit[1] % len(triples)] if len(edit) > 1 else None
    # data nodes only: a TBox node used as an individual makes the update give up
    nodes = [t.object for t in triples if t.object.value.startswith(_ID)]
    if edit[0] == "remove":
        return {pick}, set()
    if edit[0] == "orphan":  # every triple of one individual, both ways
        node = pick.subject
        return {t for t in triples if node in (t.subject, t.object)}, set()
    if edit[0] == "type":
        return set(), {ox.Triple(pick.subject, TYPE, _CLASSES[edit[2]])}
    if edit[0] == "repoint":
        objects = [t for t in triples if isinstance(t.object, ox.NamedNode) and t.predicate != TYPE]
        old = objects[edit[1] % len(objects)]
        return {old}, {ox.Triple(old.subject, old.predicate, nodes[edit[2] % len(nodes)])}
    if edit[0] == "literal":
        literals = [t for t in triples if isinstance(t.object, ox.Literal)]
        lit = literals[edit[1] % len(literals)]
        subject = triples[edit[2] % len(triples)].subject
        return set(), {ox.Triple(subject, lit.predicate, lit.object)}
    new = ox.NamedNode(_ID + "test-delta-new")
    return set(), {ox.Triple(new, TYPE, _CLASSES[edit[1]])}


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(edits=st.lists(EDIT, min_size=1, max_size=4))
def test_the_updated_summary_is_the_summary_of_the_changed_data(real, real_summary, edits):
    triples, ontology = real
    before = set(triples)
    after = set(before)
    for edit in edits:
        removed, added = _edit(sorted(after, key=str), edit)
        keep = {t for t in removed if t.predicate == SAME_AS}  # changed sameAs: read everything
        after = (after - (removed - keep)) | added
    store = _store(sorted(after, key=str), ontology)
    gone, joined = sorted(before - after, key=str), sorted(after - before, key=str)
    found = updated(store, Schema(store, _ONTOLOGY), real_summary, gone, joined)
    assert found is not None
    assert found.record() == _summary(store).record()


def test_the_record_reads_back_as_the_same_summary(real):
    triples, ontology = real
    summary = _summary(_store(triples, ontology))
    assert Summary.from_record(summary.record()) == summary
    assert summary.pairs and len(summary.signatures) > 50


def test_the_check_gives_the_same_lines_and_report_either_way(real):
    """The incremental check hands HermiT the very lines a full check would, and reports
    the same counts; a summary that cannot be updated (owl:sameAs changed) reads everything."""
    triples, ontology = real
    last = _summary(_store(triples, ontology))
    change = next(t for t in triples if t.predicate == TYPE and t.object == _CLASSES[0])
    person = change.subject
    store = _store([t for t in triples if t != change], ontology)  # a person no longer typed
    given = []

    def hermit(lines):
        given.append(lines)
        return True, [], ""

    full = check_consistency_store(store, hermit=hermit)
    fast = check_consistency_store(store, hermit=hermit, since=(last, [change], []))
    assert given[0] == given[1]
    assert full.text() == fast.text() and fast.summary == full.summary
    other = next(t.subject for t in triples if t.subject != person)
    same = ox.Triple(person, SAME_AS, other)
    store = _store([*triples, same], ontology)
    assert updated(store, Schema(store, _ONTOLOGY), last, [], [same]) is None
