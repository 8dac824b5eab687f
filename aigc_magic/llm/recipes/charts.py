"""More plots: random points, a number sequence, dice rolls, and a column of a table.

Like :mod:`.plots`, the answer is a :class:`matplotlib.figure.Figure` built without pyplot,
and every recipe is decisive and strict: it uses every number and word of the prose or it
steps aside (:class:`~._guard.NotMine`), so :mod:`.plots`' last recipe refuses a plot nobody
here can draw.

- ``plot.points``: "scatter plot of 200 random points" (uniform on the unit square, or
  standard normal).
- ``plot.sequence``: the first N Fibonacci numbers, the first N primes or the primes below N,
  as a line, bar or scatter chart (SymPy computes them exactly).
- ``plot.dice``: how often each face comes up in N rolls of a die, as bars.

A column of a table is :mod:`.charts_table`'s.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import Context, NeedMore, Params, Recipe, text
from ._codegen import literal, render
from ._guard import NotMine, all_numbers_used, nothing_left
from .plots import _FIGURE, _PLOT, _PLOT_EN, _PLOT_ZH, _longest_first, _need_matplotlib

__all__ = ["RECIPES"]

_KINDS = (
    ("hist", r"histogram|\bhist\b|直方图|分布图"),
    ("scatter", r"scatter|散点"),
    ("bar", r"\bbars?\b|bar chart|bar graph|柱状图|条形图|柱形图|柱图"),
    ("line", r"\bline\b|line chart|line graph|折线图|曲线|线图"),
)
_KIND_EN = (
    r"histogram|hist|scatter|scatterplot|bars?|bar chart|bar graph|line|line chart|chart|graph"
)
_KIND_ZH = r"直方图|分布图|散点图|散点|柱状图|条形图|柱形图|柱图|折线图|曲线图|曲线|线图"
_DRAW = {
    "line": "ax.plot(x, y, marker='.' if len(y) <= 50 else None)",
    "bar": "ax.bar(x, y)",
    "scatter": "ax.scatter(x, y, s=12)",
}


def _kind(ctx: Context, default: str, allowed: tuple[str, ...]) -> str:
    kinds = [k for k, pattern in _KINDS if ctx.has(pattern)]
    if len(kinds) > 1:
        raise NotMine("ask for one kind of chart", "请只要一种图")
    kind = kinds[0] if kinds else default
    if kind not in allowed:
        raise NotMine(f"this data is drawn as {' or '.join(allowed)}", "这种数据画不成这种图")
    return kind


def _figure_code(data: str, draw: str, title: str, xlabel: str, ylabel: str) -> str:
    return render(
        """
$IMPORTS
from matplotlib.figure import Figure


def _aigc_chart():
    \"\"\"$TITLE\"\"\"
$DATA
    fig = $FIGURE
    ax = fig.subplots()
    $DRAW
    ax.set_title($TITLE_LITERAL)
    ax.set_xlabel($XLABEL)
    ax.set_ylabel($YLABEL)
    return fig


