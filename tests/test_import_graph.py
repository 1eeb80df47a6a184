"""The package's import graph: no cycles, kernels never reach up into the model, and every import
runs down the layers of docs/ARCHITECTURE.md.

Every module of the installed package is parsed with ``ast`` (nothing is imported). An import
inside a function counts as well, since it runs the moment the function does; an import under
``if TYPE_CHECKING:`` does not, since it never runs. An import names one module (``from pkg
import name`` names ``pkg.name`` when that is a module, else ``pkg``); the parent packages
Python passes through on the way are not counted, or every module would depend on
``cyclecore/__init__.py``.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "cyclecore"

# lower never imports higher; modules of the same layer may import each other (without cycles)
LAYERS = {
    "cyclecore._core": 0,
    "cyclecore.arguments": 0,
    "cyclecore.results": 0,
    "cyclecore._lazy": 0,
    "cyclecore.limits": 0,
    "cyclecore.linesim": 1,
    "cyclecore.sequencing": 1,
    "cyclecore.balancing": 1,
    "cyclecore.robot": 1,  # robot.cell reads model values only under TYPE_CHECKING
    "cyclecore.model": 2,
    "cyclecore.files": 3,
    "cyclecore.examples": 3,
    "cyclecore.analysis": 4,
    "cyclecore.changes": 5,
    "cyclecore.plan": 6,
    "cyclecore.ramp": 6,
    "cyclecore.report": 7,
    "cyclecore.cli": 8,
    "cyclecore": 8,  # the public API re-exports everything
}

KERNELS = ("cyclecore.linesim", "cyclecore.sequencing", "cyclecore.balancing", "cyclecore.robot.motion",
           "cyclecore.robot.geometry")
ABOVE_KERNELS = ("cyclecore.model", "cyclecore.files", "cyclecore.analysis", "cyclecore.changes",
                 "cyclecore.plan", "cyclecore.ramp", "cyclecore.report", "cyclecore.cli")


@dataclass(frozen=True)
class Import:
    """One import statement's target module, where it is, and whether it runs at import time."""

    source: str
    target: str
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = "in a function" if self.in_function else "at module level"
        return f"{self.source} -> {self.target} (line {self.line}, {where})"


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def package_modules() -> dict[str, Path]:
    """Module name -> file, for every Python and compiled module of the installed package."""
    spec = importlib.util.find_spec(PACKAGE)
    modules: dict[str, Path] = {}
    for root in map(Path, spec.submodule_search_locations):
        for path in root.rglob("*"):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            parts = list(path.relative_to(root).parts)
            stem = parts[-1].split(".")[0]
            if path.suffix == ".py" or path.suffix in (".so", ".pyd"):
                if any(not p.isidentifier() for p in parts[:-1]) or not stem.isidentifier():
                    continue  # data folders (examples/body-shop, ...) hold no modules
                parts[-1] = stem
                if parts[-1] == "__init__":
                    parts.pop()
                name = ".".join([PACKAGE, *parts])
                if path.suffix == ".py" or name not in modules:
                    modules[name] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(module: str, is_package: bool, node: ast.ImportFrom | ast.Import, known) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        parts = package.split(".")
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join(parts + ([node.module] if node.module else []))
    targets = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        targets.append(sub if sub in known else base)
    return targets


def imports_of(module: str, source: str, known, *, is_package: bool = False) -> list[Import]:
    """Every import of ``module`` (its ``source`` text) into the package, TYPE_CHECKING excluded."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child, in_function)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in _resolve(module, is_package, node, known):
                if _within(target, PACKAGE):
                    found.append(Import(module, _known_prefix(target, known), node.lineno, in_function))
            return
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(source), False)
    return found


def _known_prefix(name: str, known) -> str:
    """The module an import names: the longest known prefix (``pkg.mod.attr`` -> ``pkg.mod``)."""
    parts = name.split(".")
    while len(parts) > 1 and ".".join(parts) not in known:
        parts.pop()
    return ".".join(parts)


def package_imports() -> list[Import]:
    modules = package_modules()
    found = []
    for name, path in sorted(modules.items()):
        if path.suffix == ".py":
            found += imports_of(name, path.read_text(encoding="utf-8"), modules, is_package=path.stem == "__init__")
    return found


def layer(module: str) -> int:
    best = max((prefix for prefix in LAYERS if _within(module, prefix)), key=len)
    return LAYERS[best]


def cycles(edges) -> list[list[str]]:
    """The import cycles: one closed path per strongly connected group of modules."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        if a != b:
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_closed_path(graph, group) for group in groups]


def _closed_path(graph, group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & group):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    return [start]


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return package_imports()


def test_the_scanner_sees_function_level_and_relative_imports_and_skips_type_checking():
    known = {"cyclecore.a", "cyclecore.a.x", "cyclecore.a.y", "cyclecore.b", "cyclecore.c", "cyclecore.d"}
    source = (
        "from typing import TYPE_CHECKING\n"
        "import numpy\n"
        "from . import y\n"
        "from .x import thing\n"
        "import cyclecore.b\n"
        "if TYPE_CHECKING:\n"
        "    from cyclecore.c import Model\n"
        "class Holder:\n"
        "    from cyclecore import d\n"
        "def later():\n"
        "    from cyclecore.c import run\n"
    )
    got = {(i.target, i.in_function) for i in imports_of("cyclecore.a.z", source, known)}
    assert got == {("cyclecore.a.y", False), ("cyclecore.a.x", False), ("cyclecore.b", False),
                   ("cyclecore.d", False), ("cyclecore.c", True)}


def test_the_graph_covers_the_whole_installed_package(imports):
    modules = package_modules()
    assert {"cyclecore._core", "cyclecore.cli", "cyclecore.balancing.bbr", "cyclecore.linesim.event_loop"} <= set(modules)
    # a function-level import the graph must hold: SALBP with zoning hands over to CP-SAT
    salbp = {(i.target, i.in_function) for i in imports if i.source == "cyclecore.balancing.salbp"}
    assert ("cyclecore.balancing.cpsat", True) in salbp


def test_every_module_has_a_layer():
    unplaced = [m for m in package_modules() if not any(_within(m, prefix) for prefix in LAYERS)]
    assert not unplaced, f"modules without a layer in LAYERS: {unplaced}"


def test_no_import_cycle_at_module_level(imports):
    found = cycles((i.source, i.target) for i in imports if not i.in_function)
    assert not found, "import cycles at module level:\n" + "\n".join(" -> ".join(c) for c in found)


def test_no_import_cycle_with_function_level_imports(imports):
    found = cycles((i.source, i.target) for i in imports)
    assert not found, "import cycles (function-level imports included):\n" + "\n".join(" -> ".join(c) for c in found)


def test_no_kernel_imports_the_model_or_anything_above_it(imports):
    bad = [str(i) for i in imports
           if any(_within(i.source, k) for k in KERNELS) and any(_within(i.target, a) for a in ABOVE_KERNELS)]
    assert not bad, "kernel modules importing the model or higher:\n" + "\n".join(bad)


def test_every_import_runs_down_the_layers(imports):
    bad = [f"{i} : layer {layer(i.source)} imports layer {layer(i.target)}"
           for i in imports if layer(i.source) < layer(i.target)]
    assert not bad, "imports from a lower layer to a higher one:\n" + "\n".join(bad)
