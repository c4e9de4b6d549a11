"""Emission file by file and record by record (loaders/units.py): a file or a record
replayed from the last build gives exactly what emitting it again would, whatever else
changed; it is replayed only when nothing it read changed."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.cli.build import emit_graphs
from diplograph.cli.warm import Warm
from diplograph.data import DATA_DIR
from diplograph.loaders.errors import CurationError

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "minimal"
FACTS = sorted(f"facts/{p.name}" for p in (DATA_DIR / "facts").glob("*.yaml"))
ENTITIES = sorted(f"entities/{p.name}" for p in (DATA_DIR / "entities").glob("*.yaml"))


def _copy(to: Path) -> Path:
    shutil.copytree(DATA_DIR, to, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return to


def _emitted(data: Path, warm: Warm | None = None):
    """What emission gives that must not depend on replays: graphs, excerpts, problems."""
    try:
        graphs, problems = emit_graphs(data, warm=warm)
    except CurationError as exc:
        return ("refused", sorted(str(p) for p in exc.problems))
    quads = {name: frozenset(triples) for name, triples in graphs.quads.graphs.items()}
    return quads, list(graphs.excerpts), sorted(str(p) for p in problems)


def _records(data: Path, rel: str) -> tuple[object, list]:
    doc = yaml.safe_load((data / rel).read_text())
    return doc, doc["facts"] if isinstance(doc, dict) else doc


def _edit(data: Path, edit: tuple) -> None:
    kind, rel, index = edit[:3]
    doc, records = _records(data, rel)
    record = records[index % len(records)]
    if kind == "label":
        record["label"] = f"{record.get('label', record['id'])} {edit[3]}"
    elif kind == "alias":  # a name an excerpt may use: which excerpts support a value
        record["aliases"] = [*record.get("aliases", []), edit[3]]
    elif kind == "drop":  # its id may now be unknown where other files name it
        records.remove(record)
    elif kind == "date":
        record["publication_date"] = "2025-11-30"
    elif kind == "in-place":  # one line of the file changed, every other line where it was
        _edit_in_place(data, rel, index, edit[3])
        return
    (data / rel).write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _edit_in_place(data: Path, rel: str, index: int, word: str) -> None:
    """Append `word` to the file's index-th unquoted label, its other lines untouched."""
    lines = (data / rel).read_text().split("\n")
    labels = [i for i, line in enumerate(lines) if re.match(r" *-? *label: [^'\"]", line)]
    if labels:
        lines[labels[index % len(labels)]] += f" {word}"
        (data / rel).write_text("\n".join(lines))


WORD = st.text("abc xyz", min_size=1, max_size=8)
EDIT = st.one_of(
    st.tuples(st.just("label"), st.sampled_from(ENTITIES + FACTS), st.integers(0, 99), WORD),
    st.tuples(st.just("alias"), st.sampled_from(ENTITIES), st.integers(0, 99), WORD),
    st.tuples(st.just("drop"), st.sampled_from(ENTITIES + FACTS), st.integers(0, 99)),
    st.tuples(st.just("date"), st.just("sources.yaml"), st.integers(0, 99)),
    st.tuples(st.just("in-place"), st.sampled_from(ENTITIES + FACTS), st.integers(0, 99), WORD),
)


@pytest.fixture(scope="module")
def primed():
    """The real data and a Warm that emitted it once: each example starts from copies."""
    with tempfile.TemporaryDirectory() as tmp:
        data = _copy(Path(tmp) / "data")
        warm = Warm()
        emit_graphs(data, warm=warm)
        yield data, warm


def _copied_warm(warm: Warm) -> Warm:
    """A Warm holding what `warm` holds, for one example (the replayed units are shared
    objects; nothing writes to them)."""
    copy = Warm()
    copy.parsed = dict(warm.parsed)
    units = copy.units
    units.files, units.records = dict(warm.units.files), dict(warm.units.records)
    units.texts, units.context = dict(warm.units.texts), warm.units.context
    return copy


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
def test_a_replayed_emission_equals_a_fresh_one(primed, edits):
    data, warm = primed
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "data"
        shutil.copytree(data, work)
        for edit in edits:
            _edit(work, edit)
        assert _emitted(work, _copied_warm(warm)) == _emitted(work)


