"""Two of the notebook's sequences of numbers taken together: their correlation, or one
plotted against the other.

- ``pair.correlation``: "the correlation of xs and ys", "xs 和 ys 的相关系数" (Pearson's r
  with NumPy; Spearman's rank correlation with SciPy when asked).
- ``plot.pair``: "scatter plot of ys against xs", "用 xs 和 ys 画散点图" (a scatter chart, or
  a line when asked).

Both need exactly two names of the namespace, each a 1-D sequence of numbers, of the same
length; anything else steps aside (:class:`~._guard.NotMine`) or is refused with what to
write. The order of a plot is the order written ("xs and ys": xs across), except "A
against B" / "A vs B", where A is the vertical axis, as a statistician writes it.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import Context, NeedMore, Params, Recipe, is_numeric_1d, names_of, text
from ._codegen import render
from ._guard import NotMine, all_numbers_used, nothing_left
from .plots import _FIGURE, _PLOT, _PLOT_EN, _PLOT_ZH, _longest_first, _need_matplotlib

__all__ = ["RECIPES"]

_PAIR_EN = r"and|with|of|the|between|for|my|two|lists?|arrays?|variables?|data|values?|is|what"
_PAIR_ZH = r"和|与|跟|同|及|之间|两个|两组|变量|列表|数组|数据|的|是|多少|求|算|计算|用"


def _pair(ctx: Context) -> tuple[str, str]:
    """The two numeric sequences the prose names, in the order written."""
    names = [n for n in names_of(ctx, lambda v: True) if not callable(ctx.namespace[n])]
    pair = [n for n in names if is_numeric_1d(ctx.namespace[n])]
    if len(pair) != 2 or len(names) != 2:
        raise NotMine(
            "name two lists of numbers from your namespace, e.g. 'correlation of xs and ys'",
            "请写出命名空间里的两个数值列表，例如“xs和ys的相关系数”",
            with_help=True,
        )
    a, b = pair
    if len(ctx.namespace[a]) != len(ctx.namespace[b]):
        raise NeedMore(
            f"the two lists differ in length ({a}: {len(ctx.namespace[a])} values, "
            f"{b}: {len(ctx.namespace[b])}); pair them up only when they are equally long",
            f"两组数长度不同（{a}有{len(ctx.namespace[a])}个值，{b}有{len(ctx.namespace[b])}个）；"
            "一样长才能配对",
        )
    return a, b


# --------------------------------------------------------------------------- correlation

_CORR_EN = r"correlation|correlations|correlated|corr|coefficient|pearson|pearson's|r|spearman"
_CORR_ZH = r"皮尔逊相关系数|斯皮尔曼相关系数|皮尔逊|斯皮尔曼|秩相关系数|相关系数|相关性|相关度|相关"


def _corr_extract(ctx: Context) -> Params:
    a, b = _pair(ctx)
    if ctx.has(r"\bcovariance|协方差|\br\s*(?:\^|\*\*)\s*2|r\s*squared|r²|决定系数"):
        raise NotMine("not a correlation coefficient", "不是相关系数")
    all_numbers_used(ctx, 0)
    spearman = ctx.has(r"spearman|rank|斯皮尔曼|秩")
    nothing_left(
        ctx,
        _CORR_EN + r"|rank|" + _PAIR_EN + "|" + re.escape(a) + "|" + re.escape(b),
        _longest_first(_CORR_ZH, r"秩|系数", _PAIR_ZH) + "|" + re.escape(a) + "|" + re.escape(b),
    )
    if spearman:
        ctx.note("Spearman's rank correlation, as asked", "按所问用斯皮尔曼秩相关系数")
    else:
        ctx.note("Pearson's correlation coefficient r", "皮尔逊相关系数r")
    return {"a": a, "b": b, "method": "spearman" if spearman else "pearson"}


_CORR_CODE = {
    "pearson": '''
import numpy as np


def _aigc_correlation(a, b):
    """Pearson's correlation coefficient of two equally long sequences."""
    return float(np.corrcoef(np.asarray(a, dtype=float), np.asarray(b, dtype=float))[0, 1])


result = _aigc_correlation($A, $B)
''',
    "spearman": '''
from scipy.stats import spearmanr


def _aigc_correlation(a, b):
    """Spearman's rank correlation of two equally long sequences."""
    return float(spearmanr(a, b).statistic)


