"""Plots with matplotlib: a histogram of samples, a notebook variable (a function over a
range is :mod:`.plots_function`'s, and refuses the plots nobody draws).

The answer is a :class:`matplotlib.figure.Figure`, which the card shows as an image
(``image/png``). The code builds it with ``Figure()`` and never touches pyplot, so it neither
sets a backend nor replaces an interactive one: PNG rendering goes through Agg whatever
backend the notebook uses, and the inline backend does not show the figure a second time.
matplotlib is optional: planning a plot only looks it up (``importlib.util.find_spec``), and
without it the request is refused with the ``pip install matplotlib`` line.

Every recipe is decisive and strict: a plot word selects it, and it uses every number and
word of the prose ("plot sin(x) and cos(x) from 0 to 10" draws neither) or refuses.
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

from ._base import Context, NeedMore, Params, Recipe, identifiers, is_numeric_1d, text
from ._codegen import literal, render
from ._dists import SAMPLE_WORDS_EN, SAMPLE_WORDS_ZH, describe, draw_call, read_samples
from ._guard import NotMine, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

_PLOT = (
    r"\bplot|\bgraph\b|\bchart\b|\bdraw\b|\bsketch\b|\bvisuali[sz]e|histogram|\bhist\b|"
    r"画|绘制|绘出|作图|图像|直方图|折线图|曲线图|散点图|柱状图|条形图"
)
_PLOT_EN = (
    r"plot|plots|plotting|graph|chart|draw|sketch|visualise|visualize|make|create|"
    r"figure|picture|image|line|curve"
)
_PLOT_ZH = (
    r"画出|画成|画一下|画一个|画个|画|绘制|绘出|作图|图像|折线图|曲线图|散点图|散点|曲线|图|一张|张"
)
_MAX_HIST_SAMPLES = 50_000_000
_POINTS = 1000
_FIGURE = "Figure(figsize=(6.4, 4.0))"


def _longest_first(*patterns: str) -> str:
    """Plain alternations joined longest first, so "图像" is taken before "的图" leaves "像"."""
    words = {w for p in patterns for w in p.split("|") if w}
    return "|".join(sorted(words, key=len, reverse=True))


def _need_matplotlib() -> None:
    if importlib.util.find_spec("matplotlib") is None:
        raise NeedMore(
            "plots need matplotlib, which is not installed; run `pip install matplotlib` "
            "and ask again",
            "画图需要matplotlib，但它没有安装；请运行 `pip install matplotlib` 后再问",
        )


# --------------------------------------------------------------------------- a histogram

_HIST = r"histogram|\bhist\b|直方图|频数分布图|分布图"
_BINS = r"#(\d+)#\s*(?:bins?|buckets|组|个区间|个箱)|(?:bins?|分组数|组数)\s*(?:=|:|of)?\s*#(\d+)#"


def _histogram_extract(ctx: Context) -> Params:
    if not ctx.has(_HIST):
        raise NotMine("ask for a histogram", "请说明要画直方图")
    try:
        dist, params, claimed, _ = read_samples(ctx)
    except NeedMore as need:
        if not ctx.has(r"normal|gaussian|uniform|exponential|poisson|正态|高斯|均匀|指数|泊松"):
            raise NotMine(need.en, need.zh, with_help=True) from None
        raise
    bins = ctx.tsearch(_BINS)
    if bins is not None:
        k = int(bins.group(1) or bins.group(2))
        claimed.add(k)
        params["bins"] = int(ctx.num(k))
        if not 1 <= params["bins"] <= 10_000:
            raise NeedMore("use 1 to 10000 bins", "分组数须在1到10000之间")
    elif not dist.discrete:
        params["bins"] = 50
        ctx.note("50 bins", "分成50组")
    all_numbers_used(ctx, len(claimed))
    nothing_left(
        ctx,
        _PLOT_EN + r"|histogram|hist|of|from|with|and|an?|the|distribution|distributed|dist|random|"
        r"standard|normal|normally|gaussian|bell|uniform|uniformly|exponential|exponentially|"
        r"poisson|mean|mu|std|sd|sigma|"
        r"standard deviation|deviation|rate|lambda|scale|low|high|lower|upper|between|on|"
        r"over|in|to|bins?|buckets|independent|generate|draw|n|size|sample|" + SAMPLE_WORDS_EN,
        _longest_first(
            _PLOT_ZH,
            r"直方图|频数分布图|分布图|服从|分布|正态|高斯|均匀|指数|泊松|标准|均值|期望|标准差|"
            r"速率|尺度|参数|个区间|个箱|分成|分为|分|组|个|的|生成|随机|为|在|从|到|之间|区间",
            SAMPLE_WORDS_ZH,
        ),
    )
    if params["n"] > _MAX_HIST_SAMPLES:
        raise NeedMore(
            f"a histogram of at most {_MAX_HIST_SAMPLES:.0e} samples",
            f"直方图最多{_MAX_HIST_SAMPLES:.0e}个样本",
        )
    _need_matplotlib()
    ctx.note("seed 0 (numpy.random.default_rng)", "随机种子0（numpy.random.default_rng）")
    return params


_HISTOGRAM_CODE = '''
import numpy as np
from matplotlib.figure import Figure


def _aigc_histogram(size, seed=0):
    """A histogram of size draws from $WHAT."""
    rng = np.random.default_rng(seed)
    samples = $DRAW
    fig = $FIGURE
    ax = fig.subplots()
    ax.hist(samples, bins=$BINS)
    ax.set_title($TITLE)
    ax.set_xlabel("value")
    ax.set_ylabel("count")
    return fig


result = _aigc_histogram($N)
'''


def _histogram_code(params: Params) -> str:
    bins = (
        str(params["bins"])
        if "bins" in params
        else "np.arange(samples.min(), samples.max() + 2) - 0.5"  # one bar per integer
    )
    what = describe(params, "en")
    return render(
        _HISTOGRAM_CODE,
        WHAT=what,
        DRAW=draw_call(params),
        FIGURE=_FIGURE,
        BINS=bins,
        TITLE=repr(f"{params['n']:,} samples of {what}"),
        N=literal(params["n"]),
    )


def _histogram_summary(params: Params, lang: str) -> str:
    return text(
        lang,
        f"Histogram of {params['n']} samples of {describe(params, 'en')}",
        f"{describe(params, 'zh')}的{params['n']}个样本的直方图",
    )


def _histogram_answer(params: Params, value: Any, lang: str) -> str:
    bins = params.get("bins")
    return text(
        lang,
        f"Drew a histogram of {params['n']} samples of {describe(params, 'en')}"
        + (f" in {bins} bins." if bins else ", one bar per value."),
        f"已画出{describe(params, 'zh')}的{params['n']}个样本的直方图"
        + (f"（{bins}组）。" if bins else "（每个取值一根柱）。"),
    )


# --------------------------------------------------------------------------- a variable

_KINDS = (
    ("hist", r"histogram|\bhist\b|distribution|直方图|分布"),
    ("scatter", r"scatter|散点"),
    ("bar", r"\bbars?\b|bar chart|柱状图|条形图|柱形图"),
    ("line", r"."),
)
_KIND_WORDS = {
    "hist": ("a histogram", "直方图"),
    "scatter": ("a scatter plot", "散点图"),
    "bar": ("a bar chart", "柱状图"),
    "line": ("a line chart", "折线图"),
}


def _variable_extract(ctx: Context) -> Params:
    names = [
        n
        for n in dict.fromkeys(identifiers(ctx.text))
        if n in ctx.namespace and not n.startswith("_")
    ]
    fitting = [n for n in names if is_numeric_1d(ctx.namespace[n])]
    if len(fitting) != 1 or len(names) != 1:
        raise NotMine(
            "name one list or 1-D array of numbers from your namespace to plot, e.g. 'plot values'",
            "请写出命名空间里一个要画的数值列表或一维数组，例如“把values画成折线图”",
            with_help=True,
        )
    name = fitting[0]
    kinds = [k for k, pattern in _KINDS[:-1] if ctx.has(pattern)]
    if len(kinds) > 1 or (kinds and ctx.has(r"\bline\b|折线")):
        raise NotMine("ask for one kind of chart", "请只要一种图")
    kind = next(k for k, pattern in _KINDS if ctx.has(pattern))
    bins = ctx.tsearch(_BINS) if kind == "hist" else None
    all_numbers_used(ctx, 0 if bins is None else 1)
    nothing_left(
        ctx,
        _PLOT_EN
        + r"|histogram|hist|distribution|scatter|bars?|bar chart|as|an?|the|of|my|variable|"
        r"array|list|data|with|in|bins?|buckets|" + re.escape(name),
        _longest_first(
            _PLOT_ZH,
            r"直方图|分布|散点图|散点|柱状图|条形图|柱形图|变量|数组|列表|数据|成|分成|分为|分|组",
        )
        + "|"
        + re.escape(name),
    )
    _need_matplotlib()
    found: Params = {"name": name, "kind": kind, "length": len(ctx.namespace[name])}
    if bins is not None:
        found["bins"] = int(ctx.num(bins.group(1) or bins.group(2)))
        if not 1 <= found["bins"] <= 10_000:
            raise NeedMore("use 1 to 10000 bins", "分组数须在1到10000之间")
    return found


_DRAWS = {
    "line": "ax.plot(values, marker='.' if len(values) <= 50 else None)",
    "scatter": "ax.scatter(range(len(values)), values)",
    "bar": "ax.bar(range(len(values)), values)",
    "hist": "ax.hist(values, bins=$BINS)",
}
_VARIABLE_CODE = '''
from matplotlib.figure import Figure


def _aigc_plot_values(values, name):
    """$WHAT of one sequence of numbers."""
    fig = $FIGURE
    ax = fig.subplots()
    $DRAW
    ax.set_title(name)
    ax.set_xlabel($XLABEL)
    ax.set_ylabel($YLABEL)
    return fig


result = _aigc_plot_values($NAME, $NAME_LITERAL)
'''


def _variable_code(params: Params) -> str:
    hist = params["kind"] == "hist"
    return render(
        _VARIABLE_CODE,
        WHAT=_KIND_WORDS[params["kind"]][0].capitalize(),
        FIGURE=_FIGURE,
        DRAW=_DRAWS[params["kind"]].replace("$BINS", repr(params.get("bins", "auto"))),
        XLABEL=repr("value" if hist else "index"),
        YLABEL=repr("count" if hist else params["name"]),
        NAME=params["name"],
        NAME_LITERAL=repr(params["name"]),
    )


def _variable_summary(params: Params, lang: str) -> str:
    en, zh = _KIND_WORDS[params["kind"]]
    return text(lang, f"Plot {params['name']} as {en}", f"把{params['name']}画成{zh}")


def _variable_answer(params: Params, value: Any, lang: str) -> str:
    en, zh = _KIND_WORDS[params["kind"]]
    bins = params.get("bins")
    return text(
        lang,
        f"Plotted the {params['length']} values of {params['name']} as {en}"
        + (f" in {bins} bins." if bins else "."),
        f"已把{params['name']}的{params['length']}个值画成{zh}"
        + (f"（{bins}组）。" if bins else "。"),
    )


def _demo_namespace() -> dict[str, Any]:
    return {"values": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]}


RECIPES = [
    Recipe(
        id="plot.histogram",
        anchors=rf"(?=.*(?:{_HIST}))",
        examples_en=(
            "plot a histogram of 10000 normal samples",
            "histogram of 100000 uniform random numbers",
            "draw a histogram of 5000 exponential samples with rate 2",
            "histogram of 10000 samples from a normal distribution with mean 3 and std 2",
            "plot a histogram of 20000 poisson samples with lambda 4",
        ),
        examples_zh=(
            "画一个直方图，10000个正态分布的样本",
            "画出100000个均匀分布随机数的直方图",
            "5000个速率为2的指数分布样本的直方图",
            "画均值为3、标准差为2的正态分布的10000个样本的直方图",
            "20000个参数为4的泊松分布样本画直方图",
        ),
        extract=_histogram_extract,
        code=_histogram_code,
        summary=_histogram_summary,
        answer=_histogram_answer,
        demo="plot a histogram of 10000 normal samples",
        priority=30,
        decisive=True,
        grid=False,
    ),
    Recipe(
        id="plot.variable",
        anchors=_PLOT,
        examples_en=(
            "plot values",
            "draw a line chart of values",
            "histogram of values",
            "scatter plot of values",
            "bar chart of values",
        ),
        examples_zh=(
            "把values画成折线图",
            "画出values的直方图",
            "画values的散点图",
            "把values画成柱状图",
            "画一下values",
        ),
        extract=_variable_extract,
        code=_variable_code,
        summary=_variable_summary,
        answer=_variable_answer,
        demo="plot values",
        demo_namespace=_demo_namespace,
        priority=20,
        decisive=True,
        grid=False,
    ),
]
