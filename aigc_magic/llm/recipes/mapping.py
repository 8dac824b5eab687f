"""A user's function mapped over a range or a collection, with a reduction.

"apply f to 1..100 and take the max", "对data里的每个元素调用f，求和". Only names that exist in
the namespace with a fitting type count; a name the prose uses that is missing is reported with
close matches. The items are cut into contiguous chunks (about four per core) and each task
reduces its own chunk, so only small partial results travel back.
"""

from __future__ import annotations

from typing import Any

from ._base import (
    Context,
    NeedMore,
    Params,
    Recipe,
    intended_words,
    is_function,
    is_sequence,
    pick_name,
    text,
)
from ._codegen import literal, render
from ._guard import NotMine

__all__ = ["RECIPES"]

_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_STOP = {
    "it",
    "the",
    "a",
    "an",
    "this",
    "that",
    "them",
    "function",
    "each",
    "every",
    "all",
    "my",
    "our",
    "to",
    "on",
    "over",
    "func",
    "me",
    "some",
    "numbers",
    "values",
    "items",
    "elements",
    "list",
    "array",
    "range",
}
_FUNC_WORDS = [
    rf"\b(?:apply|map|call|evaluate|run)\s+(?:the\s+|my\s+)?(?:function\s+)?{_NAME}",
    rf"\bfunction\s+{_NAME}",
    rf"(?<![A-Za-z0-9_.]){_NAME}\s*\(\s*[a-z]?\s*\)",
    rf"(?:调用|应用|执行|函数|用|把)\s*{_NAME}",
    rf"{_NAME}\s*函数",
]
_COLL_WORDS = [
    rf"\b(?:to|over|on|across)\s+(?:each|every|all)\s+(?:element|item|value|entry|entries|"
    rf"elements|items|values)\s+(?:of|in)\s+(?:my\s+|the\s+)?{_NAME}",
    rf"\b(?:in|of|over|across)\s+(?:my\s+|the\s+)?(?:list|array|collection)\s+{_NAME}",
    rf"(?:对|遍历|把)\s*{_NAME}\s*(?:里|中|内|的|上)",
    rf"{_NAME}\s*(?:里|中)的?(?:每个|每一个|所有|全部)",
]
_REDUCTIONS = [
    (
        "argmax",
        r"arg\s?max|\bwhich\b.{0,40}(?:maximi[sz]|gives the (?:largest|highest|biggest|max)"
        r"|has the (?:largest|highest|biggest))|\b(?:that|which) maximi[sz]es|"
        r"[使让].{0,12}最大|哪个.{0,12}最大|取得?最大值的",
    ),
    (
        "argmin",
        r"arg\s?min|\bwhich\b.{0,40}(?:minimi[sz]|gives the (?:smallest|lowest|min)"
        r"|has the (?:smallest|lowest))|\b(?:that|which) minimi[sz]es|"
        r"[使让].{0,12}最小|哪个.{0,12}最小|取得?最小值的",
    ),
    ("mean", r"mean|average|avg|平均|均值"),
    ("max", r"\bmax|largest|biggest|highest|greatest|最大"),
    ("min", r"\bmin|smallest|lowest|least|最小"),
    ("sum", r"\bsum|total|add (?:them|up|the)|求和|总和|之和|的和|加起来|相加|累加"),
    ("list", r"\blist|collect|gather|results|values|列表|结果|每个值|都算出来|收集"),
]
_WORDS = {
    "argmax": ("argmax", "使函数值最大的输入"),
    "argmin": ("argmin", "使函数值最小的输入"),
    "mean": ("mean", "平均值"),
    "max": ("max", "最大值"),
    "min": ("min", "最小值"),
    "sum": ("sum", "总和"),
    "list": ("list of values", "所有结果"),
}

