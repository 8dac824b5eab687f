"""Symbolic mathematics through SymPy: equations, derivatives, antiderivatives, infinite sums.

Equations are polynomial or rational in one unknown, where ``solve`` returns every root; an
equation such as ``sin(x) = 0`` (infinitely many roots, of which ``solve`` lists two) is
refused.

The expression is read by :mod:`._expr` (an AST whitelist: numbers, one single-letter
variable, arithmetic and a few named functions; nothing is evaluated at plan time) and
rendered as SymPy code, so the answer is exact: ``solve x^2 - 5x + 6 = 0`` gives ``[2, 3]``,
``derivative of x**3*sin(x)`` gives ``x**3*cos(x) + 3*x**2*sin(x)``. Every recipe is decisive
and strict: every number must sit inside the expression (or be the order of a derivative, or
the start of a sum), every word must be accounted for, or the request is refused.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from .._numbers import find_numbers
from ._base import Context, NeedMore, Params, Recipe, identifiers, text
from ._expr import Expr, find_expression, loop_var, parse_expr
from ._guard import NotMine, nothing_left
from ._sympy import to_sympy

__all__ = ["RECIPES"]

_SIDE = r"[A-Za-z0-9_.*+\-/^()\s]+"


def _literals(source: str) -> int:
    return sum(isinstance(n, ast.Constant) for n in ast.walk(ast.parse(source, mode="eval")))


def _own_words(source: str) -> str:
    return "|".join(sorted(set(identifiers(source)), key=len, reverse=True))


def _explicit(ctx: Context, what_en: str, what_zh: str) -> Expr:
    found = find_expression(ctx, default_var="x")
    if found is None or not found[1]:
        raise NotMine(
            f"write the expression to {what_en}, e.g. 'x**3*sin(x)'",
            f"请写出要{what_zh}的表达式，例如“x**3*sin(x)”",
            with_help=True,
        )
    return found[0]


# --------------------------------------------------------------------------- equations


def _equation(ctx: Context) -> tuple[Expr, str] | None:
    """The equation written in the prose as one expression ``lhs - rhs`` and its text."""
    if ctx.text.count("=") != 1 or re.search(r"[<>!]=|==", ctx.text):
        return None
    m = re.search(rf"({_SIDE})=({_SIDE})", ctx.text)
    if m is None:
        return None
    left_tokens = m.group(1).split()
    right_tokens = m.group(2).split()
    best: tuple[int, Expr, str] | None = None
    for i in range(len(left_tokens)):
        for j in range(len(right_tokens), 0, -1):
            lhs, rhs = " ".join(left_tokens[i:]), " ".join(right_tokens[:j])
            expr = parse_expr(f"({lhs}) - ({rhs})")
            if expr is not None and (best is None or len(lhs) + len(rhs) > best[0]):
                best = (len(lhs) + len(rhs), expr, f"{lhs} = {rhs}")
    return None if best is None else (best[1], best[2])


def _solve_extract(ctx: Context) -> Params:
    found = _equation(ctx)
    if found is None:
        raise NotMine(
            "write one equation in one variable, e.g. 'solve x^2 - 5x + 6 = 0'",
            "请写出一个一元方程，例如“解方程 x^2 - 5x + 6 = 0”",
            with_help=True,
        )
    expr, shown = found
    tree = ast.parse(expr.source, mode="eval")
    if any(isinstance(n, ast.Call) for n in ast.walk(tree)) or any(
        isinstance(n, ast.BinOp)
        and isinstance(n.op, ast.Pow)
        and not (isinstance(n.right, ast.Constant) and isinstance(n.right.value, int))
        for n in ast.walk(tree)
    ):
        raise NeedMore(
            "only polynomial and rational equations are solved exactly here (all their "
            "roots); an equation with sin, exp, log or a variable exponent can have infinitely "
            "many or no closed-form solutions",
            "这里只精确求解多项式和有理方程（给出全部根）；含sin、exp、log或变量指数的方程"
            "可能有无穷多个解或没有闭式解",
        )
    if len(ctx.numbers) != _literals(expr.source):
        raise NotMine(
            "every number must be part of the equation; say what the others are for",
            "所有数字都应属于方程；请说明其他数字的用途",
            with_help=True,
        )
    nothing_left(
        ctx,
        r"solve|solving|equation|equations|for|roots?|zeros?|solutions?|of|the|where|real|"
        r"all|every|find|" + _own_words(expr.source),
        r"解方程|方程|求解|实数根|实数解|实根|实数|所有|全部|解|的根|根|零点|的解",
    )
    real = ctx.has(r"\breal\b|实数|实根")
    if real:
        ctx.note("the real solutions only, as asked", "只要实数解，如所问")
    else:
        ctx.note(
            "all solutions SymPy finds, complex ones included", "SymPy求出的全部解（含复数解）"
        )
    return {"expr": expr.source, "var": expr.var, "equation": shown, "real": real}


def _solve_code(params: Params) -> str:
    source, names = to_sympy(params["expr"])
    imports = ", ".join(sorted({"solve", "symbols", *names}))
    var = params["var"]
    return (
        f"from sympy import {imports}\n\n\n"
        "def _aigc_solve():\n"
        f'    """The {"real " if params.get("real") else ""}solutions of {params["equation"]}, '
        'exactly."""\n'
        f'    {var} = symbols("{var}"{", real=True" if params.get("real") else ""})\n'
        f"    return solve({source}, {var})\n\n\n"
        "result = _aigc_solve()\n"
    )


