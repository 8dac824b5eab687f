"""Primes: list, count, sum, largest and twin primes below a bound or in a range.

All five share one segmented sieve: the range is cut into contiguous chunks (about four per
core, at most ten million numbers each), each task sieves its whole chunk with the base primes
up to the square root, and only the small per-chunk answers travel back.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import (
    Context,
    NeedMore,
    Params,
    Recipe,
    limits,
    note_bound,
    span_en,
    span_zh,
    stop_exclusive,
    text,
)
from ._codegen import fmt, literal, render
from .describe import order_asked

__all__ = ["RECIPES"]

_PRIME = r"prime|质数|素数|eratosthenes|埃拉托"
_COUNT = r"how many|count|number of|多少|几个|个数|数量|数目|计数|数一数|有几"
_SUM = (
    r"\bsum|\btotal|\badd|\bplus\b|加起来|总和|相加|之和|的和|求和|和是|和为|"
    r"(?:质数|素数)和(?=$|[是为等,.?!]|多少)"
)
#: "how many" without the 多少 of "和是多少" (a sum question)
_COUNT_STRICT = r"how many|\bcount\b|number of|个数|几个|多少个|数量|数目|计数|有几"
_LARGEST = r"largest|biggest|greatest|highest|\bmax|last prime|最大|最后一个"
_TWIN = r"twin|孪生|双生"


_MAX_N = 10**12


#: A condition on the primes themselves, which no prime recipe applies: refused.
_CONDITION = (
    r"\bend(?:s|ing)?\s+(?:in|with)\b|\blast\s+digit|\bdigits?\b|\bpalindrom|\bmod(?:ulo)?\b|"
    r"\bcongruent|\bremainder|\bof\s+the\s+form|\bsuch\s+that|\bwhose\b|"
    r"个位|末位|尾数|结尾|各位|回文|余数|除以|形如|满足|使得|"
    r"factor|divisor|\bdivid|\bmultiples?\b|因数|因子|约数|分解|整除|倍数"  # not a list of primes
)


#: A statistic of the primes that no recipe here computes ("the mean of the primes below
#: 100", "the product of the primes below 50", "the smallest prime gap"): refused, never
#: answered with the list.
_UNASKED = (
    r"\bmean\b|\baverage\b|\bavg\b|\bmedian\b|\bproduct\b|\bmultiply|\bsmallest\b|\bminimum\b|"
    r"\bgaps?\b|\bdifferences?\b|\bdensity\b|\bratio\b|\bsquares?\b|\bsquared\b|\bcubes?\b|"
    r"\breciprocals?\b|\bstandard deviation\b|\bstd\b|\bvariance\b|"
    r"平均|中位数|乘积|相乘|连乘|最小|间隔|间距|差|密度|比例|平方|立方|倒数|标准差|方差"
)


#: A remark in brackets that illustrates ("(pairs like 11 and 13)", "（例如11和13）"): its
#: numbers are examples, not parameters.
_EXAMPLE_REMARK = (
    r"[(（][^()（）]*\b(?:like|e\.g\.|eg|such as|for example|for instance|i\.e\.)[^()（）]*[)）]|"
    r"[(（][^()（）]*(?:例如|比如|譬如|像)[^()（）]*[)）]"
)


def _all(*patterns: str) -> str:
    return "".join(f"(?=.*(?:{p}))" for p in patterns)


_SIEVE = '''
import math

import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_base_primes(limit):
    """Primes p <= limit, by a plain sieve of Eratosthenes."""
    sieve = np.ones(limit + 1, dtype=bool)
    sieve[:2] = False
    for p in range(2, math.isqrt(limit) + 1):
        if sieve[p]:
            sieve[p * p :: p] = False
    return np.flatnonzero(sieve)


def _aigc_sieve_segment(lo, hi, base):
    """Primes p with lo <= p < hi: one segment of a segmented sieve."""
    segment = np.ones(hi - lo, dtype=bool)
    for p in base:
        if p * p >= hi:
            break
        first = max(p * p, (lo + p - 1) // p * p)
        segment[first - lo :: p] = False
    segment[: max(0, 2 - lo)] = False
    return np.flatnonzero(segment) + lo


def _aigc_chunks(lo, hi):
    """Contiguous [a, b) chunks: about four per core, at most ten million numbers each."""
    n_chunks = max(4 * cpu_count(), -(-(hi - lo) // 10_000_000))
    n_chunks = max(1, min(n_chunks, (hi - lo) // 1_000 or 1))
    edges = np.linspace(lo, hi, n_chunks + 1).astype(np.int64)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def _aigc_primes_per_chunk(lo, hi, job):
    """Run ``job(segment_primes)`` on every chunk of [lo, hi) in parallel."""
    lo = max(lo, 2)
    if hi <= lo:
        return []
    base = _aigc_base_primes(math.isqrt(hi - 1))

    def task(a, b):
        return job(_aigc_sieve_segment(a, b, base))

    # a list, not a generator: joblib then knows how many chunks there are (the progress
    # bar's total and its time left)
    return $PARALLEL([delayed(task)(a, b) for a, b in _aigc_chunks(lo, hi)])


def _aigc_all_primes(lo, hi):
    """Every prime p with lo <= p < hi as one sorted array (chunks come back in order)."""
    parts = _aigc_primes_per_chunk(lo, hi, lambda primes: primes)
    return np.concatenate([np.empty(0, dtype=np.int64), *parts])
'''

_JOBS = {
    "primes.list": """
