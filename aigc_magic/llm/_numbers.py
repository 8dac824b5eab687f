"""Numbers, bounds, ranges and lists in English and Chinese prose.

Everything here works on *prepared* text (:func:`prepare`: superscripts spelt out, NFKC so
full-width digits and punctuation become ASCII, tight bracket lists spaced). Spans returned
by :func:`find_numbers` index into the prepared text, and the higher-level finders work on a
*template* of it in which every number is replaced by ``#k#`` (its index), so a pattern such as
``from #0# to #1#`` reads the same whatever spelling the numbers had::

    >>> find_range("sum of i**2 for i from 1 to 10,000")
    Range(start=1, stop=10000, inclusive=True, phrase='from-to')
    >>> find_bound("两百万以内的质数")
    Bound(value=2000000, inclusive=True, phrase='以内')

Number forms: ``10000``, ``10,000``, ``1e6``, ``10^6``, ``10**6``, ``10k``, ``2.5M``,
``3 million``, ``two million``, ``a thousand``, ``half a million``, ``1万``, ``2.5万``, ``1亿``,
``一百万``, ``两百万``, ``三千``, ``一千五百``, ``十万``, ``一万五``; with ``constants=True`` also
``pi``, ``2pi``, ``pi/2``, ``π`` and ``inf`` / ``infinity`` / ``∞`` / ``无穷``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Bound",
    "Number",
    "Range",
    "find_bound",
    "find_lists",
    "find_numbers",
    "find_range",
    "mask_numbers",
    "parse_number",
    "prepare",
    "template",
]

Value = int | float


@dataclass(frozen=True)
class Number:
    """A number found in prepared text: its value and where it was written."""

    value: Value
    start: int
    end: int
    text: str


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


# --------------------------------------------------------------------------- preparation

_SUPERSCRIPTS = {"²": "**2", "³": "**3", "√": "sqrt", "∞": " inf "}
_TIGHT_BRACKET = re.compile(r"([\[({])([^\[\](){}]*?,[^\[\](){}]*?)([\])}])")


def prepare(text: str) -> str:
    """Normalise prose before any number is looked for.

    Superscripts become ``**2`` / ``**3``, NFKC maps full-width characters to ASCII
    (``１０，０００`` to ``10,000``), dashes become ``-``, and the commas of a tight bracket
    list (``[1,100,1000]``) get a space after them so they are not read as thousands
    separators.
    """
    for old, new in _SUPERSCRIPTS.items():
        text = text.replace(old, new)
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d)\s*[xX×]\s*(?=\d)", " x ", text)  # 800x600
    text = text.replace("−", "-").replace("–", "-").replace("—", "-").replace("…", "...")

    def space_commas(match: re.Match[str]) -> str:
        return match.group(1) + re.sub(r",(?=\S)", ", ", match.group(2)) + match.group(3)

    return _TIGHT_BRACKET.sub(space_commas, text)


# --------------------------------------------------------------------------- numbers

_SUFFIX = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "million": 10**6,
    "mn": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "trillion": 10**12,
    "百": 10**2,
    "千": 10**3,
    "万": 10**4,
    "十万": 10**5,
    "百万": 10**6,
    "千万": 10**7,
    "亿": 10**8,
    "万亿": 10**12,
}
_ARABIC = re.compile(
    r"(?<![A-Za-z0-9_])(?<!\d\.)"
    r"(?P<neg>-(?=[\d.]))?"
    r"(?:(?P<int>\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)(?:\.(?P<frac>\d+))?"
    r"|(?<![.\d])\.(?P<frac2>\d+))"
    r"(?:"
    r"[eE](?P<exp>[+-]?\d+)(?![A-Za-z])"
    r"|\s*(?:\^|\*\*)\s*(?P<pow>\+?\d+)"
    r"|\s*(?P<word>thousand|million|billion|trillion)\b"
    r"|(?P<letter>[kKmMbB]|bn|mn)(?![A-Za-z])"
    r"|\s?(?P<cjk>万亿|千万|百万|十万|万|亿|千|百)"
    r")?"
)
_CJK_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
# a lone numeral character counts only next to these (五折, 一到十, 三、五和七)
_CJK_LONE_NEXT = set("折倍到至、和或与及~-,")
_CJK_LONE_PREV = set("到至、和或与及~-,从")
# units written without a digit that still mean a number (百万以内, 十万个样本)
_CJK_BARE_UNITS = {"百万", "十万", "百亿"}
_CJK_BARE_IF_FOLLOWED = {"十", "万", "千万", "亿"}
_CJK_AFTER_BARE = _CJK_LONE_NEXT | set("以之内个次位")

_SMALL_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE_WORDS = {
    "hundred": 100,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_WORD = re.compile(r"[A-Za-z]+")

_PI = re.compile(
    r"(?<![A-Za-z0-9_.])(?:(?P<coef>\d+(?:\.\d+)?)\s*\*?\s*)?(?:pi|π)(?![A-Za-z])"
    r"(?:\s*/\s*(?P<div>\d+(?:\.\d+)?))?",
    re.IGNORECASE,
)
_INF = re.compile(
    r"(?P<neg>-\s*|负|minus\s+)?(?:\+\s*|正)?"
    r"(?:(?<![A-Za-z])(?:inf|infinity)(?![A-Za-z])|无穷大?|无限大)",
    re.IGNORECASE,
)


def _as_value(x: float) -> Value:
    """Integral values come back as ``int`` (``1e6`` is a count), others as ``float``."""
    if isinstance(x, int):
        return x
    if math.isfinite(x) and x == int(x) and abs(x) < 2**63:
        return int(x)
    return x


def _arabic_value(m: re.Match[str]) -> Value | None:
    if m.group("int") is None and m.group("frac2") is None:
        return None
    whole = (m.group("int") or "0").replace(",", "")
    frac = m.group("frac") or m.group("frac2")
    value: float | int = float(f"{whole}.{frac}") if frac else int(whole)
    if m.group("exp") is not None:
        value = float(f"{whole}.{frac or 0}e{m.group('exp')}")
    elif m.group("pow") is not None:
        value = value ** int(m.group("pow"))
    else:
        suffix = m.group("word") or m.group("letter") or m.group("cjk")
        if suffix:
            scale = _SUFFIX[suffix.lower()]
            value = int(whole) * scale if not frac else round(float(f"{whole}.{frac}") * scale, 6)
    if m.group("neg"):
        value = -value
    return _as_value(value)


def _cjk_value(run: str) -> int | None:
    """Value of a Chinese numeral (``一千五百``, ``两百万``, ``一万五``, ``一九九八``)."""
    if all(ch in _CJK_DIGITS for ch in run):
        return (
            int("".join(str(_CJK_DIGITS[ch]) for ch in run)) if len(run) > 1 else _CJK_DIGITS[run]
        )
    total = section = number = 0
    last_unit = 1
    for ch in run:
        if ch in _CJK_DIGITS:
            number = _CJK_DIGITS[ch]
        elif ch in _CJK_UNITS:
            unit = _CJK_UNITS[ch]
            section += (number or 1) * unit
            number, last_unit = 0, unit
        elif ch == "万":
            total += (section + number or 1) * 10**4
            section = number = 0
            last_unit = 10**4
        elif ch == "亿":
            total = (total + section + number or 1) * 10**8
            section = number = 0
            last_unit = 10**8
    if number and last_unit >= 10 and _previous_is_unit(run):
        number *= last_unit // 10  # 一万五 = 15000, 三千五 = 3500
    return total + section + number


def _previous_is_unit(run: str) -> bool:
    return len(run) >= 2 and run[-2] in "十百千万亿"


def _word_numbers(text: str) -> list[Number]:
    """English number words: ``two million``, ``a thousand``, ``one hundred and five``."""
    found: list[Number] = []
    words = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        j = i
        run: list[tuple[str, int, int]] = []
        while j < len(words):
            w = words[j][0]
            gap = text[words[j - 1][2] : words[j][1]] if run else ""
            if run and gap.strip(" -"):
                break
            nxt = words[j + 1][0] if j + 1 < len(words) else ""
            if (
                w in _SMALL_WORDS
                or w in _SCALE_WORDS
                or (w == "and" and run)
                or (w in ("a", "an") and nxt in _SCALE_WORDS)
                or (w == "half" and nxt in ("a", "an"))
            ):
                run.append(words[j])
                j += 1
            else:
                break
        while run and run[-1][0] in ("and", "a", "an", "half"):
            run.pop()
        names = [w for w, _, _ in run]
        if run and any(w in _SMALL_WORDS or w in _SCALE_WORDS for w in names) and names != ["one"]:
            value = _parse_word_run(names)
            found.append(Number(value, run[0][1], run[-1][2], text[run[0][1] : run[-1][2]]))
            i = j
        else:
            i += 1
    return found


def _parse_word_run(names: list[str]) -> Value:
    factor = 1.0
    if names[0] == "half":
        factor, names = 0.5, names[1:]
    total = current = 0
    for w in names:
        if w in _SMALL_WORDS:
            current += _SMALL_WORDS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALE_WORDS:
            total += (current or 1) * _SCALE_WORDS[w]
            current = 0
    return _as_value((total + current) * factor)


def find_numbers(text: str, *, constants: bool = False) -> list[Number]:
    """Every number written in ``text`` (already :func:`prepare`-d), in order.

    Parameters
    ----------
    text : str
        Prepared prose.
    constants : bool
        Also read ``pi`` / ``π`` (with a coefficient or divisor) and infinities, for
        integration bounds.

    Returns
    -------
    list of Number
        Non-overlapping, sorted by position.
    """
    found: list[Number] = []
    for m in _ARABIC.finditer(text):
        if m.end() == m.start():
            continue
        value = _arabic_value(m)
        if value is not None:
            found.append(Number(value, m.start(), m.end(), m.group()))
    for m in _CJK_RUN.finditer(text):
        run = m.group()
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not any(ch in _CJK_DIGITS for ch in run):
            if not (
                run in _CJK_BARE_UNITS
                or (len(run) > 1 and run[0] == "十")
                or (run in _CJK_BARE_IF_FOLLOWED and after in _CJK_AFTER_BARE)
                or (run == "十" and before in _CJK_LONE_PREV)
            ):
                continue
        elif (
            (len(run) == 1 or (len(run) == 2 and run[1] == run[0]))
            and after not in _CJK_LONE_NEXT
            and before not in _CJK_LONE_PREV
        ):
            continue
        value = _cjk_value(run)
        if value is not None:
            found.append(Number(value, m.start(), m.end(), run))
    found.extend(_word_numbers(text))
    if constants:
        for m in _PI.finditer(text):
            coef = float(m.group("coef") or 1)
            div = float(m.group("div") or 1)
            found.append(Number(coef * math.pi / div, m.start(), m.end(), m.group()))
        for m in _INF.finditer(text):
            found.append(
                Number(-math.inf if m.group("neg") else math.inf, m.start(), m.end(), m.group())
            )
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    kept: list[Number] = []
    for number in found:
        if kept and number.start < kept[-1].end:
            continue
        kept.append(number)
    return kept


def parse_number(text: str) -> Value | None:
    """The value of ``text`` when it is exactly one number (``"10k"``, ``"一百万"``), else None."""
    prepared = prepare(text.strip())
    numbers = find_numbers(prepared, constants=True)
    if len(numbers) == 1 and numbers[0].start == 0 and numbers[0].end == len(prepared):
        return numbers[0].value
    return None


def template(text: str, numbers: list[Number]) -> str:
    """``text`` with the k-th number replaced by ``#k#``, lower-cased."""
    parts: list[str] = []
    pos = 0
    for k, number in enumerate(numbers):
        parts.append(text[pos : number.start])
        parts.append(f"#{k}#")
        pos = number.end
    parts.append(text[pos:])
    return "".join(parts).lower()