# --------------------------------------------------------------------------- derivatives

_ORDER = {
    r"\bsecond\b|\b2nd\b|二阶": 2,
    r"\bthird\b|\b3rd\b|三阶": 3,
    r"\bfourth\b|\b4th\b|四阶": 4,
}


def _diff_extract(ctx: Context) -> Params:
    expr = _explicit(ctx, "differentiate", "求导")
    orders = [n for pattern, n in _ORDER.items() if ctx.has(pattern)]
    if len(orders) > 1:
        raise NeedMore("ask for one order of derivative", "请只问一个阶数的导数")
    order = orders[0] if orders else 1
    written = [n for n in ctx.numbers if n.text.lower() not in ("second", "third", "fourth")]
    if len(written) != _literals(expr.source):
        raise NotMine(
            "every number must be part of the expression ('at x = 2' is not supported); "
            "say what the others are for",
            "所有数字都应属于表达式（不支持“在x=2处”）；请说明其他数字的用途",
            with_help=True,
        )
    nothing_left(
        ctx,
        r"derivative|derivatives|differentiate|differentiation|derive|d/d[a-z]|of|the|with|"
        r"respect|to|second|third|fourth|2nd|3rd|4th|order|" + _own_words(expr.source),
        r"求导|导数|的导数|微分|对|阶|二阶|三阶|四阶|关于|是什么|什么",
    )
    return {"expr": expr.source, "var": expr.var, "order": order}


def _diff_code(params: Params) -> str:
    source, names = to_sympy(params["expr"])
    imports = ", ".join(sorted({"diff", "symbols", *names}))
    var, order = params["var"], params["order"]
    args = f"{var}" if order == 1 else f"{var}, {order}"
    return (
        f"from sympy import {imports}\n\n\n"
        "def _aigc_derivative():\n"
        f'    """d/d{var} of {params["expr"]} (order {order}), exactly."""\n'
        f'    {var} = symbols("{var}"{", real=True" if params.get("real") else ""})\n'
        f"    return diff({source}, {args})\n\n\n"
        "result = _aigc_derivative()\n"
    )


# --------------------------------------------------------------------------- antiderivatives


def _quick(source: str) -> bool:
    """Whether SymPy's ``integrate`` finishes in seconds: at most two function calls, powers
    of a call at most 3, of the variable at most 6 (``exp(x)*sin(x)**4*cos(x)**3`` took 7.6 s,
    ``x**20*sin(x)**20`` did not finish in two minutes)."""
    nodes = list(ast.walk(ast.parse(source, mode="eval")))
    calls = sum(isinstance(n, ast.Call) for n in nodes)
    powers = [
        (isinstance(n.left, ast.Call), n.right.value)
        for n in nodes
        if isinstance(n, ast.BinOp)
        and isinstance(n.op, ast.Pow)
        and isinstance(n.right, ast.Constant)
        and isinstance(n.right.value, (int, float))
    ]
    return calls <= 2 and all(p <= (3 if on_call else 6) for on_call, p in powers)


