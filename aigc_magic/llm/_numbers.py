"""Numbers in English and Chinese prose: where they are written and what they are worth.

Everything here works on *prepared* text (:func:`prepare`: superscripts spelt out, NFKC so
full-width digits and punctuation become ASCII, tight bracket lists spaced). Spans returned
by :func:`find_numbers` index into the prepared text; :func:`template` replaces every number
by ``#k#`` (its index), the form :mod:`._spans` reads bounds, ranges and lists from::

    >>> [n.value for n in find_numbers("sum of i**2 for i from 1 to 10,000")]
    [2, 1, 10000]

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

__all__ = ["Number", "Value", "find_numbers", "mask_numbers", "parse_number", "prepare", "template"]

Value = int | float


@dataclass(frozen=True)
class Number:
    """A number found in prepared text: its value and where it was written."""

    value: Value
    start: int
    end: int
    text: str


# --------------------------------------------------------------------------- preparation

_SUPERSCRIPTS = {"²": "**2", "³": "**3", "√": "sqrt", "∞": " inf "}
_TIGHT_BRACKET = re.compile(r"([\[({])([^\[\](){}]*?,[^\[\](){}]*?)([\])}])")


def prepare(text: str) -> str:
    """Normalise prose before any number is looked for.

    Superscripts become ``**2`` / ``**3``, NFKC maps full-width characters to ASCII
    (``１０，０００`` to ``10,000``), a middle dot between operands is a product
    (``x·e^x``), dashes become ``-``, and the commas of a tight bracket
    list (``[1,100,1000]``) get a space after them so they are not read as thousands
    separators.
    """
    for old, new in _SUPERSCRIPTS.items():
        text = text.replace(old, new)
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d)\s*[xX×]\s*(?=\d)", " x ", text)  # 800x600
    text = re.sub(r"(?<=[\w)])\s*[·⋅∙]\s*(?=[\w(])", "*", text)  # x·e^x: a product
    text = text.replace("−", "-").replace("–", "-").replace("—", "-").replace("…", "...")
    text = re.sub(r"(?<=\d)\s*百分位", "%分位", text)  # 第95百分位数: 95%, never 9500
    text = re.sub(r"百分之\s*(\d+(?:\.\d+)?)", r"\1%", text)  # 百分之九十 stays a word
    text = re.sub(
        r"(从\s*-?\d[\d.]*\s*)(?:试|取|变|增加|增长|增|跑|一直|遍历)\s*到", r"\1到", text
    )  # 从1试到10

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
# a lone numeral right before one of these is a count word of the noun ("一副牌", "一个数")
_CJK_CLASSIFIERS = set("副个张只本位名件种颗枚条组堆串")
# a lone 一 right before one of these is part of a word ("一共", "一起", "一下", "一维"), no 1
_CJK_ONE_WORDS = set("共起下样直定般些旦致切同并齐维")
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
    r"(?<![A-Za-z0-9_.])(?P<neg>(?<![\w)\]])-\s*)?(?:(?P<coef>\d+(?:\.\d+)?)\s*\*?\s*)?"
    r"(?:pi|π)(?![A-Za-z])"
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
        ) or (len(run) == 1 and after in _CJK_CLASSIFIERS and after not in _CJK_LONE_NEXT):
            continue  # 从一副牌: "a deck", not the number 1
        elif run == "一" and after in _CJK_ONE_WORDS:
            continue  # ,一共有多少: "in all", not the number 1
        value = _cjk_value(run)
        if value is not None:
            found.append(Number(value, m.start(), m.end(), run))
    found.extend(_word_numbers(text))
    if constants:
        for m in _PI.finditer(text):
            coef = float(m.group("coef") or 1) * (-1 if m.group("neg") else 1)
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
