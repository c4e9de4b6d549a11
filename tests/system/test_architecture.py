"""The real import graph keeps the layout: folders import one way, no module cycles.

Reads every module of the package (the folders mapped in pyproject.toml's
[tool.setuptools.package-dir]) and of `bench/` with `ast`, without importing
anything, and checks:

- a folder imports only folders below it in LAYERS (no upward or sideways import),
  and the folders' own graph has no cycle;
- no two modules import each other, directly or round a longer loop (a module that
  imports its own package's `__init__` while that `__init__` imports it counts);
- an import of project code inside a function carries a comment `# deferred: <why>`
  (DEFERRED) on one of its lines or on the line above; one comment covers the imports
  that follow it line after line. An import deferred to dodge a cycle hides a wrong
  dependency: move the code instead.

Every import counts for the layers and the cycles, deferred or not. See
docs/architecture.md ("Layers").
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Bottom first; folders in one tuple share a layer and must not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("data", "ontology"),
    ("loaders",),
    ("queries",),
    ("shapes",),
    ("store",),
    # draft/ (candidate facts from an article's text, for web/ and cli/ to show and
    # promote) and exports/ are separate concerns: neither imports the other.
    ("exports", "draft"),
    ("web",),
    ("cli",),
    ("bench",),
)
# Not part of the installed package, but held to the same rules; it may use all of it.
EXTRA_PACKAGES = {"bench": "bench"}
DEFERRED = re.compile(r"#\s*deferred:\s*\S")


def package_dirs() -> dict[str, str]:
    """Import package -> folder, as pyproject.toml maps them, plus EXTRA_PACKAGES."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = dict(config["tool"]["setuptools"]["package-dir"])
    mapping.update(EXTRA_PACKAGES)
    return mapping


def rank_of(folder: str) -> int:
    for rank, folders in enumerate(LAYERS):
        if folder in folders:
            return rank
    raise KeyError(folder)


@dataclass(frozen=True)
class Module:
    name: str
    folder: str
    path: Path
    is_package: bool


@dataclass(frozen=True)
class Import:
    source: Module
    target: str  # a module name in modules()
    line: int
    text: str  # the statement as written
    in_function: bool
    deferred: bool  # the statement carries DEFERRED

    @property
    def where(self) -> str:
        return f"{self.source.path.relative_to(ROOT)}:{self.line}"