result = _aigc_chart()
""",
        IMPORTS="\n".join(
            line for line in data.splitlines() if line.startswith(("import", "from"))
        ),
        DATA="\n".join(
            "    " + line for line in data.splitlines() if not line.startswith(("import", "from"))
        ),
        FIGURE=_FIGURE,
        DRAW=draw,
        TITLE=title,
        TITLE_LITERAL=repr(title),
        XLABEL=repr(xlabel),
        YLABEL=repr(ylabel),
    )


def _recipe(
    name: str,
    anchors: str,
    en: tuple[str, ...],
    zh: tuple[str, ...],
    extract: Any,
    code: Any,
    describe: Any,
    priority: int,
    demo_namespace: Any = None,
) -> Recipe:
    def summary(params: Params, lang: str) -> str:
        d_en, d_zh = describe(params)
        return text(lang, f"Plot {d_en}", f"画出{d_zh}")

    def answer(params: Params, value: Any, lang: str) -> str:
        d_en, d_zh = describe(params)
        return text(lang, f"Plotted {d_en}.", f"已画出{d_zh}。")

    return Recipe(
        id=f"plot.{name}",
        anchors=anchors,
        examples_en=en,
        examples_zh=zh,
        extract=extract,
        code=code,
        summary=summary,
        answer=answer,
        demo=en[0],
        demo_namespace=demo_namespace,
        priority=priority,
        decisive=True,
        grid=False,
    )


# --------------------------------------------------------------------------- random points

_MAX_POINTS = 1_000_000


def _points_extract(ctx: Context) -> Params:
    m = ctx.tsearch(r"#(\d+)#\s*(?:[a-z\-]+\s+){0,4}?(?:points|dots|pairs|samples)\b")
    n = ctx.num(m.group(1)) if m is not None else ctx.number_near(r"个(?:随机)?(?:点|样本)|个")
    if not isinstance(n, int) or not 1 <= n <= _MAX_POINTS:
        raise NotMine("say how many random points", "请说明随机点的个数")
    normal = ctx.has(r"normal|gaussian|正态|高斯")
    all_numbers_used(ctx, 1)
    nothing_left(
        ctx,
        _PLOT_EN + r"|" + _KIND_EN + r"|random|points?|dots|pairs|samples|uniform|uniformly|"
        r"distributed|standard|normal|gaussian|in|the|unit|square|of|generate|show|them|"
        r"display|with|and|an?|plane|2d|x|y",
        _longest_first(
            _PLOT_ZH,
            _KIND_ZH,
            r"随机生成|随机|生成|个|点|样本|均匀分布|均匀|标准正态|正态|高斯|分布|用|展示出来|展示|"
            r"显示出来|显示|出来|平面|上|单位正方形|正方形|内|的|在|并|然后|再",
        ),
    )
    _need_matplotlib()
    ctx.note(
        "x and y standard normal" if normal else "x and y uniform on [0, 1)",
        "x和y服从标准正态分布" if normal else "x和y在[0, 1)上均匀分布",
    )
    return {"n": n, "normal": normal}


def _points_code(params: Params) -> str:
    draw = "rng.standard_normal" if params["normal"] else "rng.random"
    data = (
        "import numpy as np\n"
        "rng = np.random.default_rng(0)\n"
        f"x, y = {draw}({literal(params['n'])}), {draw}({literal(params['n'])})"
    )
    return _figure_code(data, _DRAW["scatter"], _points_describe(params)[0], "x", "y")


def _points_describe(params: Params) -> tuple[str, str]:
    what = "standard normal" if params["normal"] else "uniform"
    zh = "标准正态" if params["normal"] else "均匀"
    return (
        f"a scatter plot of {params['n']} random points ({what})",
        f"{params['n']}个随机点（{zh}分布）的散点图",
    )


# --------------------------------------------------------------------------- a number sequence

_FIB = r"fibonacci|fibbonacci|fibonnaci|斐波那契|斐波纳契|斐波拉契"
_PRIME = r"primes?|质数|素数"


def _sequence_extract(ctx: Context) -> Params:
    fib, prime = ctx.has(_FIB), ctx.has(_PRIME)
    if fib == prime:
        raise NotMine("plot the Fibonacci numbers or the primes", "请画斐波那契数或质数")
    first = ctx.tsearch(
        r"\bfirst\s+#(\d+)#|前\s*#(\d+)#|#(\d+)#\s*(?:个)?\s*(?:fibonacci|斐波那契)"
    )
    below = None if first is not None else ctx.bound()
    if first is not None:
        n, mode = int(ctx.num(next(g for g in first.groups() if g is not None))), "first"
    elif prime and below is not None:
        n, mode = int(below.value) + (1 if below.inclusive else 0), "below"
    else:
        raise NotMine(
            "say how many, e.g. 'the first 20 Fibonacci numbers'",
            "请说明个数，例如“前20个斐波那契数”",
        )
    if not 1 <= n <= (2000 if fib else 1_000_000):
        raise NeedMore("too many numbers to plot", "要画的数太多")
    kind = _kind(ctx, "line", ("line", "bar", "scatter"))
    all_numbers_used(ctx, 1)
    nothing_left(
        ctx,
        _PLOT_EN + r"|" + _KIND_EN + r"|" + _FIB + r"|first|primes?|prime numbers|numbers?|"
        r"sequence|series|terms?|of|the|below|under|up|to|less|than|as|an?|all|with|log|scale",
        _longest_first(
            _PLOT_ZH,
            _KIND_ZH,
            r"斐波那契数列|斐波那契数|斐波那契|质数|素数|数列|前|个|项|数|以内|之内|以下|小于|的|所有|成",
        ),
    )
    _need_matplotlib()
    return {"fib": fib, "n": n, "mode": mode, "kind": kind}


def _sequence_code(params: Params) -> str:
    n = literal(params["n"])
    if params["fib"]:
        data = f"from sympy import fibonacci\ny = [int(fibonacci(k)) for k in range(1, {n} + 1)]"
    elif params["mode"] == "first":
        data = (
            "from sympy import prime, primerange\n"
            f"y = list(map(int, primerange(2, prime({n}) + 1)))"
        )
    else:
        data = f"from sympy import primerange\ny = list(map(int, primerange(2, {n})))"
    data += "\nx = range(1, len(y) + 1)"
    ylabel = "Fibonacci number" if params["fib"] else "prime"
    return _figure_code(data, _DRAW[params["kind"]], _sequence_describe(params)[0], "index", ylabel)


def _sequence_describe(params: Params) -> tuple[str, str]:
    kinds = {"line": ("a line chart", "折线图"), "bar": ("a bar chart", "柱状图")}
    k_en, k_zh = kinds.get(params["kind"], ("a scatter plot", "散点图"))
    if params["fib"]:
        return (
            f"{k_en} of the first {params['n']} Fibonacci numbers",
            f"前{params['n']}个斐波那契数的{k_zh}",
        )
    if params["mode"] == "first":
        return f"{k_en} of the first {params['n']} primes", f"前{params['n']}个质数的{k_zh}"
    return f"{k_en} of the primes below {params['n']}", f"小于{params['n']}的质数的{k_zh}"


# --------------------------------------------------------------------------- dice

_MAX_ROLLS = 100_000_000


def _dice_extract(ctx: Context) -> Params:
    m = ctx.tsearch(r"#(\d+)#\s*(?:dice\s+|die\s+)?(?:rolls|throws)\b")
    n = ctx.num(m.group(1)) if m is not None else ctx.number_near(r"times|rolls?|throws|次")
    if not isinstance(n, int) or not 1 <= n <= _MAX_ROLLS:
        raise NotMine("say how many rolls", "请说明掷骰子的次数")
    _kind(ctx, "bar", ("bar", "hist"))
    all_numbers_used(ctx, 1)
    nothing_left(
        ctx,
        _PLOT_EN + r"|" + _KIND_EN + r"|roll|rolls|rolling|a|die|dice|fair|six-sided|times|"
        r"count|counts|how|often|each|every|face|faces|number|comes?|up|of|the|frequency|"
        r"frequencies|results?|outcomes?|and|then|simulate|as|show|distribution|value|values",
        _longest_first(
            _PLOT_ZH,
            _KIND_ZH,
            r"掷骰子|骰子|掷|次|把|每个点数|每个|点数|点|出现的次数|出现|次数|频数|频率|结果|的|成|模拟|"
            r"然后|再|并|各",
        ),
    )
    _need_matplotlib()
    ctx.note("one fair six-sided die, seed 0", "一个均匀的六面骰子，随机种子0")
    return {"n": n}


def _dice_code(params: Params) -> str:
    data = (
        "import numpy as np\n"
        f"rolls = np.random.default_rng(0).integers(1, 7, {literal(params['n'])})\n"
        "x, y = np.arange(1, 7), np.bincount(rolls, minlength=7)[1:]"
    )
    return _figure_code(data, _DRAW["bar"], _dice_describe(params)[0], "face", "count")


def _dice_describe(params: Params) -> tuple[str, str]:
    return (
        f"how often each face came up in {params['n']} rolls of a die",
        f"掷骰子{params['n']}次各点数出现的次数",
    )


# --------------------------------------------------------------------------- iris features

#: The iris features (scikit-learn's column order) and the words that name each.
_IRIS = (
    ("sepal length", r"sepal[\s_-]*length|花萼长度|萼片长度"),
    ("sepal width", r"sepal[\s_-]*width|花萼宽度|萼片宽度"),
    ("petal length", r"petal[\s_-]*length|花瓣长度"),
    ("petal width", r"petal[\s_-]*width|花瓣宽度"),
)


def _iris_extract(ctx: Context) -> Params:
    hits = sorted(
        (m.start(), column, name)
        for column, (name, pattern) in enumerate(_IRIS)
        for m in [ctx.search(pattern)]
        if m is not None
    )
    if not 1 <= len(hits) <= 2:
        raise NotMine("name one or two iris features", "请写出一个或两个鸢尾花特征")
    all_numbers_used(ctx, 0)
    if len(hits) == 2:
        kind = _kind(ctx, "scatter", ("scatter", "line"))
        (start, first, _), (end, second, _) = hits
        between = ctx.lower[start:end]
        if re.search(r"\bagainst\b|\bvs\.?(?!\w)|\bversus\b|对", between):  # "y against x"
            params: Params = {"x": second, "y": first}
        else:  # "petal length and petal width", "花瓣长度和花瓣宽度": x first
            params = {"x": first, "y": second}
    else:
        kind = _kind(ctx, "hist", ("hist",))
        params = {"x": hits[0][1], "y": None}
    params["kind"] = kind
    params["by_class"] = ctx.has(r"colou?r|species|class|品种|类别|颜色|着色")
    nothing_left(
        ctx,
        _PLOT_EN + r"|" + _KIND_EN + r"|iris|dataset|data|set|flowers?|of|the|for|against|vs|"
        r"versus|and|in|on|petal|sepal|length|width|feature|features|show|with|by|"
        r"colou?red|colou?rs?|species|class|classes|each|an?",
        _longest_first(
            _PLOT_ZH,
            _KIND_ZH,
            r"鸢尾花数据集|鸢尾花数据|鸢尾花|数据集|数据|花瓣长度|花瓣宽度|花萼长度|花萼宽度|萼片长度|萼片宽度|"
            r"特征|的|和|与|对|按|品种|类别|颜色|着色|用|不同|区分|上|中",
        ),
    )
    _need_matplotlib()
    return params


def _iris_code(params: Params) -> str:
    x = params["x"]
    data = "from sklearn.datasets import load_iris\nfeatures, species = load_iris(return_X_y=True)"
    if params["y"] is None:
        data += f"\ny = features[:, {x}]"
        return _figure_code(
            data, "ax.hist(y, bins='auto')", _iris_describe(params)[0], _IRIS[x][0], "count"
        )
    y = params["y"]
    data += f"\nx, y = features[:, {x}], features[:, {y}]"
    draw = (
        "ax.scatter(x, y, c=species, s=12)"
        if params["kind"] == "scatter" and params["by_class"]
        else _DRAW[params["kind"]]
    )
    return _figure_code(
        data, draw, _iris_describe(params)[0], _IRIS[x][0] + " (cm)", _IRIS[y][0] + " (cm)"
    )


def _iris_describe(params: Params) -> tuple[str, str]:
    zh = {0: "花萼长度", 1: "花萼宽度", 2: "花瓣长度", 3: "花瓣宽度"}
    if params["y"] is None:
        return (
            f"a histogram of the iris {_IRIS[params['x']][0]}",
            f"鸢尾花{zh[params['x']]}的直方图",
        )
    return (
        f"the iris {_IRIS[params['y']][0]} against {_IRIS[params['x']][0]}",
        f"鸢尾花{zh[params['y']]}对{zh[params['x']]}的图",
    )


RECIPES = [
    _recipe(
        "iris",
        rf"(?=.*(?:{_PLOT}))(?=.*(?:iris|鸢尾))(?=.*(?:petal|sepal|花瓣|花萼|萼片))",
        (
            "scatter plot of petal length against petal width for the iris dataset",
            "plot sepal length vs sepal width of iris",
            "histogram of the iris petal length",
            "scatter plot of the iris petal length and petal width, coloured by species",
            "plot petal width against sepal length in the iris data",
        ),
        (
            "画出鸢尾花数据集花瓣长度和花瓣宽度的散点图",
            "鸢尾花花萼长度对花萼宽度的散点图",
            "画鸢尾花花瓣长度的直方图",
            "按品种着色画鸢尾花花瓣长度和花瓣宽度的散点图",
            "画出鸢尾花花瓣宽度对花萼长度的图",
        ),
        _iris_extract,
        _iris_code,
        _iris_describe,
        35,
    ),
    _recipe(
        "dice",
        rf"(?=.*(?:{_PLOT}))(?=.*(?:\bdice\b|\bdie\b|骰子))",
        (
            "roll a die 1000 times and plot how often each face comes up",
            "bar chart of the counts of each face in 6000 dice rolls",
            "histogram of 10000 rolls of a die",
            "simulate 600 rolls of a fair die and chart the results",
            "plot the frequencies of 1e5 die rolls",
        ),
        (
            "掷骰子1000次，把每个点数出现的次数画成直方图",
            "模拟掷骰子6000次，画出各点数出现次数的柱状图",
            "掷骰子10000次的结果画成柱状图",
            "画出掷骰子600次每个点数的频数",
            "掷1万次骰子，画直方图",
        ),
        _dice_extract,
        _dice_code,
        _dice_describe,
        35,
    ),
    _recipe(
        "sequence",
        rf"(?=.*(?:{_PLOT}))(?=.*(?:{_FIB}|{_PRIME}))",
        (
            "plot the first 20 Fibonacci numbers",
            "line chart of the first 30 fibonacci numbers",
            "bar chart of the first 15 primes",
            "plot the primes below 1000",
            "scatter plot of the first 100 prime numbers",
        ),
        (
            "画一个前20个斐波那契数的折线图",
            "把前30个斐波那契数画成柱状图",
            "画出前100个质数",
            "画出1000以内的质数",
            "前50个素数的散点图",
        ),
        _sequence_extract,
        _sequence_code,
        _sequence_describe,
        35,
    ),
    _recipe(
        "points",
        r"(?=.*(?:scatter|散点|\bplot|\bdraw|画|绘制))(?=.*(?:random|随机))(?=.*(?:points?|dots|点))",
        (
            "scatter plot of 200 random points",
            "plot 1000 random points in the unit square",
            "generate 500 random points and show them in a scatter plot",
            "scatter 300 standard normal random points",
            "draw 100 random dots",
        ),
        (
            "随机生成200个点，用散点图展示出来",
            "画出1000个随机点的散点图",
            "生成500个标准正态分布的随机点并画散点图",
            "在单位正方形内随机生成300个点，画出来",
            "画100个随机点",
        ),
        _points_extract,
        _points_code,
        _points_describe,
        35,
    ),
]
