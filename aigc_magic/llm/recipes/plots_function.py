"""A function plotted over a range: "plot sin(x) from 0 to 2*pi", "画一下 cos(x) 在 -π 到 π 之间的
图像", and a scatter plot at whole numbers ("画一个散点图，x 是 1 到 10，y 是 x 的平方").

The last plot recipe tried (the lowest priority): a plot that no recipe can draw is refused
here, with the list of what can be drawn. Decisive and strict like :mod:`.plots`.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

from .._numbers import find_numbers
from .._spans import find_range
from ._base import Context, NeedMore, Params, Recipe, identifiers, text
from ._codegen import fmt, render
from ._expr import find_expression, parse_expr
from ._guard import NotMine, Refuse, nothing_left
from .plots import _FIGURE, _PLOT, _PLOT_EN, _PLOT_ZH, _POINTS, _longest_first, _need_matplotlib

__all__ = ["RECIPES"]

#: "a scatter plot of y = x^2 for x from 1 to 10": the points, not a line through them.
_SCATTER = r"scatter|散点"
_MAX_SCATTER = 1000


_STRONG_PLOT = (
    r"\bplot\b|\bplots\b|\bplotting\b|histogram|\bchart\b|\bgraph of\b|画图|画出|画成|"
    r"直方图|折线图|散点图|柱状图|条形图|曲线图"
)
_OTHER_PICTURES = r"elbow|k-?means|k-?均值|mandelbrot|曼德|芒德|plot-free"


def _function_extract(ctx: Context) -> Params:
    """A function plot; the last plot recipe tried, so a plot nobody can draw is refused here."""
    try:
        return _read_function(ctx)
    except NotMine as need:
        if ctx.has(_STRONG_PLOT) and not ctx.has(_OTHER_PICTURES):  # "histogram of the primes"
            raise Refuse(
                "this asks for a plot the offline planner cannot draw: it plots a function "
                "over a range, a histogram of samples of a named distribution, or one list of "
                f"numbers from your namespace ({need.en})",
                "离线规划器画不了这张图：它只能画函数在一个区间上的图像、某个分布的样本的直方图，"
                f"或命名空间里一个数值列表（{need.zh}）",
                with_help=True,
            ) from None
        raise


def _read_function(ctx: Context) -> Params:
    found = find_expression(ctx, default_var="x")
    if found is None or not found[1]:
        raise NotMine(
            "write the function to plot, e.g. 'plot sin(x) from 0 to 10'",
            "请写出要画的函数，例如“画出sin(x)在0到10之间的图像”",
            with_help=True,
        )
    expr = found[0]
    numbers = find_numbers(ctx.text, constants=True)
    rng = find_range(ctx.text, numbers)
    tree = ast.parse(expr.source, mode="eval")
    literals = sum(
        isinstance(n, ast.Constant) or (isinstance(n, ast.Name) and n.id == "pi")
        for n in ast.walk(tree)
    )
    literals -= len(re.findall(r"平方|立方|\bsquared\b|\bcubed\b", ctx.text))  # no digit written
    words = "|".join(sorted(set(identifiers(expr.source)), key=len, reverse=True))
    nothing_left(
        ctx,
        _PLOT_EN + r"|from|to|between|and|over|for|in|on|interval|range|function|of|y|f|pi|scatter|"
        r"points|dots|versus|vs|against|" + words,
        _longest_first(
            _PLOT_ZH,
            r"函数|在|从|到|之间|区间|范围|上|内|π|圆周率|取|点|对|的平方|的立方|平方|立方",
        ),
    )
    if rng is None:
        raise NeedMore(
            f"say over which range to plot {expr.source}, e.g. 'from 0 to 10'",
            f"请说明{expr.source}的画图范围，例如“在0到10之间”",
            with_help=True,
        )
    if len(numbers) != literals + 2:
        extra = ", ".join(n.text for n in numbers)
        raise NotMine(
            f"the prose has the numbers {extra}; a plot uses the function's own and the two "
            "ends of the range; say what the others are for",
            f"这段话里有数字{extra}；画图只用函数里的数和范围的两端，请说明其他数字的用途",
            with_help=True,
        )
    a, b = float(rng.start), float(rng.stop)
    if not (math.isfinite(a) and math.isfinite(b) and a < b):
        raise NeedMore(
            f"the range {fmt(a)} to {fmt(b)} is empty or unbounded; write the smaller end first",
            f"范围{fmt(a)}到{fmt(b)}为空或无界，请把较小的一端写在前面",
        )
    _need_matplotlib()
    if ctx.has(_SCATTER):
        if not (a.is_integer() and b.is_integer() and b - a <= _MAX_SCATTER):
            raise NeedMore(
                f"a scatter plot here draws one point per whole number from a to b (at most "
                f"{_MAX_SCATTER}); give whole-number ends",
                f"散点图在整数点上画点（最多{_MAX_SCATTER}个）；请给出整数端点",
            )
        ctx.note(
            f"one point for each whole {expr.var} from {fmt(a)} to {fmt(b)}",
            f"{expr.var}取{fmt(a)}到{fmt(b)}的每个整数各画一个点",
        )
        return {"expr": expr.source, "var": expr.var, "a": a, "b": b, "scatter": True}
    ctx.note(f"{_POINTS} evenly spaced points", f"{_POINTS}个等距点")
    return {"expr": expr.source, "var": expr.var, "a": a, "b": b}


_FUNCTION_CODE = '''
import numpy as np
from matplotlib.figure import Figure


def _aigc_plot_function(start, stop, points=$POINTS):
    """$EXPR for $VAR from start to stop, $HOW."""
    $VAR = $POINTS_CALL
    with np.errstate(all="ignore"):  # log(0) or 1/0 leave a gap in the curve
        values = $NUMPY_EXPR
    fig = $FIGURE
    ax = fig.subplots()
    ax.$DRAW($VAR, values)
    ax.set_xlabel($VAR_LABEL)
    ax.set_ylabel($EXPR_LABEL)
    ax.grid(True, alpha=0.3)
    return fig


result = _aigc_plot_function($A, $B)
'''


def _function_code(params: Params) -> str:
    expr = parse_expr(params["expr"], params["var"])
    assert expr is not None
    return render(
        _FUNCTION_CODE,
        POINTS=str(_POINTS),
        HOW="one point per whole number"
        if params.get("scatter")
        else "as a line through evenly spaced points",
        POINTS_CALL="np.arange(start, stop + 1)"
        if params.get("scatter")
        else "np.linspace(start, stop, points)",
        DRAW="scatter" if params.get("scatter") else "plot",
        EXPR=expr.source,
        VAR=expr.var,
        NUMPY_EXPR=expr.numpy(),
        FIGURE=_FIGURE,
        VAR_LABEL=repr(expr.var),
        EXPR_LABEL=repr(expr.source),
        A=repr(params["a"]),  # a float as written: literal() would name math.pi unimported
        B=repr(params["b"]),
    )


def _function_summary(params: Params, lang: str) -> str:
    a, b = fmt(params["a"]), fmt(params["b"])
    return text(
        lang,
        f"Plot {params['expr']} for {params['var']} from {a} to {b}",
        f"画出{params['expr']}在{params['var']}∈[{a}, {b}]上的图像",
    )


def _function_answer(params: Params, value: Any, lang: str) -> str:
    a, b = fmt(params["a"]), fmt(params["b"])
    points = int(params["b"] - params["a"]) + 1 if params.get("scatter") else _POINTS
    return text(
        lang,
        f"Plotted {params['expr']} for {params['var']} from {a} to {b} ({points} points).",
        f"已画出{params['expr']}在{params['var']}∈[{a}, {b}]上的图像（{points}个点）。",
    )


RECIPES = [
    Recipe(
        id="plot.function",
        anchors=_PLOT,
        examples_en=(
            "plot sin(x) from 0 to 10",
            "plot x^2 - 3x between -5 and 5",
            "graph exp(-x) * cos(x) for x from 0 to 20",
            "draw sqrt(x) on [0, 100]",
            "plot tan(x) from -1.5 to 1.5",
        ),
        examples_zh=(
            "画出x^2在-5到5之间的图像",
            "画sin(x)从0到2*pi的图",
            "绘制exp(-x)在0到5之间的曲线",
            "画出log(x)在1到100之间的图像",
            "画一下cos(x)从-3到3的曲线",
        ),
        extract=_function_extract,
        code=_function_code,
        summary=_function_summary,
        answer=_function_answer,
        demo="plot sin(x) from 0 to 10",
        priority=10,
        decisive=True,
        grid=False,
    ),
]
