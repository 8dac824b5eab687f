"""Notebook context for the LLM: what the cells a request refers to made, by name and type.

Prose may point at earlier cells: ``In[3]``, ``Out[5]``, "the dataframe from the last
cell", "上一个单元格的结果". :func:`cell_references` finds those references and describes
what the cells left behind: the top-level names a cell's code assigned (read from IPython's
``In`` history with :func:`ast.parse`) and the type of an ``Out`` value, through
:func:`~.prompts.describe_value`, so types and shapes only: never a value.

Outside IPython (no ``In``/``Out`` in the namespace) there is nothing to refer to.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

_IN_OUT = re.compile(r"\b(In|Out)\s*\[\s*(-?\d+)\s*\]")
_LAST_CELL = re.compile(
    r"\b(?:last|previous|above|prior)\s+(?:cell|output)\b|\bcell\s+above\b"
    r"|上一个?单元格|上个单元格|上一格|上面的单元格|上一个?输出", re.IGNORECASE)
#: A history entry that is itself an ask (the magic's own cell, the sidebar's request).
_ASKING = re.compile(r"run_(?:line|cell)_magic\('ask'|aigc_magic\.chat")
MAX_NAMES = 12


def cell_references(prose: str, namespace: Mapping[str, Any] | None) -> list[str]:
    """Lines describing the cells ``prose`` refers to, e.g.
    ``"In[3] assigned `df`: DataFrame of 100 rows × 3 columns"``; [] when none."""
    if not namespace or not isinstance(namespace.get("In"), list):
        return []
    history: list[str] = namespace["In"]
    outputs: Mapping[int, Any] = namespace.get("Out") or {}
    wanted: dict[tuple[str, int], None] = {}
    for kind, number in _IN_OUT.findall(prose):
        n = int(number)
        wanted[(kind, n if n >= 0 else len(history) + n)] = None
    if _LAST_CELL.search(prose):
        last = _last_cell(history)
        if last is not None:
            wanted[("In", last)] = None
            wanted[("Out", last)] = None
    lines: list[str] = []
    for kind, n in wanted:
        if kind == "In":
            lines.extend(_made_by(n, history, namespace))
        elif n in outputs:
            lines.append(f"Out[{n}] is {_describe(outputs[n])}")
    return lines


def _last_cell(history: list[str]) -> int | None:
    """The newest history entry that is not an ask and not empty."""
    for n in range(len(history) - 1, 0, -1):
        source = history[n]
        if source.strip() and not _ASKING.search(source):
            return n
    return None


def _made_by(n: int, history: list[str], namespace: Mapping[str, Any]) -> list[str]:
    if not 0 < n < len(history):
        return []
    from ..runner import assigned_names

    try:
        names = sorted(assigned_names(ast.parse(history[n])))
    except SyntaxError:
        return []
    present = [name for name in names if name in namespace and not name.startswith("_")]
    return [f"In[{n}] assigned `{name}`: {_describe(namespace[name])}"
            for name in present[:MAX_NAMES]]


def _describe(value: Any) -> str:
    from .prompts import describe_value

    return describe_value(value)
