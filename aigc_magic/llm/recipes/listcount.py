"""How many items of a notebook list are of one kind: "how many strings are in my list words",
"mixed 里有几个整数", "how many items are in names".

Plain Python counts them (``isinstance``), so a list of anything works: strings, numbers,
booleans, mixed. ``True`` is no integer and no number here (a person counting numbers does
not count flags). Numeric sequences asked for their length are :mod:`.describe`'s; a kind
with a condition ("strings longer than 3", "unique strings") is refused by the word guard.
"""

from __future__ import annotations

from typing import Any

from ._base import Context, Params, Recipe, names_of, text
from ._guard import NotMine, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

#: kind: (English words, Chinese words, the test on one item ``v``; None: every item)
_KINDS: dict[str, tuple[str, str, str | None]] = {
    "str": (r"strings?|texts?|str", r"字符串|文本", "isinstance(v, str)"),
    "int": (
        r"integers?|ints?|whole numbers?",
        r"整数",
        "isinstance(v, int) and not isinstance(v, bool)",
    ),
    "float": (
        r"floats?|floating[- ]point numbers?",  # never "decimals", 小数: is 12.0 one?
        r"浮点数",
        "isinstance(v, float)",
    ),
    "number": (
        r"numbers?(?! of)|numeric values?|numerics?",  # never "number of"
        r"数字|数值",
        "isinstance(v, numbers.Number) and not isinstance(v, bool)",
    ),
    "bool": (r"booleans?|bools?", r"布尔值|布尔", "isinstance(v, bool)"),
    "item": (r"items?|elements?|entries|values|things", r"元素|项|个数|条目", None),
}
_COUNT_EN = r"how many|count|number of|total number of"
_COUNT_ZH = r"几个|多少个|多少|个数|数量|几项|多少项"


def _is_collection(obj: Any) -> bool:
    return isinstance(obj, (list, tuple, set, frozenset))


def _extract(ctx: Context) -> Params:
    names = names_of(ctx, _is_collection)
    if len(names) != 1 or not (ctx.has(rf"\b(?:{_COUNT_EN})\b") or ctx.has(_COUNT_ZH)):
        raise NotMine("name one list of your namespace", "请写出命名空间里的一个列表")
    name = names[0]
    asked = [k for k, (en, zh, _) in _KINDS.items() if ctx.has(rf"\b(?:{en})\b|{zh}")]
    if len(asked) > 1 and "item" in asked:
        asked.remove("item")  # "how many string items"
    if len(asked) > 1 and set(asked) == {"number", "int"}:
        asked = ["int"]  # "whole numbers"
    if len(asked) > 1 and set(asked) == {"number", "float"}:
        asked = ["float"]  # "floating-point numbers"
    if len(asked) != 1:
        raise NotMine("ask for one kind of item", "请只问一种元素")
    all_numbers_used(ctx, 0)
    en, zh, _ = _KINDS[asked[0]]
    nothing_left(
        ctx,
        rf"{en}|{_COUNT_EN}|{name}|in|inside|my|list|tuple|set|the|are|there|does|do|have|"
        r"has|contain|contains|of|kind|type|variable|collection|all|total|items?|elements?",
        rf"{zh}|{_COUNT_ZH}|列表|元组|集合|里面|里|中|有|一共|总共|是|的|这个|变量|元素",
    )
    kind = asked[0]
    if kind == "item":
        ctx.note("every item counts, whatever its type", "每个元素都算，不论类型")
    if kind == "number":
        ctx.note("True and False are not counted as numbers", "True和False不算作数字")
    return {"data": name, "kind": kind}


def _code(params: Params) -> str:
    test = _KINDS[params["kind"]][2]
    data = params["data"]
    if test is None:
        return f"result = len({data})\n"
    head = "import numbers\n\n" if "numbers." in test else ""
    return f"{head}result = sum(1 for v in {data} if {test})\n"


_WORDS = {
    "str": ("strings", "字符串"),
    "int": ("integers", "整数"),
    "float": ("floats", "浮点数"),
    "number": ("numbers", "数字"),
    "bool": ("booleans", "布尔值"),
    "item": ("items", "元素"),
}


def _summary(params: Params, lang: str) -> str:
    en, zh = _WORDS[params["kind"]]
    return text(lang, f"The number of {en} in {params['data']}", f"{params['data']}中{zh}的个数")


def _answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang, f"{_summary(params, lang)} is {value}.", f"{_summary(params, lang)}是{value}。"
    )


def _demo_namespace() -> dict[str, Any]:
    return {"words": ["apple", 3, "fig", 2.5, True]}


RECIPES = [
    Recipe(
        id="describe.kinds",
        anchors=rf"(?=.*(?:{_COUNT_EN}|{_COUNT_ZH}))(?=.*(?:"
        + "|".join(en + "|" + zh for en, zh, _ in _KINDS.values())
        + "))",
        examples_en=(
            "how many strings are in my list words",
            "how many integers are in mixed",
            "count the floats in data",
            "how many items are in names",
            "number of booleans in flags",
        ),
        examples_zh=(
            "words 里有几个字符串",
            "mixed 中有多少个整数",
            "names 里一共有多少个元素",
            "data 中浮点数的个数",
            "flags 里有几个布尔值",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="how many strings are in my list words",
        demo_namespace=_demo_namespace,
        priority=4,  # after describe.stat: numeric sequences' lengths are its
        decisive=True,
        grid=False,
    )
]
