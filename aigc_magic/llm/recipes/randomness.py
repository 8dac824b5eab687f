"""Random simulations and linear algebra with NumPy: coin flips, dice, random matrices (one, or
the product of two) with their trace, determinant or eigenvalues. Matrices written out or
from the notebook are :mod:`.matrices`'s; statistics of random numbers (a median after
sorting, a quantile) are :mod:`.sampling`'s.

Flips and rolls are drawn in chunks on the grid (one task per chunk, each with its own
``SeedSequence`` child, so the answer does not depend on how the work was split). Every
recipe is decisive and strict: it uses every number and word of the prose or refuses.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import Context, NeedMore, Params, Recipe, text
from ._codegen import fmt, literal, render
from ._guard import NotMine, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

_MAX_DRAWS = 10**10

_CHUNKED = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_draw(n, seed):
    """$WHAT for n draws from one child seed."""
    rng = np.random.default_rng(seed)
    total = 0
    for start in range(0, n, 10_000_000):  # ten million draws at a time bound the memory
        size = min(10_000_000, n - start)
        $DRAW
    return total


def _aigc_simulate(n, seed=0):
    """Split n draws into about four chunks per core, one task each."""
    n_chunks = max(1, min(4 * cpu_count(), n // 100_000))
    sizes = [n // n_chunks + (k < n % n_chunks) for k in range(n_chunks)]
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    return sum($PARALLEL(delayed(_aigc_draw)(m, s) for m, s in zip(sizes, seeds)))


result = _aigc_simulate($N)$TAIL
'''


def _said_two(ctx: Context) -> int:
    """1 when "two" ("two dice", "两个骰子") is one of the numbers found in the prose."""
    return int(any(n.text.lower() in ("two", "两", "二") for n in ctx.numbers))


def _count(ctx: Context, words: str) -> int:
    value = ctx.number_near(words)
    if not isinstance(value, int) or not 1 <= value <= _MAX_DRAWS:
        raise NeedMore(
            f"say how many, at most {_MAX_DRAWS:.0e}", f"请说明次数（最多{_MAX_DRAWS:.0e}）"
        )
    return value


_ZH_DIGITS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_FACE_WORDS = {"ones": 1, "twos": 2, "threes": 3, "fours": 4, "fives": 5, "sixes": 6}
_FRACTION = (
    r"fraction|proportion|probability|chance|percentage|percent|share|likelihood|"
    r"概率|比例|频率|占比|几率|可能性"
)
_HOW_MANY = r"how many|count|number of|tally|次数|几次|多少次|统计|数一数|数一下|数数"


def _objects(ctx: Context, words_en: str, words_zh: str) -> tuple[int, int]:
    """How many dice or coins are thrown at once, and how many numbers of the prose said so."""
    m = ctx.tsearch(rf"#(\d+)#\s*(?:fair\s+|six-sided\s+|identical\s+)?(?:{words_en})\b")
    if m is None:
        m = ctx.tsearch(rf"#(\d+)#\s*(?:个|颗|枚|只)\s*(?:{words_zh})")
    if m is not None:
        return int(ctx.num(m.group(1))), 1
    if ctx.has(rf"\bpair of (?:{words_en})|一对(?:{words_zh})"):
        return 2, 0
    z = ctx.search(rf"([一两二三四五六七八九十])\s*(?:个|颗|枚|只)\s*(?:{words_zh})")
    if z is not None:
        return _ZH_DIGITS[z.group(1)], 0
    return 1, 0


def _measure(ctx: Context) -> str:
    """Whether a count of the event or its fraction of the trials is asked for."""
    if ctx.has(_FRACTION) or ctx.has(r"\bestimate\b|估计|估算"):
        if ctx.has(r"how many|number of|次数|几次|多少次"):
            raise NotMine("ask for a count or a fraction, not both", "请只问次数或比例之一")
        return "fraction"
    return "count"


def _coin_extract(ctx: Context) -> Params:
    coins, said = _objects(ctx, r"coins?", r"硬币")
    words = r"coin flips?|flips?|tosses|throws|trials|times|rounds|次|repeat(?:ed)?|重复"
    # "3 coins, 1000 times": the 3 is no count of throws, unless nothing else is
    n = _count(ctx, words if said and ctx.number_near(words) else words + "|coins?")
    if n == coins and said and len(ctx.numbers) == 1:
        coins, said = 1, 0  # "toss 500 coins": 500 flips of one coin
    tails = ctx.has(r"\btails?\b|反面")
    if tails and ctx.has(r"\bheads?\b|正面"):  # both asked: one count would drop the other
        raise NotMine("count the heads or the tails, one at a time", "请分别统计正面或反面")
    every = ctx.has(r"\ball\s+(?:\w+\s+)?(?:heads?|tails?)|全是|全部是|都是|全为|都为|全部")
    if coins > 1 and not every:
        raise NotMine(
            "with several coins at once, ask how often all of them show heads",
            "同时抛几枚硬币时，请问全是正面的次数或概率",
        )
    if not 1 <= coins <= 20:
        raise NeedMore("throw 1 to 20 coins at once", "一次最多抛20枚硬币")
    nothing_left(
        ctx,
        r"simulate|simulation|simulating|flip|flips|flipping|flipped|toss|tosses|tossing|"
        r"tossed|throw|throws|coin|coins|count|heads?|tails?|times|fair|come up|came up|"
        r"comes up|up|came|come|land|landed|lands|on|all|of|them|at once|once|same time|"
        r"together|trials?|rounds?|estimate|how|many|got|get|showing|show|shows|fraction|"
        r"proportion|probability|chance|percentage|were|are|there|each|time|the|repeat|"
        r"repeated|repeating|do|this|it|experiment",
        r"重复|实验|试验|每次|同时|次数|模拟|抛硬币|掷硬币|硬币|抛|掷|次|统计|正面朝上|正面|反面朝上|反面|朝上|出现|"
        r"全部是|全是|都是|全为|都为|全部|估计|概率|比例|频率|枚|的|数一数|数一下|会有|会是|有多少|多少|几|"
        r"[一两二三四五六七八九十]\s*(?:枚|个|只)",
    )
    all_numbers_used(ctx, 1 + said)
    face = "tails" if tails else "heads"
    if coins > 1:
        return {"n": n, "face": face, "coins": coins, "measure": _measure(ctx)}
    return {"n": n, "face": face, "coins": 1, "measure": _measure(ctx)}


def _dice_extract(ctx: Context) -> Params:
    dice, said = _objects(ctx, r"dice|die", r"骰子")
    if not 1 <= dice <= 10:  # "6000 dice rolls": not 6000 dice
        raise NotMine("roll 1 to 10 dice at once", "一次最多掷10个骰子")
    n = _count(ctx, r"times|rolls?|throws|trials|次")
    used = 1 + said + int(ctx.has(r"\b(?:six|6)[\s-]*(?:sided|faced)|六面"))
    total = ctx.tsearch(
        r"(?:add(?:s|ing)? up to|sum(?:s)? (?:to|of|is|equals?|equal to)|sum to|total(?:s)? "
        r"(?:of|is|equals?)?|totals?|summing to|和为|和是|和等于|之和为|之和是|之和等于|总和为|"
        r"总和是|点数和为|加起来(?:是|等于|为)?)\s*#(\d+)#"
    )
    face = ctx.tsearch(
        r"#(\d+)#\s*(?:点|s\b)|(?:number of|count(?: of)?|how many)\s+(?:the\s+)?#(\d+)#|"
        r"\b(?:a|an)\s+#(\d+)#|出现\s*#(\d+)#|掷出\s*#(\d+)#|#(\d+)#\s*(?:comes? up|shows?)|"
        r"#(\d+)#\s*点?\s*(?:出现|朝上)"
    )
    face_word = ctx.search(r"\b(ones|twos|threes|fours|fives|sixes)\b")
    if total is not None:
        if dice < 2:
            raise NeedMore("a total needs two or more dice", "点数之和需要两个以上的骰子")
        what, value = "total", int(ctx.num(total.group(1)))
        used += 1
    elif (face is not None or face_word is not None) and ctx.has(
        r"average|mean|expected|平均|期望"
    ):
        raise NotMine(
            "ask for the count of a face or the average, one at a time", "请分别问次数或平均值"
        )
    elif face is not None or face_word is not None:
        if face is not None:
            value = int(ctx.num(next(g for g in face.groups() if g is not None)))
            used += 1
        else:
            assert face_word is not None
            value = _FACE_WORDS[face_word.group(1)]
        what = "count"
        if dice != 1 or not 1 <= value <= 6:
            raise NeedMore("count one face (1 to 6) of one die", "请统计一个骰子的某一点（1到6）")
    elif ctx.has(r"average|mean|expected|平均|期望"):
        what, value = "mean", 0
    else:
        raise NotMine(
            "ask for the average total, how often a face comes up or how often a total comes up",
            "请问平均点数、某一点出现的次数或某个点数之和出现的次数",
        )
    all_numbers_used(ctx, used)
    nothing_left(
        ctx,
        r"roll|rolls|rolling|rolled|throw|throws|throwing|two|dice|die|pair|fair|six-sided|"
        r"times|average|mean|expected|total|totals|sum|sums|count|how|often|face|comes?|came|"
        r"up|s|simulate|simulation|simulating|number|a|an|ones|twos|threes|fours|fives|sixes|"
        r"add|adds|adding|to|equal|equals|is|of|rolls|get|got|getting|shows?|showing|land|"
        r"fraction|proportion|probability|chance|percentage|estimate|by|them|their|faces|"
        r"each|time|at once|once|together|value|the|many|there|are|were|they|do|does|did|"
        r"six|sided|faced|6",
        r"次数|模拟|掷骰子|骰子|两个|两颗|一对|掷|次|统计|点数之和|点数和|点数|点|出现|平均|总和|朝上|"
        r"数一数|数一下|之和|和为|和是|和等于|加起来|等于|概率|比例|频率|估计|同时|个|颗|的|有多少|多少|几|是|为",
    )
    params: Params = {"n": n, "dice": dice, "what": what, "face": value}
    if what != "mean":
        params["measure"] = _measure(ctx)
    return params


_MAX_WALK = 10**8


def _walk_extract(ctx: Context) -> Params:
    steps = ctx.number_near(r"steps?|步")
    if not isinstance(steps, int) or not 1 <= steps <= _MAX_WALK:
        raise NotMine("say how many steps, e.g. 'a random walk of 1000 steps'", "请说明步数")
    walks = ctx.number_near(
        r"(?:(?:simple|symmetric|1d|one-dimensional)\s+)?(?:random\s+)?walks|walkers|times|trials|次|条"
    )
    walks = walks if isinstance(walks, int) and walks != steps else 1
    if walks * steps > _MAX_WALK:
        raise NeedMore(f"at most {_MAX_WALK:.0e} steps in all", f"总步数最多{_MAX_WALK:.0e}")
    used = 1 + (walks != 1)
    unit = ctx.tsearch(r"\+?\s*#(\d+)#\s*(?:or|and|/|或|和)\s*#(\d+)#")
    if unit is not None:
        pair = {ctx.num(unit.group(1)), ctx.num(unit.group(2))}
        if pair != {1, -1}:
            raise NotMine("steps are +1 or -1", "每步为+1或-1")
        used += 2
    elif (pm := ctx.tsearch(r"(?:±|\+/-|\+-)\s*#(\d+)#")) is not None:  # "每步±1"
        if ctx.num(pm.group(1)) != 1:
            raise NotMine("steps are +1 or -1", "每步为+1或-1")
        used += 1
    if any(  # "the distance from 0", "离0多远": the origin, where every walk starts
        ctx.num(k) == 0 for k in re.findall(r"(?:\bfrom|离|距离?)\s*#(\d+)#", ctx.template)
    ):
        used += 1
    absolute = ctx.has(r"absolute|\babs\b|distance|how far|绝对值|距离|多远")  # |x|, not x
    if ctx.has(
        r"mean squared|mean square|squared (?:distance|displacement|end ?point|final position)|"
        r"(?:position|end ?point|location|displacement|distance)\s*squared|"
        r"square of (?:the |its )?(?:final |end )?(?:position|end ?point|location|displacement)|"
        r"\bmsd\b|均方|(?:位置|终点|距离|位移)的?平方的?(?:平均|期望)"
    ):
        stat = "msd"
    elif ctx.has(r"\b(?:mean|average|expected)\b|平均|期望"):
        stat = "mean_abs" if absolute else "mean"
    elif ctx.has(r"\bmax|maximum|farthest|furthest|highest|最大|最远|最高"):
        raise NotMine("ask where the walk ends", "请问最终位置")
    else:
        stat = "abs_final" if absolute else "final"
    if walks > 1 and stat in ("final", "abs_final"):
        raise NotMine(
            "with several walks, ask for the mean final position or the mean squared distance",
            "多次随机游走请问平均最终位置或均方位移",
        )
    if walks == 1 and stat not in ("final", "abs_final"):
        raise NotMine("say how many walks to average over", "请说明要平均多少次随机游走")
    all_numbers_used(ctx, used)
    nothing_left(
        ctx,
        r"random|walk|walks|walker|walkers|simulate|simulation|do|run|one-dimensional|1d|"
        r"simple|symmetric|steps?|each|step|is|either|or|with|equal|chance|probability|prob|"
        r"where|does|it|end|ends|up|final|position|end position|ending|after|of|the|a|mean|"
        r"average|expected|squared|square|distance|displacement|msd|from|origin|start|"
        r"starting|at|zero|times|trials|over|left|right|one|unit|fair|coin|sum|its|point|"
        r"lands?|finish|finishes|location|where's|reach|report|tell|give|show|print|"
        r"absolute|abs|value|how|far|walk|goes|go|gets|get|endpoint|end point|repeated|repeat",
        r"绝对值|每次|多远|随机游走|随机行走|模拟|一维|步|每一步|每步|或|概率|相等|各|一半|等概率|最终|最后|位置|终点|"
        r"停在|走到|在哪里|哪里|哪|平均|期望|均方位移|均方|距离|原点|出发|从|离|次|条|的|向左|向右|左|右|"
        r"走|是|多少|为|等|±|重复|平方|值",
    )
    return {"steps": steps, "walks": walks, "stat": stat}


#: Where two random points are drawn, with the exact mean distance for the answer's check.
_REGIONS = {
    "square": (r"unit square|单位正方形|正方形", 2, "the unit square", "单位正方形"),
    "cube": (r"unit cube|单位立方体|立方体", 3, "the unit cube", "单位立方体"),
    "interval": (r"unit interval|单位区间|线段|\[\s*0\s*,\s*1\s*\]", 1, "[0, 1]", "[0, 1]"),
    "disk": (r"unit (?:disk|disc|circle)|单位圆", 2, "the unit disk", "单位圆"),
}
_MAX_PAIRS = 10**9


def _distance_extract(ctx: Context) -> Params:
    """The mean distance of two uniform random points in a unit region, by simulation."""
    regions = [k for k, (pattern, *_) in _REGIONS.items() if ctx.has(pattern)]
    if len(regions) != 1:
        raise NotMine(
            "say where the points lie: the unit square, the unit cube, the unit interval or "
            "the unit disk",
            "请说明点在哪里：单位正方形、单位立方体、单位区间或单位圆",
        )
    two = ctx.tsearch(r"#(\d+)#\s*(?:个)?\s*(?:random\s+|uniform\s+|随机)?(?:points?|点)")
    if two is not None and ctx.num(two.group(1)) != 2:
        raise NotMine("the distance between two random points", "两个随机点之间的距离")
    if two is None and not ctx.has(r"\btwo\b|\bpairs?\b|两个|两点|两|一对"):
        raise NotMine("the distance between two random points", "两个随机点之间的距离")
    if not ctx.has(r"\b(?:mean|average|expected|expectation)\b|平均|期望|均值"):
        raise NotMine("ask for the mean distance", "请问平均距离")
    region = regions[0]
    used = _said_two(ctx) or int(two is not None)
    if region == "interval" and ctx.tsearch(r"\[\s*#(\d+)#\s*,\s*#(\d+)#\s*\]"):
        used += 2  # [0, 1], as its pattern says
    n = ctx.number_near(r"times|trials|samples|pairs|simulations|runs|次|对|组")
    if n is None and len(ctx.numbers) == used + 1:
        n = ctx.num(
            next(i for i, x in enumerate(ctx.numbers) if x.text.lower() not in ("two", "两", "二"))
        )
    if n is None:
        n = 1_000_000
        ctx.note("a million pairs of points", "模拟一百万对点")
    else:
        used += 1
    if not isinstance(n, int) or not 1 <= n <= _MAX_PAIRS:
        raise NeedMore(
            f"simulate 1 to {_MAX_PAIRS:.0e} pairs", f"模拟次数须在1到{_MAX_PAIRS:.0e}之间"
        )
    all_numbers_used(ctx, used)
    nothing_left(
        ctx,
        r"monte carlo|simulation|simulate|simulated|estimate|mean|average|expected|expectation|"
        r"distance|distances|between|two|random|randomly|uniform|uniformly|chosen|picked|drawn|"
        r"points?|pairs?|of|in|inside|within|on|the|a|unit|square|cube|interval|disk|disc|"
        r"circle|them|they|their|is|what|times|trials|samples|simulations|runs|euclidean|"
        r"independent|independently|pick|choose|draw|take",
        r"蒙特卡洛模拟|蒙特卡罗模拟|蒙特卡洛|蒙特卡罗|模拟|估计|平均距离|平均|期望|均值|距离|之间|两个|两点|两|一对|"
        r"随机取|随机选|随机|均匀|取|选|点|单位正方形|单位立方体|单位区间|单位圆|正方形|立方体|线段|"
        r"圆内|圆|内|里|上|中|它们|次|对|组|的|是|多少|欧氏",
    )
    ctx.note("seed 0 (numpy.random.default_rng)", "随机种子0（numpy.random.default_rng）")
    return {"region": region, "n": n}


_DISTANCE_CODE = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_points(rng, size):
    """size uniform points in $WHERE."""
    $POINTS


def _aigc_distances(n, seed):
    """The sum of the distances of n pairs of random points, a million pairs at a time."""
    rng = np.random.default_rng(seed)
    total = 0.0
    for start in range(0, n, 1_000_000):
        size = min(1_000_000, n - start)
        a, b = _aigc_points(rng, size), _aigc_points(rng, size)
        total += float(np.sqrt(((a - b) ** 2).sum(axis=1)).sum())
    return total


def _aigc_mean_distance(n, seed=0):
    """Split n pairs into about four chunks per core, one task each."""
    n_chunks = max(1, min(4 * cpu_count(), n // 100_000))
    sizes = [n // n_chunks + (k < n % n_chunks) for k in range(n_chunks)]
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    return sum($PARALLEL(delayed(_aigc_distances)(m, s) for m, s in zip(sizes, seeds))) / n


result = _aigc_mean_distance($N)
'''

_POINTS = {
    "square": "return rng.random((size, 2))",
    "cube": "return rng.random((size, 3))",
    "interval": "return rng.random((size, 1))",
    "disk": (
        "radius, angle = np.sqrt(rng.random(size)), rng.uniform(0.0, 2 * np.pi, size)\n"
        "    return np.column_stack((radius * np.cos(angle), radius * np.sin(angle)))"
    ),
}


def _distance_code(params: Params) -> str:
    return render(
        _DISTANCE_CODE,
        WHERE=_REGIONS[params["region"]][2],
        POINTS=_POINTS[params["region"]],
        N=literal(params["n"]),
    )


_MATRIX_STATS = {
    "trace": r"\btrace\b|迹",
    "det": r"determinant|\bdet\b|行列式",
    "eig": r"eigen|特征值",
    # of every entry: "the mean of all its elements", "所有元素的平均值"
    "mean": r"\b(?:mean|average)\b|平均值|平均数|平均|均值",
    "sum": r"\bsum\b|\btotal\b|总和|之和|元素和",
}


def _matrix_extract(ctx: Context) -> Params:
    m = ctx.tsearch(r"#(\d+)#\s*(?:x|×|\*|by|乘)\s*#(\d+)#")
    if m is None or ctx.num(m.group(1)) != ctx.num(m.group(2)):
        raise NotMine(
            "give the size of square matrices, e.g. 1000x1000", "请给出方阵大小，例如1000x1000"
        )
    size = int(ctx.num(m.group(1)))
    if not 1 <= size <= 10_000:
        raise NeedMore("matrices of size 1 to 10000", "矩阵大小须在1到10000之间")
    stats = [k for k, pattern in _MATRIX_STATS.items() if ctx.has(pattern)]
    if len(stats) != 1:
        raise NotMine(
            "ask for one of the trace, the determinant, the eigenvalues, or the mean or sum "
            "of the entries",
            "请问迹、行列式、特征值、元素的平均值或元素之和中的一个",
        )
    product = ctx.has(r"multipl|product|\btimes\b|相乘|乘积|乘以")
    # "multiply it by its own transpose", "A·Aᵀ", "乘以它的转置": one matrix and its transpose
    gram = ctx.has(r"\btranspose|转置|ᵀ")
    if gram and not (
        product and ctx.has(r"(?:its|it's|the|own|their)\s+(?:own\s+)?transpose|转置")
    ):
        raise NotMine(
            "say what to do with the transpose, e.g. 'multiply it by its own transpose'",
            "请说明转置要做什么，例如“乘以它自己的转置”",
        )
    if gram and ctx.has(r"\btwo\b|两个|\bpair|\bboth\b|matrices"):
        raise NotMine("one matrix times its own transpose, not two", "是一个矩阵乘以它自己的转置")
    if product and not gram and not ctx.has(r"\btwo\b|两个|both|\band\b|\bpair|matrices|相乘|乘积"):
        raise NotMine("say which two matrices to multiply", "请说明哪两个矩阵相乘")
    if not product and ctx.has(r"\btwo\b|两个|\bpair|\bboth\b|matrices"):
        raise NotMine(  # "the eigenvalues of two random matrices": of each, not of a product
            "say what to do with the two matrices, e.g. 'the trace of their product'",
            "请说明两个矩阵要做什么，例如“乘积的迹”",
        )
    used = 2 + _said_two(ctx)
    low, high, entries = 0.0, 1.0, "uniform"
    between = ctx.tsearch(
        r"(?:between|from)\s*#(\d+)#\s*(?:and|to|-)\s*#(\d+)#|#(\d+)#\s*(?:到|至|-|~)\s*#(\d+)#"
    )
    if between is not None:
        groups = [g for g in between.groups() if g is not None]
        low, high = float(ctx.num(groups[0])), float(ctx.num(groups[1]))
        if not low < high:
            raise NeedMore("give the smaller bound first", "请先写较小的界")
        used += 2
    if ctx.has(r"normal|gaussian|正态|高斯"):
        if between is not None:
            raise NotMine("normal entries have no bounds", "正态分布没有上下界")
        entries = "normal"
    all_numbers_used(ctx, used)
    nothing_left(
        ctx,
        r"multiply|multiplied|multiplying|product|times|two|both|pair|random|matrix|matrices|"
        r"x|by|trace|determinant|det|eigenvalues?|eigen|values|the|give|of|their|its|and|"
        r"make|create|generate|build|compute|uniform|uniformly|distributed|numbers|entries|"
        r"elements|from|between|standard|normals?|gaussians?|with|square|then|take|one|size|"
        r"between|together|mean|average|sum|total|all|resulting|result|entry|it|own|"
        r"transpose|transposed|me",
        r"它的转置|它自己的转置|自己的转置|自身的转置|转置矩阵|转置|自己|自身|结果矩阵|结果|元素的|平均值|平均数|平均|均值|总和|之和|元素和|两个|随机矩阵|矩阵|相乘|乘积|乘以|后|求迹|迹|乘|行列式|特征值|生成|随机|均匀分布|均匀|"
        r"标准正态分布|标准正态|正态分布|正态|高斯|元素|之间|的|它|其|方阵|阶|然后|再|一个|个|到|服从|取自",
    )
    return {
        "size": size,
        "what": stats[0],
        "product": product and not gram,
        "gram": gram,
        "entries": entries,
        "low": low,
        "high": high,
    }


def _code(kind: str) -> Any:
    def code(params: Params) -> str:
        if kind == "coin":
            share = params.get("measure") == "fraction"
            tail = f" / {literal(params['n'])}  # the fraction of trials" if share else ""
            if params.get("coins", 1) > 1:
                k = params["coins"]
                return render(
                    _CHUNKED,
                    WHAT=f"Trials in which all {k} coins show {params['face']}",
                    N=literal(params["n"]),
                    DRAW=f"total += int((rng.integers(0, 2, (size, {k})).sum(axis=1) == {k}).sum())"
                    f"  # 1 = {params['face']}",
                    TAIL=tail,
                )
            return render(
                _CHUNKED,
                WHAT=f"The number of {params['face']}",
                N=literal(params["n"]),
                DRAW=f"total += int(rng.integers(0, 2, size).sum())  # 1 = {params['face']}",
                TAIL=tail,
            )
        if kind == "dice":
            share = params.get("measure") == "fraction"
            tail = f" / {literal(params['n'])}  # the fraction of rolls" if share else ""
            if params["what"] == "count":
                return render(
                    _CHUNKED,
                    WHAT=f"How often {params['face']} comes up",
                    N=literal(params["n"]),
                    TAIL=tail,
                    DRAW=f"total += int((rng.integers(1, 7, size) == {params['face']}).sum())",
                )
            if params["what"] == "total":
                return render(
                    _CHUNKED,
                    WHAT=f"How often {params['dice']} dice total {params['face']}",
                    N=literal(params["n"]),
                    TAIL=tail,
                    DRAW=f"total += int((rng.integers(1, 7, (size, {params['dice']})).sum(axis=1)"
                    f" == {params['face']}).sum())",
                )
            return render(
                _CHUNKED,
                WHAT=f"The sum of the totals of {params['dice']} dice",
                N=literal(params["n"]),
                DRAW=f"total += int(rng.integers(1, 7, (size, {params['dice']})).sum())",
                TAIL=f" / {literal(params['n'])}  # the average total",
            )
        if kind == "matrix":
            return _random_matrix_code(params)
        if kind == "walk":
            return _walk_code(params)
        if kind == "distance":
            return _distance_code(params)
        raise AssertionError(kind)

    return code


_WALK_STATS = {
    "final": "int(ends[0])",
    "mean": "float(ends.mean())",
    "msd": "float((ends.astype(float) ** 2).mean())",
    "mean_abs": "float(np.abs(ends).mean())",
    "abs_final": "abs(int(ends[0]))",
}


def _walk_code(params: Params) -> str:
    walks, steps = params["walks"], params["steps"]
    return render(
        f"""