_CODE = '''
from joblib import Parallel, cpu_count, delayed


def _aigc_reduce_chunk(func, items, reduce):
    """reduce([func(v) for v in items]) for one contiguous chunk."""
    return reduce([func(v) for v in items])


def _aigc_map_reduce(func, items, reduce):
    """Per-chunk reductions of func over items, about four chunks per core, in input order."""
    n = len(items)
    n_chunks = max(1, min(4 * cpu_count(), n))
    edges = [n * k // n_chunks for k in range(n_chunks + 1)]
    return $PARALLEL(
        delayed(_aigc_reduce_chunk)(func, items[a:b], reduce)
        for a, b in zip(edges[:-1], edges[1:]) if b > a
    )


'''
_ARG = '''

def _aigc_arg_best(func, items, best):
    """The item whose func value is best (max or min); ties go to the first one."""
    values = [v for part in _aigc_map_reduce(func, items, list) for v in part]
    return items[best(range(len(values)), key=values.__getitem__)]


'''
_FINISH = {
    "list": "result = [v for part in _aigc_map_reduce($FUNC, $ITEMS, list) for v in part]",
    "max": "result = max(_aigc_map_reduce($FUNC, $ITEMS, max))",
    "min": "result = min(_aigc_map_reduce($FUNC, $ITEMS, min))",
    "sum": "result = sum(_aigc_map_reduce($FUNC, $ITEMS, sum))",
    "mean": "result = sum(_aigc_map_reduce($FUNC, $ITEMS, sum)) / len($ITEMS)",
    "argmax": "result = _aigc_arg_best($FUNC, $ITEMS, max)  # the first item with the largest "
    "value",
    "argmin": "result = _aigc_arg_best($FUNC, $ITEMS, min)  # the first item with the smallest "
    "value",
}


#: What applying a function to items does not compute: "integrate g(x) from 0 to 2" is no
#: list of g's values, "plot f from 0 to 1" no sum of them.
_NOT_APPLIED = (
    r"integra\w*|∫|antiderivative|derivative|differentiat\w*|\bplot\w*|\bgraph\w*|\bdraw\b|"
    r"\bchart\b|limit of|\broots?\b|\bsolve\b|\bzeros? of\b|"
    r"积分|导数|求导|微分|画|图|极限|求根|零点|解方程"
)


def _extract(ctx: Context) -> Params:
    if (m := ctx.search(_NOT_APPLIED)) is not None:
        raise NotMine(
            f"applying a function to items gives its values, not '{m.group(0)}'",
            f"对一组输入调用函数只得到函数值，不做“{m.group(0)}”",
        )
    func = pick_name(ctx, is_function, intended_words(ctx, _FUNC_WORDS, _STOP), "function", "函数")
    if func is None:
        func = ctx.prev("func")
    if func is None:
        raise NeedMore(
            "say which of your functions to apply, e.g. 'apply f to 1..100 and take "
            "the max' (define f first)",
            "请说明要调用哪个函数，例如“对1到100调用f，求最大值”（先定义f）",
        )
    params: Params = {"func": func}
    coll = pick_name(
        ctx,
        lambda obj: is_sequence(obj) and obj is not ctx.namespace.get(func),
        intended_words(ctx, _COLL_WORDS, _STOP),
        "collection",
        "序列",
    )
    rng = ctx.range()
    if coll is not None:
        params["items"] = coll
        if type(ctx.namespace[coll]).__name__ == "Series":
            params["items_expr"] = f"{coll}.to_list()"
    elif rng is not None:
        stop = int(rng.stop) + (1 if rng.inclusive else 0)
        params.update(start=int(rng.start), stop=stop)
        ctx.note(f"items are {rng.start}..{stop - 1}", f"输入为{rng.start}到{stop - 1}")
    elif (bound := ctx.bound()) is not None:
        stop = int(bound.value) + (1 if bound.inclusive else 0)
        params.update(start=1, stop=stop)
        ctx.note(f"items are 1..{stop - 1}", f"输入为1到{stop - 1}")
    elif ctx.previous is not None:
        for key in ("items", "items_expr", "start", "stop"):
            if key in ctx.previous:
                params[key] = ctx.previous[key]
        if ctx.numbers and "stop" in params:
            params["stop"] = int(ctx.numbers[-1].value) + 1
    if "items" not in params and "stop" not in params:
        raise NeedMore(
            "say what to apply it to: a range such as 1..100, or one of your lists or arrays",
            "请说明作用对象：一个范围（如1到100）或您的列表/数组",
        )
    reduction = next((name for name, pattern in _REDUCTIONS if ctx.has(pattern)), None)
    if reduction is None:
        reduction = ctx.prev("reduction", "list")
        if ctx.previous is None:
            ctx.note("returned every value as a list", "返回全部结果组成的列表")
    params["reduction"] = reduction
    return params


