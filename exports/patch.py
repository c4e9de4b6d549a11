"""An incremental build's dumps, patched from the last build's instead of written anew.

An incremental build changes a few lines of a sorted graph.nq, and the dataset
description (its version and counts). Every dump is the sorted lines, or blocks written
from runs of them: a subject's statement (Turtle, RDF/XML), a graph's block of subject
statements (TriG), a graph's item of one-line nodes (JSON-LD). A block depends only on
its own lines, so the blocks of subjects whose lines did not change are copied from the
last build's files, in the order the new lines give, and only the changed subjects are
serialised, by the same writers a full build uses. N-Quads and N-Triples are merges of
sorted lines. Anything that does not split as expected (a block count that does not
match) gives None, and the caller writes the dumps in full; tests/exports/test_patch.py
compares the patched files with a full build's, byte for byte.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from io import BytesIO
from operator import itemgetter, methodcaller
from pathlib import Path

from diplograph.exports.jsonld import (
    DOCUMENT_TAIL,
    NAMED_ITEM_TAIL,
    NODE_SEPARATOR,
    document_head,
    graph_nodes,
    named_item,
    named_opening,
)

Serialise = Callable[[list[bytes], str, BytesIO], None]
END = b" .\n"  # a Turtle or TriG statement's end: literals never hold a raw newline


def read_lines(path: Path) -> list[bytes]:
    """A build's sorted lines (no blank or comment lines: the build writes none)."""
    data = Path(path).read_bytes()
    return data.split(b"\n")[:-1] if data else []


def subject(line: bytes) -> bytes:
    return line[: line.index(b" ")]


def graph(line: bytes) -> bytes:
    """The graph term of a build's line: always a named graph's, the last term."""
    return line[line.rindex(b" ", 0, len(line) - 2) + 1 : -2]


def triple(line: bytes) -> bytes:
    return line[: line.rindex(b" ", 0, len(line) - 2)]


def holds(sorted_lines: list[bytes], prefix: bytes) -> bool:
    """Whether a line of `sorted_lines` starts with `prefix`."""
    i = bisect_left(sorted_lines, prefix)
    return i < len(sorted_lines) and sorted_lines[i].startswith(prefix)


def prefixed(sorted_lines: list[bytes], keys: Iterable[bytes]) -> list[bytes]:
    """The lines that start with a key and a space, in order (the keys' runs)."""
    out = []
    for key in sorted(keys):
        i = bisect_left(sorted_lines, key + b" ")
        out.extend(sorted_lines[i : bisect_left(sorted_lines, key + b"!", i)])
    return out


def patched_sorted(old: list[bytes], gone: set[bytes], new: set[bytes]) -> list[bytes]:
    """Sorted, distinct `old` without `gone` and with `new`."""
    kept = [line for line in old if line not in gone] if gone else list(old)
    missing = sorted(line for line in new if not holds_exactly(kept, line))
    if len(missing) > 64:  # many: one sort beats many inserts into a long list
        return sorted(set(kept) | set(missing))
    for line in missing:
        kept.insert(bisect_left(kept, line), line)
    return kept


def sorted_changes(old: list[bytes], new: list[bytes], block: int = 512) -> tuple[set, set]:
    """(lines only in `old`, lines only in `new`) of two sorted, distinct lists: a merge
    that skips equal blocks with one list comparison each (C), so the cost is the blocks
    and the changes, not the lines (at 1M lines: 2,000 comparisons, where two sets of a
    million lines each took two seconds)."""
    gone, came = set(), set()
    i = j = 0
    n, m = len(old), len(new)
    while i < n and j < m:
        if old[i : i + block] == new[j : j + block]:
            i, j = i + block, j + block
            continue
        for _ in range(block):  # one line at a time through the block that differs
            if i >= n or j >= m:
                break
            a, b = old[i], new[j]
            if a == b:
                i, j = i + 1, j + 1
            elif a < b:
                gone.add(a)
                i += 1
            else:
                came.add(b)
                j += 1
    gone.update(old[i:])
    came.update(new[j:])
    return gone, came


def holds_exactly(sorted_lines: list[bytes], line: bytes) -> bool:
    i = bisect_left(sorted_lines, line)
    return i < len(sorted_lines) and sorted_lines[i] == line


def triples_lines(part: list[bytes], old_nt: list[bytes], gone: set, came: set) -> list[bytes]:
    """The N-Triples lines (`triple .`) of the union of `part`'s graphs, patched.

    A triple of a removed quad leaves only if no quad of the new part still holds it.
    """
    left = {triple(q) for q in gone}
    left = {t + b" ." for t in left if not holds(part, t + b" ")}
    return patched_sorted(old_nt, left, {triple(q) + b" ." for q in came})


def splice(old_blocks, old_keys, new_keys, fresh: dict) -> list[bytes] | None:
    """The new blocks: fresh ones for the changed keys, the others copied from the old."""
    if len(old_blocks) != len(old_keys):
        return None
    old = dict(zip(old_keys, old_blocks, strict=True))
    try:
        return [fresh[k] if k in fresh else old[k] for k in new_keys]
    except KeyError:  # a key neither changed nor there before: the split went wrong
        return None


