"""The house rules for imports, read from the source: spiders, extractors and warehouse
import none of each other nor pipeline, and no product module imports tests or benchmarks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("spiders", "extractors", "warehouse", "pipeline")
# what each package may import of ours, besides itself
ALLOWED = {"spiders": set(), "extractors": set(), "warehouse": set(), "pipeline": {"spiders", "extractors", "warehouse"}}


def imported_packages(path: Path) -> set[str]:
    """Top-level names of the absolute imports in *path* (relative ones stay inside its package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_what_its_layer_allows(package):
    ours = {*PACKAGES, "tests"}
    wrong = {str(path.relative_to(ROOT)): sorted((imported_packages(path) & ours) - {package} - ALLOWED[package])
             for path in sorted((ROOT / package).rglob("*.py"))}
    assert {path: names for path, names in wrong.items() if names} == {}

