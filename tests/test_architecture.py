"""The architecture rules of docs/architecture.md, checked by the suite so CI enforces them:
the import-linter contracts in pyproject.toml, the size of a module, no helper written
twice, no import from a package ``__init__``, absolute imports, and a cheap
``import ldn_graph``."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ldn_graph"
MAX_LINES = 500
# Modules the specification itself lets stay longer for now, with the reason. An entry
# that is no longer needed fails the test, so the list cannot outlive the split.
LONG_MODULES: dict[str, str] = {}
# Libraries `import ldn_graph` must not load: the public API is lazy.
HEAVY = ("rdflib", "networkx", "Bio", "lxml", "pyoxigraph", "click", "rich", "docx", "pypdf", "yaml")

_LINT_IMPORTS = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _env() -> dict[str, str]:
    """This environment with the checkout first on the path (not an installed copy)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "200"
    return env


def test_import_contracts_hold() -> None:
    """`lint-imports` over the contracts in pyproject.toml: layers, forbidden imports, no
    cycle (function-level imports count)."""
    try:
        import importlinter  # noqa: F401
    except ImportError:
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    proc = subprocess.run([sys.executable, "-c", _LINT_IMPORTS], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"lint-imports failed:\n{proc.stdout}\n{proc.stderr}"


def test_no_module_is_over_500_lines() -> None:
    lengths = {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES and name not in LONG_MODULES}
    assert not too_long, f"modules over {MAX_LINES} lines (split them by concept): {too_long}"
    stale = [name for name in LONG_MODULES if lengths.get(name, 0) <= MAX_LINES]
    assert not stale, f"no longer over {MAX_LINES} lines: remove from LONG_MODULES: {stale}"


def _body_shape(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, int]:
    """The body's syntax tree without its docstring, its parameters and local variables
    renamed in order of appearance (so a copy with other names matches), and its size."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    local = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)}
    local |= {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    renamed: dict[str, str] = {}
    module = ast.parse("\n".join(ast.unparse(statement) for statement in body))
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and node.id in local:
            node.id = renamed.setdefault(node.id, f"_{len(renamed)}")
    return ast.dump(module), sum(1 for _ in ast.walk(module))


def test_no_helper_is_written_twice() -> None:
    """A clone detector over ldn_graph/: two functions with the same body (names of
    parameters and locals aside) are one helper written twice: keep one, in the module
    that owns the concept. The same method on several classes of one module (an interface)
    is not a copy."""
    copies: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                shape, size = _body_shape(node)
                if size >= 8:
                    copies[shape].append((_name(path), f"{_name(path)}:{node.lineno} {node.name}"))
    twice = [
        [where for _, where in found]
        for found in copies.values()
        if len(found) > 1 and len({(path, where.rsplit(" ", 1)[1]) for path, where in found}) > 1
    ]
    assert not twice, "helpers written twice:\n" + "\n".join(" = ".join(group) for group in twice)


def _packages() -> set[str]:
    return {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}


def _is_submodule(package: str, name: str) -> bool:
    folder = ROOT.joinpath(*package.split("."))
    return (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()


def test_nothing_in_the_package_imports_from_a_package_init() -> None:
    """``from ldn_graph import audit`` (a re-export of ``ldn_graph/__init__``) inside the
    package would make the lazy public API a cycle; ``from ldn_graph import resources``
    (a submodule) is an ordinary import."""
    packages = _packages()
    offenders = []
    for path in _modules():
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in packages:
                offenders += [f"{_name(path)}:{node.lineno}: from {node.module} import {alias.name}"
                              for alias in node.names
                              if not _is_submodule(node.module, alias.name)]
    assert not offenders, "\n".join(offenders)


def test_imports_inside_the_package_are_absolute() -> None:
    offenders = [
        f"{_name(path)}:{node.lineno}"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert not offenders, f"relative imports (write from ldn_graph.x import y): {offenders}"


def test_tests_import_their_helpers_by_module_name() -> None:
    """``from cli_helpers import cli``, never ``from tests.cli_helpers import cli``: a
    dependency may install a top-level ``tests`` package of its own (pubmed-parser 0.5, of the
    ``bench`` extra, does), and a regular package anywhere on the path hides this folder's."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tests")
        or (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "tests" for a in node.names))
    ]
    assert not offenders, f"imports through a tests package: {offenders}"


def test_importing_the_package_loads_no_heavy_library() -> None:
    code = (
        "import sys, ldn_graph\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=120, check=True)
    assert proc.stdout.strip() == "", f"import ldn_graph loaded: {proc.stdout.strip()}"
