"""The support check: the share of assertions an excerpt of their own mentions, and refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.cli.build import load_graphs
from diplograph.data import DATA_DIR
from diplograph.ontology import DG_IRI
from diplograph.shapes.support import (
    EVIDENCE_SUPPORT_THRESHOLD,
    affected_graphs,
    by_graph,
    evidence_support,
    since,
    support_refusal,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
FACTS = "facts/mini-2025-10-24.yaml"


def support_of(tmp_path: Path, *edits: tuple[str, str], cues: str = "") -> dict:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / FACTS
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    if cues:
        topics = data / "entities" / "topics.yaml"
        topics.write_text(
            topics.read_text().replace("  label: Trade\n", f"  label: Trade\n  cues: [{cues}]\n")
        )
    graphs = load_graphs(data, sources_dir=FIXTURES / "sources")
    return evidence_support(graphs.quads.to_store())


TRADE = (
    "    topics: [{id: trade, implied: the fixture assumes a trade agenda; no sentence names it}]"
)


def test_the_minimal_data_is_fully_supported(tmp_path):
    report = support_of(tmp_path)
    assert report["evidence_support"] == 1.0 and report["unsupported_assertions"] == []
    assert report["evidence_assertions"] == 16


def test_a_value_no_excerpt_mentions_fails_with_its_file_and_line(tmp_path):
    report = support_of(tmp_path, (TRADE, "    topics: [trade]"))
    assert report["evidence_support"] == round(15 / 16, 4)
    [failing] = report["unsupported_assertions"]
    assert failing["where"] == f"{FACTS}:13"
    assert failing["object"].endswith("/trade") and "no excerpt supports" in failing["message"]


def test_an_own_excerpt_that_does_not_mention_the_value_fails(tmp_path):
    report = support_of(
        tmp_path, (TRADE, '    topics: [{id: trade, excerpt: "Minister Gamma said"}]')
    )
    [failing] = report["unsupported_assertions"]
    assert "no excerpt of this value mentions Trade" in failing["message"]


def test_an_own_excerpt_that_mentions_the_value_passes(tmp_path):
    report = support_of(tmp_path, (TRADE, '    topics: [{id: soybeans, excerpt: "of soybeans"}]'))
    assert report["unsupported_assertions"] == []


def test_a_curated_cue_counts_as_a_mention(tmp_path):
    edit = (TRADE, '    topics: [{id: trade, excerpt: "committed to buy"}]')
    assert support_of(tmp_path / "a", edit)["unsupported_assertions"] != []
    assert support_of(tmp_path / "b", edit, cues="committed to buy")["unsupported_assertions"] == []


def test_implied_counts_as_support(tmp_path):
    report = support_of(tmp_path, (TRADE, "    topics: [{id: trade, implied: because}]"))
    assert report["unsupported_assertions"] == []


def test_below_the_threshold_the_refusal_names_each_failing_file_and_line():
    failing = [{"where": f"{FACTS}:13", "message": "no excerpt supports this value (Trade)"}]
    report = {"evidence_support": 0.5, "unsupported_assertions": failing}
    refusal = support_refusal(report)
    assert "below the threshold of 95%" in refusal and f"{FACTS}:13: no excerpt" in refusal
    assert support_refusal({"evidence_support": EVIDENCE_SUPPORT_THRESHOLD}) is None


def test_the_build_refuses_data_below_the_threshold(tmp_path):
    import pytest

    from diplograph.cli.build import BuildError, build

    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / FACTS
    text = path.read_text(encoding="utf-8").replace(TRADE, "    topics: [trade]")
    text = text.replace(
        "    target: {id: china, implied: the curbs the tariff answers are China's}",
        "    target: china",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(data, tmp_path / "instance", sources_dir=FIXTURES / "sources", publish=False)
    assert "below the threshold" in str(err.value)
    assert f"{FACTS}:13:" in str(err.value) and f"{FACTS}:36:" in str(err.value)


def test_the_reports_show_the_share_and_each_unsupported_row():
    from diplograph.shapes.report import render_html, render_text

    failing = [
        {
            "where": f"{FACTS}:13",
            "subject": "s",
            "predicate": "topic",
            "object": "trade",
            "message": "no excerpt supports this value (Trade)",
        }
    ]
    report = {
        "conforms": True,
        "evidence_support": 0.9375,
        "evidence_support_threshold": 0.95,
        "evidence_assertions": 16,
        "unsupported_assertions": failing,
    }
    page = render_html(report)
    assert "evidence_support: <strong>93.8%</strong> of 16 assertions" in page
    assert f"<td>{FACTS}:13</td>" in page and "no excerpt supports this value" in page
    assert "Evidence support: 93.8% of 16 assertions (threshold 95%); 1 unsupported." in (
        render_text(report)
    )


# -- an incremental build's check: the graphs a change can affect, the others kept ------------

_LABEL, _EXACT, _IMPLIED = (ox.NamedNode(DG_IRI + n) for n in ("label", "exact", "implied"))
_CURATED_IN = ox.NamedNode(DG_IRI + "curatedIn")
_OBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
_DATE = ox.NamedNode("https://w3id.org/diplograph/id/date/2025-10-30")


@pytest.fixture(scope="module")
def real_quads() -> list:
    return sorted(load_graphs(DATA_DIR).quads.to_store(), key=str)


@pytest.fixture(scope="module")
def real_checked(real_quads) -> dict:
    """by_graph of the unchanged data: every example's `last`."""
    return by_graph(_with_merge(real_quads))


