"""Tell English prose from Chinese prose, so answers and messages follow the user."""

from __future__ import annotations

from typing import Literal


def is_cjk(ch: str) -> bool:
    """Return True for a CJK ideograph (the basic block and extension A)."""
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF


def detect_language(text: str) -> Literal["en", "zh"]:
    """Return ``"zh"`` when the prose contains any Chinese ideograph, else ``"en"``.

    One ideograph is enough: Chinese prose often carries English names and numbers
    (``计算 f 在 1..100 上的和``), while English prose almost never carries ideographs.
    """
    return "zh" if any(is_cjk(ch) for ch in text) else "en"


def in_language(language: str, en: str, zh: str) -> str:
    """The message in the prose's language: ``zh`` for Chinese prose, ``en`` otherwise."""
    return zh if language == "zh" else en
