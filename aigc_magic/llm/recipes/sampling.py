"""Sample moments of a named distribution, next to the exact ones.

"mean and variance of 10000 exponential samples with rate 2" draws the samples with NumPy in
chunks on the grid (one task per chunk, each with its own ``SeedSequence`` child, so the
answer does not depend on how the work was split), merges each chunk's count, mean and sum of
squared deviations (Chan, Golub and LeVeque's pairwise update) and answers with the sample
statistics asked for; the answer sentence puts the exact mean, variance or standard deviation
of the distribution (:func:`._dists.exact_moments`) beside them. A statistic this recipe does
not compute (a median, a quantile) is not answered with another one.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import FLAGS, Context, NeedMore, Params, Recipe, text
from ._codegen import fmt, literal, render
from ._dists import (
    SAMPLE_WORDS_EN,
    SAMPLE_WORDS_ZH,
    describe,
    draw_call,
    exact_moments,
    read_samples,
)
from ._guard import NotMine, Refuse, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

#: "the middle one" of sorted samples: the median, when their number is odd.
_MIDDLE = (
    r"\bmiddle (?:one|value|number|element|entry|sample)\b|\bthe middle\b|正中间的数|正中间|"
    r"中间那个数|中间的那个|中间那个|中间的数|中间值"
)
_STATS = (
    ("variance", r"variance|\bvar\b|方差"),
    ("std", r"standard deviation|\bstd\b|\bsd\b|标准差"),
    ("mean", r"\bmean\b|average|expectation|expected value|均值|平均值|平均数|期望|平均"),
    ("median", r"median|中位数|中值|" + _MIDDLE),
    ("min", r"minimum|\bmin\b|smallest|lowest|最小值|最小"),
    ("max", r"maximum|\bmax\b|largest|biggest|highest|最大值|最大"),
    ("quantile", r"quantile|percentile|quartile|分位数|分位"),
)
#: Statistics of the whole sample at once (the moments merge chunk by chunk instead).
_ORDER = {"median", "min", "max", "quantile"}
_STAT_WORDS = {
    "mean": ("mean", "均值"),
    "variance": ("variance", "方差"),
    "std": ("standard deviation", "标准差"),
    "median": ("median", "中位数"),
    "min": ("minimum", "最小值"),
    "max": ("maximum", "最大值"),
    "quantile": ("quantile", "分位数"),
}
#: "the 90th percentile", "90% quantile", "0.9 quantile", "quantile 0.9", "90%分位数".
_QUANTILE = (
    r"#(\d+)#\s*(?:th|st|nd|rd)?\s*%?\s*(?:-\s*)?(?:percentile|quantile)|"
    r"(?:percentile|quantile)\s*(?:of|at|=|:)?\s*#(\d+)#|#(\d+)#\s*%?\s*(?:的)?\s*分位"
)
_QUARTILE = (("upper|third|上四分位|第三四分位", 0.75), ("lower|first|下四分位|第一四分位", 0.25))
_MAX_ORDER_SAMPLES = 10**8


def _quantile(ctx: Context, rest: str, claimed: set[int]) -> float:
    """The quantile asked for, from 0 to 1; its number is claimed."""
    m = re.search(_QUANTILE, rest, FLAGS)
    if m is not None:
        k = int(next(g for g in m.groups() if g is not None))
        value = ctx.num(k)
        percent = "%" in m.group(0) or "percentile" in m.group(0).lower() or value > 1
        q = float(value) / 100 if percent else float(value)
        if not 0 <= q <= 1:
            raise NeedMore("a quantile lies between 0 and 1 (0% and 100%)", "分位数须在0到1之间")
        claimed.add(k)
        return q
    if re.search(r"quartile|四分位", rest, FLAGS):
        for words, q in _QUARTILE:
            if re.search(words, rest, FLAGS):
                return q
    raise NotMine(
        "say which quantile, e.g. 'the 90th percentile' or 'the 0.9 quantile'",
        "请说明哪个分位数，例如“90%分位数”",
        with_help=True,
    )


_DIST_WORDS = (
    r"normal|gaussian|uniform|exponential|poisson|binomial(?!\s+coefficient)|正态|高斯|均匀|指数|"
    r"泊松|二项分布"
)


#: A model or a data set named: "高斯朴素贝叶斯" or "调整兰德指数" name no distribution to draw.
_ML_CONTEXT = (
    r"naive bayes|朴素贝叶斯|bayes|贝叶斯|gaussian ?nb|gaussian process|高斯过程|mixture|"
    r"混合模型|data ?set|数据集|cross[- ]?val|交叉验证|k-?means|k-?均值|聚类|cluster|classif|"
    r"regress|回归|分类|"
    r"兰德|\biris\b|鸢尾|\bdigits\b|breast|乳腺癌|diabetes|糖尿病|\bwine\b|葡萄酒|红酒"
)


#: The Chinese words of a samples request, longest first ("抽样" before "抽").
_ZH_WORDS = "|".join(
    sorted(
        (
            r"标准正态分布|正态分布|均匀分布|指数分布|泊松分布|二项分布|成功概率|试验次数|概率|服从|分布|正态|高斯|均匀|指数|泊松|标准差|标准|"
            r"均值|平均值|平均数|期望|方差|速率|尺度|参数|生成|随机|模拟|样本的|的|个|为|在|从|到|之间|"
            r"区间|并|然后|再|以及|和|与|及|求|计算|估计|中位数|中值|最小值|最大值|最小|最大|上四分位数|"
            r"下四分位数|四分位数|分位数|分位|抽取|抽|取|它们|排好序|排序|以后|之后|后|告诉我|那个|"
            r"是多少|一下|算|里|中|%|第|百分位数|λ|μ|σ|样本方差|样本均值|抽样|采样|取样|次|正中间的数|正中间|中间那个数|中间的那个|中间那个|中间的数|中间值|"
            + SAMPLE_WORDS_ZH
        ).split("|"),
        key=len,
        reverse=True,
    )
)


def _extract(ctx: Context) -> Params:
    if ctx.has(_ML_CONTEXT) or ctx.has(r"matri|矩阵"):  # a random matrix is random.matrix's
        raise NotMine("no samples of a distribution here", "这里没有要抽样的分布")
    try:
        _, params, claimed, spans = read_samples(ctx)
    except NeedMore as need:
        if not ctx.has(_DIST_WORDS):
            raise NotMine(need.en, need.zh, with_help=True) from None
        raise
    rest = ctx.template
    for span in spans:  # "with mean 3" sets a parameter; it does not ask for the mean
        rest = rest.replace(span, " ")
    asked: list[tuple[int, str]] = []
    for key, pattern in _STATS:
        m = re.search(pattern, rest, FLAGS)
        if m is not None:
            asked.append((m.start(), key))
            rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
    if not asked:
        raise NotMine(
            "ask for the mean, variance, standard deviation, median, a quantile, the minimum "
            "or the maximum of the samples",
            "请问样本的均值、方差、标准差、中位数、分位数、最小值或最大值",
            with_help=True,
        )
    if any(key == "quantile" for _, key in asked):
        params["q"] = _quantile(ctx, ctx.template, claimed)
    all_numbers_used(ctx, len(claimed))
    nothing_left(
        ctx,
        r"mean|average|expectation|expected|value|variance|var|standard deviation|deviation|std|"
        r"sd|and|of|from|with|an?|the|distribution|distributed|dist|random|standard|normal|normally|gaussian|"
        r"bell|uniform|uniformly|exponential|exponentially|poisson|mu|sigma|rate|lambda|scale|low|"
        r"high|lower|upper|"
        r"between|on|over|in|to|independent|generate|draw|simulate|sample|size|n|their|its|"
        r"sample mean|sample variance|compute|estimate|both|plus|median|minimum|maximum|min|"
        r"max|smallest|lowest|largest|biggest|highest|quantile|percentile|quartile|upper|"
        r"lower|th|st|nd|rd|sort|sorted|sorting|after|them|they|report|one|at|take|taking|"
        r"times|sampled|drawn|middle|value|number|element|entry|me|binomial|trials|p|"
        r"probability|success|" + SAMPLE_WORDS_EN,
        _ZH_WORDS,
    )
    if params["n"] < 2:
        raise NeedMore("draw at least two samples", "至少需要两个样本")
    if ctx.has(_MIDDLE) and params["n"] % 2 == 0:
        raise Refuse(  # the mean of the two middle ones is no "middle one"
            f"{params['n']} sorted samples have two middle ones; ask for the median",
            f"{params['n']}个排好序的样本有两个中间数；请问中位数",
            with_help=True,
        )
    params["stats"] = [key for _, key in sorted(asked)]
    if _ORDER & set(params["stats"]) and params["n"] > _MAX_ORDER_SAMPLES:
        raise NeedMore(
            f"a median, quantile, minimum or maximum needs every sample at once: at most "
            f"{_MAX_ORDER_SAMPLES:.0e}",
            f"中位数、分位数、最小值或最大值需要同时保存全部样本：最多{_MAX_ORDER_SAMPLES:.0e}个",
        )
    ctx.note(
        "variance with n - 1 in the denominator; seed 0 (numpy.random.default_rng)",
        "方差按n - 1计算；随机种子0（numpy.random.default_rng）",
    )
    return params


_CODE = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_chunk_moments(total, seed):
    """Count, mean and sum of squared deviations of total draws from $WHAT."""
    rng = np.random.default_rng(seed)
    count, mean, m2 = 0, 0.0, 0.0
    for start in range(0, total, 10_000_000):  # ten million draws at a time bound the memory
        size = min(10_000_000, total - start)
        x = $DRAW
        chunk = (size, float(x.mean()), float(((x - x.mean()) ** 2).sum()))
        count, mean, m2 = _aigc_merge((count, mean, m2), chunk)
    return count, mean, m2


def _aigc_merge(a, b):
    """Two (count, mean, M2) summaries as one (Chan, Golub and LeVeque)."""
    (na, ma, qa), (nb, mb, qb) = a, b
    n = na + nb
    delta = mb - ma
    return n, ma + delta * nb / n, qa + qb + delta * delta * na * nb / n


def _aigc_sample_moments(n, seed=0):
    """Draw n samples in about four chunks per core, one task each, and merge their moments."""
    n_chunks = max(1, min(4 * cpu_count(), n // 1_000_000))
    sizes = [n // n_chunks + (k < n % n_chunks) for k in range(n_chunks)]
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    summary = (0, 0.0, 0.0)
    for part in $PARALLEL(delayed(_aigc_chunk_moments)(m, s) for m, s in zip(sizes, seeds)):
        summary = _aigc_merge(summary, part)
    count, mean, m2 = summary
    variance = m2 / (count - 1)
    moments = {"mean": mean, "variance": variance, "std": variance ** 0.5}
    return $RETURN


result = _aigc_sample_moments($N)
'''


_WHOLE = """
import numpy as np


