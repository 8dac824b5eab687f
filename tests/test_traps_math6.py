"""Traps for the exact-maths, primes and simulation kinds the fifth blind set refused.

Factorials inside an expression ("30! / 28!"), a remainder of a power ("7的222次方除以11的
余数", "the last 3 digits of 3^200"), a lone 一 that is part of a word ("一共"), an ordinal
written in Chinese numerals followed by "哪个数", "会有" in a coin question, a sample count
before "uniform(0,1)", and ±1 random walks with the mean squared end point. Each is
answered exactly or refused: a trailing "!" may be an exclamation, a request restated
("i.e.") is answered only when both readings agree, a step other than ±1 is not simulated.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import aigc_magic
from aigc_magic.errors import PlanningError


def ask(prose: str) -> Any:
    return aigc_magic.ask(prose, namespace={}, planner="offline", safety="strict")


def refused(prose: str) -> str:
    with pytest.raises(PlanningError) as info:
        ask(prose)
    return str(info.value)


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("whats 30! / 28! ? (dont want a decimal pls)", 870),
        ("100!/98!", 9900),
        ("10! / (3! * 7!)", math.comb(10, 3)),
        ("20!/18! - 1", 379),
        ("10的阶乘除以8的阶乘", 90),
        ("7 / 3 as a fraction", "7/3"),  # asked as a fraction: never 2.333
        ("7的222次方除以11，余数是多少", pow(7, 222, 11)),
        ("2的100次方除以7的余数", pow(2, 100, 7)),
        ("3的200次方对1000取模", pow(3, 200, 1000)),
        ("the remainder when 2^100 is divided by 7", pow(2, 100, 7)),
        ("last 3 digits of 3^200", pow(3, 200, 1000)),
        ("what is 3^200 mod 1000", pow(3, 200, 1000)),
        ("一副52张的扑克牌里任意抽5张，一共有多少种不同的组合？", math.comb(52, 5)),
        ("第一千个质数是哪个数？", 7919),
        ("第一百零一个质数", 547),
        ("第两千个素数是多少", 17389),
        ("factorial of 10", math.factorial(10)),  # one factorial stays exact.factorial's
    ],
)
def test_exact_kinds(prose: str, expected: Any) -> None:
    assert ask(prose).value == expected


@pytest.mark.parametrize(
    "prose",
    [
        "what is 5 * 3!",  # the "!" may be an exclamation: 30 or 15
        "3 + 4!",
        "last 3 digits of 7^5 — i.e. 7^5 mod 100",  # two readings that disagree: 807 or 7
        "2的100次方除以7",  # a division, not asked as a remainder: 2**100/7 is no remainder
    ],
)
def test_exact_traps_refused_or_literal(prose: str) -> None:
    if prose == "2的100次方除以7":
        assert ask(prose).value == pytest.approx(2**100 / 7)
    else:
        refused(prose)


def test_lone_one_of_a_word_is_no_number() -> None:
    from aigc_magic.llm._numbers import find_numbers, prepare

    found = [n.value for n in find_numbers(prepare("一副52张牌里抽5张,一共有多少种"))]
    assert found == [52, 5]
    assert [n.value for n in find_numbers(prepare("从一到十"))] == [1, 10]


@pytest.mark.parametrize(
    "prose, low, high, n, stat",
    [
        (
            "generate 10000 uniform(0,1) numbers, sort them and tell me the median",
            0.47,
            0.53,
            10000,
            "median",
        ),
        ("10000 uniform(0,1) random numbers, mean", 0.47, 0.53, 10000, "mean"),
        ("20000 uniform(2,4) numbers, their mean", 2.95, 3.05, 20000, "mean"),
    ],
)
def test_uniform_written_with_its_bounds(
    prose: str, low: float, high: float, n: int, stat: str
) -> None:
    result = ask(prose)
    assert result.plan.params["n"] == n and result.plan.params["stats"] == [stat]
    assert low <= result.value <= high


def test_coin_with_hui_you() -> None:
    result = ask("抛硬币一百万次，正面朝上大概会有多少次")
    assert result.plan.params["n"] == 10**6 and result.plan.params["measure"] == "count"
    assert 497_000 <= result.value <= 503_000


@pytest.mark.parametrize(
    "prose",
    [
        "一维随机游走，每步±1，走一万步，重复2000次，终点位置平方的平均值是多少",
        "±1 random walk of 10000 steps, repeated 2000 times, mean squared endpoint",
    ],
)
def test_plus_minus_one_walks(prose: str) -> None:
    result = ask(prose)
    assert (result.plan.params["steps"], result.plan.params["walks"]) == (10000, 2000)
    assert result.plan.params["stat"] == "msd"  # the mean of x**2, never the mean of x
    assert 8400 <= result.value <= 11600


def test_a_walk_of_other_steps_is_refused() -> None:
    refused("随机游走，每步±2，走100步，重复20次，终点位置平方的平均值")
