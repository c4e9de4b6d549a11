"""Every kind of curation mistake is reported with its file, line and rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli.build import load_graphs
from diplograph.cli.main import main
from diplograph.loaders.errors import CurationError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
FACTS = "facts/mini-2025-10-24.yaml"
PEOPLE = "entities/people.yaml"
PLACES = "entities/places.yaml"

# (name, file, old text, new text, expected file, line, rule, message fragment)
# fmt: off
MUTATIONS = [
    ("unknown entity id", FACTS, "    place: busan", "    place: busam", FACTS, 8, "unknown-id", "did you mean: busan"),
    ("bad date", FACTS, "    date: 2025-10-30", "    date: 2025-10-32", FACTS, 6, "date", "not a calendar date"),
    ("vague date", FACTS, "    date: 2025-10-30", "    date: next Thursday", FACTS, 6, "date", "YYYY-MM-DD"),
    ("excerpt not in source", FACTS, "buy at least 12", "buy at least 13", FACTS, 31, "excerpt", "not found in mini.txt"),
    ("duplicate id", PEOPLE, "- id: gamma", "- id: beta", PEOPLE, 13, "duplicate-id", "duplicate id 'beta'"),
    ("missing excerpt", FACTS, "    excerpt: Minister Gamma said Alpha called first.\n", "", FACTS, 43, "required", "has no excerpt"),
    ("missing statement text", FACTS, "    text: It will be a very good meeting.\n", "", FACTS, 15, "required", "has no 'text'"),
    ("missing event label", FACTS, "    label: Alpha–Beta meeting in Busan\n", "", FACTS, 3, "required", "has no 'label'"),
    ("unknown field", FACTS, "    date_note: Thursday", "    dat_note: Thursday", FACTS, 7, "unknown-field", "did you mean: date_note"),
    ("unknown controlled term", FACTS, "    status: planned", "    status: plannd", FACTS, 12, "controlled-term", "expected one of"),
    ("unknown role", FACTS, "{agent: beta, role: guest}", "{agent: beta, role: guset}", FACTS, 11, "controlled-term", "not a role"),
    ("unknown type", FACTS, "[BilateralMeeting, Summit]", "[BilateralMeting, Summit]", FACTS, 4, "unknown-type", "did you mean: BilateralMeeting"),
    ("entity type in facts file", FACTS, "type: [BilateralMeeting, Summit]", "type: Person", FACTS, 4, "wrong-type", "does not belong"),
    ("not a number", FACTS, "rate_percent: 100", "rate_percent: a hundred", FACTS, 38, "datatype", "not a valid decimal"),
    ("bad duration", FACTS, "duration: P3Y6M", "duration: 3.5 years", FACTS, 29, "datatype", "ISO 8601 duration"),
    ("bad id", PEOPLE, "- id: gamma", "- id: Gamma Person", PEOPLE, 13, "id", "lower-case"),
    ("missing id", PEOPLE, "- id: gamma\n  type: Person", "- type: Person", PEOPLE, 13, "required", "missing required field 'id'"),
    ("bad wikidata", PLACES, "wikidata: Q148", "wikidata: china", PLACES, 7, "datatype", "not a QID"),
    ("undefined fact", FACTS, "    type: Tariff\n    label: Additional 100% tariff threat\n", "", FACTS, 32, "required", "never defined"),
    ("quantity not a mapping", FACTS, "quantity: {value: 12000000, unit: tonne, bound: at-least}", "quantity: 12000000", FACTS, 28, "required", "expected a mapping"),
    ("bad currency", FACTS, "quantity: {value: 12000000, unit: tonne, bound: at-least}", "amount: {value: 5, currency: dollars}", FACTS, 28, "datatype", "ISO 4217"),
    ("facts file named for another source", FACTS, "source: mini-2025-10-24", "source: other-2025", FACTS, 1, "layout", "declares source"),
]
# fmt: on


def mutate(tmp_path: Path, file: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize("case", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mistake_is_reported_with_file_line_and_rule(tmp_path, case):
    _name, file, old, new, where, line, rule, fragment = case
    data = mutate(tmp_path, file, old, new)
    with pytest.raises(CurationError) as info:
        load_graphs(data, sources_dir=FIXTURES / "sources")
    found = [(p.file, p.line, p.rule) for p in info.value.problems]
    assert (where, line, rule) in found, info.value
    assert any(fragment in p.message for p in info.value.problems), info.value


def test_the_valid_fixture_loads():
    assert len(load_graphs(MINIMAL, sources_dir=FIXTURES / "sources").dataset) > 100


def test_all_problems_are_reported_at_once(tmp_path):
    data = mutate(tmp_path, FACTS, "    place: busan", "    place: busam")
    path = data / FACTS
    path.write_text(path.read_text().replace("status: planned", "status: plannd"))
    with pytest.raises(CurationError) as info:
        load_graphs(data)
    rules = {p.rule for p in info.value.problems}
    assert {"unknown-id", "controlled-term"} <= rules


def test_build_command_exits_nonzero_and_prints_file_line(tmp_path, monkeypatch):
    data = mutate(tmp_path, FACTS, "    place: busan", "    place: busam")
    monkeypatch.setenv("DIPLOGRAPH_HOME", str(tmp_path / "instance"))
    result = CliRunner().invoke(main, ["build", str(data), "--sources", str(FIXTURES / "sources")])
    assert result.exit_code == 1
    assert f"{FACTS}:8: [unknown-id]" in result.output
    assert "nothing was published" in result.output
    assert not (tmp_path / "instance" / "current").exists()


def test_check_excerpts_command(tmp_path):
    ok = CliRunner().invoke(
        main, ["check-excerpts", str(MINIMAL), "--sources", str(FIXTURES / "sources")]
    )
    assert ok.exit_code == 0, ok.output
    assert "0 not found" in ok.output
    data = mutate(tmp_path, FACTS, "least 12 million", "least 13 million")
    bad = CliRunner().invoke(
        main, ["check-excerpts", str(data), "--sources", str(FIXTURES / "sources")]
    )
    assert bad.exit_code == 1
    assert f"{FACTS}:31: [excerpt]" in bad.output