def _aigc_sample_statistics(n, seed=0):
    \"\"\"$WHAT: n draws at once (an order statistic needs them all).\"\"\"
    rng = np.random.default_rng(seed)
    size = n
    x = $DRAW
    statistics = {
$LINES
    }
    return $RETURN


result = _aigc_sample_statistics($N)
"""
_WHOLE_LINES = {
    "mean": "float(x.mean())",
    "variance": "float(x.var(ddof=1))",
    "std": "float(x.std(ddof=1))",
    "median": "float(np.median(x))",
    "min": "float(x.min())",
    "max": "float(x.max())",
}


def _code(params: Params) -> str:
    stats = params["stats"]
    if _ORDER & set(stats):
        lines = {**_WHOLE_LINES, "quantile": f"float(np.quantile(x, {params.get('q')!r}))"}
        return render(
            _WHOLE,
            WHAT=describe(params, "en"),
            DRAW=draw_call(params),
            LINES="\n".join(f'        "{s}": {lines[s]},' for s in stats),
            RETURN=(
                f'statistics["{stats[0]}"]'
                if len(stats) == 1
                else "{" + ", ".join(f'"{s}": statistics["{s}"]' for s in stats) + "}"
            ),
            N=literal(params["n"]),
        )
    returned = (
        f'moments["{stats[0]}"]'
        if len(stats) == 1
        else "{" + ", ".join(f'"{s}": moments["{s}"]' for s in stats) + "}"
    )
    return render(
        _CODE,
        WHAT=describe(params, "en"),
        DRAW=draw_call(params),
        RETURN=returned,
        N=literal(params["n"]),
    )


def _summary(params: Params, lang: str) -> str:
    en = " and ".join(_STAT_WORDS[s][0] for s in params["stats"])
    zh = "和".join(_STAT_WORDS[s][1] for s in params["stats"])
    return text(
        lang,
        f"Sample {en} of {params['n']} draws from {describe(params, 'en')}",
        f"{describe(params, 'zh')}的{params['n']}个样本的{zh}",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    exact = exact_moments(params)
    stats = params["stats"]
    values = {stats[0]: value} if len(stats) == 1 else dict(value)
    en = ", ".join(
        f"{_STAT_WORDS[s][0]} {fmt(float(values[s]))}"
        + (f" (exact {fmt(exact[s])})" if s in exact else "")
        for s in stats
    )
    zh = "，".join(
        f"{_STAT_WORDS[s][1]}{fmt(float(values[s]))}"
        + (f"（精确值{fmt(exact[s])}）" if s in exact else "")
        for s in stats
    )
    return text(
        lang,
        f"Over {params['n']} samples of {describe(params, 'en')}: sample {en}.",
        f"{describe(params, 'zh')}的{params['n']}个样本：样本{zh}。",
    )


RECIPES = [
    Recipe(
        id="random.moments",
        anchors=rf"(?=.*(?:{_DIST_WORDS}|random numbers?|随机数))(?=.*(?:mean|average|variance|"
        r"\bvar\b|standard deviation|\bstd\b|\bsd\b|expect|均值|平均|方差|标准差|期望|median|"
        r"中位数|中值|quantile|percentile|quartile|分位|minimum|\bmin\b|smallest|lowest|"
        r"maximum|\bmax\b|largest|biggest|highest|最小|最大|middle|中间))",
        examples_en=(
            "mean and variance of 10000 exponential samples with rate 2",
            "mean of 100000 samples from an exponential distribution with scale 2",
            "standard deviation of 1e6 normal samples with mean 5 and std 3",
            "variance of 50000 uniform random numbers between 0 and 10",
            "mean and variance of 100000 poisson samples with lambda 4",
            "mean of 50000 samples from a binomial distribution with n=20 and p=0.3",
            "median of 1e6 exponential samples with scale 3",
            "sort 1001 random numbers and tell me the middle one",
            "90th percentile of 100000 standard normal samples",
            "the smallest of 1000 uniform random numbers between 0 and 1",
            "sort one million random numbers and give me the median",
            "generate 100000 random numbers, sort, take the median",
        ),
        examples_zh=(
            "生成10000个标准正态分布的样本，求均值和标准差",
            "10000个速率为2的指数分布样本的均值和方差",
            "100万个均匀分布随机数的方差",
            "均值为3、标准差为2的正态分布的50000个样本的均值",
            "100000个参数为4的泊松分布样本的均值和方差",
            "二项分布 n=20，p=0.3，抽样5万次，样本均值是多少",
            "从均值为3的指数分布里抽50000个数，求中位数",
            "一万个均匀分布随机数的90%分位数",
            "1000个标准正态分布样本的最大值",
            "生成100万个均匀分布的随机数，排序后求中位数",
            "把1000个随机数排序后求中位数",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="mean and variance of 10000 exponential samples with rate 2",
        priority=25,
        decisive=True,
    ),
]