def subjects_of(lines: list[bytes]) -> list[bytes]:
    """The distinct subjects of sorted lines, in order (each subject's lines are one run);
    C loops only (map, partition), as this runs over every line of two builds."""
    return list(dict.fromkeys(map(_first, map(_partition, lines))))


_first, _partition = itemgetter(0), methodcaller("partition", b" ")


def turtle_blocks(doc: bytes) -> tuple[bytes, list[bytes]]:
    """(the @prefix lines, a statement per subject) of pyoxigraph's Turtle."""
    start = 0
    while doc.startswith(b"@prefix ", start):
        start = doc.index(b"\n", start) + 1
    return doc[:start], [b + END for b in doc[start:].split(END)[:-1]]


def trig_blocks(doc: bytes) -> tuple[bytes, list[tuple[bytes, list[bytes]]]]:
    """(the @prefix lines, per graph its opening line and subject statements) of TriG."""
    head, _ = turtle_blocks(doc)
    graphs = []
    for block in doc[len(head) :].split(b"\n}\n")[:-1]:
        opening, body = block.split(b"\n", 1)
        graphs.append((opening, [b + END for b in (body + b"\n").split(END)[:-1]]))
    return head, graphs


_XML_BLOCK = re.compile(rb"\n\t<(?!/)")  # a subject's element: '<' in text is '&lt;'
XML_TAIL = b"</rdf:RDF>"


