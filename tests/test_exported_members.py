"""Every public module says what it exports, and says it right (httpx's
``tests/test_exported_members.py``, applied to each module rather than the package only).

A module is public when no part of its dotted name starts with ``_``. Its ``__all__`` must
list every public function, class and constant it defines, and only names it has: a name
made public by accident, or one that was renamed and left behind in ``__all__``, fails here.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import aigc_magic

PACKAGE = Path(aigc_magic.__file__).parent


def public_modules() -> list[str]:
    names = ["aigc_magic"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="aigc_magic."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def defined_public_names(name: str) -> set[str]:
    """Public names a module defines at its top level: functions, classes, assignments."""
    module = importlib.import_module(name)
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize("name", public_modules())
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    missing = defined_public_names(name) - set(exported)
    assert not missing, f"{name} defines public names it does not export: {sorted(missing)}"
    absent = [n for n in exported if not hasattr(module, n)]  # lazy names resolve here
    assert not absent, f"{name}.__all__ names what the module lacks: {absent}"
