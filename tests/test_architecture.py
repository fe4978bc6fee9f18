"""The package's shape: layers (import-linter), no import cycle, no private import across modules."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "custops"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _private_imports(source: str, module: str) -> list[str]:
    """``from custops.x import _name`` statements of ``source`` that reach into another module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("custops"):
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and node.module != module:
                    found.append(f"{module}: from {node.module} import {alias.name}")
    return found


def test_private_import_detector_sees_one() -> None:
    src = "from custops.survival.health import _order_codes\nfrom custops.core import stats\n"
    assert _private_imports(src, "custops.review.alerts") == [
        "custops.review.alerts: from custops.survival.health import _order_codes"
    ]
    assert _private_imports(src, "custops.survival.health") == []


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for name, path in _modules().items():
        found += _private_imports(path.read_text(encoding="utf-8"), name)
    assert found == []


def _cycles(graph: grimp.ImportGraph, modules: list[str]) -> list[list[str]]:
    """Every import cycle among ``modules`` (each as a list of module names), by depth-first search."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in edges[m]:
            if state.get(n) == 1:
                cycles.append([*stack[stack.index(n) :], n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in modules:
        if m not in state:
            visit(m)
    return cycles


def test_no_import_cycle_between_modules() -> None:
    graph = grimp.build_graph(
        "custops", include_external_packages=False, exclude_type_checking_imports=True
    )
    # packages' __init__ files are left out: `import custops.x.y` runs them, which is no cycle
    files = _modules()
    modules = sorted(m for m in graph.modules if m in files and files[m].name != "__init__.py")
    assert _cycles(graph, modules) == []


def test_cycle_finder_finds_a_planted_cycle() -> None:
    graph = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(m)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph, ["p.a", "p.b", "p.c"]) == [["p.a", "p.b", "p.a"]]


@pytest.mark.skipif(
    shutil.which("lint-imports") is None
    and not Path(sys.executable).with_name("lint-imports").exists(),
    reason="import-linter not installed",
)
def test_import_linter_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    out = subprocess.run([exe], cwd=PACKAGE.parent, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout
