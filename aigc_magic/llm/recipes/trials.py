"""Two classic simulations newcomers ask for by name: the birthday problem, and tossing a
coin until it first shows heads.

- ``random.birthday``: "simulate 100000 rooms of 23 people, the probability that at least two
  share a birthday" (365 equally likely days unless the prose gives another number of days).
- ``random.until``: "flip a coin until the first head, 10000 times, the average number of
  flips" (each trial a draw of NumPy's geometric distribution with p = 1/2: the number of
  fair tosses up to and including the first head or tail asked for).

The trials are split into chunks, one task each, on the grid, every chunk from its own child
seed. Every number of the prose is used or the request steps aside.
"""

from __future__ import annotations

from typing import Any

from ._base import Context, NeedMore, Params, Recipe, text
from ._codegen import fmt, literal, render
from ._guard import NotMine, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

_MAX_DRAWS = 10**9

_SIMULATED = '''
import numpy as np
from joblib import Parallel, cpu_count, delayed


def _aigc_trials(n, seed):
    """$WHAT, for n trials from one child seed."""
    rng = np.random.default_rng(seed)
    total = 0
    for start in range(0, n, $STEP):  # a bounded block of draws at a time
        size = min($STEP, n - start)
        $DRAW
    return total


def _aigc_simulate(n, seed=0):
    """Split n trials into about four chunks per core, one task each."""
    n_chunks = max(1, min(4 * cpu_count(), n // 10_000))
    sizes = [n // n_chunks + (k < n % n_chunks) for k in range(n_chunks)]
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    return sum($PARALLEL(delayed(_aigc_trials)(m, s) for m, s in zip(sizes, seeds)))


result = _aigc_simulate($N) / $N$TAIL
'''

_TRIALS = (
    r"trials|simulations|simulated|rooms|groups|repetitions|runs|times|experiments|samples|"
    r"次|遍|组|轮"
)


def _trials(ctx: Context, *, exclude: set[Any]) -> int:
    n = ctx.number_near(_TRIALS)
    if not isinstance(n, int) or n in exclude:
        left = [x.value for x in ctx.numbers if x.value not in exclude]
        n = left[0] if len(left) == 1 else None
    if not isinstance(n, int) or not 1 <= n <= _MAX_DRAWS:
        raise NotMine("say how many trials to simulate", "请说明模拟多少次")
    return n


# --------------------------------------------------------------------------- birthdays


def _birthday_extract(ctx: Context) -> Params:
    people = ctx.number_near(r"people|persons|ppl|guests|students|kids|person|个人|人|位")
    if not isinstance(people, int) or not 2 <= people <= 10_000:
        raise NotMine("say how many people are in the room", "请说明一共有多少人")
    days = ctx.number_near(r"days|天", after=False)
    used = 2
    if days is not None:
        if not isinstance(days, int) or not 2 <= days <= 100_000:
            raise NeedMore("a year of 2 to 100000 days", "一年的天数须在2到100000之间")
        used += 1
    else:
        days = 365
    two = (
        {2}
        if ctx.has(
            r"at least (?:two|2)\b|\b(?:two|2)\s+(?:of them\s+)?(?:share|have)\b|至少(?:两|2|二)"
        )
        else set()
    )
    used += len(two) if any(x.value == 2 for x in ctx.numbers) and people != 2 else 0
    trials = _trials(ctx, exclude={people, days, *two})
    if trials * people > _MAX_DRAWS:
        raise NeedMore(f"at most {_MAX_DRAWS:.0e} birthdays in all", "生日总数最多1e9个")
    if ctx.has(r"\bexactly\b|\bthree\b|恰好|三个人|至少三"):
        raise NotMine("the chance that at least two share a birthday", "至少两人同一天生日的概率")
    all_numbers_used(ctx, used)
    nothing_left(
        ctx,
        r"birthday|birthdays|paradox|problem|simulate|simulation|sim|estimate|people|persons|"
        r"ppl|guests|students|kids|person|in|a|the|room|rooms|group|groups|of|with|trials|"
        r"simulations|times|runs|repetitions|experiments|how|often|what|whats|is|are|do|does|"
        r"probability|chance|fraction|share|shares|sharing|same|at|least|two|2|have|has|"
        r"born|on|day|days|year|ignore|ignoring|leap|years|no|uniform|equally|likely|each|"
        r"that|someone|somebody|any|pair|match|matching|collision",
        r"生日悖论|生日问题|生日|模拟|估计|一个房间|房间|一组|组|里|有|个人|人|位|次|遍|至少|两个人|两人|"
        r"有两个人|同一天|同一|相同|一样|在|出生|的|概率|比例|可能性|多大|多少|一年|天|按|算|不考虑|闰年|"
        r"忽略|每天|等可能|随机",
    )
    ctx.note(
        f"{days} equally likely days; seed 0 (numpy.random.default_rng)",
        f"{days}天等可能；种子0（numpy.random.default_rng）",
    )
    return {"people": people, "days": days, "n": trials}