def test_unchanged_files_are_replayed_and_give_the_same(tmp_path):
    data, warm = _copy(tmp_path / "data"), Warm()
    first = _emitted(data, warm)
    units = dict(warm.units.files)
    assert units and all(key[1] for key in units)
    assert _emitted(data, warm) == first == _emitted(data)
    assert all(warm.units.files[key] is unit for key, unit in units.items())  # replayed


def test_a_relabelled_entity_emits_again_the_files_that_name_it(tmp_path):
    data, warm = _copy(tmp_path / "data"), Warm()
    _emitted(data, warm)
    units = dict(warm.units.files)
    people = data / "entities" / "people.yaml"
    people.write_text(people.read_text().replace("label: Donald Trump", "label: Donald J. Trump"))
    naming = {p.name for p in (data / "facts").glob("*.yaml") if "donald-trump" in p.read_text()}
    assert _emitted(data, warm) == _emitted(data)
    replayed = {
        key[1].split("/")[-1] for key, unit in warm.units.files.items() if units.get(key) is unit
    }
    assert naming and not naming & replayed  # every file naming him emitted again
    assert "people.yaml" not in replayed
    assert replayed, "files that never name him are replayed"


def test_a_file_that_met_a_problem_is_not_kept(tmp_path):
    data, warm = _copy(tmp_path / "data"), Warm()
    path = data / FACTS[0]
    doc, records = _records(data, FACTS[0])
    records[0]["participants"] = ["nobody-known"]
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    outcome = _emitted(data, warm)
    assert any("nobody-known" in p for p in outcome[2])
    assert not any(key[1] == FACTS[0] for key in warm.units.files)
    assert any(key[1] == FACTS[1] for key in warm.units.files)
    # the file's other records are kept, each on its own
    kept = [text for (_pass, text) in warm.units.records if text[0] == FACTS[0]]
    assert len(kept) == len(records) - 1


def test_a_label_edited_in_place_emits_again_that_record_and_its_readers_only(tmp_path):
    data, warm = _copy(tmp_path / "data"), Warm()
    _emitted(data, warm)
    before = dict(warm.units.records)
    _edit_in_place(data, FACTS[0], 0, "edited")
    assert _emitted(data, warm) == _emitted(data)
    own = {k: u for k, u in warm.units.records.items() if k[1][0] == FACTS[0]}
    again = [k for k, u in own.items() if before.get(k) is not u]
    assert 1 <= len(again) < len(own) / 4  # the edited record (and any reading its label)
    replayed = [k for k, u in own.items() if before.get(k) is u]
    assert replayed  # the file's other records were not emitted again


def test_an_excerpt_another_file_no_longer_uses_is_recorded_by_the_file_that_does(tmp_path):
    """The facts file names nobody in people.yaml; only the excerpt uses tie the two: when
    the position's excerpt changes, the facts file's use of the passage becomes its own."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    passage = "President Alpha will meet"
    doc, records = _records(data, "facts/mini-2025-10-24.yaml")
    doc["facts"] = [
        {
            "id": "tariff-threat",
            "type": "Tariff",
            "label": "A tariff",
            "imposer": "country-a",
            "excerpt": passage,
        }
    ]
    (data / "facts" / "mini-2025-10-24.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    warm = Warm()
    before = _emitted(data, warm)
    assert [u.file for u in before[1] if u.text == passage] == ["entities/people.yaml"]
    people = data / "entities" / "people.yaml"
    people.write_text(people.read_text().replace(f"excerpt: {passage}", "excerpt: Alpha"))
    after = _emitted(data, warm)
    assert after == _emitted(data)
    assert [u.file for u in after[1] if u.text == passage] == ["facts/mini-2025-10-24.yaml"]
