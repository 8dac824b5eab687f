"""Bootstrap confidence intervals for a numeric array in the user's namespace."""

from __future__ import annotations

from typing import Any

from ._base import Context, NeedMore, Params, Recipe, intended_words, is_numeric_1d, pick_name, text
from ._codegen import literal, render

__all__ = ["RECIPES"]

_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_STOP = {
    "the",
    "a",
    "an",
    "my",
    "our",
    "this",
    "that",
    "it",
    "its",
    "mean",
    "median",
    "array",
    "bootstrap",
    "confidence",
    "interval",
    "std",
    "ci",
    "level",
    "resamples",
    "average",
    "standard",
    "deviation",
    "percentile",
    "using",
    "by",
    "with",
    "me",
}
_ARRAY_WORDS = [
    rf"\b(?:of|for|on|from|over|in|using)\s+(?:my\s+|the\s+)?(?:array\s+|data\s+|sample\s+|"
    rf"column\s+|list\s+|vector\s+|variable\s+)?{_NAME}",
    rf"{_NAME}\s*(?:的|里|中|这组|数组)",
    rf"(?:对|用|基于|根据)\s*{_NAME}",
]
_STATS = {
    "median": r"median|中位数",
    "std": r"standard deviation|\bstd\b|标准差",
    "mean": r"mean|average|均值|平均",
}

_CODE = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_resample_stats(data, n, seed):
    """The $STAT of n bootstrap resamples of data (drawn with replacement)."""
    rng = np.random.default_rng(seed)
    out = np.empty(n)
    block = max(1, 2_000_000 // data.size)  # resamples per block, to bound memory
    for s in range(0, n, block):
        m = min(block, n - s)
        idx = rng.integers(0, data.size, size=(m, data.size))
        out[s : s + m] = np.$STAT(data[idx], axis=1)
    return out


def _aigc_bootstrap_ci(data, n_resamples, level, seed):
    """Percentile bootstrap interval; the resamples are split over four tasks per core."""
    data = np.asarray(data, dtype=float).ravel()
    n_tasks = max(1, min(4 * cpu_count(), n_resamples // 100))
    sizes = [n_resamples // n_tasks + (k < n_resamples % n_tasks) for k in range(n_tasks)]
    seeds = np.random.SeedSequence(seed).spawn(n_tasks)  # independent streams per task
    stats = np.concatenate($PARALLEL(
        delayed(_aigc_resample_stats)(data, m, s) for m, s in zip(sizes, seeds)
    ))
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(stats, [alpha, 1.0 - alpha])
    return float(low), float(high)


result = _aigc_bootstrap_ci($DATA, n_resamples=$N, level=$LEVEL, seed=$SEED)
'''


def _extract(ctx: Context) -> Params:
    words = intended_words(ctx, _ARRAY_WORDS, _STOP)
    name = pick_name(ctx, is_numeric_1d, words, "numeric array", "数值数组")
    if name is None:
        name = ctx.prev("data")
    if name is None:
        raise NeedMore(
            "say which of your arrays to use, e.g. 'bootstrap a 95% CI for the mean "
            "of samples' (samples must be a 1-D numeric array or list)",
            "请说明用哪个数组，例如“对samples的均值做95%的bootstrap置信区间”",
        )
    level = None
    m = ctx.tsearch(r"#(\d+)#\s*(?:%|percent|per cent)")
    if m:
        level = ctx.num(m.group(1)) / 100
    elif m := ctx.tsearch(
        r"(?:level|confidence|置信水平|置信度|置信)\s*(?:of|=|:|为|是)?\s*"
        r"#(\d+)#"
    ):
        value = ctx.num(m.group(1))
        level = value / 100 if value > 1 else value
    if level is None:
        level = ctx.prev("level", 0.95)
        if ctx.previous is None:
            ctx.note("95% level", "置信水平95%")
    if not 0 < level < 1:
        raise NeedMore(
            f"a confidence level of {level} is not between 0 and 1", f"置信水平{level}不在0和1之间"
        )
    n = ctx.number_near(
        r"resamples?|bootstrap samples|replicates|replications|iterations|"
        r"times|draws|rounds|次重抽样|次重采样|次抽样|次|重抽样|重采样|抽样"
    )
    if n is None or n < 2:
        n = ctx.prev("n", 10_000)
        if ctx.previous is None:
            ctx.note("10000 resamples", "重抽样10000次")
    stat = next((s for s, pattern in _STATS.items() if ctx.has(pattern)), None)
    if stat is None:
        stat = ctx.prev("stat", "mean")
        if ctx.previous is None:
            ctx.note("interval for the mean", "针对均值")
    seed = ctx.number_near(r"seed|种子", before=False)
    ctx.note("percentile method", "百分位法")
    return {
        "data": name,
        "level": float(level),
        "n": int(n),
        "stat": stat,
        "seed": int(seed) if seed is not None else ctx.prev("seed", 0),
    }


def _code(params: Params) -> str:
    return render(
        _CODE,
        DATA=params["data"],
        N=literal(params["n"]),
        LEVEL=literal(params["level"]),
        SEED=str(params["seed"]),
        STAT=params["stat"],
    )


_STAT_ZH = {"mean": "均值", "median": "中位数", "std": "标准差"}
_STAT_EN = {"mean": "mean", "median": "median", "std": "standard deviation"}


def _summary(params: Params, lang: str) -> str:
    level = f"{params['level']:.0%}" if params["level"] * 100 % 1 == 0 else f"{params['level']:%}"
    return text(
        lang,
        f"Bootstrap a {level} confidence interval for the "
        f"{_STAT_EN[params['stat']]} of {params['data']} ({params['n']} resamples)",
        f"对{params['data']}的{_STAT_ZH[params['stat']]}做{level}的bootstrap置信区间"
        f"（重抽样{params['n']}次）",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    low, high = value
    level = f"{params['level']:.0%}"
    return text(
        lang,
        f"The {level} bootstrap confidence interval for the "
        f"{_STAT_EN[params['stat']]} of {params['data']} is ({low:.4g}, "
        f"{high:.4g}), from {params['n']} resamples.",
        f"{params['data']}的{_STAT_ZH[params['stat']]}的{level} bootstrap置信区间为"
        f"({low:.4g}, {high:.4g})（重抽样{params['n']}次）。",
    )


def _demo_namespace() -> dict[str, Any]:
    import numpy as np

    return {"samples": np.random.default_rng(0).normal(10.0, 2.0, size=500)}


RECIPES = [
    Recipe(
        id="stats.bootstrap_ci",
        anchors=r"bootstrap|resampl|confidence|\bci\b|置信|自助|重抽样|重采样",
        examples_en=(
            "bootstrap a 95% confidence interval for the mean of samples",
            "95% CI of the mean of data by bootstrap with 10000 resamples",
            "give me a bootstrap confidence interval for the median of x",
            "compute a 99% bootstrap CI for heights",
            "bootstrap the mean of measurements, 5000 resamples, 90% level",
            "resample data to get a confidence interval of its mean",
        ),
        examples_zh=(
            "用bootstrap计算samples均值的95%置信区间",
            "对data的均值做自助法置信区间，重抽样10000次",
            "求x中位数的bootstrap置信区间",
            "heights的99%置信区间（bootstrap）",
            "对measurements重抽样5000次，给出均值的90%置信区间",
            "用自助法估计data平均值的置信区间",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="bootstrap a 95% confidence interval for the mean of samples",
        demo_namespace=_demo_namespace,
    )
]
