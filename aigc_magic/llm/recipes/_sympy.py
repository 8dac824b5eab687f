"""Checked expressions as SymPy code, and the integrals SymPy does exactly.

:func:`to_sympy` renders a :class:`~._expr.Expr` source with SymPy's names (``ln`` is
``log``, ``abs`` is ``Abs``, ``e`` is ``E``). :func:`elementary` says whether an integrand is
one SymPy integrates in closed form quickly and surely: sums of products of polynomials and
``sin``, ``cos`` or ``exp`` of a linear argument; anything else is integrated numerically.
:func:`exact_bound` writes a bound given as a whole number, a multiple of π or ±∞ as SymPy
code, or None.
"""

from __future__ import annotations

import ast
import math
import re

from .._lazy import lazy
from .._numbers import Number

__all__ = ["elementary", "exact_bound", "to_sympy"]

#: our function names -> SymPy's (the rest are the same in both)
_SYMPY_NAMES = {
    "ln": "log",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "abs": "Abs",
    "ceil": "ceiling",
    "e": "E",
}


def to_sympy(source: str) -> tuple[str, list[str]]:
    """``source`` (a checked :class:`~._expr.Expr` source) as SymPy code and its imports."""
    tree = ast.parse(source, mode="eval")

    class _Rename(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            self.generic_visit(node)
            if isinstance(node.func, ast.Name) and node.func.id in ("log2", "log10"):
                base = ast.Constant(int(node.func.id[3:]))
                return ast.Call(ast.Name("log", ast.Load()), [*node.args, base], [])
            return node

        def visit_Name(self, node: ast.Name) -> ast.AST:
            return ast.Name(_SYMPY_NAMES.get(node.id, node.id), ast.Load())

    tree = _Rename().visit(tree)
    names = sorted(
        {
            n.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Name) and not re.fullmatch(r"[a-z]", n.id)
        }
    )
    return ast.unparse(tree), names


def _linear(node: ast.AST, var: str) -> bool:
    """``c * var + d`` with whole ``c`` and ``d`` (any order, signs allowed)."""
    if isinstance(node, ast.Name):
        return node.id == var
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _linear(node.operand, var)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        return _linear(node.left, var) and _linear(node.right, var)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        consts = [
            n
            for n in (node.left, node.right)
            if isinstance(n, ast.Constant)
            or (isinstance(n, ast.UnaryOp) and isinstance(n.operand, ast.Constant))
        ]
        return len(consts) >= 1 and all(_linear(n, var) for n in (node.left, node.right))
    return False


def _terms(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        return _terms(node.left) + _terms(node.right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _terms(node.operand)
    return [node]


def _factors(node: ast.AST) -> list[ast.AST] | None:
    """The factors of a product; a division is allowed by a whole number only."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = _factors(node.left), _factors(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        if not (isinstance(node.right, ast.Constant) and isinstance(node.right.value, int)):
            return None
        return _factors(node.left)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _factors(node.operand)
    return [node]


def _transcendental(node: ast.AST, var: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("sin", "cos", "exp")
        and len(node.args) == 1
        and _linear(node.args[0], var)
    )


def _degree(node: ast.AST, var: str) -> int | None:
    """The degree of a monomial factor (a whole number, var, var ** k); None otherwise."""
    if isinstance(node, ast.Constant):
        return 0 if isinstance(node.value, int) and not isinstance(node.value, bool) else None
    if isinstance(node, ast.Name):
        return 1 if node.id == var else None
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Pow)
        and isinstance(node.left, ast.Name)
        and node.left.id == var
        and isinstance(node.right, ast.Constant)
        and isinstance(node.right.value, int)
        and node.right.value >= 0
    ):
        return node.right.value
    return None


def elementary(source: str, var: str) -> bool:
    """Whether SymPy integrates ``source`` exactly and quickly.

    Accepted: a sum of terms each a monomial of degree at most 4 times at
    most one ``sin``/``cos``/``exp`` of a linear argument (``sin``/``cos`` possibly squared).
    Products of several such functions or of high powers can take SymPy minutes
    (``x**20*sin(x)**20`` did not finish in two minutes), so they are integrated numerically.
    """
    for term in _terms(ast.parse(source, mode="eval").body):
        factors = _factors(term)
        if factors is None:
            return False
        degree, functions = 0, 0
        for factor in factors:
            if _transcendental(factor, var):
                functions += 1
                continue
            if (
                isinstance(factor, ast.BinOp)
                and isinstance(factor.op, ast.Pow)
                and _transcendental(factor.left, var)
                and isinstance(factor.left, ast.Call)
                and isinstance(factor.left.func, ast.Name)
                and factor.left.func.id in ("sin", "cos")
                and isinstance(factor.right, ast.Constant)
                and factor.right.value == 2
            ):
                functions += 1
                continue
            found = _degree(factor, var)
            if found is None:
                return False
            degree += found
        if functions > 1 or degree > 4:
            return False
    return True


_PI_BOUND = lazy(r"^(-)?\s*(\d+)?\s*\*?\s*(?:pi|π)(?:\s*/\s*(\d+))?$", re.IGNORECASE)


def exact_bound(number: Number) -> str | None:
    """SymPy code for a bound written as a whole number, a multiple of π or ±∞; else None."""
    value = number.value
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "oo" if value > 0 else "-oo"
    m = _PI_BOUND.match(number.text.strip())
    if m is None:
        return None
    sign, coef, div = m.group(1) or "", m.group(2), m.group(3)
    shown = f"{sign}{coef + '*' if coef else ''}pi"
    return f"{shown}/{div}" if div else shown
