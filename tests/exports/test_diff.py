"""`diplograph diff`: a known change between two builds is reported exactly."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from export_builds import copy_data, make_build

from diplograph.cli.main import main
from diplograph.exports.diff import diff_builds, read_build, render_patch, render_text

GAMMA = "<https://w3id.org/diplograph/id/gamma>"
ENTITIES = "<https://w3id.org/diplograph/graph/entities>"
LABELS = [
    "<http://www.w3.org/2000/01/rdf-schema#label>",
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
    "<https://w3id.org/diplograph/def#label>",
]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("diff")
    old = make_build(root, name="old")
    data = copy_data(root)
    people = data / "entities" / "people.yaml"
    text = people.read_text()
    assert "  label: Gamma\n" in text
    # "Minister Gamma" still names Gamma in the claim's excerpt ("Minister Gamma said..."),
    # so the claimant keeps its evidence and the relabel is the whole change; a label no
    # excerpt mentions would also change the support of Gamma's assertions (issue 17).
    people.write_text(text.replace("  label: Gamma\n", "  label: Minister Gamma\n"))
    new = make_build(root, data, name="new")
    return old, new


def quads(label: str) -> list[bytes]:
    return sorted(f'{GAMMA} {p} "{label}" {ENTITIES} .'.encode() for p in LABELS)


def test_a_relabelled_entity_is_exactly_the_change(builds):
    old, new = builds
    diff = diff_builds(read_build(old), read_build(new))
    assert diff.removed == quads("Gamma")
    assert diff.added == quads("Minister Gamma")
    assert list(diff.by_source()) == [ENTITIES]
    assert list(diff.by_entity()) == [GAMMA]
    assert len(diff.by_entity()[GAMMA]["added"]) == 3


def test_the_same_build_has_no_changes(builds):
    old, _new = builds
    diff = diff_builds(read_build(old), read_build(old))
    assert diff.added == diff.removed == []
    assert "0 quads added, 0 removed." in render_text(diff)


def test_applying_the_patch_to_the_old_build_gives_the_new_one(builds):
    old, new = builds
    before, after = read_build(old), read_build(new)
    state = set(before.lines)
    for line in render_patch(diff_builds(before, after)).splitlines():
        if line.startswith("D "):
            state.remove(line[2:].encode())
        elif line.startswith("A "):
            state.add(line[2:].encode())
    assert state == after.lines


def test_cli_diff_json(builds):
    old, new = builds
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["added"], doc["removed"]) == (3, 3)
    assert doc["by_entity"] == {GAMMA: {"added": 3, "removed": 3}}
    assert doc["new"]["version"] != doc["old"]["version"]


def test_cli_diff_text_groups_by_source_and_entity(builds):
    old, new = builds
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "By source:" in result.output and "By entity:" in result.output
    assert f"- {quads('Gamma')[0].decode()}" in result.output
    assert f"+ {quads('Minister Gamma')[0].decode()}" in result.output
