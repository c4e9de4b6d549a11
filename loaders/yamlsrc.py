"""Read curated YAML keeping the line of every value, and refusing what is unsafe.

Every scalar is read as text (no YAML 1.1 surprises: `no` stays "no", dates stay
strings) and the loader interprets it by the property it fills. Anchors and
aliases are refused outright: curated facts never need them, and expanding them
is how a "billion laughs" file exhausts memory.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from diplograph.loaders.errors import CurationError, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024


class Str(str):
    line: int = 0


class Map(dict):
    line: int = 0
    key_lines: dict


class Seq(list):
    line: int = 0


def _convert(node, rel: str, seen: set[int]):
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise CurationError(
            [Problem(rel, line, "YAML anchors and aliases are not allowed", "yaml")]
        )
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        value = Str(node.value)
        value.line = line
        return value
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(_convert(item, rel, seen) for item in node.value)
        seq.line = line
        return seq
    if isinstance(node, yaml.MappingNode):
        mapping = Map()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise CurationError(
                    [
                        Problem(
                            rel,
                            key_node.start_mark.line + 1,
                            "mapping keys must be plain words",
                            "yaml",
                        )
                    ]
                )
            key = key_node.value
            if key in mapping:
                raise CurationError(
                    [
                        Problem(
                            rel,
                            key_node.start_mark.line + 1,
                            f"key '{key}' appears twice in one record",
                            "yaml",
                        )
                    ]
                )
            mapping[key] = _convert(value_node, rel, seen)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping
    raise CurationError(
        [Problem(rel, line, f"unsupported YAML node {type(node).__name__}", "yaml")]
    )


class _NoAliasLoader(yaml.SafeLoader):
    """A composer that fails on the first anchor, before any expansion can happen."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed in curated data", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "YAML anchors are not allowed in curated data", event.start_mark
            )
        return super().compose_node(parent, index)


_CLoader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

#: libyaml's composer recurses in C, without Python's recursion limit: thousands of levels
#: overflow the C stack and kill the process. Deeper texts go to the Python parser, which
#: refuses them cleanly.
MAX_FAST_NESTING = 2_000
_STRUCTURAL_PREFIX = re.compile(r"^[ \t\-?:]*", re.MULTILINE)


def _nesting_bound(text: str) -> int:
    """More than the deepest nesting the text can hold: every flow bracket, plus the
    longest run of indentation and block indicators opening a line."""
    prefix = max((len(m.group()) for m in _STRUCTURAL_PREFIX.finditer(text)), default=0)
    return text.count("[") + text.count("{") + prefix


def read_yaml(path: Path, rel: str):
    """Parse one curated file into Map/Seq/Str values that know their line."""
    return parse_yaml(read_bytes(path, rel), rel)


def read_bytes(path: Path, rel: str) -> bytes:
    """A curated file's bytes, refused (before reading) when it is over the size limit."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise CurationError(
            [
                Problem(
                    rel,
                    1,
                    f"file is {size} bytes; the limit is {MAX_FILE_BYTES} (split it by source)",
                    "yaml",
                )
            ]
        )
    return path.read_bytes()


def parse_yaml(raw: bytes, rel: str):
    """Parse a curated file's bytes (see read_yaml); `rel` names it in problems."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CurationError(
            [
                Problem(
                    rel,
                    line,
                    f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8",
                    "encoding",
                )
            ]
        ) from None
    if "&" not in text and _nesting_bound(text) < MAX_FAST_NESTING:
        # libyaml is ten times faster. It drops anchors silently (none can hide in a text
        # without "&") and shares aliased nodes, which _convert refuses; any error is
        # reported by the pure-Python parser below, whose messages and marks we rely on.
        try:
            node = yaml.compose(text, Loader=_CLoader)
            return None if node is None else _convert(node, rel, set())
        except (yaml.YAMLError, RecursionError):
            pass
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
        return None if node is None else _convert(node, rel, set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise CurationError(
            [Problem(rel, line, f"YAML syntax: {exc.problem or exc}", "yaml")]
        ) from None
    except yaml.reader.ReaderError as exc:  # NUL and other control characters
        line = text[: exc.position].count("\n") + 1
        message = f"character U+{exc.character:04X} is not allowed in YAML"
        raise CurationError([Problem(rel, line, message, "encoding")]) from None
    except RecursionError:  # [[[[...]]]] thousands deep: the parser recurses per level
        raise CurationError(
            [Problem(rel, 1, "YAML nested too deeply: curated records are shallow", "yaml")]
        ) from None
