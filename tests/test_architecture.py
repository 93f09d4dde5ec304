"""The parts of the layer contract that import-linter cannot see (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "cxkit"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 500


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id
                if isinstance(f, ast.Name)
                else f"{getattr(f.value, 'id', '?')}.{f.attr}"
                if isinstance(f, ast.Attribute)
                else ""
            )
            if name in {"print", "sys.exit", "os._exit", "typer.Exit", "exit", "quit"}:
                found.append((node.lineno, name))
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if getattr(exc, "id", None) == "SystemExit" or getattr(exc, "attr", None) == "Exit":
                found.append((node.lineno, "raise SystemExit"))
    return found


def test_only_the_cli_prints_or_exits() -> None:
    offenders = []
    for path in MODULES:
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "cli" or rel.name == "__main__.py":
            continue
        for line, name in _calls(ast.parse(path.read_text("utf-8"))):
            offenders.append(f"cxkit/{rel}:{line}: {name}")
    assert not offenders, "\n".join(offenders)


def test_the_layer_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed in this environment (pip install -e .[dev])")
    proc = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_no_module_is_over_500_lines() -> None:
    long = {
        f"cxkit/{p.relative_to(PACKAGE)}": n
        for p in MODULES
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_every_label_file_lives_with_the_one_loader() -> None:
    stray = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("locales/*.yml")
        if p.parent != PACKAGE / "i18n" / "locales"
    ]
    assert not stray, stray
