"""Paths in the snippet, read from their literal parts: what the checker judges.

:func:`path_text` joins the literal parts of a path-building expression (a computed part
becomes :data:`~._records.HOLE`) so a credential store is found however the path is built;
:func:`literal_path` is the path a write goes to when it is built only from literals;
:func:`mode_reads` tells whether an ``open`` mode or ``os.open`` flags only read.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from ._bindings import Bindings
from ._lookup import const_str
from ._records import HOLE
from ._rules import (
    PATH_CTORS,
    PATH_HOMES,
    PATH_JOINS,
    PATH_SAME,
    PATH_SAME_METHODS,
    READ_FLAGS,
)


def path_text(names: Bindings, node: ast.AST, used: set[int], line: int) -> str:
    """The literal parts of a path-building expression, joined the way Python joins them.

    Strings, f-strings, ``+`` and ``/``, ``Path(...)``, ``os.path.join``, ``joinpath``,
    ``"/".join([...])``, ``expanduser`` and its kin, ``str(...)``; ``Path.home()`` is
    ``~``; a name bound once to such an expression earlier stands for it. Whatever else
    is computed becomes :data:`HOLE`. Nodes that were joined are added to ``used``.
    """
    text = const_str(node)
    if text is not None:
        used.add(id(node))
        return text
    if isinstance(node, ast.JoinedStr):
        used.add(id(node))
        return "".join(
            path_text(names, v.value if isinstance(v, ast.FormattedValue) else v, used, line)
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
        used.add(id(node))
        left = path_text(names, node.left, used, line)
        right = path_text(names, node.right, used, line)
        return f"{left}/{right}" if isinstance(node.op, ast.Div) else left + right
    if isinstance(node, ast.Name):
        bound = names.literals.get(node.id)
        if bound and names.bound.get(node.id) == 1 and bound[0] < line:
            return path_text(names, bound[1], set(), bound[0])
    elif isinstance(node, ast.Call):
        joined = path_call(names, node, used, line)
        if joined is not None:
            used.add(id(node))
            return joined
    return HOLE


def path_call(names: Bindings, node: ast.Call, used: set[int], line: int) -> str | None:
    """The path a call builds from its receiver and arguments, or None for other calls."""
    func, funcs = node.func, names.resolve(node.func)
    parts: Sequence[ast.AST] | None = None
    sep = "/"
    if any(f in PATH_HOMES for f in funcs):
        return "~"
    if any(f in PATH_JOINS for f in funcs):
        parts = node.args
    elif any(f in PATH_SAME for f in funcs) or (
        isinstance(func, ast.Name) and func.id == "str" and "str" not in names.bound
    ):
        parts = node.args[:1]
    elif isinstance(func, ast.Attribute):
        joined = const_str(func.value)
        if func.attr in PATH_SAME_METHODS and not node.args:
            parts = [func.value]
        elif func.attr == "joinpath":
            parts = [func.value, *node.args]
        elif (
            func.attr == "join"
            and joined is not None
            and len(node.args) == 1
            and isinstance(node.args[0], (ast.List, ast.Tuple))
        ):
            sep, parts = joined, node.args[0].elts
            used.add(id(func.value))
    if parts is None:
        return None
    return sep.join(path_text(names, p, used, line) for p in parts)


def literal_path(names: Bindings, node: ast.AST | None, line: int) -> str | None:
    """The path an expression stands for when it is built only from literals."""
    if node is None:
        return None
    text = const_str(node)
    if text is not None:
        return text
    if isinstance(node, ast.Name):
        bound = names.literals.get(node.id)
        if bound and names.bound.get(node.id) == 1 and bound[0] < line:
            return literal_path(names, bound[1], bound[0])
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
        left = literal_path(names, node.left, line)
        right = literal_path(names, node.right, line)
        if left is None or right is None:
            return None
        return f"{left}/{right}" if isinstance(node.op, ast.Div) else left + right
    if isinstance(node, ast.Call) and not node.keywords:
        funcs = names.resolve(node.func)
        if any(f in PATH_CTORS or f == "os.path.join" for f in funcs):
            parts = [literal_path(names, a, line) for a in node.args]
            if all(p is not None for p in parts):
                return "/".join(p for p in parts if p is not None) or "."
    return None


def mode_reads(mode: ast.AST, *, flags: bool) -> bool:
    if flags:
        names = [
            n.attr if isinstance(n, ast.Attribute) else n.id
            for n in ast.walk(mode)
            if isinstance(n, (ast.Attribute, ast.Name))
        ]
        ops_ok = all(
            isinstance(n, (ast.Attribute, ast.Name, ast.BinOp, ast.BitOr, ast.Load))
            for n in ast.walk(mode)
        )
        return ops_ok and all(n in READ_FLAGS or n == "os" for n in names)
    text = const_str(mode)
    if text is None:
        return False
    return not set(text.split(":")[0].split("|")[0]) & set("wax+")
