"""Hostile curated data: every file gets a clear CurationError from a whole build, never a
hang, a traceback or an outbound request, and the published build stays as it was.

The only curated input format is YAML (the loaders read no RDF/XML or JSON-LD), so the
cases are YAML bombs, deep nesting, huge files, wrong encodings and control characters.
"""

from __future__ import annotations

import socket

import pytest
from reliability_support import MINIMAL, build_into, variant

from diplograph.loaders import yamlsrc
from diplograph.loaders.errors import CurationError
from diplograph.store import current_build


def _bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


CASES = {
    "billion-laughs": (_bomb(), "anchors"),
    "alias-only": (b"- id: x\n  label: *undefined\n", "aliases"),
    "deep-nesting": (("- id: x\n  label: " + "[" * 50000 + "]" * 50000 + "\n").encode(), "deep"),
    "nul-character": (b"- id: x\n  label: a\x00b\n", "U+0000"),
    "utf-16": ("- id: x\n  label: Caf\u00e9\n".encode("utf-16"), "UTF-8"),
    "latin-1": ("- id: x\n  label: Caf\u00e9\n".encode("latin-1"), "UTF-8"),
    "huge": (b"- id: x\n  label: " + b"y" * (yamlsrc.MAX_FILE_BYTES + 10) + b"\n", "limit"),
    "python-tag": (b"- !!python/object/apply:os.system ['echo hostile']\n", "mapping"),
}


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"outbound request attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    instance = tmp_path_factory.mktemp("curated") / "instance"
    return instance, build_into(MINIMAL, instance).build_dir.resolve()


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_curated_file_is_refused_clearly(case, published, tmp_path, no_network):
    instance, good = published
    data = variant(tmp_path, "data", extra="")
    content, expected = CASES[case]
    (data / "entities" / "topics.yaml").write_bytes(content)  # a file the layout expects
    with pytest.raises(CurationError) as info:
        build_into(data, instance)
    text = " ".join(p.message for p in info.value.problems)
    assert any(p.file.endswith("topics.yaml") for p in info.value.problems), text
    assert expected in text, text
    assert "Traceback" not in text
    assert current_build(instance) == good


def test_regression_yaml_nested_too_deeply_is_a_curation_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "{b: " * 20000 + "c" + "}" * 20000 + "\n")
    with pytest.raises(CurationError) as info:
        yamlsrc.read_yaml(path, "deep.yaml")
    assert "nested too deeply" in info.value.problems[0].message


def test_regression_yaml_control_character_names_its_line(tmp_path):
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"- id: x\n  label: ok\n- id: y\n  label: a\x07b\n")
    with pytest.raises(CurationError) as info:
        yamlsrc.read_yaml(path, "nul.yaml")
    (problem,) = info.value.problems
    assert problem.line == 4 and "U+0007" in problem.message
