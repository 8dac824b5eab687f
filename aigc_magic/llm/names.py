"""The notebook's own names in plain prose: "primes below limit", "the mean of values".

A bare identifier that names a number in the namespace is read as that number before the
prose is matched ("below limit" with ``limit = 5000`` reads "below 5000"), unless it sits
inside a formula (``x^2 - 5x``, ``for i from 1 to n`` keeps its loop variable ``i``).
Sequences, arrays, DataFrames and functions are left to the recipes, which look them up by
type. :func:`names_in_code` tells which namespace names a plan's code uses, so the answer
can say which of the user's values it took.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._lazy import lazy

__all__ = ["Substituted", "names_in_code", "substitute_numbers"]

_IDENT = re.compile(r"(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_(])")
#: A name as the prose writes it, called ("g(x)") or not.
_CALLED = re.compile(r"(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])")
#: What may stand right before a one-letter name for it to count as a value ("below n").
_ONE_LETTER_BEFORE = lazy(
    r"(?:below|under|than|to|up to|first|top|last|with|of|at|exceeding|前|到|至|取|为|是|"
    r"小于|低于|不超过)\s*$|(?:\b(?:and|is|if|whether)|[,、和与第])\s*$",
    re.IGNORECASE,
)
#: What may stand right after a one-letter name for it to count as a value ("n factorial").
_ONE_LETTER_AFTER = lazy(
    r"^\s*(?:factorial\b|!|squared\b|cubed\b|choose\b|is\s+(?:a\s+)?prime\b|prime\b|"
    r"以内|之内|以下|的阶乘|是不是|是否)",
    re.IGNORECASE,
)
#: Either side of a one-letter name in Chinese prose ("列出 m 的所有因数", "第 k 个质数"):
#: no English word is one letter between two Chinese characters.
_CJK_BEFORE = lazy(r"[\u4e00-\u9fff]\s*$")
_CJK_AFTER = lazy(r"^\s*[\u4e00-\u9fff]")
#: One-letter names that are words ("a") or usual variables of a formula ("x"): they count
#: as values only after the words of :data:`_ONE_LETTER_BEFORE`.
_ONE_LETTER_WORDS = set("aAixyzt")
_FORMULA = set("^*/+-=<>()[]{}")
_WORDS = {
    "pi",
    "e",
    "inf",
    "oo",
    "nan",
    "in",
    "is",
    "to",
    "of",
    "and",
    "or",
    "not",
    "for",
    "from",
    "the",
    "a",
    "an",
    "i",
    "x",
    "y",
    "z",
    "k",
    "t",
}
_HIDDEN = {"In", "Out", "exit", "quit", "get_ipython", "result"}


@dataclass(frozen=True)
class Substituted:
    """The prose with number names replaced, and which names were read as which values."""

    prose: str
    values: dict[str, int | float]


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    kind = getattr(getattr(value, "dtype", None), "kind", None)  # a numpy scalar
    return kind in ("i", "u", "f") and getattr(value, "ndim", 1) == 0


def _one_letter_value(name: str, before: str, after: str) -> bool:
    """Whether a one-letter name stands for its value where it is written."""
    if _ONE_LETTER_BEFORE.search(before):
        return name not in _ONE_LETTER_WORDS or not re.search(
            r"(?:\band|\bis|\bif|\bwhether|[,、和与第])\s*$", before
        )
    # "a 和 b 的最小公倍数": a name that opens the prose with Chinese after it reads as between
    opens = not before.strip() and bool(_CJK_AFTER.search(after))
    between_cjk = bool((_CJK_BEFORE.search(before) or opens) and _CJK_AFTER.search(after))
    if name in _ONE_LETTER_WORDS:  # "a" is no article between Chinese words ("求 a 和 b")
        return name in "aA" and between_cjk
    return bool(_ONE_LETTER_AFTER.search(after)) or between_cjk


def substitute_numbers(prose: str, namespace: Mapping[str, Any]) -> Substituted:
    """Replace bare identifiers bound to numbers with their values (see the module doc)."""
    values: dict[str, int | float] = {}
    pieces: list[str] = []
    last = 0
    for m in _IDENT.finditer(prose):
        name = m.group(1)
        if (
            name in _HIDDEN
            or name.startswith("_")
            or (name.lower() in _WORDS and len(name) > 1)
            or name not in namespace
            or not _is_number(namespace[name])
        ):
            continue
        before = prose[max(0, m.start() - 1) : m.start()].strip()
        after = prose[m.end() : m.end() + 1].strip()
        if (before and before in _FORMULA) or (after and after in _FORMULA):
            continue
        if len(name) == 1 and not _one_letter_value(name, prose[: m.start()], prose[m.end() :]):
            continue
        value = namespace[name]
        value = value.item() if hasattr(value, "item") else value
        values[name] = value
        pieces += [prose[last : m.start()], f" {value!r} "]
        last = m.end()
    if not values:
        return Substituted(prose, {})
    pieces.append(prose[last:])
    return Substituted("".join(pieces), values)


def names_in_code(code: str, namespace: Mapping[str, Any], prose: str) -> list[str]:
    """Namespace names that the prose writes and the code reads, in the prose's order."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    read = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    read -= {  # the code's own imports ("from sympy import sqrt") are not the notebook's
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    written = [m.group(1) for m in _CALLED.finditer(prose)]  # "g(x)" names g too
    seen: list[str] = []
    for name in written:
        if name in read and name in namespace and name not in seen and name not in _HIDDEN:
            seen.append(name)
    return seen
