"""Bounds, ranges and lists of numbers written in prose ("below 100", "从1到100", "C in [1, 10]").

The finders read the *template* of prepared text (:func:`._numbers.template`: every number
replaced by ``#k#``), so a pattern such as ``from #0# to #1#`` reads the same whatever spelling
the numbers had::

    >>> find_range("sum of i**2 for i from 1 to 10,000")
    Range(start=1, stop=10000, inclusive=True, phrase='from-to')
    >>> find_bound("两百万以内的质数")
    Bound(value=2000000, inclusive=True, phrase='以内')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._lazy import LazyPattern, lazy
from ._numbers import Number, Value, find_numbers, template

__all__ = ["Bound", "Range", "find_bound", "find_lists", "find_range"]


@dataclass(frozen=True)
class Bound:
    """An upper bound such as "below 100" (exclusive) or "100以内" (inclusive)."""

    value: Value
    inclusive: bool
    phrase: str


@dataclass(frozen=True)
class Range:
    """A closed or half-open interval such as "from 1 to 100" or ``range(1, 101)``."""

    start: Value
    stop: Value
    inclusive: bool
    phrase: str


# --------------------------------------------------------------------------- bounds

_N = r"#(\d+)#"
_VAR = r"(?:[a-z]\s*(?:<=?|=)\s*)?"
_INCL_BEFORE = (
    r"up to and including|up to|upto|at most|not exceeding|not exceed|no more than|"
    r"not more than|no greater than|not greater than|no larger than|not larger than|"
    r"not above|no bigger than|less than or equal to|smaller than or equal to|"
    r"below or equal to|lower than or equal to|<=|=<|≤|within|through|thru|till|until|"
    r"小于等于|小于或等于|不超过|不大于|不高于|不多于|不超出|至多|最多|直到|截至|截止到|到|至"
)
_EXCL_BEFORE = (
    r"below|under|less than|lower than|smaller than|fewer than|beneath|short of|"
    r"<|小于|低于|少于|不到|不足|未满"
)
_INCL_AFTER = r"以内|之内|以下|及以下|内"
_BOUND_BEFORE = lazy(
    rf"(?P<incl>{_INCL_BEFORE})\s*(?:the\s+(?:number\s+)?)?{_VAR}{_N}|"
    rf"(?P<excl>{_EXCL_BEFORE})\s*(?:the\s+(?:number\s+)?)?{_VAR}{_N}"
)
_BOUND_AFTER = lazy(rf"{_N}\s*(?:的?范围)?(?P<after>{_INCL_AFTER})")
_BARE_TO = lazy(rf"(?<![a-z])to\s+{_N}")


def find_bound(text: str, numbers: list[Number] | None = None) -> Bound | None:
    """The first upper bound written in prepared ``text``.

    English "below / under / less than / fewer than / <" are exclusive; "up to / at most /
    not exceeding / no more than / through / within / <=" are inclusive. In Chinese
    "小于 / 低于 / 少于 / 不到" are exclusive, while "以内 / 之内 / 以下 / 不超过 / 不大于 /
    到" include the bound (the usual convention: 以内、以下 include the number itself).

    Returns
    -------
    Bound or None
    """
    numbers = find_numbers(text) if numbers is None else numbers
    tpl = template(text, numbers)
    hits: list[tuple[int, Bound]] = []
    for m in _BOUND_BEFORE.finditer(tpl):
        k = int(m.group(m.lastindex or 0))
        inclusive = m.group("incl") is not None
        phrase = m.group("incl") or m.group("excl")
        hits.append((m.start(), Bound(numbers[k].value, inclusive, phrase.strip())))
    for m in _BOUND_AFTER.finditer(tpl):
        hits.append((m.start(), Bound(numbers[int(m.group(1))].value, True, m.group("after"))))
    if not hits:
        for m in _BARE_TO.finditer(tpl):
            hits.append((m.start(), Bound(numbers[int(m.group(1))].value, True, "to")))
    if not hits:
        return None
    return min(hits, key=lambda h: h[0])[1]


# --------------------------------------------------------------------------- ranges

_RANGE_PATTERNS: list[tuple[LazyPattern, bool, str]] = [
    (lazy(rf"range\(\s*{_N}\s*,\s*{_N}\s*\)"), False, "range()"),
    (
        lazy(
            rf"from\s+{_VAR}{_N}\s*(?:to|through|thru|till|until|up to|and|-|->)\s+"
            rf"{_VAR}{_N}"
        ),
        True,
        "from-to",
    ),
    (lazy(rf"between\s+{_N}\s*(?:and|&|to|-)\s*{_N}"), True, "between"),
    (
        lazy(
            rf"(?:从|由|在|介于)\s*{_VAR}{_N}\s*(?:[加积算数乘累]{{1,2}})?\s*"
            rf"(?:到|至|和|与|~|-)\s*{_VAR}{_N}"
        ),
        True,
        "从-到",
    ),
    (lazy(rf"{_VAR}{_N}\s*(?:\.\.\.?|:)\s*{_N}(?!\s*[:#])"), True, ".."),
    (lazy(rf"{_VAR}{_N}\s*(?:到|至|~)\s*{_N}"), True, "到"),
    (
        lazy(rf"(?:over|on|in|within|interval|区间|在)\s*\[\s*{_N}\s*,\s*{_N}\s*\]"),
        True,
        "[a, b]",
    ),
    (lazy(rf"(?<![\w#.])\[\s*{_N}\s*,\s*{_N}\s*\](?!\s*(?:and|,))"), True, "[a, b]"),
    (lazy(rf"(?<![a-z#])[a-z]?\s*=?\s*{_N}\s+to\s+{_N}"), True, "to"),
    (lazy(r"(?<![a-z0-9_#.\-*/^])#(\d+)#-#(\d+)#(?![a-z0-9_#.\-*/^])"), True, "a-b"),
]


def find_range(text: str, numbers: list[Number] | None = None) -> Range | None:
    """The first range written in prepared ``text``.

    Understood: ``from a to b``, ``between a and b``, ``a..b``, ``a-b`` (no spaces, and only
    when ``a < b``), ``a to b``, ``range(a, b)`` (half-open, as in Python), ``[a, b]`` after
    "over / on / in", ``从a到b``, ``a到b(之间)``, ``a至b``, ``在a和b之间``, ``介于a与b之间``.
    All but ``range()`` include both ends.

    Returns
    -------
    Range or None
    """
    numbers = find_numbers(text) if numbers is None else numbers
    if len(numbers) < 2:  # every range names two numbers: none of its patterns can match
        return None
    tpl = template(text, numbers)
    best: tuple[int, Range] | None = None
    for pattern, inclusive, phrase in _RANGE_PATTERNS:
        for m in pattern.finditer(tpl):
            a, b = numbers[int(m.group(1))].value, numbers[int(m.group(2))].value
            if phrase in ("a-b", "to") and not a < b:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), Range(a, b, inclusive, phrase))
            break
    return None if best is None else best[1]


# --------------------------------------------------------------------------- lists

_SEP = r"\s*(?:,|;|、|/|\|)\s*"
_LAST = r"\s*,?\s*(?:and|or|和|或者|或是|或|与|及|以及)\s*"
_BRACKET_LIST = lazy(rf"(?<!range)[\[({{]\s*{_N}(?:\s*[,;、]\s*{_N})+\s*,?\s*[\])}}]")
_LOOSE_LIST = lazy(rf"{_N}(?:{_SEP}{_N})+(?:{_LAST}{_N})?|{_N}\s*(?:、|or|或者?)\s*{_N}")
_PAIR_LIST = lazy(rf"{_N}{_LAST}{_N}")
_PAIR_INTRO = lazy(r"(?:取|为|是|用|试|试试|in|among|of|either|values?|=|:|∈)\s*$")
_TPL_INDEX = re.compile(_N)


def find_lists(text: str, numbers: list[Number] | None = None) -> list[tuple[int, list[Value]]]:
    """Explicit lists of numbers in prepared ``text``, each with its start in the template.

    Understood: ``[0.1, 1, 10]`` (or parentheses / braces), ``0.1, 1 and 10``,
    ``0.1, 1, or 10``, ``0.1、1、10``, ``0.1、1和10``, ``1 or 10``. Two numbers joined by a
    plain "and" / "和" are a list only after "in / among / of / = / 取 / 为" ("between 1 and
    10" is a range).

    Returns
    -------
    list of (int, list)
        The template offset where each list starts (to tie it to a preceding name such as
        ``C``) and its values.
    """
    numbers = find_numbers(text) if numbers is None else numbers
    tpl = template(text, numbers)
    lists: list[tuple[int, list[Value]]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_BRACKET_LIST, _LOOSE_LIST, _PAIR_LIST):
        for m in pattern.finditer(tpl):
            if any(s <= m.start() < e for s, e in taken):
                continue
            prefix = tpl[max(0, m.start() - 9) : m.start()]
            if re.search(r"(between|from|介于|从|range\()\s*$", prefix):
                continue
            if pattern is _PAIR_LIST and not _PAIR_INTRO.search(prefix):
                continue
            idx = [int(k) for k in _TPL_INDEX.findall(m.group())]
            lists.append((m.start(), [numbers[k].value for k in idx]))
            taken.append((m.start(), m.end()))
    lists.sort(key=lambda item: item[0])
    return lists