def mask_numbers(text: str) -> str:
    """Prose with every number replaced by ``0``, so "below 10000" and "below 50" match alike."""
    prepared = prepare(text)
    numbers = find_numbers(prepared)
    parts: list[str] = []
    pos = 0
    for number in numbers:
        parts.append(prepared[pos : number.start])
        parts.append("0")
        pos = number.end
    parts.append(prepared[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- bounds

_N = r"#(\d+)#"
_VAR = r"(?:[a-z]\s*(?:<=?|=)\s*)?"
_INCL_BEFORE = (
    r"up to and including|up to|upto|at most|not exceeding|not exceed|no more than|"
    r"not more than|no greater than|not greater than|no larger than|not larger than|"
    r"not above|no bigger than|less than or equal to|smaller than or equal to|"
    r"below or equal to|lower than or equal to|<=|=<|≤|within|through|thru|till|until|"
    r"小于等于|小于或等于|不超过|不大于|不高于|不多于|不超出|至多|直到|截至|截止到|到|至"
)
_EXCL_BEFORE = (
    r"below|under|less than|lower than|smaller than|fewer than|beneath|short of|"
    r"<|小于|低于|少于|不到|不足|未满"
)
_INCL_AFTER = r"以内|之内|以下|及以下|内"
_BOUND_BEFORE = re.compile(
    rf"(?P<incl>{_INCL_BEFORE})\s*(?:the\s+(?:number\s+)?)?{_VAR}{_N}|"
    rf"(?P<excl>{_EXCL_BEFORE})\s*(?:the\s+(?:number\s+)?)?{_VAR}{_N}"
)
_BOUND_AFTER = re.compile(rf"{_N}\s*(?:的?范围)?(?P<after>{_INCL_AFTER})")
_BARE_TO = re.compile(rf"(?<![a-z])to\s+{_N}")


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

_RANGE_PATTERNS: list[tuple[re.Pattern[str], bool, str]] = [
    (re.compile(rf"range\(\s*{_N}\s*,\s*{_N}\s*\)"), False, "range()"),
    (
        re.compile(
            rf"from\s+{_VAR}{_N}\s*(?:to|through|thru|till|until|up to|and|-|->)\s+"
            rf"{_VAR}{_N}"
        ),
        True,
        "from-to",
    ),
    (re.compile(rf"between\s+{_N}\s*(?:and|&|to|-)\s*{_N}"), True, "between"),
    (
        re.compile(
            rf"(?:从|由|在|介于)\s*{_VAR}{_N}\s*(?:[加积算数乘累]{{1,2}})?\s*"
            rf"(?:到|至|和|与|~|-)\s*{_VAR}{_N}"
        ),
        True,
        "从-到",
    ),
    (re.compile(rf"{_VAR}{_N}\s*(?:\.\.\.?|:)\s*{_N}(?!\s*[:#])"), True, ".."),
    (re.compile(rf"{_VAR}{_N}\s*(?:到|至|~)\s*{_N}"), True, "到"),
    (
        re.compile(rf"(?:over|on|in|within|interval|区间|在)\s*\[\s*{_N}\s*,\s*{_N}\s*\]"),
        True,
        "[a, b]",
    ),
    (re.compile(rf"(?<![\w#.])\[\s*{_N}\s*,\s*{_N}\s*\](?!\s*(?:and|,))"), True, "[a, b]"),
    (re.compile(rf"(?<![a-z#])[a-z]?\s*=?\s*{_N}\s+to\s+{_N}"), True, "to"),
    (re.compile(r"(?<![a-z0-9_#.\-*/^])#(\d+)#-#(\d+)#(?![a-z0-9_#.\-*/^])"), True, "a-b"),
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
_BRACKET_LIST = re.compile(rf"(?<!range)[\[({{]\s*{_N}(?:\s*[,;、]\s*{_N})+\s*,?\s*[\])}}]")
_LOOSE_LIST = re.compile(rf"{_N}(?:{_SEP}{_N})+(?:{_LAST}{_N})?|{_N}\s*(?:、|or|或者?)\s*{_N}")
_PAIR_LIST = re.compile(rf"{_N}{_LAST}{_N}")
_PAIR_INTRO = re.compile(r"(?:取|为|是|用|试|试试|in|among|of|either|values?|=|:|∈)\s*$")
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


def template_of(text: str) -> tuple[str, list[Number]]:
    """The template of prepared ``text`` and its numbers, for callers that match patterns."""
    numbers = find_numbers(text)
    return template(text, numbers), numbers
