"""Simulations and iterations: Monte Carlo π, the longest Collatz chain, the Mandelbrot set."""

from __future__ import annotations

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
from ._codegen import literal, render

__all__ = ["RECIPES"]

_PI_CODE = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_hits(n, seed):
    """How many of n uniform points in the unit square fall inside the quarter circle."""
    rng = np.random.default_rng(seed)
    hits = 0
    for done in range(0, n, 1_000_000):  # a million points at a time bounds the memory
        m = min(1_000_000, n - done)
        x, y = rng.random(m), rng.random(m)
        hits += int(np.count_nonzero(x * x + y * y <= 1.0))
    return hits


def _aigc_estimate_pi(n_samples, seed):
    """4 * (fraction of hits), with the samples split evenly over four tasks per core."""
    n_tasks = max(1, min(4 * cpu_count(), n_samples // 10_000))
    sizes = [n_samples // n_tasks + (k < n_samples % n_tasks) for k in range(n_tasks)]
    seeds = np.random.SeedSequence(seed).spawn(n_tasks)  # independent streams per task
    hits = $PARALLEL(delayed(_aigc_hits)(m, s) for m, s in zip(sizes, seeds))
    return 4.0 * sum(hits) / n_samples


result = _aigc_estimate_pi($N, seed=$SEED)
'''

_COLLATZ_CODE = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_longest_chain(lo, hi):
    """(start, length) of the longest Collatz chain for starts in [lo, hi), vectorised.

    The length counts every term, the start and the final 1 included (13 -> ... -> 1 is 10).
    """
    starts = np.arange(lo, hi, dtype=np.int64)
    values = starts.copy()
    lengths = np.ones(starts.size, dtype=np.int64)
    active = np.flatnonzero(values > 1)
    while active.size:
        v = values[active]
        v = np.where(v % 2 == 0, v // 2, 3 * v + 1)
        values[active] = v
        lengths[active] += 1
        active = active[v > 1]
    best = int(np.argmax(lengths))  # the first maximum: the smallest start wins ties
    return int(starts[best]), int(lengths[best])


def _aigc_longest_collatz(lo, hi):
    n_tasks = max(1, min(4 * cpu_count(), (hi - lo) // 1_000))
    edges = np.linspace(lo, hi, n_tasks + 1).astype(np.int64)
    best = $PARALLEL(
        delayed(_aigc_longest_chain)(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])
        if b > a
    )
    return max(best, key=lambda sl: (sl[1], -sl[0]))


result = _aigc_longest_collatz($LO, $HI)
'''

_MANDEL_CODE = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_escape_counts(rows, xs, ys, max_iter):
    """Escape iteration of every point in rows [r0, r1) of the grid (max_iter: never escaped)."""
    c = xs[None, :] + 1j * ys[rows[0]:rows[1], None]
    z = np.zeros_like(c)
    counts = np.full(c.shape, max_iter, dtype=np.int32)
    alive = np.ones(c.shape, dtype=bool)
    for k in range(max_iter):
        z[alive] = z[alive] * z[alive] + c[alive]
        escaped = alive & (z.real * z.real + z.imag * z.imag > 4.0)
        counts[escaped] = k
        alive &= ~escaped
        if not alive.any():
            break
    return counts


def _aigc_mandelbrot(width, height, max_iter, x_range, y_range):
    """Escape counts on a height x width grid, computed in row bands, four per core."""
    xs = np.linspace(*x_range, width)
    ys = np.linspace(*y_range, height)
    n_bands = max(1, min(4 * cpu_count(), height))
    edges = np.linspace(0, height, n_bands + 1).astype(int)
    bands = $PARALLEL(
        delayed(_aigc_escape_counts)((a, b), xs, ys, max_iter)
        for a, b in zip(edges[:-1], edges[1:]) if b > a
    )
    return np.vstack(bands)


result = _aigc_mandelbrot($WIDTH, $HEIGHT, max_iter=$MAX_ITER, x_range=($X0, $X1),
                          y_range=($Y0, $Y1))
'''


# --------------------------------------------------------------------------- π


#: What an estimate of pi does not report: refused rather than answered with pi alone.
_PI_EXTRA = (
    r"\berror\b|standard error|\bconfidence\b|\binterval\b|\bvariance\b|\bstd\b|"
    r"standard deviation|converge|convergence|\bplot|误差|标准误|置信|方差|标准差|收敛|画"
)


def _pi_extract(ctx: Context) -> Params:
    if ctx.has(_PI_EXTRA):
        raise NeedMore(
            "the Monte Carlo recipe answers with the estimate of pi alone",
            "蒙特卡洛配方只给出圆周率的估计值",
            with_help=True,
        )
    n = ctx.number_near(
        r"samples?|points?|darts?|draws?|throws?|trials?|iterations?|"
        r"random numbers?|simulations?|样本|个点|个随机点|次|个样本|点|投点|抽样"
    )
    if n is None:
        ints = [x.value for x in ctx.numbers if isinstance(x.value, int) and x.value >= 100]
        n = ints[-1] if ints else None
    seed = ctx.number_near(r"seed|种子", before=False)
    if n is None:
        n = ctx.prev("n", 1_000_000)
        if ctx.previous is None:
            ctx.note(
                "used 1,000,000 samples (say how many to change it)",
                "默认使用1000000个样本（可指定样本数）",
            )
    if seed is None:
        seed = ctx.prev("seed", 0)
    return {"n": int(n), "seed": int(seed)}


def _pi_code(params: Params) -> str:
    return render(_PI_CODE, N=literal(params["n"]), SEED=str(params["seed"]))


def _pi_summary(params: Params, lang: str) -> str:
    return text(
        lang,
        f"Estimate π by Monte Carlo with {params['n']} samples",
        f"用{params['n']}个随机样本以蒙特卡洛法估计π",
    )


def _pi_answer(params: Params, value: Any, lang: str) -> str:
    import math

    err = abs(float(value) - math.pi)
    return text(
        lang,
        f"With {params['n']} random samples, π ≈ {float(value):.6f} (off by {err:.2g}).",
        f"用{params['n']}个随机样本估计得π≈{float(value):.6f}（误差{err:.2g}）。",
    )


# --------------------------------------------------------------------------- Collatz


def _collatz_extract(ctx: Context) -> Params:
    if not ctx.has(r"longest|most steps|maximum|\bmax\b|biggest|largest|最长|最多|最大"):
        raise NeedMore(  # "the collatz sequence of 27" is not the longest chain below 27
            "the Collatz recipe finds the longest chain below a bound, e.g. 'longest Collatz "
            "chain below 1e6'",
            "考拉兹配方求某个上界以内最长的序列，例如“100万以内最长的考拉兹链”",
            with_help=True,
        )
    params = limits(ctx, default_start=1, what_en="try starting values", what_zh="尝试起始值")
    params["start"] = max(1, params["start"])
    note_bound(ctx, params)
    ctx.note(
        "chain length counts every term, the start and the final 1 included",
        "序列长度计入所有项（含起点和最后的1）",
    )
    return params


def _collatz_code(params: Params) -> str:
    return render(_COLLATZ_CODE, LO=literal(params["start"]), HI=literal(stop_exclusive(params)))


def _collatz_summary(params: Params, lang: str) -> str:
    return text(
        lang,
        f"Find the longest Collatz chain for starts {span_en(params)}",
        f"求{span_zh(params)}起点中最长的考拉兹（3n+1）序列",
    )


def _collatz_answer(params: Params, value: Any, lang: str) -> str:
    start, length = value
    return text(
        lang,
        f"For starts {span_en(params)}, the longest Collatz chain starts at "
        f"{start} and has {length} terms.",
        f"{span_zh(params)}的起点中，从{start}出发的考拉兹序列最长，共{length}项。",
    )


# --------------------------------------------------------------------------- Mandelbrot


def _mandel_extract(ctx: Context) -> Params:
    params: Params = {}
    size = ctx.tsearch(r"#(\d+)#\s*(?:x|×|\*|by|乘)\s*#(\d+)#")
    if size:
        params["width"], params["height"] = int(ctx.num(size.group(1))), int(ctx.num(size.group(2)))
    width = ctx.number_near(r"width|wide|宽度?|列", before=False) or ctx.number_near(
        r"(?:pixels?|px)\s+wide", after=False
    )
    height = ctx.number_near(r"height|high|tall|高度?|行", before=False) or ctx.number_near(
        r"(?:pixels?|px)\s+(?:high|tall)", after=False
    )
    if width:
        params["width"] = int(width)
    if height:
        params["height"] = int(height)
    iters = ctx.number_near(
        r"max_iter|max iter\w*|maximum iterations?|iterations?|iters?|"
        r"迭代次数|最大迭代|迭代|次迭代",
        before=True,
    )
    if iters:
        params["max_iter"] = int(iters)
    for key, default in (("width", 800), ("height", 600), ("max_iter", 100)):
        if key not in params:
            params[key] = ctx.prev(key, default)
            if ctx.previous is None:
                ctx.note(f"{key} = {default} by default", f"默认{key}={default}")
    for key in ("width", "height", "max_iter"):
        if not 1 <= params[key] <= 20_000:
            raise NeedMore(
                f"{key} = {params[key]} is out of range (1 to 20000)",
                f"{key}={params[key]}超出范围（1到20000）",
            )
    params.update(x0=-2.0, x1=1.0, y0=-1.5, y1=1.5)
    ctx.note("region [-2, 1] x [-1.5, 1.5]", "区域为[-2, 1] x [-1.5, 1.5]")
    return params


def _mandel_code(params: Params) -> str:
    return render(
        _MANDEL_CODE,
        WIDTH=str(params["width"]),
        HEIGHT=str(params["height"]),
        MAX_ITER=str(params["max_iter"]),
        X0=literal(params["x0"]),
        X1=literal(params["x1"]),
        Y0=literal(params["y0"]),
        Y1=literal(params["y1"]),
    )


def _mandel_summary(params: Params, lang: str) -> str:
    w, h, m = params["width"], params["height"], params["max_iter"]
    return text(
        lang,
        f"Compute a {w}x{h} Mandelbrot escape-count grid, max_iter={m}",
        f"计算{w}x{h}的曼德博集合逃逸次数网格，最大迭代{m}次",
    )


def _mandel_answer(params: Params, value: Any, lang: str) -> str:
    w, h, m = params["width"], params["height"], params["max_iter"]
    inside = ""
    try:
        frac = float((value >= m).mean())
        inside = text(
            lang, f"; {frac:.1%} of the points never escaped", f"，其中{frac:.1%}的点未逃逸"
        )
    except (AttributeError, TypeError, ValueError):
        pass
    return text(
        lang,
        f"Computed the Mandelbrot set on a {w}x{h} grid with max_iter={m}{inside}.",
        f"已在{w}x{h}的网格上计算曼德博集合（最大迭代{m}次）{inside}。",
    )


_MANDEL = r"mandelbrot|曼德[博布勃]|芒德[博布勃]"

RECIPES = [
    Recipe(
        id="montecarlo.pi",
        anchors=r"(?=.*(?:\bpi\b|π|圆周率))(?=.*(?:monte|carlo|random|simulat|estimat|"
        r"approximat|sampl|dart|蒙特|蒙地|随机|模拟|估计|估算|近似|投点|撒点|采样|抽样))",
        examples_en=(
            "estimate pi with monte carlo using 1e6 samples",
            "monte carlo estimate of pi with 10 million points",
            "approximate pi by throwing 1000000 random darts",
            "use random sampling to estimate pi, 5M samples",
            "simulate 10^8 random points to approximate π",
            "estimate the value of pi by monte carlo",
        ),
        examples_zh=(
            "用蒙特卡洛方法估计圆周率，100万个样本",
            "蒙特卡罗模拟估算π，样本数1000万",
            "随机撒点1亿次估计pi",
            "用随机模拟近似计算圆周率",
            "用10^7个随机点估计π的值",
            "蒙特卡洛法求圆周率的近似值",
        ),
        extract=_pi_extract,
        code=_pi_code,
        summary=_pi_summary,
        answer=_pi_answer,
        demo="estimate pi by monte carlo with 1000000 samples",
    ),
    Recipe(
        id="collatz.longest",
        anchors=r"collatz|3n\s*\+\s*1|3x\s*\+\s*1|hailstone|考拉兹|科拉茨|角谷|冰雹",
        examples_en=(
            "longest collatz chain below 1e6",
            "which starting number under one million gives the longest collatz sequence",
            "find the longest 3n+1 sequence for starts up to 100000",
            "longest hailstone sequence with a start below 10^7",
            "collatz: the start below 1000000 with the most steps",
            "which number below 10k has the longest collatz chain",
        ),
        examples_zh=(
            "100万以内最长的考拉兹序列",
            "找出一百万以下考拉兹链最长的起始数",
            "求10万以内3n+1序列最长的数",
            "1000万以内哪个数的冰雹序列最长",
            "计算小于10^6的数中Collatz序列最长的起点",
            "角谷猜想：1万以内步数最多的数",
        ),
        extract=_collatz_extract,
        code=_collatz_code,
        summary=_collatz_summary,
        answer=_collatz_answer,
        demo="longest collatz chain below 1000000",
    ),
    Recipe(
        id="mandelbrot.grid",
        anchors=_MANDEL,
        examples_en=(
            "compute the mandelbrot set at 800x600 with max_iter 200",
            "mandelbrot escape counts on a 1920x1080 grid, 500 iterations",
            "render the mandelbrot set, width 1000 height 1000",
            "calculate a mandelbrot image 400 by 300 with 100 max iterations",
            "mandelbrot fractal 2000x2000",
            "generate the mandelbrot set escape iteration array",
        ),
        examples_zh=(
            "计算800x600的曼德博集合，最大迭代200次",
            "生成1920x1080的曼德博集合逃逸次数",
            "画曼德博集合，宽1000高1000",
            "计算曼德勃罗集，分辨率400x300，迭代100次",
            "曼德博分形 2000x2000",
            "求曼德博集合的逃逸迭代次数数组",
        ),
        extract=_mandel_extract,
        code=_mandel_code,
        summary=_mandel_summary,
        answer=_mandel_answer,
        demo="compute the mandelbrot set at 800x600 with max_iter 200",
    ),
]