def _birthday_code(params: Params) -> str:
    people, days = params["people"], params["days"]
    return render(
        _SIMULATED,
        WHAT=f"Rooms of {people} with a shared birthday ({days} days)",
        STEP=literal(max(1, 10_000_000 // people)),
        DRAW=(
            f"days = np.sort(rng.integers(0, {days}, (size, {people})), axis=1)\n"
            "        total += int((np.diff(days, axis=1) == 0).any(axis=1).sum())"
        ),
        N=literal(params["n"]),
        TAIL="  # the share of rooms where at least two share a birthday",
    )


def _birthday_summary(params: Params, lang: str) -> str:
    p, d, n = params["people"], params["days"], fmt(params["n"])
    return text(
        lang,
        f"The share of {n} simulated rooms of {p} people ({d} days) where at least two share "
        "a birthday",
        f"模拟{n}个{p}人的房间（{d}天），至少两人同一天生日的比例",
    )


# --------------------------------------------------------------------------- until heads


def _until_extract(ctx: Context) -> Params:
    if not ctx.has(r"\bcoins?\b|硬币|\bheads?\b|\btails?\b|正面|反面"):
        raise NotMine("toss a coin until it shows heads", "抛硬币直到出现正面")
    tails = ctx.has(r"\btails?\b|反面")
    if tails and ctx.has(r"\bheads?\b|正面"):
        raise NotMine("until heads, or until tails", "直到正面，或直到反面")
    if ctx.has(r"\bin a row|consecutive|连续|两次|twice|\bbiased|不均匀|不公平"):
        raise NotMine("one fair coin until its first head", "一枚均匀硬币直到第一次正面")
    if not ctx.has(r"\b(?:mean|average|expected|expectation)\b|平均|期望"):
        raise NotMine("ask for the average number of tosses", "请问平均要抛几次")
    n = _trials(ctx, exclude=set())
    all_numbers_used(ctx, 1)
    nothing_left(
        ctx,
        r"simulate|simulation|sim|flip|flips|flipping|toss|tosses|tossing|throw|throws|a|an|"
        r"fair|coin|until|till|til|it|you|we|get|gets|see|first|the|heads?|tails?|comes up|"
        r"come|up|shows?|appears?|lands?|on|mean|average|expected|expectation|number|of|how|"
        r"many|do|does|need|needed|it takes|takes|take|repeat|repeated|times|trials|"
        r"simulations|runs|experiments|and|estimate|what|whats|is|are|to|in|one|this|each",
        r"模拟|抛硬币|掷硬币|硬币|抛|掷|直到|第一次|首次|出现|正面朝上|正面|反面朝上|反面|为止|平均|期望|"
        r"要|需要|几次|多少次|次数|次|重复|一万|个|看看|估计|的|一枚|枚",
    )
    face = "tails" if tails else "heads"
    ctx.note(
        f"each trial counts the tosses up to and including the first {face} (geometric, "
        "p = 1/2); seed 0",
        f"每次试验数到第一次{'反面' if tails else '正面'}为止（含这一次）的抛掷次数"
        "（几何分布，p = 1/2）；种子0",
    )
    return {"n": n, "face": face}


def _until_code(params: Params) -> str:
    return render(
        _SIMULATED,
        WHAT=f"Tosses of a fair coin up to the first {params['face']}",
        STEP=literal(10_000_000),
        DRAW="total += int(rng.geometric(0.5, size).sum())",
        N=literal(params["n"]),
        TAIL=f"  # the mean number of tosses up to the first {params['face']}",
    )


def _until_summary(params: Params, lang: str) -> str:
    n, face = fmt(params["n"]), params["face"]
    return text(
        lang,
        f"The mean number of tosses of a fair coin up to the first {face}, over {n} trials",
        f"均匀硬币抛到第一次{'反面' if face == 'tails' else '正面'}平均要抛的次数（{n}次试验）",
    )


def _answer(summary: Any) -> Any:
    def answer(params: Params, value: Any, lang: str) -> str:
        return text(
            lang,
            f"{summary(params, lang)}: {fmt(value)}.",
            f"{summary(params, lang)}：{fmt(value)}。",
        )

    return answer


RECIPES = [
    Recipe(
        id="random.birthday",
        anchors=r"birthday|生日",
        examples_en=(
            "birthday paradox: simulate 100000 rooms of 23 people",
            "probability that at least two of 23 people share a birthday, 10000 trials",
            "simulate 50000 groups of 30 people, how often do two share a birthday",
            "birthday problem with 40 people, 20000 simulations",
            "in a room of 50 guests, estimate the chance two share a birthday with 10000 trials",
        ),
        examples_zh=(
            "生日悖论：模拟10万个23人的房间，至少两人同一天生日的概率",
            "23个人里至少两个人生日相同的概率，模拟一万次",
            "模拟5万次，30个人中有两人同一天生日的比例",
            "生日问题：40个人，模拟2万次，至少两人生日相同的概率",
            "一个房间50个人，模拟一万次，估计有人同一天生日的概率",
        ),
        extract=_birthday_extract,
        code=_birthday_code,
        summary=_birthday_summary,
        answer=_answer(_birthday_summary),
        demo="birthday paradox: simulate 100000 rooms of 23 people",
        priority=20,
        decisive=True,
        grid=True,
    ),
    Recipe(
        id="random.until",
        anchors=r"\buntil\b|\btill\b|直到|为止",
        examples_en=(
            "flip a coin until the first head, 10000 times, average number of flips",
            "toss a fair coin until it comes up heads; simulate 100000 trials, mean tosses",
            "how many coin tosses on average until tails, simulate 50000 times",
            "expected number of flips of a fair coin till heads, 20000 trials",
            "simulate tossing a coin until the first tails, 1e5 times, the mean number of tosses",
        ),
        examples_zh=(
            "抛硬币直到出现正面为止，平均要抛几次？模拟10万次",
            "模拟抛硬币直到第一次出现正面，重复一万次，平均要抛几次",
            "掷硬币直到出现反面，模拟5万次，平均次数",
            "抛硬币直到第一次正面，模拟2万次，平均要抛多少次",
            "模拟100000次抛硬币直到出现正面为止，求平均抛掷次数",
        ),
        extract=_until_extract,
        code=_until_code,
        summary=_until_summary,
        answer=_answer(_until_summary),
        demo="flip a coin until the first head, 10000 times, average number of flips",
        priority=20,
        decisive=True,
        grid=True,
    ),
]
