"""Sums and means of an expression over an integer range, and definite integrals.

Polynomial and geometric terms (``i**2``, ``3*k + 1``, ``2**k``) are summed in closed form by
SymPy's ``summation`` (``sum of i**2 for i from 1 to 10**9`` in milliseconds); other
integer-valued ones (``i % 7``) are summed exactly with Python ints, and any other
(``sqrt(x)``, ``1/k**2``) is vectorised with numpy in blocks of a million terms; those two cut
the range into contiguous chunks, about four per core, one task each on the grid. Integrals
split [a, b] into sub-intervals and run scipy's adaptive ``quad`` on each in parallel.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

from .._numbers import find_numbers
from .._spans import find_range
from ._base import Context, NeedMore, Params, Recipe, is_function, is_sequence, names_of, text
from ._codegen import fmt, literal, render
from ._expr import Expr, find_expression, parse_expr
from ._guard import NotMine, all_numbers_used, nothing_left
from ._sympy import elementary, exact_bound, to_sympy

__all__ = ["RECIPES", "has_closed_form"]

_SERIES = (
    r"sum|total|add|mean|average|avg|expected|σ|∑|求和|之和|的和|总和|相加|加起来|"
    r"累加|加到|平方和|立方和|倒数和|平均|均值"
)
_MEAN = r"mean|average|avg|expected value|平均|均值"
_INTEGRAL = r"integra|∫|area under|积分|定积分|曲线下.*面积"
_OTHER = r"prime|质数|素数|bootstrap|置信|resampl|k-?means|k均值|聚类|cluster"  # other families

_CHUNKS = '''
def _aigc_chunks(start, stop, step):
    """Contiguous slices of range(start, stop, step): about four per core."""
    count = len(range(start, stop, step))
    n_chunks = max(1, min(4 * cpu_count(), count // 10_000))
    edges = [start + step * (count * k // n_chunks) for k in range(n_chunks + 1)]
    return list(zip(edges[:-1], edges[1:]))
'''

_EXACT = (
    '''
from joblib import Parallel, cpu_count, delayed


def _aigc_partial_sum(lo, hi, step):
    """Exact sum of $EXPR for $VAR in range(lo, hi, step), with Python ints."""
    return sum($EXPR for $VAR in range(lo, hi, step))

'''
    + _CHUNKS
)

_FLOAT = (
    '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_partial_sum(lo, hi, step):
    """Sum of $EXPR for $VAR in range(lo, hi, step), vectorised a million terms at a time."""
    total = 0.0
    for block in range(lo, hi, step * 1_000_000):
        $VAR = np.arange(block, min(block + step * 1_000_000, hi), step, dtype=np.float64)
        total += float(np.sum($NUMPY_EXPR))
    return total

'''
    + _CHUNKS
)

_DRIVE = '''

def _aigc_series_sum(start, stop, step):
    """Sum over range(start, stop, step): one task per contiguous chunk."""
    parts = $PARALLEL(
        [delayed(_aigc_partial_sum)(lo, hi, step) for lo, hi in _aigc_chunks(start, stop, step)]
    )
    return sum(parts)


result = _aigc_series_sum($START, $STOP, $STEP)$MEAN
'''

_INTEGRATE = '''
import math

from joblib import Parallel, cpu_count, delayed
from scipy.integrate import quad


def _aigc_integrand($VAR):
    return $SCALAR_EXPR


def _aigc_integrate(a, b):
    """Integrate over [a, b]: one adaptive quad per sub-interval, four sub-intervals per core."""
    if math.isinf(a) or math.isinf(b):
        return quad(_aigc_integrand, a, b, limit=200)[0]
    n = 4 * cpu_count()
    edges = [a + (b - a) * k / n for k in range(n + 1)]
    parts = $PARALLEL(
        delayed(quad)(_aigc_integrand, lo, hi, limit=200) for lo, hi in zip(edges, edges[1:])
    )
    return math.fsum(value for value, _error in parts)


result = _aigc_integrate($A, $B)
'''


#: A condition on the terms, or the square of the whole sum: no sum recipe computes these, so
#: "the sum of the numbers from 1 to 100 divisible by 3" is refused, not answered with 5050.
_CONDITION = (
    r"divisible|multiples? of|\bnot\b|\bexcept\b|\bexcluding\b|\bwhere\b|\bwhose\b|"
    r"\b(?:which|that) are\b|\bif\b|\bonly\b|square of the sum|sum,? squared|"
    r"squared sum|\bprimes?\b|能被|整除|倍数|除了|不包括|不含|满足|使得|和的平方|质数|素数"
)


def _written_literals(source: str) -> int:
    """The numbers written in an expression (``pi`` and ``e`` count, as the prose has them)."""
    tree = ast.parse(source, mode="eval")
    return sum(
        isinstance(n, ast.Constant) or (isinstance(n, ast.Name) and n.id in ("pi", "e"))
        for n in ast.walk(tree)
    )


def _every_number_used(ctx: Context, numbers: list[Any], used: int) -> None:
    """Refuse when the prose has more numbers than the expression and its range hold
    ("sum of i from 1 to 10 and of i^2 from 1 to 10" is two sums, not the second)."""
    if len(numbers) > used:
        shown = ", ".join(n.text for n in numbers)
        raise NeedMore(
            f"the prose has the numbers {shown}; this task uses the expression's own and the "
            "range's; ask for one sum or integral at a time",
            f"这段话里有数字{shown}；这个任务只用表达式里的数和范围的两端，请一次只问一个",
            with_help=True,
        )


def _series_extract(ctx: Context) -> Params:
    if ctx.has(_CONDITION):
        raise NeedMore(
            "a sum over the terms that meet a condition, or the square of a sum, is not "
            "something I can plan offline; ask for the sum of an expression over a range",
            "离线规划器不支持带条件的求和或和的平方，请改问一个表达式在某个范围内的和",
            with_help=True,
        )
    found = find_expression(ctx)
    if found is None:
        if ctx.previous is not None:
            expr = Expr(ctx.prev("expr"), ctx.prev("var"), bool(ctx.prev("integer")))
        else:
            raise NeedMore(
                "write the expression to add up, e.g. 'sum of i**2 for i from 1 to 1000'",
                "请写出要求和的表达式，例如“i**2，i从1到1000”",
                with_help=True,
            )
    else:
        expr = found[0]
    in_formula = set(re.findall(r"[A-Za-z_]\w*", expr.source)) | {expr.var}
    sequences = [n for n in names_of(ctx, is_sequence) if n not in in_formula]
    if sequences:  # "the average of the first 3 values in data" is about data, not 1..3
        raise NotMine(
            f"this is about your {sequences[0]}, not a sum over a range",
            f"这是关于您的{sequences[0]}，不是某个范围内的求和",
        )
    functions = [n for n in names_of(ctx, is_function) if n not in in_formula]
    if functions:  # "add up g(n) for n = 1 to 10" with the notebook's g: its terms are g's
        raise NotMine(
            f"the terms come from your function {functions[0]}, which a closed form cannot see",
            f"各项来自您的函数{functions[0]}，闭式求和用不上它",
        )
    params: Params = {"expr": expr.source, "var": expr.var, "integer": expr.integer}
    rng = ctx.range()
    first_n = ctx.tsearch(r"\bfirst\s+#(\d+)#|前\s*#(\d+)#")
    if rng is not None:
        start, stop, inclusive = rng.start, rng.stop, rng.inclusive
    elif first_n is not None:
        start, stop, inclusive = 1, ctx.num(first_n.group(1) or first_n.group(2)), True
    elif (bound := ctx.bound()) is not None:
        start, stop, inclusive = ctx.prev("start", 1), bound.value, bound.inclusive
        if ctx.previous is None:
            ctx.note(f"started at {expr.var} = 1", f"从{expr.var}=1开始")
    elif ctx.previous is not None and ctx.numbers:
        start, stop, inclusive = ctx.prev("start"), ctx.numbers[-1].value, ctx.prev("inclusive")
    else:
        raise NeedMore(
            "say over which range, e.g. 'for i from 1 to 1000'",
            "请说明范围，例如“i从1到1000”",
            with_help=True,
        )
    if not (isinstance(start, int) and isinstance(stop, int)):
        raise NeedMore(
            "sums run over integers; give integer limits (or ask for an integral)",
            "求和只针对整数，请给出整数范围（或改问积分）",
            with_help=True,
        )
    if ctx.previous is None and found is not None:
        ends = 2 if rng is not None else 1
        _every_number_used(
            ctx,
            find_numbers(ctx.text, constants=True),
            ends + (_written_literals(expr.source) if found[1] else 0),
        )
    step = 1
    parity = 1 if ctx.has(r"\bodd\b|奇数") else 0 if ctx.has(r"\beven\b|偶数") else None
    if parity is not None:
        if first_n is not None and rng is None:  # "the first 100 odd numbers": 100 terms
            count = stop
            start = 1 if parity else 2
            stop, inclusive = start + 2 * (count - 1), True
        else:
            start += start % 2 != parity
        step = 2
        ctx.note(*(("only odd values", "只取奇数") if parity else ("only even values", "只取偶数")))
    params.update(start=start, stop=stop, inclusive=inclusive, step=step)
    ctx.note(
        f"{expr.var} runs from {start} to {stop}, both included"
        if inclusive
        else f"{expr.var} runs from {start} up to {stop}, excluded",
        f"{expr.var}从{start}到{stop}（含两端）"
        if inclusive
        else f"{expr.var}从{start}到{stop}（不含{stop}）",
    )
    return params


_CLOSED = '''
from sympy import summation, symbols


def _aigc_closed_sum():
    """The sum in closed form: polynomial and geometric terms need no loop over $COUNT terms."""
    $J = symbols("$J", integer=True, nonnegative=True)
    $VAR = $START + $STEP * $J  # the terms of range($START, $STOP, $STEP)
    return int(summation($EXPR, ($J, 0, $LAST)))


result = _aigc_closed_sum()
'''


_EXACT_INTEGRAL = """
from sympy import $IMPORTS