def _antiderivative_extract(ctx: Context) -> Params:
    expr = _explicit(ctx, "integrate", "积分")
    if not _quick(expr.source):
        raise NeedMore(
            f"an exact antiderivative of {expr.source} is beyond what is attempted here (at "
            "most two functions, powers up to 3 of a function and 6 of the variable)",
            f"{expr.source}太复杂，这里不求精确原函数（最多两个函数，函数的幂不超过3，变量的幂不超过6）",
        )
    if len(ctx.numbers) != _literals(expr.source) or ctx.has(
        r"\bfrom\b|\bbetween\b|\bover\b|\[|到|至|区间|(?<!不)定积分"
    ):
        raise NotMine(
            "a definite integral (with a range) is the integration recipe's",
            "定积分（给出区间）由积分配方处理",
        )
    nothing_left(
        ctx,
        r"indefinite|integral|integrals|integrate|antiderivative|anti-derivative|primitive|"
        r"of|the|with|respect|to|d[a-z]|" + _own_words(expr.source),
        r"不定积分|积分|原函数|的|对|关于|是什么|什么",
    )
    ctx.note("up to a constant of integration", "相差一个积分常数")
    return {"expr": expr.source, "var": expr.var}


def _antiderivative_code(params: Params) -> str:
    source, names = to_sympy(params["expr"])
    imports = ", ".join(sorted({"Integral", "integrate", "symbols", *names}))
    var = params["var"]
    return (
        f"from sympy import {imports}\n\n\n"
        "def _aigc_antiderivative():\n"
        f'    """An antiderivative of {params["expr"]} in {var} (add any constant)."""\n'
        f'    {var} = symbols("{var}"{", real=True" if params.get("real") else ""})\n'
        f"    found = integrate({source}, {var})\n"
        "    if found.has(Integral):  # SymPy left it unevaluated: there is no answer to give\n"
        '        raise ValueError("SymPy finds no closed-form antiderivative")\n'
        "    return found\n\n\n"
        "result = _aigc_antiderivative()\n"
    )


# --------------------------------------------------------------------------- infinite sums

_INFINITY = r"infinity|\binf\b|∞|无穷|无限"


def _infinite_sum_extract(ctx: Context) -> Params:
    expr = _explicit(ctx, "add up", "求和")
    var = loop_var(ctx) or expr.var
    if var != expr.var:
        raise NeedMore(
            f"the sum runs over {var} but the expression is in {expr.var}",
            f"求和变量是{var}，而表达式的变量是{expr.var}",
        )
    numbers = find_numbers(ctx.text, constants=True)
    start = ctx.tsearch(
        rf"(?:from|=|从)\s*#(\d+)#\s*(?:to|until|up to|\.\.|加到|到|至|一直加到)\s*(?:\+\s*)?"
        rf"(?:{_INFINITY})"
    )
    finite = [n for n in numbers if n.value not in (float("inf"), float("-inf"))]
    if start is None:
        raise NotMine(
            "say where the sum starts, e.g. 'for k from 1 to infinity'",
            "请说明求和从哪里开始，例如“k从1到无穷”",
        )
    first = ctx.num(start.group(1))
    if not isinstance(first, int) or len(finite) != _literals(expr.source) + 1:
        raise NotMine(
            "the sum's start must be a whole number and every other number part of the expression",
            "求和起点须为整数，其他数字都应属于表达式",
        )
    nothing_left(
        ctx,
        r"sum|series|total|add|up|of|for|from|to|until|infinity|inf|the|all|terms?|"
        r"converges?|comes?|came|out|goes|go|" + _NUMERIC_EN + "|" + _own_words(expr.source),
        r"无穷级数|级数|求和|之和|的和|和|从|加到|到|至|无穷大|无穷|无限|加起来|相加|累加|结果|收敛于|收敛到|"
        r"收敛|" + _NUMERIC_ZH,
    )
    numeric = ctx.has(rf"\b(?:{_NUMERIC_EN})\b|{_NUMERIC_ZH}")
    if numeric:
        ctx.note("a decimal value, as asked", "按要求给出小数值")
    return {"expr": expr.source, "var": var, "start": int(first), "numeric": numeric}