def _items(params: Params) -> str:
    if "items" in params:
        return str(params.get("items_expr", params["items"]))
    return f"range({literal(params['start'])}, {literal(params['stop'])})"


def _code(params: Params) -> str:
    body = _CODE + (_ARG if params["reduction"] in ("argmax", "argmin") else "")
    return render(body + _FINISH[params["reduction"]], FUNC=params["func"], ITEMS=_items(params))


def _over(params: Params, lang: str) -> str:
    if "items" in params:
        return params["items"]
    a, b = params["start"], params["stop"] - 1
    return text(lang, f"{a}..{b}", f"{a}到{b}")


def _summary(params: Params, lang: str) -> str:
    en, zh = _WORDS[params["reduction"]]
    return text(
        lang,
        f"Apply {params['func']} to {_over(params, 'en')} and take the {en}",
        f"对{_over(params, 'zh')}逐个调用{params['func']}，求{zh}",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    f, over, red = params["func"], _over(params, lang), params["reduction"]
    shown = repr(value) if not isinstance(value, list) else None
    if red == "list":
        n = len(value) if hasattr(value, "__len__") else "?"
        return text(
            lang, f"Applied {f} to {over}: {n} values.", f"已对{over}调用{f}，共{n}个结果。"
        )
    if red in ("argmax", "argmin"):
        best = "largest" if red == "argmax" else "smallest"
        return text(
            lang,
            f"{f} is {best} at {shown} (over {over}).",
            f"在{over}中，{f}在{shown}处取得{'最大' if red == 'argmax' else '最小'}值。",
        )
    en, zh = _WORDS[red]
    return text(lang, f"The {en} of {f} over {over} is {shown}.", f"{f}在{over}上的{zh}为{shown}。")


def _demo_namespace() -> dict[str, Any]:
    def f(x: float) -> float:
        return (x * 37) % 101

    return {"f": f, "data": list(range(1, 51))}


RECIPES = [
    Recipe(
        id="map.reduce",
        anchors=r"\b(?:apply|map|call|evaluate|run|function|over|for each|each)\b|"
        r"maximi[sz]|minimi[sz]|\barg\s?(?:max|min)|[使让].{0,12}最[大小]|"
        r"\b[a-z_]\w*\s*\(|调用|应用|作用|函数|执行|遍历|逐个|每个|都算",
        examples_en=(
            "apply f to 1..100 and take the max",
            "map my function g over data and sum the results",
            "call f on every element of xs and return the list",
            "evaluate f for each number from 1 to 1000 and give the mean",
            "run f on each item in data and find the minimum",
            "which x in 1..500 maximizes f",
            "apply score to every value in samples, average the results",
            "compute f(x) for x from 1 to 10000 and collect the values",
        ),
        examples_zh=(
            "对data里的每个元素调用f，求和",
            "把f作用到1到100上，取最大值",
            "对xs中的每个数调用g，返回结果列表",
            "用f处理1到1000的每个数，求平均值",
            "遍历data，对每个元素执行f，求最小值",
            "1到500中哪个数使f最大",
            "对samples里所有值调用score函数，求均值",
            "计算f(x)，x从1到10000，把结果都算出来",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="apply f to 1..100 and take the max",
        demo_namespace=_demo_namespace,
    )
]
