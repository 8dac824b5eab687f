"""Arithmetic expressions written in prose, parsed safely.

An expression is accepted only if :mod:`ast` parses it and every node is on a whitelist:
numbers, one loop variable, ``+ - * / // % **``, unary minus, and calls of a few math
functions (``sqrt``, ``exp``, ``log``, ``sin``...) by bare name. Nothing is ever evaluated
here; the recipes render the checked tree as numpy or :mod:`math` code.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from .._lazy import lazy
from ._base import Context
from ._guard import NotMine

_FUNCS = {
    # prose name: (numpy, math)
    "sqrt": ("np.sqrt", "math.sqrt"),
    "exp": ("np.exp", "math.exp"),
    "log": ("np.log", "math.log"),
    "ln": ("np.log", "math.log"),
    "log2": ("np.log2", "math.log2"),
    "log10": ("np.log10", "math.log10"),
    "sin": ("np.sin", "math.sin"),
    "cos": ("np.cos", "math.cos"),
    "tan": ("np.tan", "math.tan"),
    "asin": ("np.arcsin", "math.asin"),
    "acos": ("np.arccos", "math.acos"),
    "atan": ("np.arctan", "math.atan"),
    "arcsin": ("np.arcsin", "math.asin"),
    "arccos": ("np.arccos", "math.acos"),
    "arctan": ("np.arctan", "math.atan"),
    "sinh": ("np.sinh", "math.sinh"),
    "cosh": ("np.cosh", "math.cosh"),
    "tanh": ("np.tanh", "math.tanh"),
    "abs": ("np.abs", "abs"),
    "floor": ("np.floor", "math.floor"),
    "ceil": ("np.ceil", "math.ceil"),
}
_CONSTS = {"pi": ("np.pi", "math.pi"), "e": ("np.e", "math.e")}
_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.UAdd, ast.USub)
_PREFIX = lazy(r"\b(?:math|np|numpy)\.", re.ASCII)
_IMPLICIT = lazy(r"(?<![A-Za-z_\d.])(\d+(?:\.\d+)?)\s*(?=[a-df-z(]|e(?![\d+-]))")
_CLOSE_OPEN = lazy(r"\)\s*\(")


@dataclass(frozen=True)
class Expr:
    """A checked expression in one variable.

    Attributes
    ----------
    source : str
        Canonical Python source (``ast.unparse``), e.g. ``"i ** 2"``.
    var : str
        The loop variable.
    integer : bool
        True when integer arithmetic gives the exact value (``+ - * // % **`` with
        non-negative integer exponents, integer constants, no functions).
    """

    source: str
    var: str
    integer: bool

    def numpy(self) -> str:
        """The expression over a numpy array ``var``."""
        return _render(self.source, 0)

    def scalar(self) -> str:
        """The expression over a float ``var``, with :mod:`math` functions."""
        return _render(self.source, 1)


def _render(source: str, which: int) -> str:
    tree = ast.parse(source, mode="eval")

    class _Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            table = _FUNCS if node.id in _FUNCS else _CONSTS if node.id in _CONSTS else None
            if table is None:
                return node
            return ast.parse(table[node.id][which], mode="eval").body

    return ast.unparse(_Rename().visit(tree))


def parse_expr(src: str, var: str | None = None) -> Expr | None:
    """Check ``src`` and return it as an :class:`Expr`, or None if it is not acceptable.

    ``^`` is read as a power, ``2x`` as ``2*x``, ``math.sqrt`` as ``sqrt``. The expression
    must have exactly one free variable, a single letter (``var`` when given).
    """
    src = src.strip().rstrip(".,;:?!")
    src = _PREFIX.sub("", src.replace("^", "**"))
    src = _IMPLICIT.sub(r"\1*", src)
    src = _CLOSE_OPEN.sub(")*(", src)
    try:
        tree = ast.parse(src, mode="eval")
    except (SyntaxError, ValueError):
        return None
    free: set[str] = set()
    integer = True
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.Load, *_OPS)):
            continue
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div):
                integer = False
            if isinstance(node.op, ast.Pow) and not (
                isinstance(node.right, ast.Constant)
                and isinstance(node.right.value, int)
                and node.right.value >= 0
            ):
                integer = False
            continue
        if isinstance(node, ast.UnaryOp):
            continue
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            integer = integer and isinstance(node.value, int)
            continue
        if isinstance(node, ast.Call):
            if (
                not (isinstance(node.func, ast.Name) and node.func.id in _FUNCS)
                or node.keywords
                or not 1 <= len(node.args) <= 2
            ):
                return None
            integer = False
            continue
        if isinstance(node, ast.Name):
            if node.id in _FUNCS:
                continue
            if node.id in _CONSTS and node.id != var:
                integer = False
                continue
            if not re.fullmatch(r"[a-z]", node.id):
                return None
            free.add(node.id)
            continue
        return None
    # a function name used as a value (``sqrt + 1``) is not a call: refuse
    called = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    if any(
        isinstance(n, ast.Name) and n.id in _FUNCS and n.id not in called for n in ast.walk(tree)
    ):
        return None
    if len(free) != 1 or (var is not None and free != {var}):
        return None
    return Expr(ast.unparse(tree), free.pop(), integer)


# --------------------------------------------------------------------------- in prose

_RUN = lazy(r"[A-Za-z0-9_.*+\-/^()%\s]+")
_LOOP_VAR = (
    r"\bfor\s+([a-z])\s+(?:from|in|=|between|going|ranging|over|running)|"
    r"(?<![a-z])([a-z])\s*(?:=|from|in|ranging|going|runs?|从|取遍|遍历)\s*#|"
    r"\bover\s+([a-z])\s+(?:from|in|=)"
)
_WORD_EXPRS = [
    # English words, then Chinese; {v} is the loop variable
    (r"inverse squares|reciprocals? of (?:the )?squares|1 over (?:the )?squares", "1 / {v} ** 2"),
    (r"square roots?|\bsqrts?\b|平方根|开方|开根号", "sqrt({v})"),
    (r"\bsquares?\b|squared|平方", "{v} ** 2"),
    (r"\bcubes?\b|cubed|立方", "{v} ** 3"),
    (r"reciprocals?|harmonic|倒数", "1 / {v}"),
    (r"natural logs?|logarithms?|\blogs\b|对数", "log({v})"),
    (
        r"integers|numbers|naturals|whole numbers|values|整数|自然数|数字|各数|所有数|的和|之和|"
        r"加到|相加|累加|的平均|均值|平均数|平均值",
        "{v}",
    ),
]
_ZH_OF_VAR = [
    (r"([a-z])\s*的\s*(?:平方根|开方)", "sqrt({v})"),
    (r"([a-z])\s*的\s*平方(?!根)", "{v} ** 2"),
    (r"([a-z])\s*的\s*立方", "{v} ** 3"),
    (r"([a-z])\s*的\s*倒数", "1 / {v}"),
]


def loop_var(ctx: Context) -> str | None:
    """The variable the prose declares (``for i from``, ``x in 1..10``, ``k=1 to``)."""
    m = ctx.tsearch(_LOOP_VAR)
    if m:
        return next(g for g in m.groups() if g)
    return None


def find_expression(ctx: Context, *, default_var: str = "i") -> tuple[Expr, bool] | None:
    """The expression the prose asks about, and whether it was written out explicitly.

    Tried in order: a written expression (``i**2``, ``sqrt(x)``, ``1/k^2``, ``x^2 + 3x``),
    Chinese ``x的平方``-style phrases, then words (squares, cubes, 平方和, 倒数...).

    Raises
    ------
    NotMine
        When a name of the expression is a function of the notebook ("sum g from 1 to 10",
        "integrate g from 0 to 2" with the notebook's g): it is never a variable.
    """
    found = _find_expression(ctx, default_var)
    if found is not None:
        names = set(re.findall(r"[A-Za-z_]\w*", found[0].source)) | {found[0].var}
        functions = sorted(n for n in names if callable(ctx.namespace.get(n)))
        if functions:
            raise NotMine(
                f"{functions[0]} is a function in your namespace, not a variable of a formula",
                f"{functions[0]}是命名空间里的函数，不是公式里的变量",
            )
    return found


def _find_expression(ctx: Context, default_var: str) -> tuple[Expr, bool] | None:
    declared = loop_var(ctx)
    best: tuple[tuple[int, int], Expr] | None = None
    for run in _RUN.finditer(ctx.text):
        tokens = [
            (m.start() + run.start(), m.end() + run.start())
            for m in re.finditer(r"\S+", run.group())
        ]
        for i in range(len(tokens)):
            for j in range(i, min(len(tokens), i + 12)):
                src = ctx.text[tokens[i][0] : tokens[j][1]]
                expr = parse_expr(src, declared)
                if expr is None:
                    continue
                rich = int(bool(re.search(r"[*+\-/^(]", src)))
                if not rich and declared is None:
                    continue
                rank = (rich, len(src))
                if best is None or rank > best[0]:
                    best = (rank, expr)
    if best is not None and best[0][0]:
        return best[1], True
    var = declared or default_var
    for pattern, form in _ZH_OF_VAR:
        m = re.search(pattern, ctx.lower, re.ASCII)
        if m:
            found = parse_expr(form.format(v=m.group(1)))
            if found:
                return found, True
    for pattern, form in _WORD_EXPRS:
        if re.search(pattern, ctx.lower, re.ASCII):
            found = parse_expr(form.format(v=var))
            if found:
                return found, False
    if best is not None:
        return best[1], True
    return None