#: Words asking for a decimal rather than an exact value ("numerically", "数值").
_NUMERIC_EN = r"numerically|numeric|numerical|decimal|decimals|as a float|float"
_NUMERIC_ZH = r"数值解|数值|小数形式|小数|浮点数"


def _infinite_sum_code(params: Params) -> str:
    source, names = to_sympy(params["expr"])
    imports = ", ".join(sorted({"Sum", "nan", "oo", "summation", "symbols", "zoo", *names}))
    var = params["var"]
    found = "float(found)" if params.get("numeric") else "found"
    return (
        f"from sympy import {imports}\n\n\n"
        "def _aigc_infinite_sum():\n"
        f'    """The sum of {params["expr"]} for {var} from {params["start"]} to infinity."""\n'
        f'    {var} = symbols("{var}", integer=True)\n'
        f"    found = summation({source}, ({var}, {params['start']}, oo))\n"
        "    if found.has(Sum):  # SymPy left it unevaluated: there is no answer to give\n"
        '        raise ValueError("SymPy finds no closed form for this sum")\n'
        "    if found.has(zoo, nan):  # a term like 1/0: undefined, not divergent\n"
        '        raise ValueError("a term of this sum is undefined (a division by zero?)")\n'
        f"    return {found}\n\n\n"
        "result = _aigc_infinite_sum()\n"
    )


# --------------------------------------------------------------------------- words

_SUMMARIES = {
    "solve": ("Solve {equation} for {var}", "解方程 {equation}（未知数{var}）"),
    "derivative": (
        "Derivative of order {order} of {expr} in {var}",
        "{expr}对{var}的{order}阶导数",
    ),
    "antiderivative": ("Antiderivative of {expr} in {var}", "{expr}对{var}的不定积分"),
    "infinite_sum": (
        "Sum of {expr} for {var} from {start} to infinity",
        "{expr}从{var}={start}到无穷的和",
    ),
}


def _summary(kind: str) -> Any:
    def summary(params: Params, lang: str) -> str:
        en, zh = _SUMMARIES[kind]
        return text(lang, en, zh).format(**params)

    return summary


def _answer(kind: str) -> Any:
    def answer(params: Params, value: Any, lang: str) -> str:
        var = params["var"]
        if kind == "solve":
            items = list(value)
            if not items:
                return text(
                    lang,
                    f"{params['equation']} has no solution.",
                    f"{params['equation']}无解。",
                )
            shown = " or ".join(f"{var} = {v}" for v in items)
            shown_zh = "或".join(f"{var} = {v}" for v in items)
            return text(
                lang, f"{params['equation']}: {shown}.", f"{params['equation']}：{shown_zh}。"
            )
        if kind == "derivative":
            order = params["order"]
            which = "derivative" if order == 1 else f"derivative of order {order}"
            return text(
                lang,
                f"The {which} of {params['expr']} in {var} is {value}.",
                f"{params['expr']}对{var}的{'' if order == 1 else f'{order}阶'}导数是{value}。",
            )
        if kind == "antiderivative":
            return text(
                lang,
                f"An antiderivative of {params['expr']} is {value} (+ C).",
                f"{params['expr']}的一个原函数是{value}（+ C）。",
            )
        if str(value) in ("oo", "-oo", "zoo", "nan"):
            return text(
                lang,
                f"The sum of {params['expr']} for {var} from {params['start']} to infinity "
                f"diverges ({value}).",
                f"{params['expr']}从{var}={params['start']}到无穷的和发散（{value}）。",
            )
        shown = str(value)
        if not params.get("numeric") and not getattr(value, "is_Rational", True):
            shown += f" ≈ {float(value)!r}"  # "what does it come out to": the decimal too
        return text(
            lang,
            f"The sum of {params['expr']} for {var} from {params['start']} to infinity is {shown}.",
            f"{params['expr']}从{var}={params['start']}到无穷的和为{shown}。",
        )

    return answer


