"""Refuse rather than guess: every word of the prose must belong to the recipe that answers.

A decisive recipe (its anchor alone selects it: "factorial", "gcd", "第N个质数") answers
only when nothing in the prose is left unexplained: after its own words, the numbers it
used and a short list of filler words ("what is", "please", "计算", "是多少") are taken out,
no word and no Chinese character may remain. "the last 10 digits of 2**1000" is therefore
refused by the power recipe instead of answered with 2**1000.
"""

from __future__ import annotations

import re

from .._lazy import lazy
from ._base import FLAGS, Context, NeedMore

__all__ = ["FILLER_EN", "FILLER_ZH", "NotMine", "Refuse", "all_numbers_used", "nothing_left"]


class NotMine(NeedMore):
    """The prose asks for more than this recipe does: another recipe may answer it."""


class Refuse(NeedMore):
    """The recipe recognises the request and knows no recipe answers it exactly: refuse now.

    Raised, for example, when k-means is asked for a silhouette score it does not compute:
    a looser recipe must not answer "the mean of k" instead.
    """


FILLER_EN = (
    r"what|whats|what's|which|is|are|was|be|the|of|a|an|compute|calculate|calc|find|give|"
    r"me|us|please|pls|value|values|exact|exactly|tell|how|much|many|get|show|print|can|you|"
    r"could|would|will|i|want|need|to|and|do|does|number|numbers|result|answer|for|evaluate|"
    r"work|out|determine|list|display|return|it|its|s|just|equal|equals|output|now|then|"
    r"quickly|here|there|that|this|with|by|using|in|on|python|let|lets|let's|us|true|false|"
    r"whether|if|or|not|check|tell|know|like|see|hey|hi|ok|okay|so|into|as|thanks|thank|kindly|"
    r"help|wonder|wondering|curious|mind|my|really|actually|roughly|approximately|about|"
    r"hello|quick|question|real|your|am|would like|i'd|i'm|wanna|gimme|u|ur|plz|thx"
)
FILLER_ZH = (
    r"计算|求出|求|找出|找到|找|有哪些|哪些|哪个|是几|请|帮我|帮忙|一下|给出|给我|算出|算一算|算|是多少|多少|等于|的|值|结果|是|吗|呢|"
    r"几|出来|输出|列出|显示|告诉我|精确|准确|得到|一个|个|吧|啊|呀|下|我|想|知道|看看|用|来|"
    r"判断|是否|还是|不是|能|可以|你|对|里|中|把|做|完整|全部|所有|都|(?<![的之总求])和(?![是为等])|与|及|"
    r"以及|为|了|这个|这|其|"
    r"那个|那种|一共|总共|大概|大约|大致|左右|请问|我想知道|麻烦|能不能|能否|可不可以|里面|谢谢|"
    r"好吗|行吗|一共有"
)
#: Longest first, so "是否" goes before "是" (an alternation takes the first that matches).
_FILLER_ZH_LONGEST = "|".join(sorted(FILLER_ZH.split("|"), key=len, reverse=True))
#: How a person wants the answer shown, never what it is: taken out before any recipe's words.
_PRESENTATION = lazy(
    r"\bi want (?:to see )?(?:every|each|all(?: the)?) digits?\b|\b(?:every|each|all(?: the)?) "
    r"digits?\b|\b(?:not|no|without) (?:in )?scientific notation\b|\bin full\b|"
    r"\bwritten out\b|\bprecisely\b|\bexactly\b|不要科学计数法|不用科学计数法|每一位都要|完整写出|"
    r"全部写出来|所有位数",
    re.IGNORECASE | re.ASCII,
)
#: Polite or vague words taken out before any recipe's own words, so that a recipe owning
#: "里" does not leave the "面" of "里面" behind.
_POLITE_ZH = lazy(
    r"我想知道|请问一下|请问|麻烦你|麻烦|能不能|可不可以|能否|谢谢你|谢谢|大概|大约|大致|左右|里面|里头|"
    r"之中|当中|帮我|帮忙"
)
_PUNCT = lazy(r"[\s,，。.?？!！:：;；、'\"“”‘’()（）\[\]{}=*^+\-/#\d_~～…「」《》]+")


def nothing_left(ctx: Context, own_en: str, own_zh: str = "") -> None:
    """Raise :class:`NeedMore` when the prose has words the recipe does not account for.

    ``own_en`` and ``own_zh`` are regular expressions of the recipe's own words (they are
    removed before the filler); numbers (``#k#`` in the template) and punctuation never count.
    """
    rest = _POLITE_ZH.sub(" ", _PRESENTATION.sub(" ", ctx.template.lower()))
    # one scan over the recipe's words and the filler: "计算" is filler even where a recipe
    # owns "算" (two passes would leave the "计")
    chinese = f"(?:{own_zh})|(?:{_FILLER_ZH_LONGEST})" if own_zh else _FILLER_ZH_LONGEST
    rest = re.sub(chinese, " ", rest, flags=FLAGS)
    rest = re.sub(rf"\b(?:{own_en})\b", " ", rest, flags=FLAGS)
    rest = re.sub(rf"\b(?:{FILLER_EN})\b", " ", rest, flags=FLAGS)
    rest = _PUNCT.sub(" ", rest).strip()
    if rest:
        word = rest.split()[0]
        raise NotMine(
            f"I cannot tell what '{word}' asks for here, so I will not guess; "
            "rephrase it as one of the tasks below",
            f"看不懂“{word}”在这里的意思，不去猜测；请换成下面列出的一种任务",
            with_help=True,
        )


def all_numbers_used(ctx: Context, used: int) -> None:
    """Raise :class:`NeedMore` when the prose has more numbers than the recipe used."""
    if len(ctx.numbers) != used:
        extra = ", ".join(n.text for n in ctx.numbers)
        raise NotMine(
            f"the prose has the numbers {extra} and I can use only {used} of them "
            "for this task; say what the others are for",
            f"这段话里有数字{extra}，这个任务只能用其中{used}个；请说明其他数字的用途",
            with_help=True,
        )
