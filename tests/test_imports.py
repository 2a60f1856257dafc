"""The package's modules import, and their module-level imports form layers without a circle.

Layers, lowest first (a module imports only from its own layer or a lower one):
``sim.config`` and ``sim.texts`` (the parameters, the words), ``sim.io`` and ``sim.workers`` (writing files,
worker processes: no sim imports), ``sim.writable`` (whether a path the user gave can be written) <-
``sim.model`` (one run) <-
``sim.api``, ``sim.results``, ``sim.posterior`` (running it, its tables) <-
``sim.experiments``, ``sim.validation``, ``sim.plots`` (many runs, real data, figures) <- ``sim.apps``
(the report, the dashboard) <- ``sim.__main__`` (the command line). A function-level import of a
sim module is allowed only to keep a heavy dependency (Mesa, pandas, matplotlib) out of a light
process, and says so in a comment.
"""

from __future__ import annotations

import ast
import graphlib
import importlib
import pkgutil
from pathlib import Path

import pytest

import sim

ROOT = Path(sim.__file__).resolve().parent

#: The layer of each part of the package (longest matching prefix wins).
LAYERS = {
    "sim": 0, "sim.config": 0, "sim.texts": 0, "sim.io": 0, "sim.workers": 0, "sim.writable": 0,
    "sim.model": 1,
    "sim.api": 2, "sim.results": 2, "sim.posterior": 2,
    "sim.experiments": 3, "sim.validation": 3, "sim.plots": 3,
    "sim.apps": 4,
    "sim.__main__": 5,
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        if "configs" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The sim modules an import statement loads (a package's submodule, not the package, for
    ``from package import submodule``)."""
    found: set[str] = set()
    if isinstance(node, ast.Import):
        found = {a.name for a in node.names if a.name.split(".")[0] == "sim"}
    elif node.module and node.module.split(".")[0] == "sim" and node.level == 0:
        subs = {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
        found = subs or {node.module}
        if len(subs) < len(node.names):  # a name of the package itself
            found.add(node.module)
    return {m for m in found if m in MODULES}


def module_level_imports(name: str) -> set[str]:
    """The sim modules ``name`` imports when it is imported (not inside functions, not for type checking)."""
    tree = ast.parse(MODULES[name].read_text())
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update(_targets(node))
            elif isinstance(node, ast.If) and not _is_type_checking(node):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    return found - {name}


def layer(name: str) -> int:
    prefix = max((p for p in LAYERS if name == p or name.startswith(p + ".")), key=len)
    return LAYERS[prefix]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_the_walk_finds_the_package() -> None:
    """The modules found by walking the files are the ones Python finds (no folder left out)."""
    walked = {m.name for m in pkgutil.walk_packages(sim.__path__, "sim.")}
    assert walked | {"sim"} == set(MODULES)
    assert {"sim.model.model", "sim.config.schema", "sim.experiments.sweep", "sim.apps.dashboard.app"} <= walked


def test_no_import_circle_between_modules() -> None:
    graph = {name: module_level_imports(name) for name in MODULES}
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import circle: {' -> '.join(exc.args[1])}")


def test_modules_import_only_from_their_layer_or_below() -> None:
    wrong = [f"{name} (layer {layer(name)}) imports {other} (layer {layer(other)})"
             for name in sorted(MODULES) for other in sorted(module_level_imports(name)) if layer(other) > layer(name)]
    assert not wrong, "\n".join(wrong)


def test_function_level_imports_of_sim_say_why() -> None:
    """A sim module imported inside a function has a comment on the line or the two lines above."""
    silent = []
    for name, path in MODULES.items():
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines))
        body_imports = [n for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                        for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom) and _targets(n)]
        for node in body_imports:
            around = lines[max(0, node.lineno - 3):node.lineno]
            if not any("#" in line for line in around):
                silent.append(f"{name}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not silent, "\n".join(silent)


def test_the_sweep_launcher_stays_light() -> None:
    """The modules the process that launches a sweep imports (the command line, the callback, composing
    configs) load neither the model nor pandas, matplotlib or solara: the lazy imports above keep them out."""
    import subprocess
    import sys

    code = ("import sys, sim, sim.__main__, sim.experiments.callbacks, sim.config.compose; "
            "print(sorted(m for m in ('mesa', 'pandas', 'matplotlib', 'solara') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT.parent)
    assert out.stdout.strip() == "[]", out.stdout