def _recipe(
    kind: str,
    anchors: str,
    en: tuple[str, ...],
    zh: tuple[str, ...],
    extract: Any,
    code: Any,
    priority: int,
) -> Recipe:
    return Recipe(
        id=f"symbolic.{kind}",
        anchors=anchors,
        examples_en=en,
        examples_zh=zh,
        extract=extract,
        code=code,
        summary=_summary(kind),
        answer=_answer(kind),
        demo=en[0],
        priority=priority,
        decisive=True,
        grid=False,
    )


RECIPES = [
    _recipe(
        "solve",
        r"(?=.*=)(?=.*(?:solve|equation|roots? of|zeros? of|solutions? (?:of|to)|"
        r"解方程|方程|求解|的根|零点|所有根|全部根|实根|实数根|所有解|实数解))",
        (
            "solve x^2 - 5x + 6 = 0",
            "solve the equation x**3 - x = 0",
            "roots of x^2 + 2x - 8 = 0",
            "solve 2x + 3 = 11 for x",
            "find the solutions of t^2 = 9",
        ),
        (
            "解方程 x^2 - 5x + 6 = 0",
            "求解方程x**2 - 4 = 0",
            "x^3 - 8 = 0的根",
            "解方程2x + 3 = 11",
            "求方程t^2 = 9的解",
        ),
        _solve_extract,
        _solve_code,
        70,
    ),
    _recipe(
        "derivative",
        r"derivative|differentiate|d/d[a-z]|导数|求导|微分",
        (
            "derivative of x^3*sin(x)",
            "differentiate exp(2x)*cos(x)",
            "second derivative of x^4 - 3x^2",
            "d/dx of log(x)/x",
            "what is the derivative of sqrt(x^2 + 1)",
        ),
        (
            "求x^2*exp(x)的导数",
            "对sin(x)*cos(x)求导",
            "x^4 - 3x^2的二阶导数",
            "求log(x)/x的导数",
            "sqrt(x^2 + 1)的导数是什么",
        ),
        _diff_extract,
        _diff_code,
        70,
    ),
    _recipe(
        "antiderivative",
        r"indefinite integral|antiderivative|anti-derivative|primitive of|不定积分|原函数|"
        r"^(?!.*(?:from|between|over|\[|到|至|区间|(?<!不)定积分)).*(?:integra|积分)",
        (
            "indefinite integral of x*sin(x)",
            "antiderivative of 1/(1 + x^2)",
            "integrate x*exp(x)",
            "integral of log(x)",
            "find the antiderivative of cos(x)^2",
        ),
        (
            "求x*sin(x)的不定积分",
            "1/(1 + x^2)的原函数",
            "对x*exp(x)积分",
            "求log(x)的不定积分",
            "cos(x)^2的原函数是什么",
        ),
        _antiderivative_extract,
        _antiderivative_code,
        65,
    ),
    _recipe(
        "infinite_sum",
        rf"(?=.*(?:{_INFINITY}))(?=.*(?:sum|series|total|add|求和|之和|的和|级数|加到|加起来|相加|累加))",
        (
            "sum of 1/k^2 for k from 1 to infinity",
            "the series 1/2**n for n from 0 to infinity",
            "sum of 1/n**4 for n from 1 to inf",
            "total of 1/k^3 for k = 1 to infinity",
            "sum of 1/(k*(k+1)) for k from 1 to ∞",
        ),
        (
            "1/k^2从k=1到无穷的和",
            "求1/2**n从n=0到无穷的和",
            "级数1/n**4，n从1到无穷",
            "1/(k*(k+1))从k=1加到无穷的和",
            "求和1/k^3，k从1到无穷大",
        ),
        _infinite_sum_extract,
        _infinite_sum_code,
        65,
    ),
]
