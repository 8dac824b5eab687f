"""Trailing zeros of a factorial: "how many trailing zeros does 100! have", "100的阶乘末尾有几个0".

Legendre's formula counts the factors 5 of ``n!`` (each pairs with a factor 2 to end the
number in a 0): ``sum(n // 5**k)``, exact for any ``n`` and instant where writing ``n!``
out would not be. Decisive and strict: one whole number, the factorial named, every word
accounted for, or the request is refused (the factorial recipe would otherwise read the 0
of "几个0" as a second number).
"""

from __future__ import annotations

from typing import Any

from ._base import Context, NeedMore, Params, Recipe, text
from ._guard import Refuse, nothing_left

__all__ = ["RECIPES"]

_MAX_N = 10**18

_ZEROS = (
    r"trailing\s+(?:zero|zeroe?s|0s)|zero(?:e?s)?\s+at\s+the\s+end|(?:0s|zeros)\s+at\s+the\s+end|"
    r"\bends?\s+(?:in|with)\s+(?:how\s+many\s+)?(?:zero|zeros|0s)|"
    r"(?:末尾|结尾|尾部|末端|后面|最后)[^，。,.?？]{0,6}(?:0|零)"
)
_OWN_EN = (
    r"trailing|zeros?|zeroes|0s|at|end|ends|in|with|factorial|how|many|number|count|digits?|"
    r"does|do|have|has|there|are|of|the|base|decimal|written|out|when|is|its"
)
_OWN_ZH = (
    r"的个数|个数|的阶乘|阶乘|末尾|结尾|尾部|末端|后面|最后|连续|有几个|有多少个|几个|多少个|个|零|有|的|一共|"
    r"数字|位"
)


def _extract(ctx: Context) -> Params:
    if not ctx.has(r"factorial|阶乘|\d\s*!"):
        raise Refuse(
            "the trailing zeros of a factorial can be counted here, e.g. 'trailing zeros of 100!'",
            "这里能数阶乘末尾的0，例如“100的阶乘末尾有几个0”",
            with_help=True,
        )
    values = [n for n in ctx.numbers if not (n.value == 0 and n.text == "0")]  # the 0 of "几个0"
    if len(values) != 1 or not isinstance(values[0].value, int) or values[0].value < 0:
        raise Refuse(
            "give one whole number, e.g. 'trailing zeros of 100!'",
            "请给出一个非负整数，例如“100的阶乘末尾有几个0”",
            with_help=True,
        )
    n = int(values[0].value)
    if n > _MAX_N:
        raise Refuse(f"n may be at most {_MAX_N:.0e}", f"n最多为{_MAX_N:.0e}")
    try:
        nothing_left(ctx, _OWN_EN, _OWN_ZH)
    except NeedMore as need:  # a leftover word: never the factorial recipe's guess instead
        raise Refuse(need.en, need.zh, with_help=True) from None
    ctx.note("Legendre's formula: the number of factors 5 in n!", "勒让德公式：n!中因子5的个数")
    return {"n": n}


def _code(params: Params) -> str:
    return (
        "def _aigc_trailing_zeros(n):\n"
        '    """Trailing zeros of n!: its factors 5 (Legendre), each paired with a 2."""\n'
        "    count, power = 0, 5\n"
        "    while power <= n:\n"
        "        count += n // power\n"
        "        power *= 5\n"
        "    return count\n\n\n"
        f"result = _aigc_trailing_zeros({params['n']})\n"
    )


def _summary(params: Params, lang: str) -> str:
    return text(lang, f"Trailing zeros of {params['n']}!", f"{params['n']}!末尾0的个数")


def _answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"{params['n']}! ends in {value} zeros.",
        f"{params['n']}!的末尾有{value}个0。",
    )


RECIPES = [
    Recipe(
        id="exact.trailing_zeros",
        anchors=_ZEROS,
        examples_en=(
            "how many trailing zeros does 100! have",
            "number of trailing zeros of 1000 factorial",
            "how many zeros at the end of 50!",
            "100 factorial ends in how many zeros",
            "count the trailing zeroes of 25!",
        ),
        examples_zh=(
            "100的阶乘末尾有几个0？",
            "1000!的末尾有多少个零",
            "50的阶乘结尾有几个零",
            "求25的阶乘末尾0的个数",
            "200!末尾连续有多少个0",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="how many trailing zeros does 100! have",
        priority=60,
        decisive=True,
        grid=False,
    )
]
