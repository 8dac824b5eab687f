"""The prime next to a number: "the smallest prime bigger than a million", "比一百万大的最小质数".

SymPy's ``nextprime`` answers in microseconds whatever the size. The bound's kind is read
from the words next to the number: "bigger than", "after", "大于" exclude it, "at least",
"不小于", "大于等于" include it. An order that names no prime ("the largest prime above
N": there is none, "the smallest prime below N": 2) is refused, and so is "以上" (whether
it includes N differs between readers). "The largest prime below N" is
:mod:`.primes`' ``primes.largest``.
"""

from __future__ import annotations

from typing import Any

from ._base import Context, Params, Recipe, text
from ._codegen import fmt
from ._guard import NotMine, Refuse, nothing_left

__all__ = ["RECIPES"]

_PRIME_WORD = r"prime|质数|素数"
#: A bound that excludes the number, then one that includes it: "bigger than #0#".
_ABOVE_EN = (
    r"(?:strictly\s+)?(?:bigger|greater|larger|higher|more)\s+than|above|after|over|"
    r"exceeding|beyond|past|following|>"
)
_AT_LEAST_EN = (
    r"at\s+least|not\s+(?:less|smaller|lower)\s+than|(?:bigger|greater|larger|higher)\s+than\s+"
    r"or\s+equal\s+to|>=|≥"
)
_ABOVE_ZH = r"比\s*#0#\s*大|大于\s*#0#|超过\s*#0#|#0#\s*(?:之后|后面|以后)|在\s*#0#\s*之后"
_AT_LEAST_ZH = r"不小于\s*#0#|大于等于\s*#0#|大于或等于\s*#0#|不低于\s*#0#|#0#\s*或以上"
#: Which prime of those above: the first one.
_FIRST = (
    r"\b(?:smallest|least|first|next|lowest|nearest|closest|minimum|min)\b|"
    r"最小|第一个|下一个|紧接着|最近"
)
_WRONG_END = r"\b(?:largest|biggest|greatest|highest|last|max|maximum)\b|最大|最后"
_BELOW = (
    r"\b(?:below|under|less|smaller|lower|before|up to|at most)\b|(?<!不)小于|以内|以下|之前|"
    r"不超过|比\s*#0#\s*小"
)


def _extract(ctx: Context) -> Params:
    if len(ctx.numbers) != 1 or not ctx.has(_PRIME_WORD):
        raise NotMine("one number to start from", "需要一个起点数")
    n = ctx.num(0)
    above = ctx.tsearch(rf"(?:{_ABOVE_EN})\s*(?:the\s+number\s+)?#0#") or ctx.tsearch(_ABOVE_ZH)
    at_least = (
        ctx.tsearch(rf"(?:{_AT_LEAST_EN})\s*(?:the\s+number\s+)?#0#")
        or ctx.tsearch(r"#0#\s*or\s+(?:more|greater|bigger|larger|above|higher)")
        or ctx.tsearch(_AT_LEAST_ZH)
    )
    if above is None and at_least is None:
        if ctx.has(r"以上") and ctx.has(_FIRST):
            raise Refuse(
                "say whether the number itself counts: 'bigger than N' or 'at least N'",
                "“以上”是否包含这个数说法不一；请说“比N大”或“不小于N”",
                with_help=True,
            )
        raise NotMine("a bound above", "需要一个下界")
    if ctx.has(_BELOW) or ctx.has(_WRONG_END) or not (ctx.has(_FIRST) or ctx.has(r"\bthe prime\b")):
        raise Refuse(
            "ask for the smallest prime above a number ('the next prime after 1000') or the "
            "largest below one ('the largest prime below 1000')",
            "请问比某数大的最小质数（“比1000大的最小质数”）或比某数小的最大质数",
            with_help=True,
        )
    if not isinstance(n, int) or not 0 <= n <= 10**100:
        raise Refuse(
            "the number must be a whole number from 0 to 10**100",
            "这个数须为0到10**100之间的整数",
            with_help=True,
        )
    if at_least is not None and above is not None:
        raise Refuse("'bigger than' or 'at least', not both", "请只说“大于”或“不小于”之一")
    inclusive = at_least is not None
    nothing_left(
        ctx,
        rf"{_AT_LEAST_EN}|{_ABOVE_EN}|smallest|least|first|next|lowest|nearest|closest|minimum|"
        r"min|prime|primes|number|that|which|comes|come|strictly|or|equal|more|greater|bigger|"
        r"larger|above|higher|one",
        r"不小于|大于等于|大于或等于|不低于|或以上|大于|超过|之后|后面|以后|在|比|大|最小的|最小|第一个|"
        r"下一个|紧接着|最近的|最近|质数|素数|数|哪",
    )
    if inclusive:
        ctx.note(f"{n} itself counts if it is prime", f"{n}本身若是质数也算")
    else:
        ctx.note(f"strictly greater than {n}", f"严格大于{n}")
    return {"n": int(n), "inclusive": inclusive}


def _code(params: Params) -> str:
    start = params["n"] - 1 if params["inclusive"] else params["n"]
    return f"from sympy import nextprime\n\nresult = int(nextprime({start}))\n"


def _summary(params: Params, lang: str) -> str:
    n = params["n"]
    if params["inclusive"]:
        return text(lang, f"The smallest prime of at least {n}", f"不小于{n}的最小质数")
    return text(lang, f"The smallest prime greater than {n}", f"比{n}大的最小质数")


def _answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"{_summary(params, lang)} is {fmt(value)}.",
        f"{_summary(params, lang)}是{fmt(value)}。",
    )


RECIPES = [
    Recipe(
        id="primes.next",
        anchors=rf"(?=.*(?:{_PRIME_WORD}))(?=.*(?:{_FIRST}|the prime after|以上))",
        examples_en=(
            "the smallest prime bigger than a million",
            "next prime after 1000",
            "what is the first prime greater than 10**12",
            "smallest prime number that is at least 100",
            "the prime after 13",
        ),
        examples_zh=(
            "比一百万大的最小质数是哪个",
            "大于1000的最小素数",
            "10000之后的第一个质数",
            "不小于100的最小质数",
            "大于等于50的最小素数",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="the smallest prime bigger than a million",
        priority=70,  # before the ordinals of exact.nth_prime ("之后的第一个")
        decisive=True,
        grid=False,
    )
]
