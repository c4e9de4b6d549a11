"""Curated YAML is read with line numbers, and unsafe or broken files are refused clearly."""

from __future__ import annotations

import pytest

from diplograph.loaders import yamlsrc
from diplograph.loaders.errors import CurationError
from diplograph.loaders.yamlsrc import read_yaml


def problems_of(path, rel="f.yaml"):
    with pytest.raises(CurationError) as info:
        read_yaml(path, rel)
    return info.value.problems


def test_values_keep_their_lines_and_stay_text(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("- id: x\n  label: no\n  date: 2025-10-30\n  n: 1.50\n")
    (record,) = read_yaml(path, "f.yaml")
    assert record.line == 1
    assert record["label"] == "no" and record["label"].line == 2
    assert record["date"] == "2025-10-30" and record.key_lines["date"] == 3
    assert record["n"] == "1.50"


def test_billion_laughs_is_refused_before_expansion(tmp_path):
    path = tmp_path / "bomb.yaml"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path.write_text("\n".join(lines) + "\n")
    (problem,) = problems_of(path, "bomb.yaml")
    assert problem.file == "bomb.yaml" and problem.line == 1
    assert "anchors" in problem.message


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("- id: x\n  label: Caf\u00e9\n".encode("latin-1"))
    (problem,) = problems_of(path, "latin1.yaml")
    assert problem.line == 2 and problem.rule == "encoding" and "UTF-8" in problem.message


def test_huge_file_is_refused_without_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlsrc, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.yaml"
    path.write_text("- id: x\n  label: " + "y" * 2000 + "\n")
    (problem,) = problems_of(path, "huge.yaml")
    assert "limit" in problem.message


def test_syntax_error_points_at_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("- id: x\n  label: [unclosed\n- id: y\n")
    (problem,) = problems_of(path, "broken.yaml")
    assert problem.rule == "yaml" and problem.line >= 2


def test_duplicate_key_in_a_record(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("- id: x\n  label: a\n  label: b\n")
    (problem,) = problems_of(path, "dup.yaml")
    assert problem.line == 3 and "twice" in problem.message


def _shape(value):
    """A parsed value with every line it carries, for comparing two parsers."""
    if isinstance(value, dict):
        items = {k: _shape(v) for k, v in value.items()}
        return ("map", value.line, dict(value.key_lines), items)
    if isinstance(value, list):
        return ("seq", value.line, [_shape(v) for v in value])
    return ("str", value.line, str(value))


def test_fast_parser_reads_the_real_data_exactly_as_the_checking_parser(monkeypatch):
    """libyaml reads files without anchors; it must give the same values and lines."""
    from diplograph.data import DATA_DIR

    files = sorted(DATA_DIR.rglob("*.yaml"))
    assert len(files) >= 8
    fast = {f: _shape(read_yaml(f, f.name)) for f in files}
    monkeypatch.setattr(yamlsrc, "_CLoader", yamlsrc._NoAliasLoader)
    for f in files:
        assert _shape(read_yaml(f, f.name)) == fast[f], f.name
    assert yamlsrc.yaml.__with_libyaml__  # the fast path is what the build really runs


def test_an_anchor_without_alias_is_refused(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("- id: x\n  label: &l Xi\n")
    (problem,) = problems_of(path)
    assert problem.line == 2 and "anchor" in problem.message


@pytest.mark.parametrize(
    "body",
    [
        "- id: x\n  label: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "- " * 30_000 + "y\n",
        "- id: x\n  label:\n" + "".join(" " * (4 + i) + "k:\n" for i in range(2_500)),
    ],
    ids=["flow", "block-indicators", "indentation"],
)
def test_deep_nesting_never_reaches_the_c_parser(tmp_path, body, monkeypatch):
    """libyaml recurses without a limit and overflows the C stack (a segfault, not an error)."""
    path = tmp_path / "deep.yaml"
    path.write_text(body)
    assert yamlsrc._nesting_bound(body) >= yamlsrc.MAX_FAST_NESTING
    calls = []
    monkeypatch.setattr(yamlsrc, "_CLoader", lambda *a: calls.append(a) or 1 / 0)
    with pytest.raises(CurationError):
        read_yaml(path, "deep.yaml")
    assert calls == []
