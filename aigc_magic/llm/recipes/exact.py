"""Exact integer mathematics through SymPy: powers, factorials, gcd and lcm, primality, the
n-th prime and the first n primes, Fibonacci numbers, digit sums and digits of constants.

Every recipe here is *decisive* (its anchor selects it) and strict: it uses every number of
the prose and leaves no word unexplained (:mod:`._guard`), or it refuses. An ordinal is an
index ("the 10001st prime", "第100个质数"), "the first N" a count, never a bound.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from .._lazy import lazy
from ._base import Context, NeedMore, Params, Recipe, text
from ._codegen import fmt
from ._fibconv import CHAIN, convention
from ._guard import NotMine, Refuse, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

_MAX_EXPONENT = 100_000
_MAX_FACTORIAL = 20_000
_MAX_INDEX = 1_000_000
_ORDINAL = r"#(\d+)#\s*(?:st|nd|rd|th)\b|第\s*#(\d+)#\s*(?:个|项|位)?"


def _ints(ctx: Context, *, low: int = 0, high: int | None = None, what: str = "") -> list[int]:
    values = [n.value for n in ctx.numbers]
    if not values or not all(isinstance(v, int) for v in values):
        raise NeedMore(f"{what} needs whole numbers", f"{what}需要整数")
    ints = [int(v) for v in values]
    if any(v < low or (high is not None and v > high) for v in ints):
        top = f" and at most {high}" if high is not None else ""
        raise NeedMore(
            f"{what} needs numbers of at least {low}{top}",
            f"{what}需要不小于{low}的数" + (f"（最多{high}）" if high else ""),
        )
    return ints


def _ordinal(ctx: Context) -> int | None:
    m = ctx.tsearch(_ORDINAL)
    return None if m is None else int(ctx.num(m.group(1) or m.group(2)))


# --------------------------------------------------------------------------- power

_POWER = (
    r"\d+\s*(?:\*\*|\^)\s*\d+|\d+\s+(?:to the power|raised to)|\d+\s*的\s*\d+\s*次(?:方|幂)|"
    r"\d+\s+to the \d+\s*(?:st|nd|rd|th) power"
)
_POWER_WORDS = (
    r"to the power of|to the power|raised to the power of|raised to|power of|power|st|nd|rd|th|"
    r"squared|cubed|exponent"
)


def _power_extract(ctx: Context) -> Params:
    m = ctx.tsearch(
        r"#(\d+)#\s*(?:\*\*|\^|to the power(?: of)?|raised to(?: the power of)?)"
        r"\s*#(\d+)#|#(\d+)#\s*的\s*#(\d+)#\s*次(?:方|幂)|"
        r"#(\d+)#\s*(?:raised\s+)?to\s+the\s+#(\d+)#\s*(?:st|nd|rd|th)\s+power"
    )
    if m is not None:
        groups = [g for g in m.groups() if g is not None]
        base, exponent = ctx.num(groups[0]), ctx.num(groups[1])
        used = 2
    elif len(ctx.numbers) == 1 and ("**" in ctx.numbers[0].text or "^" in ctx.numbers[0].text):
        base_text, _, exp_text = ctx.numbers[0].text.replace("^", "**").partition("**")
        base, exponent, used = int(base_text), int(exp_text), 1
    else:
        raise NotMine(
            "write the power as '2 to the power of 100' or '2**100'",
            "请把幂写成“2的100次方”或“2**100”",
        )
    all_numbers_used(ctx, used)
    nothing_left(ctx, _POWER_WORDS, r"次方|次幂|幂")
    if (
        not (isinstance(base, int) and isinstance(exponent, int))
        or not 0 <= exponent <= _MAX_EXPONENT
    ):
        raise NeedMore(
            f"exact powers need a whole base and a whole exponent from 0 to {_MAX_EXPONENT}",
            f"精确幂需要整数底数和0到{_MAX_EXPONENT}之间的整数指数",
        )
    return {"base": int(base), "exponent": int(exponent)}


# --------------------------------------------------------------------------- factorial


def _factorial_extract(ctx: Context) -> Params:
    if len(ctx.numbers) > 1:  # "30! / 28!": an expression of factorials is exact.arithmetic's
        raise NotMine("a factorial needs exactly one number", "阶乘只需要一个数")
    (n,) = _one(ctx, "a factorial", "阶乘", high=_MAX_FACTORIAL)
    nothing_left(
        ctx, r"factorial|factorials|factorail|factoral|factoria|fatorial|!", r"阶乘|的阶乘|!"
    )
    return {"n": n}


def _one(
    ctx: Context, what_en: str, what_zh: str, *, low: int = 0, high: int | None = None
) -> list[int]:
    ints = _ints(ctx, low=low, high=high, what=what_en)
    if len(ints) != 1:
        raise NeedMore(f"{what_en} needs exactly one number", f"{what_zh}只需要一个数")
    return ints


# --------------------------------------------------------------------------- gcd / lcm

_GCD = r"gcd|greatest common divisor|greatest common factor|highest common factor|hcf|最大公约数|最大公因数|最大公因子"  # noqa: E501
_LCM = r"lcm|least common multiple|lowest common multiple|smallest common multiple|最小公倍数"


def _gcd_lcm_extract(words_en: str, words_zh: str) -> Any:
    def extract(ctx: Context) -> Params:
        ints = _ints(ctx, low=1, what="this")
        if len(ints) < 2:
            raise NeedMore("give at least two whole numbers", "请给出至少两个正整数")
        if ctx.has(_GCD) and ctx.has(_LCM):  # both asked: one answer would drop the other
            raise NeedMore(
                "ask for the gcd and the lcm one at a time", "请分别问最大公约数和最小公倍数"
            )
        rng = ctx.range()
        spanned = (
            rng is not None
            and len(ints) == 2
            and (rng.start, rng.stop) == (ints[0], ints[1])
            and ctx.tsearch(r"#0#\s*(?:to|through|thru|-|~|…|\.\.\.?|到|至)\s*#1#") is not None
        )
        if spanned:  # "the lcm of 1 to 20": every number from 1 to 20, never just 1 and 20
            if not ints[0] < ints[1] or ints[1] - ints[0] > 100_000:
                raise NeedMore(
                    "give a range of at most 100000 numbers, smaller first",
                    "请给出至多100000个数的范围，较小的数在前",
                )
            ctx.note(
                f"every whole number from {ints[0]} to {ints[1]}, both included",
                f"从{ints[0]}到{ints[1]}的每个整数（含两端）",
            )
        nothing_left(
            ctx,
            words_en + r"|common|divisor|multiple|numbers?|integers?|all|from|through|thru",
            words_zh + r"|最大公约数|最小公倍数|从|到|至|所有|整数|之间|的数|各数",
        )
        if spanned:
            return {"numbers": [ints[0], ints[1]], "span": True}
        if ctx.tsearch(r"#\d+#\s*(?:to|through|到|至)\s*#\d+#"):
            raise NeedMore(
                "write the numbers one by one, or a range as 'from 1 to 20'",
                "请逐个写出这些数，或写成“从1到20”",
            )
        return {"numbers": ints}

    return extract


# --------------------------------------------------------------------------- primality

_ISPRIME = (
    r"\bis\s+\d+\s+(?:a\s+)?prime|\bis\s+\d[\d\s+\-*^()]*\d\s*\)?\s+(?:a\s+)?prime|"
    r"\d\s*\)?\s*是(?:不是)?(?:一个)?(?:质数|素数)|\d+\s+(?:is\s+)?(?:a\s+)?prime(?:\s+number)?\s*\?|"
    r"(?:whether|if)\s+\d+\s+is\s+(?:a\s+)?prime|\bprimality\b|"
    r"\d+\s*是(?:不是)?(?:一个)?(?:质数|素数)|\d+\s*是否为?(?:质数|素数)|"
    r"\d+\s*(?:是)?(?:质数|素数)吗|质数还是合数"
)


#: An integer written as arithmetic: "2^31 - 1", "2**61-1", "(10**12 + 39)".
_ARITHMETIC = lazy(r"\(?\s*\d[\d\s+\-*^()]*\d\s*\)?|\d")


def _integer_arithmetic(source: str) -> int | None:
    """The value of ``source`` when it is whole-number + - * ** only (small enough to test)."""
    try:
        tree = ast.parse(source.replace("^", "**"), mode="eval")
    except SyntaxError:
        return None

    def value(node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
            left, right = value(node.left), value(node.right)
            return (
                left + right
                if isinstance(node.op, ast.Add)
                else (left - right if isinstance(node.op, ast.Sub) else left * right)
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base, exponent = value(node.left), value(node.right)
            if not 0 <= exponent <= 100_000 or abs(base) > 10**6:
                raise ValueError("too large")
            return base**exponent
        raise ValueError("not integer arithmetic")

    try:
        return value(tree.body)
    except (ValueError, RecursionError):
        return None


def _isprime_extract(ctx: Context) -> Params:
    written = [m.group(0).strip() for m in _ARITHMETIC.finditer(ctx.text)]
    formulas = [w for w in written if re.search(r"[+\-*^]", w)]
    if len(formulas) == 1 and len(written) == 1:  # "is 2^31 - 1 prime": one number, written out
        n = _integer_arithmetic(formulas[0])
        if n is None or n < 0:
            raise NeedMore(
                "write the number as whole-number arithmetic, e.g. '2^31 - 1'",
                "请把这个数写成整数运算，例如“2^31 - 1”",
            )
        nothing_left(ctx, r"primes?|primality|test|number|minus|plus", r"质数|素数|合数|还是")
        ctx.note(f"{formulas[0]} = {n}", f"{formulas[0]} = {n}")
        return {"n": n}
    (n,) = _one(ctx, "a primality test", "判断质数", low=0)
    nothing_left(ctx, r"primes?|primality|test|number", r"质数|素数|合数|还是")
    return {"n": n}


# --------------------------------------------------------------------------- primes by index


def _nth_prime_extract(ctx: Context) -> Params:
    n = _ordinal(ctx)
    if n is None:
        raise NeedMore(
            "say which prime, e.g. 'the 10001st prime'", "请说明第几个质数，例如“第100个质数”"
        )
    all_numbers_used(ctx, 1)
    nothing_left(
        ctx, r"primes?|st|nd|rd|th|prime number", r"质数|素数|第|个|位|哪一个数|哪个数|哪一个"
    )
    if not 1 <= n <= _MAX_INDEX:
        raise NeedMore(
            f"the index must be from 1 to {_MAX_INDEX}", f"序号必须在1到{_MAX_INDEX}之间"
        )
    return {"n": n}


_FIRST = r"\bfirst\s+#(\d+)#|前\s*#(\d+)#\s*(?:个|项|位)?"


#: Statistics of "the first N primes" or "the first N Fibonacci numbers": (English, Chinese).
_OF_THE_FIRST = {
    "sum": (r"sum|total|add|added|up|together", r"的和|之和|总和|求和|加起来|相加|和是|和为|和"),
    "product": (r"product|multiplied|multiply", r"乘积|的积|之积|相乘|连乘|积"),
    "mean": (r"mean|average|avg", r"平均值|平均数|平均"),
}


def _of_the_first(ctx: Context) -> tuple[str | None, str, str]:
    """The statistic asked of the first N numbers (None: the list), with its own words."""
    asked = [k for k, (en, zh) in _OF_THE_FIRST.items() if ctx.has(rf"\b(?:{en})\b|{zh}")]
    if ctx.has(r"\bup\b") and not ctx.has(r"add(?:ed)? up|sum up"):
        asked = [a for a in asked if a != "sum" or ctx.has(r"\bsum\b|total|add|的和|之和|总和")]
    if len(asked) > 1:
        raise NotMine("ask for one statistic at a time", "请一次只问一个统计量")
    if not asked:
        return None, "", ""
    en, zh = _OF_THE_FIRST[asked[0]]
    return asked[0], "|" + en, "|" + zh


def _first_primes_extract(ctx: Context) -> Params:
    m = ctx.tsearch(_FIRST)
    if m is None:
        raise NeedMore("say how many, e.g. 'the first 30 primes'", "请说明要几个，例如“前30个质数”")
    all_numbers_used(ctx, 1)
    stat, own_en, own_zh = _of_the_first(ctx)
    nothing_left(ctx, r"first|primes?|prime numbers" + own_en, r"前|质数|素数|个" + own_zh)
    n = int(ctx.num(m.group(1) or m.group(2)))
    if not 1 <= n <= _MAX_INDEX:
        raise NeedMore(f"ask for 1 to {_MAX_INDEX} primes", f"请要1到{_MAX_INDEX}个质数")
    return {"n": n, "stat": stat} if stat else {"n": n}


# --------------------------------------------------------------------------- Fibonacci

_FIB = r"fibonacci|fibbonacci|fibonnaci|斐波那契|斐波纳契|斐波拉契"


def _fib_extract(ctx: Context) -> Params:
    first = ctx.tsearch(_FIRST + r"|#(\d+)#\s*(?:fibonacci|斐波那契)|前\s*#(\d+)#\s*项")
    ordinal = _ordinal(ctx)
    stated = convention(ctx)  # "（F1=F2=1）": checked against SymPy's, or refused
    all_numbers_used(ctx, 1 + stated.used)
    stat, own_en, own_zh = _of_the_first(ctx)
    nothing_left(
        ctx,
        _FIB + r"|first|terms?|sequence|series|numbers?|st|nd|rd|th|f|convention|where|"
        r"starting|start|assuming|given" + own_en,
        CHAIN + "|" + _FIB + r"|数列|前|项|第|个|位|数|其中|约定|规定|假设|设|令" + own_zh,
    )
    if first is not None and ordinal is None:
        n = int(ctx.num(next(g for g in first.groups() if g is not None)))
        mode = "first"
    elif ordinal is not None:
        n, mode = ordinal, "nth"
    elif ctx.tsearch(r"(?:fibonacci|f)\s*\(\s*#0#\s*\)"):
        n, mode = int(ctx.numbers[0].value), "nth"
    else:
        raise NeedMore(
            "say 'the first 20 Fibonacci numbers' or 'the 50th Fibonacci number'",
            "请说“斐波那契数列前20项”或“斐波那契数列第50项”",
        )
    if not 1 <= n <= 100_000:
        raise NeedMore("ask for 1 to 100000 Fibonacci numbers", "请要1到100000项")
    ctx.note("F(1) = F(2) = 1 (SymPy's fibonacci)", "F(1) = F(2) = 1（SymPy的fibonacci）")
    if stated.shift:
        if mode != "nth":
            raise Refuse(
                "with that convention ask for one term, e.g. 'the 50th Fibonacci number'",
                "按这个约定请只问一项，例如“斐波那契数列第50项”",
                with_help=True,
            )
        ctx.note(
            f"your convention's F({n}) is SymPy's fibonacci({n + stated.shift})",
            f"按你的约定，F({n}) 即 SymPy 的 fibonacci({n + stated.shift})",
        )
        return {"n": n, "mode": mode, "shift": stated.shift}
    if stat is not None:
        if mode != "first":
            raise NotMine("a sum or mean is of the first N numbers", "求和或平均请问前N项")
        return {"n": n, "mode": mode, "stat": stat}
    return {"n": n, "mode": mode}


# --------------------------------------------------------------------------- digit sums

_DIGITSUM = (
    r"(?:sum|total)\s+of\s+(?:the\s+|all\s+|its\s+)?digits|digit\s*sum|"
    r"add\s+up\s+(?:the\s+|all\s+)?digits|"
    r"各位数字之和|各位数字的和|数字之和|各位之和|数位之和|各位数字和|各位数字加起来|各位数字相加|"
    r"各位上的数字之和|每一位数字之和|每一位数字加起来|数字加起来"
)


def _big_number(ctx: Context, what_en: str, what_zh: str) -> tuple[str, int]:
    """The number whose digits are asked about (a power, a factorial or written out), as code,
    and how many numbers of the prose it used."""
    m = ctx.tsearch(
        r"#(\d+)#\s*(?:\*\*|\^|to the power(?: of)?)\s*#(\d+)#|"
        r"#(\d+)#\s*的\s*#(\d+)#\s*次(?:方|幂)"
    )
    fact = ctx.tsearch(
        r"#(\d+)#\s*!|factorial of\s*#(\d+)#|#(\d+)#\s*factorial|#(\d+)#\s*的\s*阶乘"
    )
    written_power = len(ctx.numbers) == 1 and re.search(r"\*\*|\^", ctx.numbers[0].text)
    if (
        m is None
        and fact is None
        and not written_power
        and ctx.has(r"factorial|阶乘|!|power|次方|次幂|\^|\*\*")
    ):
        raise NeedMore(  # "100 的 阶乘" misread would be the digits of 100
            f"write the number whose digits to {what_en} as '2**1000' or '100!'",
            f"请把要{what_zh}的数写成“2**1000”或“100的阶乘”",
        )
    if m is not None:
        groups = [g for g in m.groups() if g is not None]
        return f"{ctx.num(groups[0])} ** {ctx.num(groups[1])}", 2
    if fact is not None:
        return f"factorial({ctx.num(next(g for g in fact.groups() if g is not None))})", 1
    if len(ctx.numbers) == 1 and isinstance(ctx.numbers[0].value, int):
        shown = ctx.numbers[0].text.replace("^", "**")
        return (shown if "**" in shown else str(ctx.numbers[0].value)), 1
    raise NotMine(
        f"say which number's digits to {what_en}, e.g. '2**1000'",
        f"请说明要对哪个数{what_zh}，例如“2**1000”",
    )


def _digitsum_extract(ctx: Context) -> Params:
    number, used = _big_number(ctx, "add up", "求各位数字之和")
    all_numbers_used(ctx, used)
    nothing_left(
        ctx,
        r"sum|total|add|up|digits?|power|factorial|!|to the|of|all|its",
        r"各位数字之和|各位数字的和|数字之和|各位之和|数位之和|各位数字和|次方|次幂|阶乘|各位|数字|"
        r"加起来|相加|每一位|上的",
    )
    return {"number": number}


_DIGITCOUNT = (
    r"how many digits|number of digits|digit count|count (?:the )?digits|how long is|"
    r"多少位|几位数|(?<![中分百])位数"
)


def _digitcount_extract(ctx: Context) -> Params:
    number, used = _big_number(ctx, "count", "数位数")
    all_numbers_used(ctx, used)
    nothing_left(
        ctx,
        r"how|many|digits?|number|of|count|the|does|do|have|has|is|long|in|power|factorial|!|"
        r"to the|decimal|written",
        r"有多少位数字|有多少位|多少位|是几位数|几位数|几位|位数|数字|一共|有|次方|次幂|阶乘|十进制",
    )
    return {"number": number}


# --------------------------------------------------------------------------- constants

_CONSTANTS = {
    "pi": (r"\bpi\b|π|圆周率", "pi"),
    "e": (r"\be\b|euler'?s number|自然常数|自然对数的底", "E"),
    "sqrt2": (r"sqrt\s*\(?\s*2|square root of 2|根号2|√2|2的平方根", "sqrt(2)"),
    "phi": (r"golden ratio|黄金分割|黄金比", "GoldenRatio"),
}
_DIGITS = (
    r"digits?|decimal places?|decimals|places|significant|位小数|位有效数字|位数字|位|精确到|"
    r"小数点后"
)


def _constant_extract(ctx: Context) -> Params:
    which = [k for k, (pattern, _) in _CONSTANTS.items() if ctx.has(pattern)]
    if len(which) != 1:
        raise NeedMore(
            "name one constant: pi, e, sqrt(2) or the golden ratio",
            "请说明一个常数：圆周率、e、根号2或黄金分割比",
        )
    all_numbers_used(ctx, 1 + (which[0] == "sqrt2"))
    m = ctx.tsearch(r"#(\d+)#\s*(?:digits?|decimal|places|significant|位)|(?:到|前|to)\s*#(\d+)#")
    if m is None:
        raise NeedMore(
            "say how many digits, e.g. 'pi to 50 digits'", "请说明要多少位，例如“圆周率的前50位”"
        )
    count = ctx.num(m.group(1) or m.group(2))
    if not isinstance(count, int) or not 1 <= count <= 100_000:
        raise NeedMore("ask for 1 to 100000 digits", "请要1到100000位")
    own = (
        r"|".join(p for p, _ in _CONSTANTS.values())
        + r"|"
        + _DIGITS
        + r"|first|to|after|the|point|decimal|of|value|number|digits"
    )
    nothing_left(
        ctx,
        own + r"|euler|s|golden|ratio|square|root|sqrt|pi|e",
        r"圆周率|自然常数|自然对数的底|根号|平方根|黄金分割比|黄金分割|黄金比|前|到|位小数|位有效数字|位数字|"
        r"位|精确到|小数点后|小数|π|√",
    )
    decimals = ctx.has(r"decimal places?|decimals|after the (?:decimal )?point|位小数|小数点后")
    integer_digits = 1  # pi, e, sqrt(2) and the golden ratio all lie between 1 and 10
    significant = count + integer_digits if decimals else count
    ctx.note(
        f"{count} {'decimal places' if decimals else 'significant digits'}, rounded",
        f"{count}{'位小数' if decimals else '位有效数字'}（四舍五入）",
    )
    return {"constant": which[0], "digits": significant}


# --------------------------------------------------------------------------- code


#: statistic: (import line, expression around the list)
_STAT_OF = {
    None: ("", "{}"),
    "sum": ("", "sum({})"),
    "product": ("from math import prod\n\n", "prod({})"),
    "mean": ("from statistics import fmean\n\n", "fmean({})"),
}


def _code(params: Params, kind: str) -> str:
    if kind == "power":
        return f"result = {params['base']} ** {params['exponent']}  # Python integers are exact\n"
    if kind == "factorial":
        return f"from sympy import factorial\n\nresult = int(factorial({params['n']}))\n"
    if kind in ("gcd", "lcm"):
        fn = "igcd" if kind == "gcd" else "ilcm"
        if params.get("span"):
            low, high = params["numbers"]
            return (
                f"from functools import reduce\n\nfrom sympy import {fn}\n\n"
                f"result = int(reduce({fn}, range({low}, {high} + 1)))"
                f"  # every number from {low} to {high}\n"
            )
        return f"from sympy import {fn}\n\nresult = int({fn}({', '.join(map(str, params['numbers']))}))\n"  # noqa: E501
    if kind == "isprime":
        return f"from sympy import isprime\n\nresult = bool(isprime({params['n']}))\n"
    if kind == "nth_prime":
        return f"from sympy import prime\n\nresult = int(prime({params['n']}))\n"
    if kind == "first_primes":
        listed = f"[int(p) for p in primerange(2, prime({params['n']}) + 1)]"
        return (
            "from sympy import prime, primerange\n\n"
            + _STAT_OF[params.get("stat")][0]
            + f"result = {_STAT_OF[params.get('stat')][1].format(listed)}\n"
        )
    if kind == "fibonacci":
        if params["mode"] == "nth":
            index = params["n"] + params.get("shift", 0)  # a convention the prose stated
            return f"from sympy import fibonacci\n\nresult = int(fibonacci({index}))\n"
        listed = f"[int(fibonacci(k)) for k in range(1, {params['n']} + 1)]"
        return (
            "from sympy import fibonacci\n\n"
            + _STAT_OF[params.get("stat")][0]
            + f"result = {_STAT_OF[params.get('stat')][1].format(listed)}\n"
        )
    if kind == "digitsum":
        number = params["number"]
        head = "from sympy import factorial\n" if "factorial" in number else ""
        return (
            f"{head}from sympy.ntheory import digits\n\n"
            f"result = sum(digits({number})[1:])  # digits() starts with the base\n"
        )
    if kind == "digitcount":
        number = params["number"]
        head = "from sympy import factorial\n\n" if "factorial" in number else ""
        return f"{head}result = len(str({number}))  # decimal digits of an exact integer\n"
    if kind == "constant":
        name = _CONSTANTS[params["constant"]][1]
        fn = name.split("(")[0]
        return (
            f"from sympy import N, {fn}\n\n"
            f"result = str(N({name}, {params['digits']}))"
            f"  # {params['digits']} significant digits\n"
        )
    raise AssertionError(kind)


_SUMMARIES = {
    "power": ("Compute {base}**{exponent} exactly", "精确计算{base}的{exponent}次方"),
    "factorial": ("Compute {n}! exactly", "精确计算{n}的阶乘"),
    "gcd": ("Greatest common divisor of {numbers}", "求{numbers}的最大公约数"),
    "lcm": ("Least common multiple of {numbers}", "求{numbers}的最小公倍数"),
    "isprime": ("Test whether {n} is prime", "判断{n}是否为质数"),
    "nth_prime": ("Find the {n}-th prime", "求第{n}个质数"),
    "first_primes": ("The first {n} primes", "前{n}个质数"),
    "fibonacci": ("Fibonacci numbers ({mode} {n})", "斐波那契数（{mode} {n}）"),
    "digitsum": ("Add up the digits of {number}", "求{number}的各位数字之和"),
    "digitcount": ("Count the decimal digits of {number}", "{number}的位数"),
    "constant": ("{constant} to {digits} significant digits", "{constant}，{digits}位有效数字"),
}


def _summary(kind: str) -> Any:
    def summary(params: Params, lang: str) -> str:
        en, zh = _SUMMARIES[kind]
        shown = {
            k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in params.items()
        }
        if params.get("span"):
            shown["numbers"] = "{} to {}".format(*params["numbers"])
        if params.get("stat"):  # the sum, product or mean of the first N
            words = {
                "sum": ("sum", "和"),
                "product": ("product", "乘积"),
                "mean": ("mean", "平均值"),
            }
            w_en, w_zh = words[params["stat"]]
            en, zh = f"The {w_en} of " + en[0].lower() + en[1:], f"{zh}的{w_zh}"
        return text(lang, en, zh).format(**shown)

    return summary


def _answer(kind: str) -> Any:
    def answer(params: Params, value: Any, lang: str) -> str:
        summary = _summary(kind)(params, lang)
        if kind == "isprime":
            return text(
                lang,
                f"{params['n']} is {'a prime' if value else 'not a prime'}.",
                f"{params['n']}{'是' if value else '不是'}质数。",
            )
        shown = (
            fmt(value)
            if not isinstance(value, list)
            else (str(value) if len(value) <= 30 else f"{value[:10]} … ({len(value)} numbers)")
        )
        return text(lang, f"{summary}: {shown}.", f"{summary}：{shown}。")

    return answer


def _recipe(
    kind: str, anchors: str, en: tuple[str, ...], zh: tuple[str, ...], extract: Any, priority: int
) -> Recipe:
    return Recipe(
        id=f"exact.{kind}",
        anchors=anchors,
        examples_en=en,
        examples_zh=zh,
        extract=extract,
        code=lambda params: _code(params, kind),
        summary=_summary(kind),
        answer=_answer(kind),
        demo=en[0],
        priority=priority,
        decisive=True,
        grid=False,
    )


RECIPES = [
    _recipe(
        "digitcount",
        _DIGITCOUNT,
        (
            "how many digits does 2**1000 have",
            "number of digits of 100 factorial",
            "how many digits are in 3^500",
            "digit count of 1000!",
            "how many digits does 2 to the power of 100 have",
        ),
        (
            "2的1000次方有多少位",
            "100的阶乘是几位数",
            "3^500有多少位数字",
            "1000!的位数",
            "2**64是几位数",
        ),
        _digitcount_extract,
        50,
    ),
    _recipe(
        "digitsum",
        _DIGITSUM,
        (
            "sum of the digits of 2**1000",
            "digit sum of 100 factorial",
            "what is the sum of all digits of 3^500",
            "total of the digits of 2 to the power 50",
            "add up the digits of 12345678987654321",
        ),
        (
            "2的1000次方的各位数字之和",
            "100的阶乘的各位数字之和",
            "求3**200各位数字的和",
            "12345678987654321的数字之和",
            "2^500的数位之和",
        ),
        _digitsum_extract,
        50,
    ),
    _recipe(
        "nth_prime",
        r"(?:\d+\s*(?:st|nd|rd|th)\s+prime|第\s*[\d零一二两三四五六七八九十百千万亿]+\s*(?:个|位)?\s*(?:质数|素数))",
        (
            "the 10001st prime number",
            "what is the 5000th prime",
            "find the 100th prime",
            "give me the 1000000th prime",
            "which number is the 42nd prime",
        ),
        (
            "第100个质数是多少",
            "求第10001个素数",
            "第5000个质数",
            "找出第1000个素数",
            "第42个质数是几",
        ),
        _nth_prime_extract,
        40,
    ),
    _recipe(
        "first_primes",
        r"(?:\bfirst\s+\d+\s+prime|前\s*\d+\s*(?:个|位)?\s*(?:质数|素数))",
        (
            "the first 30 primes",
            "list the first 100 prime numbers",
            "give me the first 20 primes",
            "first 1000 primes",
            "show the first 10 primes",
        ),
        ("前30个质数", "列出前100个素数", "求前20个质数", "给出前1000个素数", "前10个质数是哪些"),
        _first_primes_extract,
        40,
    ),
    _recipe(
        "isprime",
        _ISPRIME,
        (
            "is 2147483647 a prime?",
            "is 97 prime",
            "check whether 1000003 is a prime number",
            "is 561 a prime number?",
            "test if 104729 is prime",
        ),
        (
            "97是质数吗",
            "2147483647是不是素数",
            "判断1000003是否为质数",
            "561是素数吗",
            "104729是质数还是合数",
        ),
        _isprime_extract,
        30,
    ),
    _recipe(
        "fibonacci",
        _FIB,
        (
            "compute the first 30 Fibonacci numbers",
            "the 50th fibonacci number",
            "give me the first 15 Fibonacci numbers",
            "what is fibonacci(100)",
            "list the first 20 terms of the fibonacci sequence",
        ),
        (
            "求斐波那契数列前20项",
            "斐波那契数列的第50项",
            "斐波那契数列第100项是多少",
            "列出斐波那契数列的前30个数",
            "前15个斐波那契数",
        ),
        _fib_extract,
        30,
    ),
    _recipe(
        "factorial",
        r"factorial|factorail|factoral|factoria|fatorial|阶乘|\d+\s*!",
        (
            "factorial of 100",
            "what is 52 factorial",
            "compute 30!",
            "calculate the factorial of 20",
            "100! exactly",
        ),
        ("计算30的阶乘", "100的阶乘是多少", "求52的阶乘", "20!等于多少", "算一下1000的阶乘"),
        _factorial_extract,
        20,
    ),
    _recipe(
        "gcd",
        _GCD,
        (
            "gcd of 1071 and 462",
            "greatest common divisor of 1989 and 867",
            "what is the highest common factor of 24 and 36",
            "gcd(48, 180)",
            "greatest common divisor of 12, 18 and 30",
        ),
        (
            "求84和126的最大公约数",
            "1071和462的最大公约数",
            "24与36的最大公因数是多少",
            "计算12、18和30的最大公约数",
            "48和180的最大公约数是几",
        ),
        _gcd_lcm_extract(_GCD, "最大公约数|最大公因数"),
        20,
    ),
    _recipe(
        "lcm",
        _LCM,
        (
            "least common multiple of 12, 18 and 30",
            "lcm of 4 and 6",
            "lcm(21, 6)",
            "what is the lowest common multiple of 8 and 12",
            "least common multiple of 1 to 20",
        ),
        (
            "求4、6和10的最小公倍数",
            "12和18的最小公倍数",
            "8与12的最小公倍数是多少",
            "计算21和6的最小公倍数",
            "15、20和25的最小公倍数",
        ),
        _gcd_lcm_extract(_LCM, "最小公倍数"),
        20,
    ),
    _recipe(
        "constant",
        r"(?:\bpi\b|π|圆周率|\be\b|euler|自然常数|sqrt\s*\(?\s*2|square root of 2|根号2|"
        r"golden ratio|黄金分割).*(?:digit|decimal|places|位)|"
        r"(?:digit|decimal|places|位).*(?:\bpi\b|π|圆周率|\be\b|自然常数)",
        (
            "compute pi to 50 digits",
            "pi to 30 decimal places",
            "e to 20 digits",
            "the first 100 digits of pi",
            "golden ratio to 40 digits",
        ),
        (
            "圆周率的前50位小数",
            "计算圆周率到100位",
            "e的前20位有效数字",
            "根号2精确到30位小数",
            "黄金分割比的前40位",
        ),
        _constant_extract,
        30,
    ),
    _recipe(
        "power",
        _POWER,
        (
            "what is 2 to the power of 100",
            "2**100",
            "compute 3^50 exactly",
            "7 raised to 77",
            "2 to the power 64",
        ),
        ("2的64次方是多少", "计算3的50次方", "2**100等于多少", "7的77次幂", "求2^64"),
        _power_extract,
        10,
    ),
]
