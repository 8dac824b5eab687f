"""Named probability distributions in prose: which one, its parameters and the sample count.

One table (:data:`DISTRIBUTIONS`) serves the histogram and the sample-moment recipes: the
words that name a distribution in English and Chinese, its parameters with the words that
introduce each (``rate 2``, ``均值为3``), the NumPy draw, and the exact mean and variance.
:func:`read_samples` reads all of it from the prose and claims the numbers it used, so a
recipe can refuse a prose whose other numbers it cannot place. A parameter is taken only
when a number follows its word ("with mean 3"); "the mean of 10000 samples" names the
statistic, and the 10000 is the sample count.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ._base import FLAGS, Context, NeedMore, Params

__all__ = [
    "DISTRIBUTIONS",
    "MAX_SAMPLES",
    "SAMPLE_WORDS_EN",
    "SAMPLE_WORDS_ZH",
    "Distribution",
    "Parameter",
    "describe",
    "draw_call",
    "exact_moments",
    "read_samples",
]

MAX_SAMPLES = 10**9


@dataclass(frozen=True)
class Parameter:
    """One parameter of a distribution, the words that introduce it and its default."""

    name: str
    words: str
    default: float | None
    positive: bool = False


@dataclass(frozen=True)
class Distribution:
    """A distribution the recipes can sample.

    Attributes
    ----------
    key : str
        ``"normal"``, ``"uniform"``, ``"exponential"`` or ``"poisson"``.
    pattern : str
        The words that name it in the prose.
    draw : str
        The NumPy ``Generator`` call for ``size`` draws, with ``{parameter}`` placeholders.
    mean, variance : callable
        The exact moments from the parameters.
    """

    key: str
    pattern: str
    name_en: str
    name_zh: str
    parameters: tuple[Parameter, ...]
    draw: str
    mean: Callable[[Params], float]
    variance: Callable[[Params], float]
    discrete: bool = False
    standard: str = field(default="")


_MEAN = r"mean|mu|μ|expectation|expected value|均值|期望|平均值"
_STD = r"standard deviation|std|sd|sigma|σ|标准差"
DISTRIBUTIONS = (
    Distribution(
        "normal",
        r"normal|gaussian|bell|正态|高斯",
        "normal",
        "正态",
        (Parameter("loc", _MEAN, 0.0), Parameter("scale", _STD, 1.0, positive=True)),
        "rng.normal({loc}, {scale}, size)",
        lambda p: float(p["loc"]),
        lambda p: float(p["scale"]) ** 2,
        standard=r"standard normal|standard gaussian|标准正态|标准高斯",
    ),
    Distribution(
        "uniform",
        r"uniform|均匀",
        "uniform",
        "均匀",
        (
            Parameter("low", r"low|lower|min|下限|下界", 0.0),
            Parameter("high", r"high|upper|max|上限|上界", 1.0),
        ),
        "rng.uniform({low}, {high}, size)",
        lambda p: (float(p["low"]) + float(p["high"])) / 2,
        lambda p: (float(p["high"]) - float(p["low"])) ** 2 / 12,
    ),
    Distribution(
        "exponential",
        r"exponential|指数分布|指数随机|指数样本|(?<![兰德化值])指数(?=的|里|中|上)",
        "exponential",
        "指数",
        (
            Parameter("rate", r"rate|lambda|λ|速率|率参数", None, positive=True),
            Parameter("scale", r"scale|" + _MEAN + r"|尺度", None, positive=True),
        ),
        "rng.exponential({scale}, size)",
        lambda p: float(p["scale"]),
        lambda p: float(p["scale"]) ** 2,
    ),
    Distribution(
        "binomial",
        r"binomial(?!\s+coefficient)|二项分布|二项(?!式)",
        "binomial",
        "二项",
        (
            Parameter("trials", r"n|trials|number of trials|试验次数", None, positive=True),
            Parameter("p", r"p|success probability|probability|成功概率|概率", None, positive=True),
        ),
        "rng.binomial({trials}, {p}, size)",
        lambda p: float(p["trials"]) * float(p["p"]),
        lambda p: float(p["trials"]) * float(p["p"]) * (1 - float(p["p"])),
        discrete=True,
    ),
    Distribution(
        "poisson",
        r"poisson|泊松",
        "Poisson",
        "泊松",
        (Parameter("lam", r"lambda|λ|rate|" + _MEAN + r"|参数", None, positive=True),),
        "rng.poisson({lam}, size)",
        lambda p: float(p["lam"]),
        lambda p: float(p["lam"]),
        discrete=True,
    ),
)

#: Words for "samples" (the count is the number right before them, a few words apart).
SAMPLE_WORDS_EN = (
    r"samples?|draws?|random numbers|random values|random variates|variates|observations|"
    r"numbers|values|points|data points"
)
SAMPLE_WORDS_ZH = r"样本量|样本|随机数|数据点|数据|观测值|个数|点|数"
_BETWEEN = (
    r"(?:uniform|均匀分布|均匀)\s*[\[(]\s*#(\d+)#\s*,\s*#(\d+)#\s*[\])]|"
    r"(?:between|from|on|in|over)\s*\[?\s*#(\d+)#\s*(?:and|to|,)\s*#(\d+)#\s*\]?|"
    r"(?:在|从|介于)?\s*#(\d+)#\s*(?:到|至|和|与|~)\s*#(\d+)#\s*(?:之间|区间)?"
)


#: "random numbers" with no distribution named: uniform, as NumPy's ``Generator.random``.
_PLAIN_RANDOM = r"random (?:numbers|values|reals|floats)|随机数|随机小数"


def _claim(ctx: Context, m: re.Match[str], claimed: set[int]) -> list[int]:
    ids = [int(g) for g in m.groups() if g is not None]
    claimed.update(ids)
    return ids


def _count(ctx: Context, claimed: set[int], dist: Distribution) -> int:
    size = r"sample size|size" if dist.key == "binomial" else r"sample size|size|n"  # B(n, p)
    patterns = (
        rf"#(\d+)#\s*(?:[a-z\-]+(?:\s*\(\s*#\d+#\s*(?:,\s*#\d+#\s*)?\))?\s+){{0,4}}?"
        rf"(?:{SAMPLE_WORDS_EN})\b",  # "10000 uniform(0,1) numbers"
        rf"#(\d+)#\s*个[^，,。；;]{{0,16}}?(?:{SAMPLE_WORDS_ZH})",
        rf"(?<![a-z])(?:{size})\s*(?:=|:|of|is)?\s*#(\d+)#|"
        r"样本量\s*(?:为|是|=)?\s*#(\d+)#",
        # "抽样 10 万次", "sample it 1e5 times": the draws counted as repetitions
        r"(?:抽样|采样|取样|抽取|抽|sampled?|draw|drawn)\s*(?:了|it|them)?\s*#(\d+)#\s*(?:次|times)",
    )
    for pattern in patterns:
        m = ctx.tsearch(pattern)
        if m is not None:
            (k,) = _claim(ctx, m, claimed)
            value = ctx.num(k)
            if not isinstance(value, int) or not 1 <= value <= MAX_SAMPLES:
                raise NeedMore(
                    f"the number of samples must be a whole number from 1 to {MAX_SAMPLES:.0e}",
                    f"样本数必须是1到{MAX_SAMPLES:.0e}之间的整数",
                )
            return value
    raise NeedMore(
        "say how many samples, e.g. '10000 normal samples'",
        "请说明样本数，例如“10000个正态分布的样本”",
    )


def _parameter(ctx: Context, words: str, claimed: set[int]) -> tuple[float, re.Match[str]] | None:
    pattern = (
        rf"(?<![a-z])(?:{words})(?![a-z])\s*(?:parameter\s*)?"
        r"(?:=|:|of|is|equal to|为|是|取|等于)?\s*#(\d+)#"
        r"(?!\s*(?:(?!and\b|then\b)[a-z\-]+\s+){0,4}?"
        r"(?:samples?|draws?|numbers|values|points)\b)"
    )
    for m in re.finditer(pattern, ctx.template, FLAGS):
        k = int(m.group(1))
        if k not in claimed:
            claimed.add(k)
            return float(ctx.num(k)), m
    return None


def read_samples(ctx: Context) -> tuple[Distribution, Params, set[int], list[str]]:
    """The distribution the prose names, its parameters and the sample count ``n``.

    Returns
    -------
    (distribution, params, claimed, spans)
        ``params`` holds ``n`` and every parameter of the distribution; ``claimed`` the
        indices of the numbers used; ``spans`` the phrases that set a parameter (so a
        recipe does not read "mean 3" as the statistic asked for).

    Raises
    ------
    NeedMore
        When no single distribution is named, a parameter is missing or out of range, or
        the sample count is not given.
    """
    named = [d for d in DISTRIBUTIONS if ctx.has(d.pattern)]
    if not named and ctx.has(_PLAIN_RANDOM):  # "1000 random numbers": NumPy's rng.random()
        named = [d for d in DISTRIBUTIONS if d.key == "uniform"]
        ctx.note(
            "random numbers uniform on [0, 1) unless bounds are given",
            "随机数默认服从[0, 1)上的均匀分布",
        )
    if len(named) != 1:
        raise NeedMore(
            "name one distribution: normal, uniform, exponential or Poisson",
            "请说明一种分布：正态、均匀、指数或泊松",
        )
    dist = named[0]
    claimed: set[int] = set()
    n = _count(ctx, claimed, dist)
    params: Params = {"n": n}
    spans: list[str] = []
    if dist.key == "uniform" and (m := ctx.tsearch(_BETWEEN)) is not None:
        ids = [int(g) for g in m.groups() if g is not None]
        if not claimed & set(ids):
            claimed.update(ids)
            params["low"], params["high"] = float(ctx.num(ids[0])), float(ctx.num(ids[1]))
            spans.append(m.group(0))
    for parameter in dist.parameters:
        if parameter.name in params:
            continue
        found = _parameter(ctx, parameter.words, claimed)
        if found is not None:
            params[parameter.name] = found[0]
            spans.append(found[1].group(0))
            if parameter.positive and found[0] <= 0:
                raise NeedMore(
                    f"the {parameter.name} of a {dist.name_en} distribution must be positive",
                    f"{dist.name_zh}分布的{parameter.name}必须为正数",
                )
    if dist.standard and ctx.has(dist.standard) and len(params) > 1:
        raise NeedMore(
            "a standard normal distribution has mean 0 and standard deviation 1; "
            "drop 'standard' to give other parameters",
            "标准正态分布的均值为0、标准差为1；要用别的参数请去掉“标准”",
        )
    if dist.key == "exponential":
        if "rate" in params and "scale" in params:
            raise NeedMore(
                "give the rate or the scale of the exponential distribution, not both",
                "指数分布请只给出速率或尺度之一",
            )
        if "rate" in params:
            params["scale"] = 1.0 / params.pop("rate")
        if "scale" not in params:
            params["scale"] = 1.0
            ctx.note("rate 1 (scale 1), NumPy's default", "速率为1（尺度为1），NumPy的默认值")
    defaults = [p for p in dist.parameters if p.name not in params and p.default is not None]
    for parameter in defaults if dist.key != "exponential" else ():
        params[parameter.name] = parameter.default
        ctx.note(
            f"{parameter.name} = {_g(parameter.default)} (not given)",
            f"{parameter.name} = {_g(parameter.default)}（未给出，取默认值）",
        )
    needed = [p.name for p in dist.parameters if p.name not in params]
    if dist.key == "exponential":
        needed = []
    if needed:
        raise NeedMore(
            f"give the {' or '.join(needed)} of the {dist.name_en} distribution, "
            f"e.g. '{dist.name_en} samples with rate 2'",
            f"请给出{dist.name_zh}分布的参数（{'或'.join(needed)}），例如“速率为2”",
        )
    if dist.key == "binomial" and (
        params["trials"] != int(params["trials"]) or not 0 <= params["p"] <= 1
    ):
        raise NeedMore(
            "a binomial distribution needs a whole number of trials n and 0 <= p <= 1",
            "二项分布需要整数试验次数n和0到1之间的概率p",
        )
    if dist.key == "uniform" and not params["low"] < params["high"]:
        raise NeedMore(
            "the lower end of a uniform distribution must be below the upper end",
            "均匀分布的下限必须小于上限",
        )
    params["dist"] = dist.key
    return dist, params, claimed, spans


def draw_call(params: Params) -> str:
    """The NumPy draw of ``size`` values for ``params`` (``rng`` is a ``Generator``)."""
    dist = next(d for d in DISTRIBUTIONS if d.key == params["dist"])
    values = {p.name: repr(float(params[p.name])) for p in dist.parameters if p.name in params}
    if dist.key == "binomial":
        values["trials"] = str(int(params["trials"]))
    if dist.key == "exponential":
        values = {"scale": repr(float(params["scale"]))}
    return dist.draw.format(**values)


def describe(params: Params, lang: str) -> str:
    """The distribution with its parameters, for summaries and answers."""
    dist = next(d for d in DISTRIBUTIONS if d.key == params["dist"])
    key = dist.key
    if key == "normal":
        loc, scale = _g(params["loc"]), _g(params["scale"])
        en, zh = f"mean {loc}, sd {scale}", f"均值{loc}、标准差{scale}"
    elif key == "uniform":
        en = zh = f"[{_g(params['low'])}, {_g(params['high'])}]"
    elif key == "exponential":
        en, zh = f"scale {_g(params['scale'])}", f"尺度{_g(params['scale'])}"
    elif key == "binomial":
        en = zh = f"n = {int(params['trials'])}, p = {_g(params['p'])}"
    else:
        en = zh = f"lambda = {_g(params['lam'])}"
    if lang == "zh":
        return f"{dist.name_zh}分布（{zh}）"
    return f"the {dist.name_en} distribution ({en})"


def exact_moments(params: Params) -> dict[str, float]:
    """The exact mean, variance and standard deviation of the distribution."""
    dist = next(d for d in DISTRIBUTIONS if d.key == params["dist"])
    variance = dist.variance(params)
    return {"mean": dist.mean(params), "variance": variance, "std": math.sqrt(variance)}


def _g(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