def _with_merge(quads) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    return store


def _change(quads: list, edit: tuple) -> tuple[set, set]:
    """(quads removed, quads added) by one edit: an excerpt's text, an implied reason, an
    assertion's value or a value's curatedIn gone, or a value named otherwise."""
    kind, n = edit
    if kind == "rename":  # the value of some assertion, possibly in another graph
        values = {q.object for q in quads if q.predicate == _OBJECT}
        labels = [q for q in quads if q.predicate == _LABEL and q.subject in values]
        old = labels[n % len(labels)]
        new = ox.Quad(old.subject, _LABEL, ox.Literal("Zzyzx"), old.graph_name)
        return {old}, {new}
    predicate = {"exact": _EXACT, "implied": _IMPLIED, "object": _OBJECT, "curated": _CURATED_IN}
    found = [q for q in quads if q.predicate == predicate[kind]]
    return {found[n % len(found)]}, set()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["rename", "exact", "implied", "object", "curated"]),
            st.integers(0, 10**6),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_checking_the_affected_graphs_again_gives_the_full_check(real_quads, real_checked, edits):
    before = set(real_quads)
    after = set(before)
    for edit in edits:
        removed, added = _change(sorted(after, key=str), edit)
        after = (after - removed) | added
    new = _with_merge(after)
    graphs = {str(q.graph_name) for q in before ^ after}
    triples = lambda quads: {q.triple for q in quads}  # noqa: E731
    gone = triples(before) - triples(after)
    joined = triples(after) - triples(before)
    found = since(new, real_checked, graphs, sorted(gone, key=str), sorted(joined, key=str))
    assert found == by_graph(new)  # and so report_of(found) is evidence_support(new)


def test_a_renamed_value_checks_again_the_graphs_whose_assertions_name_it(real_quads):
    """...when the value is curated: a date's or a number's names are never checked."""
    store = _with_merge(real_quads)
    curated = {q.subject for q in real_quads if q.predicate == _CURATED_IN}
    holding: dict = {}
    for q in real_quads:
        if q.predicate == _OBJECT:
            holding.setdefault(q.object, set()).add(str(q.graph_name))
    shared = [v for v in sorted(holding, key=str) if v in curated and len(holding[v]) > 1]
    for value, checked in ((shared[0], True), (_DATE, False)):
        assert len(holding[value]) > 1
        label = next(store.quads_for_pattern(value, _LABEL, None, ox.DefaultGraph())).triple
        found = affected_graphs(store, [], [label], [])
        assert found == (holding[value] if checked else set())
    assert affected_graphs(store, ["<g>"], [], []) == {"<g>"}
