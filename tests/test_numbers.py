"""Numbers, bounds, ranges and lists read from English and Chinese prose."""

from __future__ import annotations

import math

import pytest

from aigc_magic.llm._numbers import find_numbers, mask_numbers, parse_number, prepare
from aigc_magic.llm._spans import find_bound, find_lists, find_range


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10000", 10000),
        ("10,000", 10000),
        ("1,234,567", 1234567),
        ("1e6", 1_000_000),
        ("2.5e3", 2500),
        ("10^6", 1_000_000),
        ("10**6", 1_000_000),
        ("10k", 10_000),
        ("2.5M", 2_500_000),
        ("3 million", 3_000_000),
        ("1.5 billion", 1_500_000_000),
        ("two million", 2_000_000),
        ("a thousand", 1000),
        ("ten thousand", 10_000),
        ("one hundred and five", 105),
        ("twenty-five", 25),
        ("half a million", 500_000),
        ("0.1", 0.1),
        (".5", 0.5),
        ("-3.5", -3.5),
        ("１００", 100),
        ("1万", 10_000),
        ("10万", 100_000),
        ("2.5万", 25_000),
        ("1亿", 100_000_000),
        ("一百万", 1_000_000),
        ("两百万", 2_000_000),
        ("三千", 3000),
        ("一千五百", 1500),
        ("十万", 100_000),
        ("一万五", 15_000),
        ("二十五", 25),
        ("一百零五", 105),
        ("百万", 1_000_000),
        ("一九九八", 1998),
    ],
)
def test_number_forms(text: str, value: float) -> None:
    got = parse_number(text)
    assert got == value
    if isinstance(value, int):
        assert isinstance(got, int)


@pytest.mark.parametrize("text", ["hello", "one", "一下", "统一", "每一个", "10 and 20", ""])
def test_not_a_single_number(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_in_prose_keep_their_order_and_spans() -> None:
    text = prepare("sum of i**2 for i from 1 to 1e3")
    numbers = find_numbers(text)
    assert [n.value for n in numbers] == [2, 1, 1000]
    assert text[numbers[-1].start : numbers[-1].end] == "1e3"


def test_lone_chinese_digits_are_words_unless_next_to_a_number_word() -> None:
    assert [n.value for n in find_numbers(prepare("算一下一百万以内的质数"))] == [1_000_000]
    assert [n.value for n in find_numbers(prepare("五折交叉验证"))] == [5]
    assert [n.value for n in find_numbers(prepare("从一到十"))] == [1, 10]


def test_constants_only_when_asked() -> None:
    text = prepare("integrate sin(x) from 0 to 2pi")
    assert [n.value for n in find_numbers(text)] == [0, 2]
    values = [n.value for n in find_numbers(text, constants=True)]
    assert values[-1] == pytest.approx(2 * math.pi)
    assert find_numbers(prepare("from 0 to infinity"), constants=True)[-1].value == math.inf
    assert parse_number("pi/2") == pytest.approx(math.pi / 2)
    assert parse_number("π") == pytest.approx(math.pi)


@pytest.mark.parametrize(
    ("text", "value", "inclusive"),
    [
        ("primes below 10000", 10000, False),
        ("primes under 1e6", 1_000_000, False),
        ("less than 50", 50, False),
        ("fewer than 3 thousand", 3000, False),
        ("up to 100", 100, True),
        ("at most 10k", 10_000, True),
        ("not exceeding 5000", 5000, True),
        ("no more than two million", 2_000_000, True),
        ("<= 10^6", 1_000_000, True),
        ("< 10**4", 10_000, False),
        ("less than or equal to 30", 30, True),
        ("10000以内的质数", 10000, True),
        ("一百万以下", 1_000_000, True),
        ("小于100", 100, False),
        ("不超过1e6的素数", 1_000_000, True),
        ("两百万之内", 2_000_000, True),
        ("低于三千", 3000, False),
        ("再算到一百万", 1_000_000, True),
        ("换成100万以内", 1_000_000, True),
    ],
)
def test_bounds(text: str, value: int, inclusive: bool) -> None:
    bound = find_bound(prepare(text))
    assert bound is not None
    assert (bound.value, bound.inclusive) == (value, inclusive)


@pytest.mark.parametrize(
    ("text", "start", "stop", "inclusive"),
    [
        ("from 1 to 1000", 1, 1000, True),
        ("between 100 and 200", 100, 200, True),
        ("for x in 1..1e6", 1, 1_000_000, True),
        ("1...10^6", 1, 1_000_000, True),
        ("primes 500-600", 500, 600, True),
        ("range(1, 101)", 1, 101, False),
        ("k = 1 to 10", 1, 10, True),
        ("integrate over [0, 1]", 0, 1, True),
        ("from -1 to 1", -1, 1, True),
        ("从1到100", 1, 100, True),
        ("1到100的平方和", 1, 100, True),
        ("100到200之间的质数", 100, 200, True),
        ("在1和10之间", 1, 10, True),
        ("200至300", 200, 300, True),
        ("从1加到一万", 1, 10_000, True),
        ("from 10k to 2.5M", 10_000, 2_500_000, True),
    ],
)
def test_ranges(text: str, start: float, stop: float, inclusive: bool) -> None:
    rng = find_range(prepare(text))
    assert rng is not None
    assert (rng.start, rng.stop, rng.inclusive) == (start, stop, inclusive)


def test_a_dash_between_numbers_is_a_range_only_when_unambiguous() -> None:
    assert find_range(prepare("10 - 5")) is None
    assert find_range(prepare("600-500")) is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("among 0.1, 1 and 10", [0.1, 1, 10]),
        ("C in [0.1, 1, 10]", [0.1, 1, 10]),
        ("C in [1,100,1000]", [1, 100, 1000]),
        ("either 1 or 10", [1, 10]),
        ("0.01, 0.1, or 1", [0.01, 0.1, 1]),
        ("C取0.1、1、10", [0.1, 1, 10]),
        ("gamma取0.01和0.001", [0.01, 0.001]),
        ("n_estimators (50, 100, 200)", [50, 100, 200]),
    ],
)
def test_lists(text: str, values: list[float]) -> None:
    lists = find_lists(prepare(text))
    assert lists and lists[0][1] == values


def test_two_lists_and_no_list_in_a_range() -> None:
    lists = find_lists(prepare("C取0.1、1、10，gamma取0.01和0.001"))
    assert [v for _, v in lists] == [[0.1, 1, 10], [0.01, 0.001]]
    assert find_lists(prepare("between 1 and 10")) == []
    assert find_lists(prepare("range(1, 101)")) == []


def test_masking_makes_bounds_look_alike() -> None:
    assert mask_numbers("primes below 10000") == mask_numbers("primes below 50")
    assert mask_numbers("两百万以内的质数") == mask_numbers("10万以内的质数")