def xml_blocks(doc: bytes) -> tuple[bytes, list[bytes]]:
    """(the prologue and rdf:RDF start tag, an element per subject) of RDF/XML."""
    starts = [m.start() + 1 for m in _XML_BLOCK.finditer(doc)]
    end = doc.rindex(XML_TAIL)
    bounds = [*starts, end]
    return doc[: starts[0]], [doc[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def jsonld_items(doc: bytes, head: bytes) -> list[tuple[bytes, list[bytes]]] | None:
    """Per named graph (its opening line, its nodes) of a JSON-LD dump, None if it has
    nodes in the default graph or another head."""
    if not doc.startswith(head) or not doc.endswith(NAMED_ITEM_TAIL + DOCUMENT_TAIL):
        return None
    body = doc[len(head) : -len(NAMED_ITEM_TAIL + DOCUMENT_TAIL)]
    items = []
    for item in body.split(NAMED_ITEM_TAIL + b",\n"):
        opening, nodes = item.split(b"\n  ", 1)
        if not opening.endswith(b'"@graph": ['):
            return None
        items.append((opening, nodes.split(NODE_SEPARATOR)))
    return items


class Change:
    """The last build's sorted part lines and this build's, and the quads between them."""

    def __init__(self, old: list[bytes], new: list[bytes], serialise: Serialise):
        self.old, self.new, self.serialise = old, new, serialise
        self.gone, self.came = sorted_changes(old, new)
        changed = self.gone | self.came
        self.subjects = {subject(q) for q in changed}
        self.graph_subjects: dict[bytes, set[bytes]] = {}
        for q in changed:
            self.graph_subjects.setdefault(graph(q), set()).add(subject(q))
        # per changed graph: its old and new lines, and its changed subjects' new lines
        old_by, new_by = (
            _graphs_lines(old, self.graph_subjects),
            _graphs_lines(new, self.graph_subjects),
        )
        self.changed_graphs = []
        for g, subjects in sorted(self.graph_subjects.items()):
            old_g, new_g = old_by[g], new_by[g]
            self.changed_graphs.append((g, old_g, new_g, prefixed(new_g, subjects)))
        self.old_graphs = _graph_keys(old)
        self.fresh_lines = sorted(q for *_, lines in self.changed_graphs for q in lines)

    def fresh(self, lines: list[bytes], fmt: str) -> bytes:
        out = BytesIO()
        if lines:
            self.serialise(lines, fmt, out)
        return out.getvalue()


def patch_dumps(old_dir: Path, new: list[bytes], serialise: Serialise, context: dict):
    """The six dumps of sorted part lines `new` by format, from the last build's dumps in
    `old_dir`; None if one of them does not split as this module expects.

    Each dump is a list of byte strings, its contents when written one after another: never
    joined into one, which at a million quads is a few hundred megabytes more to allocate
    per dump, and a fresh allocation's page faults are a large part of the job's time
    (docs/benchmarks.md, session 8)."""
    change = Change(read_lines(old_dir / "diplograph.nq"), new, serialise)
    old_nt = read_lines(old_dir / "diplograph.nt")
    new_nt = triples_lines(new, old_nt, change.gone, change.came)
    old_doc = {fmt: (old_dir / f"diplograph.{fmt}").read_bytes() for fmt in GROUPED}
    dumps = {"nq": _chunked(new), "nt": _chunked(new_nt)}
    nts = (new_nt, subjects_of(old_nt), subjects_of(new_nt))
    for fmt, split in (("ttl", turtle_blocks), ("rdf", xml_blocks)):
        dumps[fmt] = _union(change, fmt, split, old_doc[fmt], nts)
    dumps["trig"] = _trig(change, old_doc["trig"])
    dumps["jsonld"] = _jsonld(change, old_doc["jsonld"], context)
    return None if None in dumps.values() else dumps


GROUPED = ("ttl", "rdf", "trig", "jsonld")
_CHUNK = 1 << 16  # lines joined at a time


def _chunked(lines: list[bytes]) -> list[bytes]:
    """`lines`, each ended by a newline, as a few joined chunks (b"\\n" when there are none,
    as a full build writes it)."""
    if not lines:
        return [b"\n"]
    return [b"\n".join(lines[i : i + _CHUNK] + [b""]) for i in range(0, len(lines), _CHUNK)]


def _union(change: Change, fmt: str, split, old_doc: bytes, nts) -> list[bytes] | None:
    """Turtle or RDF/XML: a block per subject of the union of the graphs."""
    new_nt, old_keys, new_keys = nts
    fresh_lines = prefixed(new_nt, change.subjects)
    head, blocks = split(old_doc)
    fresh_head, fresh_blocks = split(change.fresh(fresh_lines, fmt)) if fresh_lines else (head, [])
    keys = subjects_of(fresh_lines)
    if fresh_head != head or len(keys) != len(fresh_blocks):
        return None
    fresh = dict(zip(keys, fresh_blocks, strict=True))
    spliced = splice(blocks, old_keys, new_keys, fresh)
    if spliced is None:
        return None
    return [head, *spliced, XML_TAIL if fmt == "rdf" else b""]


def _graph_keys(lines: list[bytes]) -> list[bytes]:
    """The graphs of a build's lines, sorted (C loops: every line of the last build)."""
    return sorted(set(map(itemgetter(1), map(methodcaller("rsplit", b" ", 2), lines))))


def _graphs_lines(lines: list[bytes], graphs: Iterable[bytes]) -> dict[bytes, list[bytes]]:
    """The lines of each of `graphs`, in order: one pass (C) over every line for them all,
    since each pass over a million lines costs ~0.3 s and an edit changes the VoID graph
    and one or two others."""
    found: dict[bytes, list[bytes]] = {g: [] for g in graphs}
    ends = tuple(b" " + g + b" ." for g in found)
    for line in filter(methodcaller("endswith", ends), lines):
        found[graph(line)].append(line)
    return found


def _regraph(change: Change, old_graphs: dict, fresh_graphs: dict) -> dict | None:
    """Per graph of the new part (opening, units): the changed graphs spliced from their
    old units and the fresh ones of their changed subjects, the others as they were."""
    graphs = dict(old_graphs)
    for g, old, new, lines in change.changed_graphs:
        if not new:
            graphs.pop(g, None)
            continue
        opening, units = fresh_graphs.get(g, (None, []))
        keys = subjects_of(lines)
        old_opening, old_units = old_graphs.get(g, (opening, []))
        if len(keys) != len(units) or old_opening is None:
            return None
        fresh = dict(zip(keys, units, strict=True))
        spliced = splice(old_units, subjects_of(old), subjects_of(new), fresh)
        if spliced is None:
            return None
        graphs[g] = (old_opening, spliced)
    return graphs


def _trig(change: Change, old_doc: bytes) -> list[bytes] | None:
    """TriG: a block per graph, of a statement per subject."""
    head, old_blocks = trig_blocks(old_doc)
    old_keys = change.old_graphs
    fresh_doc = change.fresh(change.fresh_lines, "trig")
    fresh_head, fresh_blocks = trig_blocks(fresh_doc) if fresh_doc else (head, [])
    fresh_keys = [g for g, *_, lines in change.changed_graphs if lines]
    if len(old_keys) != len(old_blocks) or len(fresh_keys) != len(fresh_blocks):
        return None
    old_graphs = dict(zip(old_keys, old_blocks, strict=True))
    graphs = _regraph(change, old_graphs, dict(zip(fresh_keys, fresh_blocks, strict=True)))
    if graphs is None or fresh_head != head:
        return None
    parts = [head]
    for _, (opening, units) in sorted(graphs.items()):
        parts += [opening, b"\n", *units, b"}\n"]
    return parts


def _jsonld(change: Change, old_doc: bytes, context: dict) -> list[bytes] | None:
    """JSON-LD: an item per named graph, of a line per subject."""
    head = document_head(context)
    old_items = jsonld_items(old_doc, head)
    old_keys = change.old_graphs
    if old_items is None or len(old_items) != len(old_keys):
        return None
    c, nodes = graph_nodes(change.fresh_lines, context)
    fresh = {g: (named_opening(c, g), n) for g, n in nodes.items()}
    graphs = _regraph(change, dict(zip(old_keys, old_items, strict=True)), fresh)
    if graphs is None:
        return None
    items = [named_item(opening, units) for _, (opening, units) in sorted(graphs.items())]
    parts = [head]
    for i, item in enumerate(items):
        parts += [b",\n", item] if i else [item]
    return [*parts, DOCUMENT_TAIL]