result = _aigc_all_primes($LO, $HI).tolist()
""",
    "primes.count": """
result = sum(_aigc_primes_per_chunk($LO, $HI, lambda primes: int(primes.size)))
""",
    "primes.sum": """
# each chunk's sum fits in int64; Python ints add the chunks up without overflow
result = sum(_aigc_primes_per_chunk($LO, $HI, lambda primes: int(primes.sum())))
""",
    "primes.largest": """
# prime gaps below 2**64 are under 1,600, so the top 2**20 numbers always hold the answer
result = max(
    (p for p in _aigc_primes_per_chunk(max($LO, $HI - 2**20), $HI,
                                       lambda primes: int(primes[-1]) if primes.size else None)
     if p is not None),
    default=None,
)
""",
    "primes.twin": '''
def _aigc_twin_starts(lo, hi):
    """p such that p and p + 2 are both primes in [lo, hi)."""
    primes = _aigc_all_primes(lo, hi)
    return primes[:-1][np.diff(primes) == 2]


$TWIN_RESULT
''',
}


def _extract(ctx: Context) -> Params:
    if ctx.tsearch(r"#\d+#\s*(?:st|nd|rd|th)\b|第\s*#\d+#"):
        raise NeedMore(
            "an ordinal ('the 10001st prime', '第100个质数') is an index, not a bound; "
            "ask for it alone",
            "序数（“第100个质数”）是序号而不是上界，请单独询问",
            with_help=True,
        )
    if ctx.has(r"\bfirst\s+#|前\s*#|\bfirst\s+\d|前\d+个"):
        raise NeedMore(
            "'the first N primes' is not something I can plan offline; ask for the "
            "primes below a bound instead",
            "离线规划器不支持“前N个质数”，请改问“N以内的质数”",
            with_help=True,
        )
    if ctx.has(
        r"^\W*is\b|\bis\s+(?:the\s+number\s+)?\d[^,;]*?\bprime\b(?!s)|\bwhether\b|"
        r"\bprimality\b|\bcheck\s+if\b|是不是|是否|(?:是|为)(?:一个)?(?:质数|素数)吗|"
        r"[a-z_]\w*\s*\(\s*\d"
    ):
        raise NeedMore(  # "is f(2) prime": a question about one value, never a list
            "ask whether one number is prime as 'is 97 prime'; a function's value cannot be "
            "tested here",
            "请直接问“97是质数吗”；这里不能判断函数值是否为质数",
            with_help=True,
        )
    if ctx.has(_CONDITION):
        raise NeedMore(
            "primes that meet a condition (a last digit, a remainder, a form) are not "
            "something I can plan offline; ask for the primes below a bound",
            "离线规划器不支持带条件的质数（个位数、余数、形式等），请改问“N以内的质数”",
            with_help=True,
        )
    params = limits(ctx, default_start=2, what_en="look for primes", what_zh="找质数")
    used = 2 if ctx.range() is not None else 1
    said = re.sub(_EXAMPLE_REMARK, " ", ctx.template, flags=re.IGNORECASE)
    if len(re.findall(r"#\d+#", said)) > used and ctx.previous is None:
        raise NeedMore(
            f"the prose has the numbers {', '.join(n.text for n in ctx.numbers)}; a primes "
            "request uses a bound or the two ends of a range; say what the others are for",
            f"这段话里有数字{'、'.join(n.text for n in ctx.numbers)}；质数请求只用一个上界或"
            "范围的两端，请说明其他数字的用途",
            with_help=True,
        )
    asked = [ctx.has(_COUNT_STRICT), ctx.has(_SUM), ctx.has(_LARGEST)]
    if sum(asked) > 1 and ctx.previous is None:  # "the number and the sum of the primes"
        raise NeedMore(
            "ask for one thing at a time: the primes, their number, their sum or the largest",
            "请一次只问一项：质数本身、个数、总和或最大的质数",
            with_help=True,
        )
    if ctx.has(_UNASKED):
        raise NeedMore(
            "the primes recipes list, count, add up or take the largest of the primes (or the "
            "twin primes) below a bound; they compute no other statistic of them",
            "质数配方只能列出、计数、求和或求最大的质数（或孪生质数），不计算别的统计量",
            with_help=True,
        )
    if params["n"] > _MAX_N:
        raise NeedMore(
            f"{params['n']} is too large to sieve here (at most {_MAX_N:.0e})",
            f"{params['n']}太大，无法在这里筛选（最多{_MAX_N:.0e}）",
        )
    # "from high to low" / "从大到小": a listing's order (both at once are refused)
    params["descending"] = order_asked(ctx) == "descending"
    note_bound(ctx, params)
    return params


def _twin_extract(ctx: Context) -> Params:
    params = _extract(ctx)
    count = ctx.has(_COUNT) if ctx.previous is None or ctx.has(_COUNT) else ctx.prev("count", False)
    params["count"] = bool(count)
    return params


def _code(recipe_id: str) -> Any:
    def code(params: Params) -> str:
        twin = (
            "result = int(_aigc_twin_starts($LO, $HI).size)  # the number of twin pairs"
            if params.get("count")
            else "result = [(int(p), int(p) + 2) for p in _aigc_twin_starts($LO, $HI)]"
        )
        job = _JOBS[recipe_id].replace("$TWIN_RESULT", twin)
        if params.get("descending"):  # "from high to low": the listing reversed
            for ascending in ("_aigc_all_primes($LO, $HI)", "_aigc_twin_starts($LO, $HI)"):
                job = job.replace(f"{ascending}.tolist()", f"{ascending}[::-1].tolist()")
                job = job.replace(f"in {ascending}]", f"in {ascending}[::-1]]")
        return render(
            _SIEVE + job, LO=literal(params.get("start", 2)), HI=literal(stop_exclusive(params))
        )

    return code


_SUMMARY = {
    "primes.list": ("List the primes {en}", "列出{zh}的所有质数"),
    "primes.count": ("Count the primes {en}", "统计{zh}的质数个数"),
    "primes.sum": ("Add up the primes {en}", "求{zh}所有质数之和"),
    "primes.largest": ("Find the largest prime {en}", "找出{zh}最大的质数"),
    "primes.twin": ("List the twin primes {en}", "列出{zh}的孪生质数"),
}


def _summary(recipe_id: str) -> Any:
    def summary(params: Params, lang: str) -> str:
        en, zh = _SUMMARY[recipe_id]
        if recipe_id == "primes.twin" and params.get("count"):
            en, zh = "Count the twin-prime pairs {en}", "统计{zh}的孪生质数对数"
        return text(lang, en, zh).format(en=span_en(params), zh=span_zh(params))

    return summary


def _answer_list(params: Params, value: Any, lang: str) -> str:
    primes = list(value)
    where_en, where_zh = span_en(params), span_zh(params)
    if not primes:
        return text(lang, f"There are no primes {where_en}.", f"{where_zh}没有质数。")
    order_en, order_zh = (
        (" (from the largest down)", "（从大到小排列）") if params.get("descending") else ("", "")
    )
    return text(
        lang,
        f"There are {len(primes)} primes {where_en}{order_en}; the largest is {max(primes)} "
        f"and the smallest {min(primes)}.",
        f"{where_zh}共有{len(primes)}个质数{order_zh}，最大的是{max(primes)}。",
    )


def _answer_count(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"There are {fmt(value)} primes {span_en(params)}.",
        f"{span_zh(params)}共有{fmt(value)}个质数。",
    )


def _answer_sum(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"The primes {span_en(params)} add up to {fmt(value)}.",
        f"{span_zh(params)}所有质数之和为{fmt(value)}。",
    )


def _answer_largest(params: Params, value: Any, lang: str) -> str:
    if value is None:
        return text(lang, f"There is no prime {span_en(params)}.", f"{span_zh(params)}没有质数。")
    return text(
        lang,
        f"The largest prime {span_en(params)} is {fmt(value)}.",
        f"{span_zh(params)}最大的质数是{fmt(value)}。",
    )


def _answer_twin(params: Params, value: Any, lang: str) -> str:
    if params.get("count"):
        return text(
            lang,
            f"There are {fmt(value)} twin-prime pairs {span_en(params)}.",
            f"{span_zh(params)}共有{fmt(value)}对孪生质数。",
        )
    pairs = list(value)
    if not pairs:
        return text(
            lang, f"There are no twin primes {span_en(params)}.", f"{span_zh(params)}没有孪生质数。"
        )
    return text(
        lang,
        f"There are {len(pairs)} twin-prime pairs {span_en(params)}; the largest is "
        f"{tuple(max(pairs))}.",
        f"{span_zh(params)}共有{len(pairs)}对孪生质数，最大的一对是{tuple(max(pairs))}。",
    )


RECIPES = [
    Recipe(
        id="primes.list",
        anchors=_PRIME,
        examples_en=(
            "list all primes below 10000",
            "find the prime numbers under 1000",
            "compute all the primes up to 1e6",
            "give me every prime less than 500",
            "generate primes between 100 and 200",
            "print the primes from 1000 to 2000",
            "which numbers below 100 are prime",
            "sieve of eratosthenes up to 10^7",
            "show me the primes not exceeding 5000",
        ),
        examples_zh=(
            "计算10000以内的所有质数",
            "列出1000以内的素数",
            "找出小于500的所有质数",
            "求100到200之间的质数",
            "给出一百万以内的全部素数",
            "筛出10万以内的质数",
            "输出从1000到2000的所有素数",
            "不超过5000的质数有哪些",
        ),
        extract=_extract,
        code=_code("primes.list"),
        summary=_summary("primes.list"),
        answer=_answer_list,
        demo="list the primes below 10000",
    ),
    Recipe(
        id="primes.count",
        anchors=_all(_PRIME, _COUNT),
        examples_en=(
            "how many primes are there below 1e6",
            "count the primes under 10 million",
            "number of prime numbers up to 100000",
            "how many prime numbers between 1000 and 5000",
            "count primes less than 2^20",
            "what is the count of primes below a billion",
            "prime counting function pi(x) for x = 1e7",
        ),
        examples_zh=(
            "100万以内有多少个质数",
            "统计1亿以内素数的个数",
            "小于10000的质数有几个",
            "1000到5000之间有多少个素数",
            "计算不超过一千万的质数数量",
            "数一数10万以内的质数",
            "求10^7以内质数的个数",
        ),
        extract=_extract,
        code=_code("primes.count"),
        summary=_summary("primes.count"),
        answer=_answer_count,
        demo="how many primes are there below 1000000",
        priority=2,
    ),
    Recipe(
        id="primes.sum",
        anchors=_all(_PRIME, _SUM),
        examples_en=(
            "sum of all primes below two million",
            "add up the primes under 1000",
            "what is the total of the prime numbers up to 1e6",
            "sum the primes between 100 and 1000",
            "compute the sum of primes less than 10k",
            "total of all prime numbers below 50000",
        ),
        examples_zh=(
            "求两百万以内所有质数的和",
            "1000以内的素数之和是多少",
            "计算小于10万的所有质数的总和",
            "把100到1000之间的质数加起来",
            "一百万以内素数求和",
            "不超过5万的质数相加等于多少",
        ),
        extract=_extract,
        code=_code("primes.sum"),
        summary=_summary("primes.sum"),
        answer=_answer_sum,
        demo="sum of all primes below 2000000",
        priority=2,
    ),
    Recipe(
        id="primes.largest",
        anchors=_all(_PRIME, _LARGEST),
        examples_en=(
            "what is the largest prime below 1e9",
            "find the biggest prime number under 10^12",
            "greatest prime less than 1000000",
            "the largest prime not exceeding 5000",
            "max prime below 2^31",
            "highest prime number up to ten million",
        ),
        examples_zh=(
            "10亿以内最大的质数是多少",
            "找出小于一百万的最大素数",
            "不超过10000的最大质数",
            "求2^31以内最大的素数",
            "一千万以下最大的质数是哪个",
            "小于1e12的最大质数",
        ),
        extract=_extract,
        code=_code("primes.largest"),
        summary=_summary("primes.largest"),
        answer=_answer_largest,
        demo="what is the largest prime below 1000000000",
        priority=2,
    ),
    Recipe(
        id="primes.twin",
        anchors=_all(_PRIME + "|" + _TWIN, _TWIN),
        examples_en=(
            "list the twin primes below 1000",
            "find all twin prime pairs under 10000",
            "how many twin primes are there below 1e6",
            "twin primes between 100 and 500",
            "count the pairs of twin primes up to 100000",
            "give me twin prime pairs less than 2000",
        ),
        examples_zh=(
            "列出1000以内的孪生质数",
            "找出10000以内所有的孪生素数对",
            "100万以内有多少对孪生质数",
            "求100到500之间的孪生素数",
            "统计10万以内孪生质数的对数",
            "小于2000的孪生素数有哪些",
        ),
        extract=_twin_extract,
        code=_code("primes.twin"),
        summary=_summary("primes.twin"),
        answer=_answer_twin,
        demo="list the twin primes below 1000",
        priority=3,
    ),
]