@cache
def modules() -> dict[str, Module]:
    found = {}
    for package, folder in package_dirs().items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            name = ".".join([package, *parts])
            found[name] = Module(name, folder, path, is_package)
    return found


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(module: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules a statement imports: a submodule when the name is one,
    else the package whose `__init__` provides the name."""
    known = modules()
    names = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.name
            while name and name not in known:
                name = name.rpartition(".")[0]
            names.append(name)
    else:
        base = _resolve(module, node)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            names.append(full if full in known else base)
    return sorted({name for name in names if name in known})


class _Collector(ast.NodeVisitor):
    def __init__(self, module: Module, lines: list[str]):
        self.module, self.lines, self.depth, self.found = module, lines, 0, []
        self.deferred_ends: set[int] = set()  # last lines of deferred imports

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _import(self, node):
        first, last = node.lineno, node.end_lineno or node.lineno
        span = self.lines[max(first - 2, 0) : last]
        deferred = any(DEFERRED.search(line) for line in span) or first - 1 in self.deferred_ends
        if deferred:
            self.deferred_ends.add(last)
        text = " ".join(line.strip() for line in self.lines[first - 1 : last])
        for target in _targets(self.module, node):
            self.found.append(Import(self.module, target, first, text, self.depth > 0, deferred))

    visit_Import = visit_ImportFrom = _import


@cache
def imports() -> tuple[Import, ...]:
    found = []
    for module in modules().values():
        source = module.path.read_text(encoding="utf-8")
        collector = _Collector(module, source.splitlines())
        collector.visit(ast.parse(source, filename=str(module.path)))
        found.extend(collector.found)
    return tuple(found)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def _edges_within(component: list[str], key) -> list[str]:
    members = set(component)
    return [
        f"  {i.where}: {i.text}"
        for i in imports()
        if key(i.source) in members
        and key(modules()[i.target]) in members
        and key(i.source) != key(modules()[i.target])
    ]


# The checks ----------------------------------------------------------------------------


def test_the_scan_sees_the_whole_package():
    mapping = package_dirs()
    folders = set(mapping.values())
    layered = {folder for layer in LAYERS for folder in layer}
    assert folders == layered, "every mapped folder has a place in LAYERS, and only those"
    by_folder = {m.folder for m in modules().values()}
    assert by_folder == folders
    # The scan resolves real imports, relative and absolute alike.
    assert any(i.target == "diplograph.store" for i in imports())
    assert len(imports()) > 100


def test_folders_import_only_folders_below_them():
    wrong = []
    for i in imports():
        target = modules()[i.target]
        if target.folder == i.source.folder:
            continue
        if rank_of(target.folder) >= rank_of(i.source.folder):
            kind = "upward" if rank_of(target.folder) > rank_of(i.source.folder) else "sideways"
            wrong.append(f"  {i.where}: {i.text}  ({kind}: {i.source.folder} -> {target.folder})")
    order = " -> ".join("/".join(layer) for layer in LAYERS)
    assert not wrong, f"imports against the layer order {order}:\n" + "\n".join(wrong)


def test_no_cycle_between_folders():
    graph: dict[str, set[str]] = {}
    for i in imports():
        graph.setdefault(i.source.folder, set()).add(modules()[i.target].folder)
    for folder, targets in graph.items():
        targets.discard(folder)
    cycles = _cycles(graph)
    report = [
        f"{' <-> '.join(c)}:\n" + "\n".join(_edges_within(c, lambda m: m.folder)) for c in cycles
    ]
    assert not cycles, "folders importing each other:\n" + "\n".join(report)


def test_no_cycle_between_modules():
    graph: dict[str, set[str]] = {}
    for i in imports():
        if i.target != i.source.name:
            graph.setdefault(i.source.name, set()).add(i.target)
    cycles = _cycles(graph)
    report = [
        f"{' <-> '.join(c)}:\n" + "\n".join(_edges_within(c, lambda m: m.name)) for c in cycles
    ]
    assert not cycles, "modules importing each other:\n" + "\n".join(report)


def test_imports_inside_functions_say_why():
    found = {
        (i.source.path, i.line, i.where, i.text)
        for i in imports()
        if i.in_function and not i.deferred
    }
    hidden = [f"  {where}: {text}" for _, _, where, text in sorted(found)]
    assert not hidden, (
        "project imports inside functions without a `# deferred: <why>` comment "
        "(move the import to the top, or say why it must wait):\n" + "\n".join(hidden)
    )


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from diplograph.store import builds", ["diplograph.store.builds"]),
        ("from diplograph.store import current_build", ["diplograph.store"]),
        ("import diplograph.store.builds as b", ["diplograph.store.builds"]),
        ("from diplograph import store as st", ["diplograph.store"]),
        ("from . import builds", ["diplograph.store.builds"]),
        ("from .builds import current_build", ["diplograph.store.builds"]),
        ("from ..ontology import terms", ["diplograph.ontology.terms"]),
        ("import json", []),
    ],
)
def test_the_scan_resolves_imports(source, expected):
    """As seen from diplograph/store/embedded.py."""
    module = modules()["diplograph.store.embedded"]
    (node,) = ast.parse(source).body
    assert _targets(module, node) == expected


def test_a_deferred_import_is_recognised():
    module = modules()["diplograph.store.embedded"]
    source = "def f():\n    # deferred: why\n    from diplograph.web import create_app\n"
    collector = _Collector(module, source.splitlines())
    collector.visit(ast.parse(source))
    (found,) = collector.found
    assert found.in_function and found.deferred and found.line == 3


def test_docs_draw_the_same_layers():
    """docs/architecture.md names the folders bottom to top in LAYERS' order."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    diagram = section.split("```", 2)[1]
    positions = []
    for layer in LAYERS:
        for folder in layer:
            match = re.search(rf"\b{folder}/", diagram)
            assert match, f"{folder}/ is missing from the diagram in docs/architecture.md"
            positions.append((layer, match.start()))
    # Drawn top (cli) to bottom (data, ontology): each layer's line comes after the one above.
    lines = [diagram[:pos].count("\n") for _, pos in positions]
    ranks = [rank_of(folder) for layer in LAYERS for folder in layer]
    assert all(
        (r1 < r2) == (l1 > l2) or r1 == r2
        for (r1, l1) in zip(ranks, lines, strict=True)
        for (r2, l2) in zip(ranks, lines, strict=True)
    ), "the diagram in docs/architecture.md must put higher layers on higher lines"
    assert DEFERRED.search("# deferred: x") and "# deferred:" in section
