"""One call of a notebook function: "evaluate f at 7", "what is f(3)", "用 area 算半径为3时的面积".

The function must be the notebook's own (a name of the namespace bound to a function) and
every number of the prose is an argument: one number for a function of one argument, or the
arguments written as a call (``g(2, 3)``). Words that describe the argument or the result
are allowed only in the slot "<parameter> 为 3 时的 <result>" / "when x is 3", and never when
they name another operation ("再加 1", "plus 1", "the derivative of f at 3"): those are
refused, and so is anything else the recipe cannot account for.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from ._base import Context, NeedMore, Params, Recipe, is_function, names_of, text
from ._codegen import fmt, literal
from ._guard import NotMine, nothing_left

__all__ = ["RECIPES"]

_OWN_EN = (
    r"evaluate|eval|evaluated|compute|calculate|call|apply|run|plug|plugged|at|of|on|with|for|"
    r"when|where|value|values|input|argument|arguments|point|in|into|the|function|func|is|"
    r"equals?|what|result|output|give|gives|returns?|return|set|to|x|n|t|using|use|my"
)
_OWN_ZH = (
    r"函数|调用|代入|输入|参数|取值|用|把|在|处|时候|时|的|值|等于|为|是|算|计算|求|多少|结果|当|"
    r"自变量|带入"
)
#: Words of another operation: a call followed by one of these is not a plain call.
_OTHER_OPERATION = (
    r"加|减|乘|除|倍|平方|立方|开方|导数|积分|最大|最小|平均|求和|总和|之和|再|然后|并且|以及|"
    r"\bplus\b|\bminus\b|\btimes\b|\bdivided\b|\bsquared?\b|\bderivative|\bintegra|\bsum\b|"
    r"\bmax|\bmin|\bmean\b|\baverage\b|\bthen\b|\bplot\b|\bgraph\b|\bdraw\b|画|图"
)
#: "半径为 3 时的面积", "x=3 处", "when x is 3": a named argument and a named result.
_NOUN_ZH = r"(?:(?!一下|函数|计算|算|求|用|的|时|当|在|把)[\u4e00-\u9fff])"
_SLOT_ZH = (
    rf"(?<!一)({_NOUN_ZH}{{1,4}})\s*(?:为|是|=|等于|取)\s*#(\d+)#\s*(?:时|的时候)\s*的?\s*"
    rf"({_NOUN_ZH}{{0,4}})"
)


def _required(func: Any) -> tuple[int, int] | None:
    """The least and most positional arguments ``func`` takes, or None when unknown."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    least = most = 0
    for p in signature.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            most += 1
            least += p.default is p.empty
        elif p.kind is p.VAR_POSITIONAL:
            most = 10**6
    return least, most


def _extract(ctx: Context) -> Params:
    funcs = names_of(ctx, is_function)
    if len(funcs) != 1:
        raise NotMine("name one of your functions", "请写出命名空间里的一个函数")
    name = funcs[0]
    if ctx.has(_OTHER_OPERATION):
        raise NotMine("more than one call of the function", "不只是调用一次函数")
    written = ctx.tsearch(rf"(?<![A-Za-z0-9_]){re.escape(name)}\s*\(((?:\s*#\d+#\s*,?)+)\)")
    if written is not None:
        args = [ctx.num(k) for k in re.findall(r"#(\d+)#", written.group(1))]
    else:
        args = [n.value for n in ctx.numbers]
    if not args or len(args) != len(ctx.numbers):
        raise NotMine("give the argument of the function", "请给出函数的自变量")
    if len(args) > 1 and written is None:
        raise NotMine(
            f"write the call with its arguments in order, e.g. '{name}(2, 3)'",
            f"请按顺序写出调用，例如“{name}(2, 3)”",
        )
    arity = _required(ctx.namespace[name])
    if arity is not None and not arity[0] <= len(args) <= arity[1]:
        raise NeedMore(
            f"{name} takes {arity[0]} to {arity[1]} arguments, the prose gives {len(args)}",
            f"{name}需要{arity[0]}到{arity[1]}个参数，这里给了{len(args)}个",
        )
    zh_own = _OWN_ZH
    slot = ctx.tsearch(_SLOT_ZH)
    if slot is not None and re.search(r"函数|调用|用", ctx.text):  # the function is the tool
        zh_own = "|".join(re.escape(w) for w in (slot.group(1), slot.group(3)) if w) + "|" + zh_own
    try:
        signature = inspect.signature(ctx.namespace[name])
        params_words = [re.escape(p.lower()) for p in signature.parameters]
    except (TypeError, ValueError):
        params_words = []
    nothing_left(ctx, "|".join([_OWN_EN, re.escape(name.lower()), *params_words]), zh_own)
    ctx.note(f"called your function {name}", f"调用了你的函数 {name}")
    return {"func": name, "args": args}


def _call(params: Params) -> str:
    return f"{params['func']}({', '.join(literal(a) for a in params['args'])})"


def _code(params: Params) -> str:
    return f"result = {_call(params)}\n"


def _summary(params: Params, lang: str) -> str:
    return text(lang, f"{_call(params)}, your function", f"你的函数 {_call(params)}")


def _answer(params: Params, value: Any, lang: str) -> str:
    shown = fmt(value) if isinstance(value, (int, float)) else repr(value)[:200]
    return text(lang, f"{_call(params)} = {shown}.", f"{_call(params)} = {shown}。")


def _demo_namespace() -> dict[str, Any]:
    def f(x: float) -> float:
        return x**2 + 3 * x + 1

    return {"f": f}


RECIPES = [
    Recipe(
        id="call.value",
        anchors=(
            r"[A-Za-z_]\w*\s*\(\s*-?[\d.]|\b(?:evaluate|eval|plug|call)\b|"
            r"\b(?:at|of|with)\s+(?:[a-z]\s*=\s*)?-?[\d.]|函数|代入|带入|的值|时的|参数为"
        ),
        examples_en=(
            "evaluate f at 7",
            "what is f(3)",
            "compute f of 2.5",
            "call f with 10",
            "the value of f at x = 4",
            "plug 3 into f",
        ),
        examples_zh=(
            "用 area 函数算一下半径为3时的面积",
            "f(5) 等于多少",
            "计算 f 在 x=2 处的值",
            "调用 f，参数为 7",
            "把 3 代入 f",
            "当 x 为 4 时 f 的值",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="evaluate f at 7",
        demo_namespace=_demo_namespace,
        priority=8,
        decisive=True,
        grid=False,
    )
]
