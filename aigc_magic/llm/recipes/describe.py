"""One statistic of a sequence from the notebook, by name: "the mean of values", "求values的最大值".

NumPy computes it (``np.mean``, ``np.median``, ``np.std``, ``np.percentile``...). The recipe is
decisive on its statistic words but answers only when the prose names a numeric 1-D sequence
of the namespace and says nothing else (:mod:`._guard`); otherwise other recipes are asked.
"""

from __future__ import annotations

from typing import Any

from ._base import Context, NeedMore, Params, Recipe, is_numeric_1d, names_of, text
from ._codegen import fmt
from ._guard import NotMine, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

#: statistic: (English words, Chinese words, NumPy call with {x} the array)
_STATS = {
    "mean": (r"mean|average|avg", r"平均值|平均数|均值|平均", "np.mean({x})"),
    "median": (r"median", r"中位数|中值", "np.median({x})"),
    "std": (r"standard deviation|std|stdev|stddev", r"标准差", "np.std({x})"),
    "var": (r"variance|var", r"方差", "np.var({x})"),
    "max": (r"maximum|max|largest|biggest|highest", r"最大值|最大", "np.max({x})"),
    "min": (r"minimum|min|smallest|lowest", r"最小值|最小", "np.min({x})"),
    "sum": (r"sum|total", r"总和|之和|求和|的和", "np.sum({x})"),
    "percentile": (r"percentile|quantile", r"分位数|百分位数?", "np.percentile({x}, {q})"),
}
_ANCHOR = "|".join(f"{en}|{zh}" for en, zh, _ in _STATS.values())


def _extract(ctx: Context) -> Params:
    names = names_of(ctx, is_numeric_1d)
    if len(names) != 1:
        raise NotMine(
            "name one numeric sequence of your namespace", "请写出命名空间里的一个数值序列"
        )
    asked = [k for k, (en, zh, _) in _STATS.items() if ctx.has(rf"\b(?:{en})\b|{zh}")]
    if "percentile" in asked:
        asked = ["percentile"]
    if len(asked) != 1:
        raise NotMine("ask for one statistic", "请只问一个统计量")
    stat = asked[0]
    params: Params = {"stat": stat, "data": names[0]}
    if stat == "percentile":
        m = ctx.tsearch(r"#(\d+)#\s*(?:st|nd|rd|th)?\s*(?:percentile|%)|#(\d+)#\s*%?\s*分位")
        if m is None:
            raise NeedMore(
                "say which percentile, e.g. 'the 90th percentile of values'",
                "请说明哪个分位数，例如“values的90%分位数”",
            )
        params["q"] = ctx.num(m.group(1) or m.group(2))
        all_numbers_used(ctx, 1)
    else:
        all_numbers_used(ctx, 0)
    en, zh, _ = _STATS[stat]
    nothing_left(
        ctx,
        en + rf"|{names[0]}|st|nd|rd|th|percent|array|list|data|sequence|"
        r"column|series|vector",
        zh + r"|数组|列表|序列|数据|中|里",
    )
    if stat == "std":
        ctx.note(
            "population standard deviation (ddof=0, NumPy's default)",
            "总体标准差（ddof=0，NumPy的默认值）",
        )
    if stat == "var":
        ctx.note(
            "population variance (ddof=0, NumPy's default)", "总体方差（ddof=0，NumPy的默认值）"
        )
    if stat == "percentile":
        ctx.note("linear interpolation (NumPy's default)", "线性插值（NumPy的默认方法）")
    return params


def _code(params: Params) -> str:
    call = _STATS[params["stat"]][2].format(
        x="np.asarray(" + params["data"] + ")", q=params.get("q")
    )
    return f"import numpy as np\n\nresult = {call}.item()\n"


_WORDS = {
    "mean": ("mean", "平均值"),
    "median": ("median", "中位数"),
    "std": ("standard deviation", "标准差"),
    "var": ("variance", "方差"),
    "max": ("maximum", "最大值"),
    "min": ("minimum", "最小值"),
    "sum": ("sum", "总和"),
    "percentile": ("percentile", "分位数"),
}


def _summary(params: Params, lang: str) -> str:
    en, zh = _WORDS[params["stat"]]
    q = params.get("q")
    en = f"{q}th {en}" if q is not None else en
    zh = f"{q}%{zh}" if q is not None else zh
    return text(lang, f"The {en} of {params['data']}", f"{params['data']}的{zh}")


def _answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"{_summary(params, lang)} is {fmt(value)}.",
        f"{_summary(params, lang)}是{fmt(value)}。",
    )


def _demo_namespace() -> dict[str, Any]:
    return {"values": [3, 1, 4, 1, 5, 9, 2, 6]}


RECIPES = [
    Recipe(
        id="describe.stat",
        anchors=_ANCHOR,
        examples_en=(
            "what is the mean of values",
            "median of values",
            "standard deviation of values",
            "the 90th percentile of values",
            "max of values",
        ),
        examples_zh=(
            "values的平均值",
            "求values的最大值",
            "values的中位数是多少",
            "values的标准差",
            "values的方差",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="what is the mean of values",
        demo_namespace=_demo_namespace,
        priority=5,
        decisive=True,
        grid=False,
    )
]