def _aigc_exact_integral():
    \"\"\"The definite integral, exactly (SymPy).\"\"\"
    $VAR = symbols("$VAR")
    return integrate($EXPR, ($VAR, $A, $B))


result = _aigc_exact_integral()
"""


def has_closed_form(source: str, var: str) -> bool:
    """Whether ``source`` is a polynomial in ``var`` (or ``c ** var``): SymPy sums it exactly."""

    def ok(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, int) and not isinstance(node.value, bool)
        if isinstance(node, ast.Name):
            return node.id == var
        if isinstance(node, ast.UnaryOp):
            return isinstance(node.op, (ast.USub, ast.UAdd)) and ok(node.operand)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
                return ok(node.left) and ok(node.right)
            if isinstance(node.op, ast.Pow):
                power = node.right
                if isinstance(power, ast.Constant) and isinstance(power.value, int):
                    return power.value >= 0 and ok(node.left)
                return (
                    isinstance(node.left, ast.Constant)
                    and isinstance(node.left.value, int)
                    and node.left.value > 0
                    and isinstance(power, ast.Name)
                    and power.id == var
                )
        return False

    return ok(ast.parse(source, mode="eval").body)


def _series_code(mean: bool) -> Any:
    def code(params: Params) -> str:
        expr = Expr(params["expr"], params["var"], params["integer"])
        stop = params["stop"] + (1 if params["inclusive"] else 0)
        count = len(range(params["start"], stop, params["step"]))
        if (
            not mean
            and count > 0
            and params["start"] >= 0
            and has_closed_form(expr.source, expr.var)
        ):
            j = "j" if expr.var != "j" else "m"
            return render(
                _CLOSED,
                J=j,
                VAR=expr.var,
                START=literal(params["start"]),
                STEP=str(params["step"]),
                STOP=literal(stop),
                COUNT=literal(count),
                EXPR=expr.source,
                LAST=literal(count - 1),
            )
        body = _EXACT if expr.integer else _FLOAT
        return render(
            body + _DRIVE,
            EXPR=expr.source,
            VAR=expr.var,
            NUMPY_EXPR=expr.numpy(),
            START=literal(params["start"]),
            STOP=literal(stop),
            STEP=str(params["step"]),
            MEAN=f" / {literal(count)}  # the mean over {count} terms" if mean else "",
        )

    return code


def _where(params: Params, lang: str) -> str:
    v, a, b = params["var"], params["start"], params["stop"]
    parity = {2: text(lang, " (every other value)", "（隔一个取一个）")}.get(params["step"], "")
    if params["inclusive"]:
        return text(lang, f"for {v} from {a} to {b}{parity}", f"{v}从{a}到{b}{parity}")
    return text(lang, f"for {v} from {a} below {b}{parity}", f"{v}从{a}到{b}（不含）{parity}")


def _series_summary(mean: bool) -> Any:
    def summary(params: Params, lang: str) -> str:
        what = text(lang, "mean" if mean else "sum", "平均值" if mean else "和")
        return text(
            lang,
            f"Compute the {what} of {params['expr']} {_where(params, 'en')}",
            f"计算{_where(params, 'zh')}时{params['expr']}的{what}",
        )

    return summary


def _series_answer(mean: bool) -> Any:
    def answer(params: Params, value: Any, lang: str) -> str:
        what = text(lang, "mean" if mean else "sum", "平均值" if mean else "和")
        return text(
            lang,
            f"The {what} of {params['expr']} {_where(params, 'en')} is {fmt(value)}.",
            f"{_where(params, 'zh')}时，{params['expr']}的{what}为{fmt(value)}。",
        )

    return answer


def _integral_extract(ctx: Context) -> Params:
    if ctx.has(r"indefinite|antiderivative|primitive|不定积分|原函数"):
        raise NeedMore(
            "an indefinite integral has no range; drop the range, or drop 'indefinite'",
            "不定积分没有积分区间；请去掉区间或去掉“不定”",
        )
    numbers = find_numbers(ctx.text, constants=True)
    rng = find_range(ctx.text, numbers)
    func = _integrand_function(ctx)
    if func is not None:  # "integrate g from 0 to 2" with the notebook's g: numerically
        if rng is None:
            raise NeedMore(
                f"give the interval to integrate {func} over, e.g. 'from 0 to 1'",
                f"请给出{func}的积分区间，例如“从0到1”",
            )
        _every_number_used(ctx, numbers, 2)
        ctx.note(
            f"your function {func} integrated numerically (scipy.integrate.quad)",
            f"用数值方法积分您的函数{func}（scipy.integrate.quad）",
        )
        return {
            "expr": f"{func}(x)",
            "var": "x",
            "func": func,
            "a": float(rng.start),
            "b": float(rng.stop),
        }
    found = find_expression(ctx, default_var="x")
    if found is None or not found[1]:
        if ctx.previous is None:
            raise NeedMore(
                "write the function to integrate, e.g. 'integrate sin(x) from 0 to pi'",
                "请写出被积函数，例如“sin(x)从0到pi的积分”",
                with_help=True,
            )
        expr = parse_expr(ctx.prev("expr"), ctx.prev("var"))
    else:
        expr = _euler(ctx, found[0])
    assert expr is not None
    if rng is None:
        if ctx.previous is None:
            raise NeedMore(
                "give the interval, e.g. 'from 0 to 1' or 'over [0, pi]'",
                "请给出积分区间，例如“从0到1”",
                with_help=True,
            )
        a, b = ctx.prev("a"), ctx.prev("b")
    else:
        if ctx.previous is None and found is not None and found[1]:
            _every_number_used(ctx, numbers, 2 + _written_literals(expr.source))
        a, b = float(rng.start), float(rng.stop)
        ends = [next((n for n in numbers if n.value == v), None) for v in (rng.start, rng.stop)]
        exact = [exact_bound(n) if n is not None else None for n in ends]
        if (
            exact[0] is not None
            and exact[1] is not None
            and (has_closed_form(expr.source, expr.var) or elementary(expr.source, expr.var))
        ):
            return {
                "expr": expr.source,
                "var": expr.var,
                "a": a,
                "b": b,
                "exact": True,
                "a_exact": exact[0],
                "b_exact": exact[1],
            }
    if ctx.has(_EXACT_ASKED):
        raise NeedMore(
            f"the integral of {expr.source} has no exact value I can compute quickly here; "
            "drop 'exact' for a numerical value",
            f"{expr.source}的这个积分在这里求不出精确值；去掉“精确”可得数值结果",
        )
    return {"expr": expr.source, "var": expr.var, "a": a, "b": b}


#: The prose asks for the exact value: a numerical integral is then no answer.
_EXACT_ASKED = r"\bexact|\bclosed[ -]form|\bsymbolic|\banalytic|精确|解析解|准确值|闭式"


def _euler(ctx: Context, expr: Expr) -> Expr:
    """``e ** x`` written by hand is ``exp(x)`` (when ``e`` is neither the variable nor a
    notebook name): SymPy then integrates it exactly."""
    if expr.var == "e" or "e" in ctx.namespace:
        return expr
    tree = ast.parse(expr.source, mode="eval")

    class _Exp(ast.NodeTransformer):
        def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
            self.generic_visit(node)
            left = node.left
            if isinstance(node.op, ast.Pow) and isinstance(left, ast.Name) and left.id == "e":
                return ast.Call(ast.Name("exp", ast.Load()), [node.right], [])
            return node

    source = ast.unparse(_Exp().visit(tree))
    if source == expr.source:
        return expr
    rewritten = parse_expr(source, expr.var)
    return rewritten if rewritten is not None else expr


def _integrand_function(ctx: Context) -> str | None:
    """The notebook function the prose integrates ("integrate g", "∫ g(x) dx", "g的积分",
    "g从0到2的积分"), or None."""
    functions = names_of(ctx, is_function)
    if len(functions) > 1:
        raise NotMine(
            f"integrate one function, not {', '.join(functions)}",
            f"请只积分一个函数，而不是{'、'.join(functions)}",
        )
    if not functions:
        return None
    name = re.escape(functions[0])
    alone = rf"(?<![A-Za-z0-9_.]){name}(?:\s*\(\s*[a-z]\s*\))?(?![A-Za-z0-9_(])"
    rest = re.sub(alone, " ", ctx.text, count=1)
    if re.search(rf"(?<![A-Za-z0-9_.]){name}(?![A-Za-z0-9_])", rest) or not re.search(
        alone, ctx.text
    ):
        raise NotMine(  # g(x)**2, 2*g(x): a formula around it
            f"integrate {functions[0]} itself, e.g. 'integrate {functions[0]} from 0 to 1'",
            f"只能积分{functions[0]}本身，例如“{functions[0]}从0到1的积分”",
        )
    placed = re.search(
        rf"(?:integrat\w*|integral of|∫|area under(?: the curve of)?|对|求|计算)\s*"
        rf"(?:the\s+)?(?:function\s+)?{alone}|{alone}\s*(?:从|在|的(?:定)?积分)",
        ctx.text,
        re.IGNORECASE,
    )
    if placed is None:  # "area under 1/(1+x^2)" with a notebook function named area
        return None
    around = re.search(rf"[-+*/^]\s*{alone}|{alone}\s*(?:\*\*|[-+*/^])", ctx.text)
    if around is not None:
        raise NotMine(
            f"integrate {functions[0]} itself, e.g. 'integrate {functions[0]} from 0 to 1'",
            f"只能积分{functions[0]}本身，例如“{functions[0]}从0到1的积分”",
        )
    return functions[0]


def _integral_code(params: Params) -> str:
    if "func" in params:
        return render(
            _INTEGRATE,
            VAR="x",
            SCALAR_EXPR=f"{params['func']}(x)",
            A=literal(float(params["a"])),
            B=literal(float(params["b"])),
        )
    expr = parse_expr(params["expr"], params["var"])
    assert expr is not None
    if params.get("exact"):  # an elementary integrand, exact bounds: SymPy's exact integral
        source, names = to_sympy(expr.source)
        # plans made before bounds were kept exactly have whole-number bounds only
        a = params["a_exact"] if "a_exact" in params else str(int(params["a"]))
        b = params["b_exact"] if "b_exact" in params else str(int(params["b"]))
        names += [n for n in ("pi", "oo") if re.search(rf"\b{n}\b", f"{a} {b}")]
        return render(
            _EXACT_INTEGRAL,
            IMPORTS=", ".join(sorted({"integrate", "symbols", *names})),
            VAR=expr.var,
            EXPR=source,
            A=a,
            B=b,
        )
    return render(
        _INTEGRATE,
        VAR=expr.var,
        SCALAR_EXPR=expr.scalar(),
        A=literal(float(params["a"])),
        B=literal(float(params["b"])),
    )


def _bound_text(x: float) -> str:
    if isinstance(x, float) and math.isclose(x, math.pi):
        return "π"
    return fmt(x)


def _integral_summary(params: Params, lang: str) -> str:
    a, b = _bound_text(params["a"]), _bound_text(params["b"])
    return text(
        lang,
        f"Integrate {params['expr']} d{params['var']} from {a} to {b}",
        f"计算{params['expr']}在[{a}, {b}]上的定积分",
    )


def _integral_answer(params: Params, value: Any, lang: str) -> str:
    a, b = _bound_text(params["a"]), _bound_text(params["b"])
    if params.get("exact"):
        a, b = params.get("a_exact", a), params.get("b_exact", b)
        return text(
            lang,
            f"The integral of {params['expr']} from {a} to {b} is {value} exactly.",
            f"{params['expr']}在[{a}, {b}]上的积分精确值为{value}。",
        )
    shown = f"{value:.10g}" if isinstance(value, float) else fmt(value)
    return text(
        lang,
        f"The integral of {params['expr']} from {a} to {b} is about {shown}.",
        f"{params['expr']}在[{a}, {b}]上的积分约为{shown}。",
    )


# --------------------------------------------------------------------------- 1 + 2 + ... + n

_ELLIPSIS = r"#(\d+)#\s*\+\s*#(\d+)#\s*\+\s*(?:#(\d+)#\s*\+\s*)?(?:\.{2,}|…+|⋯+)\s*\+\s*#(\d+)#"


def _progression_extract(ctx: Context) -> Params:
    m = ctx.tsearch(_ELLIPSIS)
    if m is None:
        raise NotMine("write the sum as '1 + 2 + ... + 100'", "请把和写成“1+2+...+100”")
    written = [int(g) for g in m.groups() if g is not None]
    terms = [ctx.num(k) for k in written]
    if not all(isinstance(t, int) for t in terms):
        raise NeedMore("the terms must be whole numbers", "各项须为整数")
    first, second, last = terms[0], terms[1], terms[-1]
    step = second - first
    if step <= 0 or (len(terms) == 4 and terms[2] - second != step) or (last - first) % step:
        raise NeedMore(
            "the written terms do not rise by one common step up to the last term",
            "写出的各项不是等差递增到最后一项",
        )
    all_numbers_used(ctx, len(terms))
    nothing_left(ctx, r"sum|total|add|up|of|the|series", r"等于多少|等于|多少|的和|之和|求和|求|和")
    count = (last - first) // step + 1
    ctx.note(
        f"{count} terms from {first} to {last} in steps of {step}",
        f"从{first}到{last}、步长{step}，共{count}项",
    )
    return {"first": first, "last": last, "step": step}


def _progression_code(params: Params) -> str:
    first, last, step = params["first"], params["last"], params["step"]
    return (
        f"result = sum(range({literal(first)}, {literal(last)} + 1, {step}))"
        "  # an arithmetic series, summed exactly\n"
    )


def _progression_summary(params: Params, lang: str) -> str:
    f, s, last = params["first"], params["first"] + params["step"], params["last"]
    return text(lang, f"{f} + {s} + ... + {last}", f"{f}+{s}+…+{last}")


def _progression_answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"{_progression_summary(params, lang)} = {fmt(value)}.",
        f"{_progression_summary(params, lang)} = {fmt(value)}。",
    )


RECIPES = [
    Recipe(
        id="series.progression",
        anchors=r"\d\s*\+\s*\d+\s*\+.*(?:\.{2,}|…|⋯)",
        examples_en=(
            "1 + 2 + 3 + ... + 100",
            "what is 1+2+...+1000",
            "sum 2 + 4 + 6 + ... + 200",
            "1 + 3 + 5 + ... + 99",
            "5 + 10 + ... + 500",
        ),
        examples_zh=(
            "1+2+3+…+100等于多少",
            "求1+2+...+1000",
            "2+4+6+...+200的和",
            "1+3+5+…+99是多少",
            "计算 3+6+9+...+300",
        ),
        extract=_progression_extract,
        code=_progression_code,
        summary=_progression_summary,
        answer=_progression_answer,
        demo="1 + 2 + 3 + ... + 100",
        priority=40,
        decisive=True,
        grid=False,
    ),
    Recipe(
        id="series.sum",
        anchors=rf"^(?=.*(?:{_SERIES}))(?!.*(?:{_MEAN}|{_INTEGRAL}|{_OTHER}))",
        examples_en=(
            "sum of i**2 for i from 1 to 1000",
            "compute the sum of 1/k^2 for k = 1 to 1e6",
            "add up the squares of the integers from 1 to 100",
            "total of n**3 for n in 1..10000",
            "sum of sqrt(i) for i between 1 and 1e7",
            "what is the sum of all numbers from 1 to 100",
            "sum of cubes from 1 to 500",
            "sum the reciprocals of 1 to one million",
        ),
        examples_zh=(
            "1到100的平方和",
            "计算i**2在i从1到1000上的和",
            "求1到10000的立方和",
            "从1加到100等于多少",
            "求k从1到100万时1/k^2的总和",
            "计算1到1e6的倒数和",
            "把1到1000的所有整数加起来",
            "求sqrt(i)，i从1到10万，的和",
        ),
        extract=_series_extract,
        code=_series_code(False),
        summary=_series_summary(False),
        answer=_series_answer(False),
        demo="sum of sqrt(i) for i from 1 to 1000000",
    ),
    Recipe(
        id="series.mean",
        anchors=rf"^(?=.*(?:{_MEAN}))(?!.*(?:{_INTEGRAL}|{_OTHER}))",
        examples_en=(
            "mean of sqrt(x) for x in 1..1e6",
            "average of i**2 for i from 1 to 1000",
            "compute the mean of log(k) for k from 1 to 10^7",
            "what is the average value of 1/n for n between 1 and 100000",
            "average of the squares from 1 to 100",
            "expected value of sin(x) over x = 1 to 1000",
        ),
        examples_zh=(
            "求sqrt(x)在x从1到100万上的平均值",
            "计算1到1000的平方的平均值",
            "i从1到10000时i**3的均值",
            "求1到一百万的平方根的平均数",
            "log(k)在k从1到1e7上的平均值是多少",
            "1到100所有整数的平均值",
        ),
        extract=_series_extract,
        code=_series_code(True),
        summary=_series_summary(True),
        answer=_series_answer(True),
        demo="mean of sqrt(x) for x in 1..1e6",
    ),
    Recipe(
        id="integrate.quad",
        anchors=_INTEGRAL,
        examples_en=(
            "integrate sin(x) from 0 to pi",
            "numerically integrate x^2 over [0, 1]",
            "compute the definite integral of exp(-x**2) from -5 to 5",
            "area under 1/(1+x^2) between 0 and 1",
            "integral of sqrt(t) from 0 to 4",
            "what is the integral of log(x) from 1 to 2",
        ),
        examples_zh=(
            "计算sin(x)从0到pi的定积分",
            "求x**2在0到1上的积分",
            "对exp(-x^2)在-5到5之间做数值积分",
            "求1/(1+x^2)在区间[0, 1]上的积分",
            "sqrt(t)从0到4积分",
            "数值积分 log(x)，从1到2",
        ),
        extract=_integral_extract,
        code=_integral_code,
        summary=_integral_summary,
        answer=_integral_answer,
        demo="integrate exp(-x^2) from 0 to 3",
    ),
]
