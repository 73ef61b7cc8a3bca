"""signing/ and bundles/ stay below the service: no flask, sqlalchemy, alembic or verifier."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"flask", "sqlalchemy", "alembic", "verifier"}


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_lower_layers_do_not_import_the_service() -> None:
    offences = []
    files = [p for package in ("signing", "bundles") for p in (ROOT / package).rglob("*.py")]
    assert files, "no source found: the test would pass vacuously"
    for path in files:
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if module.split(".")[0] in FORBIDDEN:
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offences == []


def test_the_checker_sees_every_import_form() -> None:
    tree = ast.parse("import flask\nimport sqlalchemy.orm as o\nfrom verifier.db import x\n")
    assert [m for _, m in imported_modules(tree)] == ["flask", "sqlalchemy.orm", "verifier.db"]