import numpy as np


def _aigc_random_walks(walks, steps, seed=0):
    \"\"\"{walks} walk(s) of {steps} steps of +1 or -1 (equal chance) from 0; where they end.\"\"\"
    rng = np.random.default_rng(seed)
    ends = np.zeros(walks, dtype=np.int64)
    for start in range(0, steps, max(1, 10_000_000 // walks)):  # bounded memory
        size = min(max(1, 10_000_000 // walks), steps - start)
        ends += rng.choice(np.array([-1, 1]), size=(walks, size)).sum(axis=1)
    return {_WALK_STATS[params["stat"]]}


result = _aigc_random_walks({literal(walks)}, {literal(steps)})
"""
    )


_MATRIX_CALLS = {"trace": "np.trace(m)", "det": "np.linalg.det(m)", "eig": "np.linalg.eigvals(m)"}


def _random_matrix_code(params: Params) -> str:
    n = params["size"]
    if params["entries"] == "normal":
        draw, what = f"rng.standard_normal(({n}, {n}))", "standard normal entries"
    elif (params["low"], params["high"]) == (0.0, 1.0):
        draw, what = f"rng.random(({n}, {n}))", "entries uniform on [0, 1)"
    else:
        draw = f"rng.uniform({params['low']!r}, {params['high']!r}, ({n}, {n}))"
        what = f"entries uniform on [{params['low']}, {params['high']})"
    if params["product"]:
        make = (
            f"a, b = {draw}, {draw}\n    with parallel_config(backend=$BACKEND):\n        m = a @ b"
        )
        head = f"Two random {n} x {n} matrices ({what}) and their product"
    elif params.get("gram"):
        make = f"a = {draw}\n    m = a @ a.T  # times its own transpose"
        head = f"One random {n} x {n} matrix ({what}) times its transpose"
    else:
        make = f"m = {draw}"
        head = f"One random {n} x {n} matrix ({what})"
    tail = (
        "return sorted((complex(v) if abs(v.imag) > 1e-12 else float(v.real) for v in "
        "np.linalg.eigvals(m)), key=lambda v: (v.real, v.imag))"
        if params["what"] == "eig"
        else f"return float({_MATRIX_CALLS.get(params['what'], 'm.' + params['what'] + '()')})"
    )
    imports = "import numpy as np\n" + (
        "from joblib import parallel_config\n" if params["product"] else ""
    )
    return render(
        f"""
{imports}

def _aigc_random_matrix(seed=0):
    \"\"\"{head}.\"\"\"
    rng = np.random.default_rng(seed)
    {make}
    {tail}


result = _aigc_random_matrix()
"""
    )


_SUMMARY = {
    "coin": ("Flip {n} coins and count the {face}", "抛{n}次硬币，统计{face}"),
    "dice": ("Roll {dice} dice {n} times", "掷{dice}个骰子{n}次"),
    "matrix": ("The {what} of random {size}x{size} matrices", "{size}x{size}随机矩阵的{what}"),
    "walk": ("Random walk(s) of {steps} steps: {stat}", "{steps}步随机游走：{stat}"),
    "distance": (
        "The mean distance of two random points in {where_en}, over {n} simulated pairs",
        "{where_zh}内两个随机点的平均距离（模拟{n}对）",
    ),
}


_MATRIX_WHAT = {
    "trace": ("trace", "迹"),
    "det": ("determinant", "行列式"),
    "eig": ("eigenvalues", "特征值"),
    "mean": ("mean of the entries", "元素平均值"),
    "sum": ("sum of the entries", "元素之和"),
}


def _matrix_summary(params: Params, lang: str) -> str:
    n = params["size"]
    what_en, what_zh = _MATRIX_WHAT[params["what"]]
    entries = (
        ("standard normal entries", "标准正态元素")
        if params["entries"] == "normal"
        else (
            f"entries uniform on [{fmt(params['low'])}, {fmt(params['high'])})",
            f"[{fmt(params['low'])}, {fmt(params['high'])})上均匀分布的元素",
        )
    )
    if params["product"]:
        of = (f"the product of two random {n}x{n} matrices", f"两个{n}x{n}随机矩阵乘积")
    elif params.get("gram"):
        of = (f"A·Aᵀ for a random {n}x{n} matrix A", f"{n}x{n}随机矩阵A的A·Aᵀ")
    else:
        of = (f"a random {n}x{n} matrix", f"一个{n}x{n}随机矩阵")
    return text(
        lang,
        f"The {what_en} of {of[0]} ({entries[0]})",
        f"{of[1]}（{entries[1]}）的{what_zh}",
    )


def _summary(kind: str) -> Any:
    def summary(params: Params, lang: str) -> str:
        if kind == "matrix":
            return _matrix_summary(params, lang)
        en, zh = _SUMMARY[kind]
        shown = {k: v for k, v in params.items() if k != "matrix"}
        if kind == "distance":
            shown.update(
                where_en=_REGIONS[params["region"]][2], where_zh=_REGIONS[params["region"]][3]
            )
        return text(lang, en, zh).format(**shown)

    return summary


def _answer(kind: str) -> Any:
    def answer(params: Params, value: Any, lang: str) -> str:
        shown = fmt(value) if not isinstance(value, list) else str(value)
        return text(
            lang,
            f"{_summary(kind)(params, lang)}: {shown}.",
            f"{_summary(kind)(params, lang)}：{shown}。",
        )

    return answer


def _recipe(
    kind: str,
    anchors: str,
    en: tuple[str, ...],
    zh: tuple[str, ...],
    extract: Any,
    grid: bool = True,
) -> Recipe:
    return Recipe(
        id=f"random.{kind}",
        anchors=anchors,
        examples_en=en,
        examples_zh=zh,
        extract=extract,
        code=_code(kind),
        summary=_summary(kind),
        answer=_answer(kind),
        demo=en[0],
        priority=15,
        decisive=True,
        grid=grid,
    )


RECIPES = [
    _recipe(
        "coin",
        r"\bcoins?\b|硬币",
        (
            "simulate 10000 coin flips and count the heads",
            "flip a coin 1e6 times, count heads",
            "toss 500 coins and count the tails",
            "count heads in 1e8 coin tosses",
            "simulate 100000 coin tosses, how many heads",
            "toss 3 coins 10000 times, probability that all are heads",
        ),
        (
            "模拟抛硬币10000次，统计正面朝上的次数",
            "抛硬币100万次，统计正面",
            "掷硬币500次，反面朝上几次",
            "模拟1亿次抛硬币，统计正面",
            "抛10万次硬币，正面出现多少次",
            "同时抛三枚硬币，模拟十万次，估计三枚全是正面的概率",
        ),
        _coin_extract,
    ),
    _recipe(
        "dice",
        r"\bdice\b|\bdie\b|骰子",
        (
            "roll two dice 100000 times, what is the average total",
            "roll a die 60000 times and count the 6s",
            "roll two dice 1e6 times, mean total",
            "average of rolling two dice 10000 times",
            "roll a die 6000 times, count of 3",
            "roll two dice 100000 times, what fraction of rolls add up to 7",
            "roll a die 1000 times and count the sixes",
        ),
        (
            "掷骰子60000次，统计6点出现的次数",
            "掷两个骰子10万次，平均点数是多少",
            "掷骰子6000次，3点出现几次",
            "模拟掷两颗骰子100万次，求平均总和",
            "掷骰子1万次，统计1点",
            "掷两个骰子10万次，点数之和为7的概率",
        ),
        _dice_extract,
    ),
    _recipe(
        "matrix",
        r"^(?!.*\[\[)(?=.*(?:matri|矩阵))(?=.*(?:random|随机))(?=.*(?:trace|迹|determinant|\bdet\b|"
        r"eigen|行列式|特征值|mean|average|平均|均值|\bsum\b|总和|之和))",
        (
            "multiply two random 1000x1000 matrices and give the trace",
            "trace of the product of two random 500x500 matrices",
            "multiply two random 2000x2000 matrices, trace",
            "two random 100x100 matrices, trace of the product",
            "random 300x300 matrices multiplied, give the trace",
            "determinant of a random 4x4 matrix",
            "eigenvalues of a random 5x5 matrix with standard normal entries",
            "trace of a 100 by 100 matrix of uniform random numbers between 0 and 1",
            "mean of all entries of the product of two random 100x100 matrices",
        ),
        (
            "两个500x500随机矩阵相乘后求迹",
            "两个1000x1000的随机矩阵乘积的迹",
            "随机矩阵200x200相乘求迹",
            "计算两个300x300随机矩阵乘积的迹",
            "两个100x100随机矩阵相乘，求迹",
            "生成一个4x4的随机矩阵，求它的行列式",
            "5x5随机矩阵的特征值",
            "两个100x100的随机矩阵相乘，结果矩阵所有元素的平均值",
        ),
        _matrix_extract,
    ),
    _recipe(
        "walk",
        r"random\s*walk|随机游走|随机行走|drunkard",
        (
            "random walk of 1000 steps, where does it end",
            "simulate a random walk with 10000 steps of +1 or -1 and give the final position",
            "mean squared distance from the origin of 1000 random walks of 100 steps",
            "average final position of 500 random walks of 1000 steps",
            "do a random walk of 500 steps where each step is +1 or -1",
        ),
        (
            "模拟1000步的随机游走，最终位置在哪里",
            "一维随机游走10000步，每步+1或-1，最后停在哪",
            "1000次100步随机游走的均方位移",
            "500次1000步随机游走的平均最终位置",
            "随机游走500步的终点",
        ),
        _walk_extract,
        grid=False,
    ),
    _recipe(
        "distance",
        r"(?=.*(?:distance|距离))(?=.*(?:random|随机|monte carlo|蒙特卡))(?=.*(?:points?|点))",
        (
            "mean distance between two random points in the unit square",
            "simulate the average distance of two random points in a unit cube, 1e6 trials",
            "expected distance between two uniform random points in the unit disk",
            "monte carlo: average distance between 2 random points on [0, 1]",
            "estimate the expected distance of two random points in the unit square with 1e5 pairs",
        ),
        (
            "蒙特卡洛模拟：单位正方形里随机取两个点，它们之间的平均距离是多少？模拟10万次",
            "单位立方体内两个随机点的平均距离",
            "单位圆内随机取两点，平均距离是多少",
            "单位区间上随机取两个点，平均距离",
            "模拟100万次，单位正方形内两个随机点距离的期望",
        ),
        _distance_extract,
    ),
]