result = _aigc_correlation($A, $B)
''',
}


def _corr_code(params: Params) -> str:
    return render(_CORR_CODE[params["method"]], A=params["a"], B=params["b"])


def _corr_words(params: Params) -> tuple[str, str]:
    if params["method"] == "spearman":
        return "Spearman's rank correlation", "斯皮尔曼秩相关系数"
    return "Pearson's correlation", "皮尔逊相关系数"


def _corr_summary(params: Params, lang: str) -> str:
    en, zh = _corr_words(params)
    a, b = params["a"], params["b"]
    return text(lang, f"{en} of {a} and {b}", f"{a}与{b}的{zh}")


def _corr_answer(params: Params, value: Any, lang: str) -> str:
    en, zh = _corr_words(params)
    a, b = params["a"], params["b"]
    return text(lang, f"{en} of {a} and {b} is {value:.6g}.", f"{a}与{b}的{zh}为{value:.6g}。")


# --------------------------------------------------------------------------- plot

_AGAINST = r"\b(?:against|vs\.?|versus)\b"


def _plot_extract(ctx: Context) -> Params:
    a, b = _pair(ctx)
    if ctx.has(r"histogram|\bhist\b|直方图|\bbars?\b|bar chart|柱状图|条形图|柱形图"):
        raise NotMine("two sequences are drawn as a scatter or a line", "两组数画成散点图或折线图")
    line = ctx.has(r"\bline\b|line chart|line graph|折线图|折线|曲线|线图")
    if line and ctx.has(r"scatter|散点"):
        raise NotMine("ask for one kind of chart", "请只要一种图")
    all_numbers_used(ctx, 0)
    x, y = (b, a) if ctx.has(_AGAINST) else (a, b)
    for name, other in ((a, b), (b, a)):
        said = (
            re.escape(name)
            + r"\s*(?:为|作为|当|是|做|on the)\s*(横轴|纵轴|x\s*-?\s*axis|y\s*-?\s*axis|x轴|y轴)"
        )
        m = ctx.search(said)
        if m is not None:
            across = m.group(1).lower().startswith(("横", "x"))
            x, y = (name, other) if across else (other, name)
    nothing_left(
        ctx,
        _PLOT_EN
        + r"|scatter|scatterplot|scatter plot|line|chart|graph|against|vs|versus|as|an?|on|"
        r"x|y|axis|x-axis|y-axis|" + _PAIR_EN + "|" + re.escape(a) + "|" + re.escape(b),
        _longest_first(
            _PLOT_ZH,
            r"散点图|散点|折线图|折线|曲线|线图|个|一个|一张|张|以|为|作为|当|做|横轴|纵轴|x轴|y轴|、",
            _PAIR_ZH,
        )
        + "|"
        + re.escape(a)
        + "|"
        + re.escape(b),
    )
    _need_matplotlib()
    ctx.note(f"{x} across, {y} up", f"横轴{x}，纵轴{y}")
    return {"x": x, "y": y, "kind": "line" if line else "scatter", "length": len(ctx.namespace[a])}


_PLOT_CODE = '''
from matplotlib.figure import Figure


def _aigc_plot_pair(x, y, x_name, y_name):
    """$WHAT of one sequence of numbers against another."""
    fig = $FIGURE
    ax = fig.subplots()
    $DRAW
    ax.set_title(f"{y_name} against {x_name}")
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    return fig


result = _aigc_plot_pair($X, $Y, $X_LITERAL, $Y_LITERAL)
'''


def _plot_code(params: Params) -> str:
    draw = "ax.scatter(x, y, s=12)" if params["kind"] == "scatter" else "ax.plot(x, y)"
    return render(
        _PLOT_CODE,
        WHAT="A scatter chart" if params["kind"] == "scatter" else "A line",
        FIGURE=_FIGURE,
        DRAW=draw,
        X=params["x"],
        Y=params["y"],
        X_LITERAL=repr(params["x"]),
        Y_LITERAL=repr(params["y"]),
    )


def _plot_words(params: Params) -> tuple[str, str]:
    return ("a scatter plot", "散点图") if params["kind"] == "scatter" else ("a line", "折线图")


def _plot_summary(params: Params, lang: str) -> str:
    en, zh = _plot_words(params)
    x, y = params["x"], params["y"]
    return text(lang, f"Plot {y} against {x} as {en}", f"以{x}为横轴、{y}为纵轴画{zh}")


def _plot_answer(params: Params, value: Any, lang: str) -> str:
    en, zh = _plot_words(params)
    x, y, n = params["x"], params["y"], params["length"]
    return text(
        lang,
        f"Plotted the {n} pairs of {y} against {x} as {en}.",
        f"已把{n}对数据画成{zh}（横轴{x}，纵轴{y}）。",
    )


def _demo_namespace() -> dict[str, Any]:
    return {"xs": [1, 2, 3, 4, 5, 6], "ys": [2.1, 3.9, 6.2, 7.8, 10.1, 12.2]}


RECIPES = [
    Recipe(
        id="pair.correlation",
        anchors=r"correlat|\bcorr\b|pearson|spearman|相关",
        examples_en=(
            "correlation of xs and ys",
            "what is the correlation between xs and ys",
            "pearson correlation coefficient of xs and ys",
            "spearman rank correlation of xs and ys",
            "how correlated are xs and ys",
        ),
        examples_zh=(
            "xs和ys的相关系数",
            "xs与ys之间的相关系数是多少",
            "求xs和ys的皮尔逊相关系数",
            "xs和ys的斯皮尔曼秩相关系数",
            "xs跟ys的相关性",
        ),
        extract=_corr_extract,
        code=_corr_code,
        summary=_corr_summary,
        answer=_corr_answer,
        demo="correlation of xs and ys",
        demo_namespace=_demo_namespace,
        priority=40,
        decisive=True,
        grid=False,
    ),
    Recipe(
        id="plot.pair",
        anchors=_PLOT + r"|scatter|散点",
        examples_en=(
            "scatter plot of ys against xs",
            "plot ys vs xs",
            "scatter xs and ys",
            "draw a line of ys against xs",
            "make a scatter plot with xs and ys",
        ),
        examples_zh=(
            "用xs和ys画散点图",
            "画出xs和ys的散点图",
            "以xs为横轴ys为纵轴画图",
            "把xs和ys画成折线图",
            "用 xs 和 ys 画个散点图",
        ),
        extract=_plot_extract,
        code=_plot_code,
        summary=_plot_summary,
        answer=_plot_answer,
        demo="scatter plot of ys against xs",
        demo_namespace=_demo_namespace,
        priority=25,
        decisive=True,
        grid=False,
    ),
]
