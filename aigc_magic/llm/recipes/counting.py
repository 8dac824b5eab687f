"""Counting and divisibility through SymPy: combinations, permutations, divisors, factorisations.

Decisive and strict like :mod:`.exact`: every number of the prose is used and no word is
left unexplained (:mod:`._guard`), or the request is refused. "52 choose 5" and "choose 5
cards from 52" are one count, the larger number being the pool (``C(n, k)`` with ``k > n``
is never what a person means). Arrangements around a table, with repetition or with
identical items carry words these recipes do not own, so they are refused. A request
about factors that no recipe here answers exactly is refused outright
(:class:`~._guard.Refuse`): "prime factors of 360" must never fall through to the list of
primes below 360.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import FLAGS, Context, NeedMore, Params, Recipe, text
from ._codegen import fmt
from ._guard import NotMine, Refuse, nothing_left

__all__ = ["RECIPES"]

_MAX_POOL = 100_000
_MAX_FACTOR = 10**30

_ITEMS_EN = (
    r"items?|things?|objects?|elements?|people|persons?|students?|players?|cards?|balls?|"
    r"books?|letters?|digits?|numbers?|members?|candidates?|colou?rs?|deck|set|group|"
    r"different|distinct|unique|committees?|teams?|person|groups?"
)
_ITEMS_ZH = (
    r"个人|个|人|名|张|本|只|件|种|位|球|牌|书|学生|同学|元素|物品|东西|字母|数字|不同的|不同"
)

# --------------------------------------------------------------------------- combinations

_CHOOSE = (
    r"\d+\s*choose\s*\d+|\bchoose\s+\d+|\bcombinations?\b|\bn\s*c\s*r\b|binomial coefficient|"
    r"\bc\s*\(\s*\d+\s*,\s*\d+\s*\)|\bsubsets?\s+of\s+size|(?:select|pick)\s+\d+|组合数|组合|"
    r"选法|取法|选出|选\s*\d+|取\s*\d+|挑|\d+\s*-?\s*card\s+hands?|\bhands?\b.*\bdeck\b"
)
_CHOOSE_EN = (
    r"choose|chose|choosing|chosen|combinations?|ncr|n c r|c|binomial|coefficient|select|"
    r"selecting|selected|pick|picking|picked|subsets?|size|ways?|possible|different ways|"
    r"from|out|among|at|time|taken|hands?|poker|draw|drawing|dealt|"
    r"to|total|in|there|can|we|one|on|of|a|standard|full|ordinary|regular|"
    r"playing|card|five|poker|bridge|possible|lottery|lotto|tickets?|" + _ITEMS_EN
)
#: "order doesn't matter" (a combination) against "order matters" / "in order" (a permutation).
_UNORDERED_EN = (
    r"(?:the )?order (?:does ?n[o']?t|doesnt|does not|don'?t|do not|is not|isn'?t|is irrelevant|"
    r"irrelevant|not)(?: matter| count| important)?|regardless of (?:the )?order|"
    r"without regard to (?:the )?order|(?:in )?any order|unordered|no order"
)
_UNORDERED_ZH = (
    r"不用考虑顺序|不用讲究顺序|不用讲顺序|不用管顺序|无需考虑顺序|无需讲究顺序|无需讲顺序|无需管顺序|"
    r"不需要考虑顺序|不需要讲究顺序|不需要讲顺序|不需要管顺序|不需考虑顺序|"
    r"不需讲究顺序|不需讲顺序|不需管顺序|不必考虑顺序|不必讲究顺序|不必讲顺序|不必管顺序|"
    r"不考虑顺序|不计顺序|不分顺序|不论顺序|不管顺序|不讲究顺序|不讲顺序|顺序无关|与顺序无关|无序|不排序"
)
_ORDER_WORDS = r"\border|\bsequence|\bsequential|顺序|次序|先后|排列|排序"
_CHOOSE_ZH = (
    r"组合数|组合|组成一个小组|组成一组|组成|小组|一组|有多少种|多少种|有几种|几种|种选法|选法|取法|挑法|方法|方案|选出|选取|挑选|挑出|挑|选|取|抽|"
    r"一共|总共|共|有|从|里面|里|中|之中|当中|一副|标准|扑克牌|扑克|彩票|号码|数|"
    r"副|手牌|任意|任选|任取|随意|" + _UNORDERED_ZH + "|" + _ITEMS_ZH
)
#: A deck named without its size: "5 cards from a standard deck" is C(52, 5).
_DECK = (
    r"\b(?:standard|full|ordinary|regular)\s+(?:playing\s+)?(?:card\s+)?deck|deck of cards|"
    r"一副(?:扑克)?牌|一副扑克"
)

# --------------------------------------------------------------------------- permutations

_ARRANGE = (
    r"permutations?|\bn\s*p\s*r\b|\b[pa]\s*\(\s*\d+\s*,\s*\d+\s*\)|arrange|arrangements?|"
    r"\bline\s+up|\bsit\s+in\s+a\s+row|\bin\s+a\s+row|\border(?:ed|ings?)?\b|排列数|排列|全排列|"
    r"排成一排|排成一行|排队|站成一排|坐成一排|"
    r"(?<!不)(?<!不用)(?<!无需)(?<!不需)(?<!不必)(?:讲究|讲|考虑|计|有|分)顺序"
)
_ARRANGE_EN = (
    r"permutations?|npr|n p r|p|a|arrange|arranged|arranging|arrangements?|line|lined|up|"
    r"sit|seat|seated|stand|in|row|line|order|ordered|orderings?|ways?|possible|different|"
    r"there|can|be|we|of|taken|at|time|from|out|among|matters?|shelf|queue|" + _ITEMS_EN
)
_ARRANGE_ZH = (
    r"排列数|全排列|排列|排成一排|排成一行|排成|排队|站成一排|坐成一排|一排|一行|站|坐|排|"
    r"讲顺序|讲究顺序|考虑顺序|计顺序|有顺序|分顺序|顺序有关|顺序不同算不同|"
    r"有多少种|多少种|有几种|几种|种排法|排法|方法|一共|总共|共|有|从|里|中|取出|取|选出|选|"
    + _ITEMS_ZH
)


def _pool_and_pick(ctx: Context, *, one_ok: bool) -> tuple[int, int | None]:
    values = [n.value for n in ctx.numbers]
    if not values or not all(isinstance(v, int) and v >= 0 for v in values):
        raise NotMine("counting needs whole numbers", "计数需要非负整数")
    if len(values) == 1 and one_ok:
        return int(values[0]), None
    if len(values) != 2:
        raise NotMine(
            "give the size of the pool and how many to take, e.g. '52 choose 5'",
            "请给出总数和取出的个数，例如“从52张牌中取5张”",
        )
    n, k = max(values), min(values)
    if n > _MAX_POOL:
        raise NeedMore(f"the pool may hold at most {_MAX_POOL} items", f"总数最多{_MAX_POOL}")
    return int(n), int(k)


def _order_matters(ctx: Context, ordered: bool) -> None:
    """Pass on a count whose order clause contradicts the recipe (``ordered``: permutations)."""
    unordered = ctx.has(_UNORDERED_EN) or ctx.has(_UNORDERED_ZH)
    plain = ctx.lower
    for pattern in (_UNORDERED_EN, _UNORDERED_ZH):
        plain = re.sub(pattern, " ", plain, flags=FLAGS)
    says_ordered = re.search(_ORDER_WORDS, plain, FLAGS) is not None
    if ordered and unordered:  # NotMine: the other counting recipe may answer
        raise NotMine(
            "the prose says the order does not matter: that is a combination; ask '49 choose 6'",
            "这段话说不考虑顺序，那是组合数；请问“从49个中选6个的组合数”",
            with_help=True,
        )
    if not ordered and says_ordered and not unordered:
        raise NotMine(
            "the prose says the order matters: that is a permutation; ask "
            "'permutations of 49 taken 6'",
            "这段话说要考虑顺序，那是排列数；请问“从49个中取6个的排列数”",
            with_help=True,
        )


def _choose_extract(ctx: Context) -> Params:
    values = [n.value for n in ctx.numbers]
    if ctx.has(_DECK) and len(values) == 1 and isinstance(values[0], int) and values[0] <= 52:
        n, k = 52, int(values[0])
        ctx.note("a standard deck holds 52 cards", "一副标准扑克牌有52张（不含大小王）")
    else:
        n, pick = _pool_and_pick(ctx, one_ok=False)
        assert pick is not None  # one_ok=False: a pick is always given
        k = pick
    _order_matters(ctx, False)
    nothing_left(ctx, f"{_UNORDERED_EN}|{_CHOOSE_EN}", _longest_first(_CHOOSE_ZH))
    ctx.note(f"order does not matter: C({n}, {k})", f"不计顺序：C({n}, {k})")
    return {"n": n, "k": k}


def _arrange_extract(ctx: Context) -> Params:
    n, k = _pool_and_pick(ctx, one_ok=True)
    _order_matters(ctx, True)
    nothing_left(ctx, _ARRANGE_EN, _longest_first(_ARRANGE_ZH))
    if k is None:
        ctx.note(f"all {n} in order: {n}!", f"{n}个全排列：{n}!")
    else:
        ctx.note(f"order matters: P({n}, {k})", f"计顺序：A({n}, {k})")
    return {"n": n, "k": k}


# --------------------------------------------------------------------------- divisors

_DIVISORS = (
    r"(?<!common )divisors?|(?<!common )\bfactors\s+of|\ball\s+(?:the\s+)?factors|"
    r"(?<![公质素])因数|(?<!公)约数|(?<![公质素])因子"
)
_DIVISORS_EN = (
    r"divisors?|factors?|positive|all|the|its|list|how|many|count|number|sum|total|of|"
    r"does|do|have|has|add|up|together"
)
_DIVISORS_ZH = (
    r"所有的|所有|全部|正因数|因数|约数|因子|有哪些|哪些|个数|有几个|几个|总和|之和|的和|和|加起来|一共|"
    r"共|有|多少"
)
_FACTORISE = r"prime\s+factor|factori[sz]|\bfactor\s+\d+|质因数|素因数|质因子|素因子"
_FACTORISE_EN = (
    r"prime|factori[sz]ation|factori[sz]e|factor|factors|decomposition|decompose|into|"
    r"primes|largest|biggest|greatest|highest|smallest|distinct|different|unique|of|the|its|"
    r"all|list|what|are|is"
)
_FACTORISE_ZH = (
    r"分解质因数|质因数分解|分解成质因数|分解为质因数|分解|质因数|素因数|质因子|素因子|最大的|最小的|"
    r"最大|最小|不同的|不同|所有的|所有|有哪些|哪些|成|为|进行|对"
)


def _longest_first(pattern: str) -> str:
    """An alternation with its longest words first ("排法" before "排")."""
    return "|".join(sorted(pattern.split("|"), key=len, reverse=True))


def _strict(ctx: Context, own_en: str, own_zh: str) -> None:
    """:func:`nothing_left`, but a leftover word refuses: no looser recipe may guess."""
    try:
        nothing_left(ctx, own_en, _longest_first(own_zh))
    except NeedMore as need:
        raise Refuse(need.en, need.zh, with_help=True) from None


def _one_positive(ctx: Context, what_en: str, what_zh: str) -> int:
    values = [n.value for n in ctx.numbers]
    if len(values) != 1 or not isinstance(values[0], int) or not 1 <= values[0] <= _MAX_FACTOR:
        raise Refuse(
            f"{what_en} needs exactly one whole number from 1 to 10**30",
            f"{what_zh}只需要一个1到10**30之间的整数",
            with_help=True,
        )
    return int(values[0])


def _divisors_extract(ctx: Context) -> Params:
    if ctx.has(r"prime|质|素"):
        raise Refuse(
            "ask for 'the prime factorization of 360' or 'the divisors of 360'",
            "请问“360分解质因数”或“360的所有因数”",
            with_help=True,
        )
    n = _one_positive(ctx, "listing divisors", "求因数")
    _strict(ctx, _DIVISORS_EN, _DIVISORS_ZH)
    if ctx.has(r"how many|count|number of|个数|几个|多少个"):
        mode = "count"
    elif ctx.has(r"\bsum\b|total|add up|总和|之和|的和|和是|加起来"):
        mode = "sum"
    else:
        mode = "list"
    if ctx.has(r"\bsum\b|total|add up|总和|之和|的和|和是|加起来") and mode == "count":
        raise Refuse(
            "ask for the divisors, their number or their sum, one at a time",
            "请分别问因数、因数个数或因数之和",
            with_help=True,
        )
    return {"n": n, "mode": mode}


def _factorise_extract(ctx: Context) -> Params:
    n = _one_positive(ctx, "a factorization", "分解质因数")
    if n < 2:
        raise Refuse(f"{n} has no prime factors", f"{n}没有质因数")
    _strict(ctx, _FACTORISE_EN, _FACTORISE_ZH)
    if ctx.has(r"largest|biggest|greatest|highest|最大"):
        mode = "largest"
    elif ctx.has(r"smallest|最小"):
        mode = "smallest"
    elif ctx.has(r"distinct|different|unique|不同"):
        mode = "distinct"
    elif ctx.has(r"factori[sz]|decompos|分解|into\s+(?:its\s+)?primes|\bfactor\s+#"):
        mode = "factorint"
    else:  # "the prime factors of 360": with or without repeats? refuse rather than guess
        raise Refuse(
            "say 'the prime factorization of 360', 'the distinct prime factors of 360' or "
            "'the largest prime factor of 360'",
            "请说“360分解质因数”“360的不同质因数”或“360的最大质因数”",
            with_help=True,
        )
    if mode == "factorint":
        ctx.note("as {prime: exponent}", "结果为 {质数: 指数}")
    return {"n": n, "mode": mode}


# --------------------------------------------------------------------------- code

_CODE = {
    "choose": "from sympy import binomial\n\nresult = int(binomial({n}, {k}))\n",
    "arrange_all": "from sympy import factorial\n\nresult = int(factorial({n}))\n",
    "arrange": "from sympy import ff\n\nresult = int(ff({n}, {k}))  # n! / (n - k)!\n",
    "list": "from sympy import divisors\n\nresult = [int(d) for d in divisors({n})]\n",
    "count": "from sympy import divisor_count\n\nresult = int(divisor_count({n}))\n",
    "sum": "from sympy import divisor_sigma\n\nresult = int(divisor_sigma({n}))\n",
    "factorint": (
        "from sympy import factorint\n\n"
        "result = {{int(p): int(e) for p, e in factorint({n}).items()}}  # prime: exponent\n"
    ),
    "distinct": "from sympy import primefactors\n\nresult = [int(p) for p in primefactors({n})]\n",
    "largest": "from sympy import primefactors\n\nresult = int(primefactors({n})[-1])\n",
    "smallest": "from sympy import primefactors\n\nresult = int(primefactors({n})[0])\n",
}

_SUMMARIES = {
    "choose": ("Choose {k} of {n} (order does not matter)", "从{n}个中取{k}个的组合数"),
    "arrange_all": ("Arrangements of {n} items", "{n}个元素的全排列数"),
    "arrange": ("Ordered arrangements of {k} of {n}", "从{n}个中取{k}个的排列数"),
    "list": ("Divisors of {n}", "{n}的所有因数"),
    "count": ("Number of divisors of {n}", "{n}的因数个数"),
    "sum": ("Sum of the divisors of {n}", "{n}的因数之和"),
    "factorint": ("Prime factorization of {n}", "{n}分解质因数"),
    "distinct": ("Distinct prime factors of {n}", "{n}的不同质因数"),
    "largest": ("Largest prime factor of {n}", "{n}的最大质因数"),
    "smallest": ("Smallest prime factor of {n}", "{n}的最小质因数"),
}


def _kind(params: Params, family: str) -> str:
    if family == "choose":
        return "choose"
    if family == "arrange":
        return "arrange_all" if params["k"] is None else "arrange"
    return str(params["mode"])


def _recipe(
    family: str,
    anchors: str,
    en: tuple[str, ...],
    zh: tuple[str, ...],
    extract: Any,
    priority: int,
) -> Recipe:
    def code(params: Params) -> str:
        return _CODE[_kind(params, family)].format(**params)

    def summary(params: Params, lang: str) -> str:
        s_en, s_zh = _SUMMARIES[_kind(params, family)]
        return text(lang, s_en, s_zh).format(**params)

    def answer(params: Params, value: Any, lang: str) -> str:
        shown = fmt(value) if not isinstance(value, (list, dict)) else str(value)
        head = summary(params, lang)
        return text(lang, f"{head}: {shown}.", f"{head}：{shown}。")

    return Recipe(
        id=f"counting.{family}",
        anchors=anchors,
        examples_en=en,
        examples_zh=zh,
        extract=extract,
        code=code,
        summary=summary,
        answer=answer,
        demo=en[0],
        priority=priority,
        decisive=True,
        grid=False,
    )


RECIPES = [
    _recipe(
        "factorise",
        _FACTORISE,
        (
            "prime factorization of 360",
            "factorize 600851475143",
            "largest prime factor of 13195",
            "distinct prime factors of 1001",
            "factor 2024 into primes",
        ),
        (
            "360分解质因数",
            "把600851475143分解质因数",
            "13195的最大质因数",
            "1001的不同质因数",
            "对2024进行质因数分解",
        ),
        _factorise_extract,
        60,
    ),
    _recipe(
        "divisors",
        _DIVISORS,
        (
            "divisors of 28",
            "list all factors of 360",
            "how many divisors does 720 have",
            "sum of the divisors of 220",
            "what are the factors of 100",
        ),
        (
            "28的所有因数",
            "360的约数有哪些",
            "720有多少个因数",
            "220的所有约数之和",
            "列出100的全部因数",
        ),
        _divisors_extract,
        55,
    ),
    _recipe(
        "choose",
        _CHOOSE,
        (
            "52 choose 5",
            "how many ways to choose 5 cards from 52",
            "number of combinations of 10 things taken 3 at a time",
            "C(20, 10)",
            "in how many ways can we pick 3 students out of 12",
        ),
        (
            "从10个人里选3个人有多少种选法",
            "从52张牌中取5张的组合数",
            "组合数C(20,10)",
            "10选3有多少种",
            "从12名学生中挑3名有几种挑法",
        ),
        _choose_extract,
        45,
    ),
    _recipe(
        "arrange",
        _ARRANGE,
        (
            "how many permutations of 5 items",
            "how many ways can 8 people sit in a row",
            "number of permutations of 10 taken 3",
            "in how many ways can 6 books be arranged on a shelf",
            "permutations of 7 taken 2 at a time",
        ),
        (
            "5个人排成一排有多少种排法",
            "从10个中取3个的排列数",
            "8个元素的全排列有多少种",
            "6本书排成一排有几种方法",
            "排列数A(10,3)",
        ),
        _arrange_extract,
        45,
    ),
]
