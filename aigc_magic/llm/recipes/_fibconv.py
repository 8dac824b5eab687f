"""A Fibonacci convention written in the prose: "（F1=F2=1）", "with F(0)=0, F(1)=1".

Each stated term ``F(i) = v`` is checked against SymPy's ``fibonacci`` (``F(0) = 0``,
``F(1) = F(2) = 1``): the convention is SymPy's own when every stated term agrees with it,
else the one index shift ``s`` (``F(i) = fibonacci(i + s)``) with which all of them agree,
e.g. ``F0 = F1 = 1`` is a shift of 1. A convention no shift explains (Lucas numbers,
``F1 = 2``) is refused, never answered in SymPy's convention.
"""

from __future__ import annotations

import re

from ._base import FLAGS, Context
from ._guard import Refuse

__all__ = ["CHAIN", "Convention", "convention"]

#: One term's name: ``F1``, ``F_1``, ``F(1)``, ``f(1)``.
_TERM = r"(?<![a-z0-9])f\s*_?\s*\(?\s*(?:\d+|#\d+#)\s*\)?\s*[=＝]\s*"
#: A chain of terms and the value they share, in the template: ``f1=f2=#3#``.
CHAIN = rf"(?:{_TERM})+#(\d+)#"

#: The first Fibonacci numbers (SymPy's ``fibonacci(i)`` for i = 0..31), enough for a check.
_FIB = [0, 1]
while len(_FIB) < 32:
    _FIB.append(_FIB[-1] + _FIB[-2])


class Convention:
    """The stated terms' shift and how many numbers of the prose they used."""

    def __init__(self, shift: int, used: int) -> None:
        self.shift = shift
        self.used = used


def convention(ctx: Context) -> Convention:
    """The convention the prose states (shift 0 and no number used when it states none).

    Raises
    ------
    Refuse
        When the stated terms fit no shift of the Fibonacci numbers.
    """
    terms: dict[int, int] = {}
    used = 0
    for chain in re.finditer(CHAIN, ctx.template, FLAGS):
        value = ctx.num(chain.group(1))
        used += chain.group(0).count("#") // 2  # the value, and indices written as F(1)
        for written in re.findall(r"f\s*_?\s*\(?\s*(\d+|#\d+#)", chain.group(0), FLAGS):
            index = ctx.num(written.strip("#")) if written.startswith("#") else int(written)
            if not isinstance(value, int) or terms.get(index, value) != value:
                raise _refuse()
            terms[index] = value
    if not terms:
        return Convention(0, 0)
    if len(terms) < 2 and any(_FIB[i] != v for i, v in terms.items() if i < len(_FIB)):
        raise _refuse()  # one term alone fixes no sequence
    for shift in (0, 1, -1, 2, -2):
        if all(0 <= i + shift < len(_FIB) and _FIB[i + shift] == v for i, v in terms.items()):
            return Convention(shift, used)
    raise _refuse()


def _refuse() -> Refuse:
    return Refuse(
        "the terms the prose states are not those of the Fibonacci numbers (F(0) = 0, "
        "F(1) = F(2) = 1) or of a shift of them; ask for the plain sequence",
        "这段话给出的项不是斐波那契数（F(0)=0，F(1)=F(2)=1）或其平移，请按通常的定义提问",
        with_help=True,
    )
