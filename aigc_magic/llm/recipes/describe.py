"""One statistic of a sequence from the notebook, by name: "the mean of values", "求values的最大值",
"sort nums", "how many elements are in data".

NumPy computes it (``np.mean``, ``np.median``, ``np.std``, ``np.percentile``...). The recipe is
decisive on its statistic words but answers only when the prose names a numeric 1-D sequence
of the namespace and says nothing else (:mod:`._guard`); otherwise other recipes are asked.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ._base import Context, NeedMore, Params, Recipe, is_numeric_1d, names_of, text
from ._codegen import fmt
from ._guard import NotMine, Refuse, all_numbers_used, nothing_left

__all__ = ["RECIPES", "order_asked"]

#: statistic: (English words, Chinese words, NumPy call with {x} the array)
_STATS = {
    "mean": (r"mean|average|avg", r"平均值|平均数|平均分|均值|平均", "np.mean({x})"),
    "median": (r"median", r"中位数|中值", "np.median({x})"),
    "std": (r"standard deviation|std|stdev|stddev", r"标准差", "np.std({x})"),
    "var": (r"variance|var", r"方差", "np.var({x})"),
    "max": (r"maximum|max|largest|biggest|highest", r"最大值|最高分|最大|最高", "np.max({x})"),
    "min": (r"minimum|min|smallest|lowest", r"最小值|最低分|最小|最低", "np.min({x})"),
    "sum": (
        r"sum|total|add up|added up|add together",
        r"总和|之和|求和|的和|加起来|相加|加在一起|合计|总计|一共|总共|总分",
        "np.sum({x})",
    ),
    "percentile": (r"percentile|quantile", r"分位数|百分位数?", "np.percentile({x}, {q})"),
    "count": (
        r"how many (?:elements|items|values|numbers|entries)|length|len|size|count|"
        r"number of (?:elements|items|values|numbers|entries)",
        r"长度|元素个数|个数|多少个|几个|有几",
        "np.size({x})",
    ),
    "sort": (
        r"sort|sorted|sorting|ascending|descending|in order|increasing|decreasing",
        r"排序|排个序|排好序|排一下序|从小到大|从大到小|升序|降序|由小到大|由大到小|排列",
        "np.sort({x})",
    ),
}
#: Parity counts: "how many even numbers are in nums" (a count word is required).
_PARITY = {
    "even": (r"even", r"偶数", "int(np.count_nonzero({x} % 2 == 0))"),
    "odd": (r"odd", r"奇数", "int(np.count_nonzero({x} % 2 == 1))"),
}
_COUNT_WORDS = r"how many|count|number of|几个|多少个|个数|有几|多少"
_ANCHOR = "|".join(f"{en}|{zh}" for en, zh, _ in [*_STATS.values(), *_PARITY.values()])
#: Statistics a sort may come before ("sort nums and take the median"): the sort is implied.
_ORDER = {"median", "max", "min", "percentile"}
#: Words for the ends of an order, in English and Chinese: "from high to low", "从大到小".
_BIG_EN = r"(?:large|largest|larger|big|biggest|bigger|high|highest|higher|great|greatest|most|max)"
_SMALL_EN = r"(?:small|smallest|smaller|low|lowest|lower|little|least|min|tiny)"
_BIG_ZH = r"[大高多]"
_SMALL_ZH = r"[小低少]"
#: Direction phrases of a sort (English, then Chinese): each names its direction alone.
_DIRECTIONS = {
    "descending": (
        rf"\b(?:descending|decreasing|(?:in )?reverse(?:d)?(?: order)?|non-?increasing|"
        rf"(?:from )?{_BIG_EN} (?:to|down to) (?:the )?{_SMALL_EN}|{_BIG_EN} (?:ones? )?first)\b",
        rf"[从由按]?{_BIG_ZH}到{_SMALL_ZH}|降序|递减|倒序排列|逆序排列|[从由]?{_BIG_ZH}往{_SMALL_ZH}",
    ),
    "ascending": (
        rf"\b(?:ascending|increasing|non-?decreasing|(?:from )?{_SMALL_EN} (?:to|up to) "
        rf"(?:the )?{_BIG_EN}|{_SMALL_EN} (?:ones? )?first)\b",
        rf"[从由按]?{_SMALL_ZH}到{_BIG_ZH}|升序|递增|[从由]?{_SMALL_ZH}往{_BIG_ZH}",
    ),
}
#: Words that say how the sequence is or what its items are, for any statistic.
_SEQUENCE_EN = (
    r"st|nd|rd|th|percent|array|list|data|sequence|column|series|vector|values?|numbers?|"
    r"elements?|items?|entries|entry|in|among|all|from|there|them|it|one|then|and|take|"
    r"taking|after|order|first|smallest|largest|biggest|to|up|together"
)
_SEQUENCE_ZH = (
    r"数组|列表|序列|数据|中|里|元素|这些数|这些|所有|然后|再|后|取|以后|之后|它们|它|一共|多少钱|钱|的数|数|按|"
    r"有|是|多少"
)


def _written_list(ctx: Context) -> tuple[list[Any], int] | None:
    """A list of numbers written in the prose (``[5, 3, 8]``) and how many numbers it holds."""
    found = list(re.finditer(r"(?<!\[)\[([^\[\]]+)\](?!\])", ctx.text))
    if len(found) != 1:
        return None
    try:
        values = ast.literal_eval(found[0].group(0))
    except (ValueError, SyntaxError):
        return None
    if not is_numeric_1d(values):
        return None
    a, b = found[0].span()
    return list(values), sum(1 for n in ctx.numbers if a <= n.start < b)


def _parity(ctx: Context, asked: list[str]) -> list[str]:
    """ "how many even numbers": the parity count replaces the plain count."""
    parity = [k for k, (en, zh, _) in _PARITY.items() if ctx.has(rf"\b(?:{en})\b|{zh}")]
    if not parity:
        return asked
    if len(parity) > 1 or not ctx.has(_COUNT_WORDS) or set(asked) - {"count"}:
        raise Refuse(
            "ask how many even (or odd) numbers there are, and nothing else with it",
            "请只问有几个偶数（或奇数）",
            with_help=True,
        )
    return parity


def order_asked(ctx: Context) -> str | None:
    """ "descending" or "ascending" when the prose has a direction phrase ("from high to
    low", "从大到小"), None when it has none.

    Raises
    ------
    Refuse
        When the prose names both directions.
    """
    found = {way for way, (en, zh) in _DIRECTIONS.items() if ctx.has(en) or ctx.has(zh)}
    if len(found) > 1:
        raise Refuse(
            "the prose names both an ascending and a descending order; ask for one",
            "这段话里既有升序又有降序；请只要一种顺序",
            with_help=True,
        )
    return found.pop() if found else None


def _direction(ctx: Context) -> str:
    """The sort's direction from the prose's direction phrases ("ascending" when none).

    Raises
    ------
    Refuse
        When the prose names both directions (:func:`order_asked`), or names an end of the
        order ("highest", "最大") that no direction phrase explains: the order it wants is
        not certain.
    """
    way = order_asked(ctx)
    if way is not None:
        return way
    if ctx.has(rf"\b(?:{_BIG_EN}|{_SMALL_EN})\b|[大高小低]"):  # not 多少: "排序后是多少"
        raise Refuse(
            "say the order of the sort: 'from high to low' (descending) or 'from low to "
            "high' (ascending)",
            "请说明排序的方向：“从大到小”（降序）或“从小到大”（升序）",
            with_help=True,
        )
    return "ascending"


#: Which standard deviation or variance: "sample", "n-1 in the denominator", "ddof=1" (1)
#: or "population", "divided by n" (0).
_SAMPLE = r"\b(?:sample|unbiased|bessel'?s?|corrected)\b|样本|无偏|修正"
_POPULATION = r"\b(?:population|biased|uncorrected)\b|总体|有偏"
_BY_N = (
    r"(?:denominator|divided by|divide by|dividing by|分母(?:为|是|用)?|除以)\s*(?:of\s+)?"
    r"n\b(?!\s*-)"
)
_DDOF_EN = (
    r"sample|unbiased|bessel's|bessel|besse|correction|corrected|population|biased|"
    r"uncorrected|ddof|n|in|the|denominator|divided|divide|dividing|by|with"
)
_DDOF_ZH = r"样本|无偏|修正|总体|有偏|分母为|分母是|分母用|分母|除以"


def _ddof(ctx: Context) -> tuple[int, int]:
    """The ``ddof`` the prose asks for (0 when it says nothing) and the numbers it used.

    Raises
    ------
    Refuse
        When it asks for both, or for a denominator other than n or n - 1.
    """
    found: set[int] = set()
    used = 0
    for pattern in (r"ddof\s*=\s*#(\d+)#", r"\bn\s*-\s*#(\d+)#"):
        if (m := ctx.tsearch(pattern)) is not None:
            used += 1
            value = ctx.num(m.group(1))
            if value not in (0, 1) or (value == 0 and "ddof" not in m.group(0)):
                raise Refuse(
                    "only n (ddof=0) or n - 1 (ddof=1) in the denominator",
                    "分母只能是 n（ddof=0）或 n - 1（ddof=1）",
                    with_help=True,
                )
            found.add(int(value))
    if ctx.has(_SAMPLE):
        found.add(1)
    if ctx.has(_POPULATION) or ctx.has(_BY_N):
        found.add(0)
    if len(found) > 1:
        raise Refuse(
            "the prose asks for both the sample (n - 1) and the population (n) statistic; "
            "ask for one",
            "这段话既要样本（n - 1）又要总体（n）的统计量；请只要一种",
            with_help=True,
        )
    return (found.pop() if found else 0), used


def _extract(ctx: Context) -> Params:
    names = names_of(ctx, is_numeric_1d)
    written = _written_list(ctx)
    if len(names) + (written is not None) != 1:
        raise NotMine(
            "name one numeric sequence of your namespace", "请写出命名空间里的一个数值序列"
        )
    inside = written[1] if written is not None else 0
    data = repr(written[0]) if written is not None else names[0]
    # a direction phrase ("largest first", "从大到小") says how to sort, never "the max"
    plain = re.sub("|".join(en + "|" + zh for en, zh in _DIRECTIONS.values()), " # ", ctx.lower)
    asked = [k for k, (en, zh, _) in _STATS.items() if re.search(rf"\b(?:{en})\b|{zh}", plain)]
    if plain != ctx.lower and "sort" not in asked:
        asked.append("sort")
    asked = _parity(ctx, asked)
    if "percentile" in asked:
        asked = [k for k in asked if k not in ("percentile", "count")] + ["percentile"]
    if "sort" in asked and len(asked) == 2 and _ORDER & set(asked):
        asked.remove("sort")  # "sort nums and take the median": the median
    if "count" in asked and len(asked) == 2 and "sum" in asked and ctx.has(r"一共|总共"):
        asked.remove("sum")  # "一共有几个": how many in all
    if len(asked) != 1:
        raise NotMine("ask for one statistic", "请只问一个统计量")
    stat = asked[0]
    params: Params = {"stat": stat, "data": data}
    if stat == "percentile":
        m = ctx.tsearch(r"#(\d+)#\s*(?:st|nd|rd|th)?\s*(?:percentile|%)|#(\d+)#\s*%?\s*分位")
        if m is None:
            raise NeedMore(
                "say which percentile, e.g. 'the 90th percentile of values'",
                "请说明哪个分位数，例如“values的90%分位数”",
            )
        params["q"] = ctx.num(m.group(1) or m.group(2))
        all_numbers_used(ctx, 1 + inside)
    elif stat in ("std", "var"):
        params["ddof"], used = _ddof(ctx)
        all_numbers_used(ctx, inside + used)
    else:
        all_numbers_used(ctx, inside)
    en, zh, _ = {**_STATS, **_PARITY}[stat]
    if stat in ("std", "var"):
        en, zh = en + "|" + _DDOF_EN, zh + "|" + _DDOF_ZH
    words_en = en + "|" + _STATS["sort"][0] if stat in _ORDER else en
    words_zh = zh + "|" + _STATS["sort"][1] if stat in _ORDER else zh
    name = names[0] if names else "list"
    singular = name[:-1] if name.endswith("s") and len(name) > 2 else name
    if stat in _PARITY:
        words_en += "|how many|count|number of|are|there"
        words_zh += "|" + _COUNT_WORDS
    if stat == "sort":  # the direction phrases first: "high" alone says nothing
        words_en = "|".join(en for en, _ in _DIRECTIONS.values()) + "|" + words_en
        words_zh = "|".join(zh for _, zh in _DIRECTIONS.values()) + "|" + words_zh
    nothing_left(
        ctx,
        words_en + rf"|{name}|{singular}|" + _SEQUENCE_EN + r"|how|many|number|written|"
        r"following|these|given",
        "|".join(sorted((words_zh + "|" + _SEQUENCE_ZH).split("|"), key=len, reverse=True)),
    )
    if stat == "sort":
        params["descending"] = _direction(ctx) == "descending"
        if re.search(r"\b(?:first|last|top|bottom|take|taking|pick)\b|第|前|最后", plain):
            raise Refuse(  # "sort them and take the first": one item, not the sorted list
                "a sort answers with the whole sorted list; ask for the maximum, the minimum "
                "or the median instead of one place of it",
                "排序只给出整个排好序的列表；要其中一个位置的数请直接问最大值、最小值或中位数",
                with_help=True,
            )
    if stat in ("std", "var"):
        which_en = "standard deviation" if stat == "std" else "variance"
        which_zh = "标准差" if stat == "std" else "方差"
        if params["ddof"]:
            ctx.note(
                f"sample {which_en}: n - 1 in the denominator (ddof=1)",
                f"样本{which_zh}：分母为 n - 1（ddof=1）",
            )
        else:
            ctx.note(
                f"population {which_en}: n in the denominator (ddof=0, NumPy's default)",
                f"总体{which_zh}：分母为 n（ddof=0，NumPy的默认值）",
            )
    if stat == "percentile":
        ctx.note("linear interpolation (NumPy's default)", "线性插值（NumPy的默认方法）")
    return params


def _code(params: Params) -> str:
    call = {**_STATS, **_PARITY}[params["stat"]][2].format(
        x="np.asarray(" + params["data"] + ")", q=params.get("q")
    )
    if params["stat"] == "sort":
        flip = "[::-1]" if params.get("descending") else ""
        return f"import numpy as np\n\nresult = {call}{flip}.tolist()\n"
    if params.get("ddof"):
        return f"import numpy as np\n\nresult = {call[:-1]}, ddof={params['ddof']}).item()\n"
    if params["stat"] == "count":
        return f"result = len({params['data']})\n"
    if params["stat"] in _PARITY:
        return f"import numpy as np\n\nresult = {call}\n"
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
    "count": ("number of items", "元素个数"),
    "sort": ("sorted values", "排序结果"),
    "even": ("number of even values", "偶数的个数"),
    "odd": ("number of odd values", "奇数的个数"),
}


def _summary(params: Params, lang: str) -> str:
    en, zh = _WORDS[params["stat"]]
    q = params.get("q")
    en = f"{q}th {en}" if q is not None else en
    zh = f"{q}%{zh}" if q is not None else zh
    return text(lang, f"The {en} of {params['data']}", f"{params['data']}的{zh}")


def _answer(params: Params, value: Any, lang: str) -> str:
    if isinstance(value, list):
        shown = str(value) if len(value) <= 30 else f"{value[:10]} … ({len(value)} values)"
        return text(
            lang, f"{_summary(params, lang)}: {shown}.", f"{_summary(params, lang)}：{shown}。"
        )
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
            "sort values in descending order",
            "how many elements are in values",
        ),
        examples_zh=(
            "values的平均值",
            "求values的最大值",
            "values的中位数是多少",
            "values的标准差",
            "values的方差",
            "把 values 从小到大排序",
            "values 加起来是多少",
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
