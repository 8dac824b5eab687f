"""Notebook context for the LLM: what the cells a request refers to made, by name and type.

Prose may point at earlier cells: ``In[3]``, ``Out[5]``, "the dataframe from the last
cell", "上一个单元格的结果". :func:`cell_references` finds those references and describes
what the cells left behind: the top-level names a cell's code assigned (read from IPython's
``In`` history with :func:`ast.parse`) and the type of an ``Out`` value, through
:func:`describe_value`, so types and shapes only: never a value (the prompts describe the
variables the prose names with it too).

Outside IPython (no ``In``/``Out`` in the namespace) there is nothing to refer to.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Mapping
from typing import Any

from ._lazy import lazy

__all__ = ["MAX_NAMES", "cell_references", "describe_value"]

_IN_OUT = lazy(r"\b(In|Out)\s*\[\s*(-?\d+)\s*\]")
_LAST_CELL = lazy(
    r"\b(?:last|previous|above|prior)\s+(?:cell|output)\b|\bcell\s+above\b"
    r"|上一个?单元格|上个单元格|上一格|上面的单元格|上一个?输出",
    re.IGNORECASE,
)
#: A history entry that is itself an ask (the magic's own cell, the sidebar's request).
_ASKING = lazy(r"run_(?:line|cell)_magic\('ask'|aigc_magic\.chat")
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
            lines.append(f"Out[{n}] is {describe_value(outputs[n])}")
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
    return [
        f"In[{n}] assigned `{name}`: {describe_value(namespace[name])}"
        for name in present[:MAX_NAMES]
    ]


# -- values by type and shape, never contents ------------------------------------------


def describe_value(value: Any) -> str:
    """Describe a value by its type and shape, never its contents.

    Arrays give shape and dtype, DataFrames their columns and dtypes, functions their
    signature with default values hidden, containers their length.

    Examples
    --------
    >>> import numpy as np
    >>> describe_value(np.zeros((3, 4), dtype="float32"))
    'numpy.ndarray shape=(3, 4) dtype=float32'
    >>> describe_value("a secret")
    'str (8 characters)'
    """
    kind = type(value)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__.split('.')[0]}.{kind.__qualname__}"
    )
    if inspect.ismodule(value):
        return f"module {value.__name__}"
    if inspect.isclass(value):
        return f"class {value.__qualname__}"
    if hasattr(value, "columns") and hasattr(value, "dtypes") and hasattr(value, "shape"):
        try:
            cols = [f"{c}: {t}" for c, t in list(value.dtypes.items())[:30]]
            more = f", … {len(value.columns) - 30} more" if len(value.columns) > 30 else ""
            return f"{name} shape={tuple(value.shape)} columns=[{', '.join(cols)}{more}]"
        except Exception:  # an exotic frame-like object: fall back to the type
            return name
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        try:
            return f"{name} shape={tuple(value.shape)} dtype={value.dtype}"
        except Exception:
            return name
    if callable(value) and (
        inspect.isfunction(value) or inspect.isbuiltin(value) or inspect.ismethod(value)
    ):
        return f"function {getattr(value, '__name__', '?')}{_signature(value)}"
    if isinstance(value, str | bytes | bytearray):
        unit = "characters" if isinstance(value, str) else "bytes"
        return f"{name} ({len(value)} {unit})"
    if isinstance(value, Mapping):
        return f"{name} with {len(value)} keys" + _element_types(value.keys(), "keys")
    if isinstance(value, list | tuple | set | frozenset | range):
        return f"{name} of {len(value)} items" + _element_types(value, "items")
    return name


def _signature(func: Any) -> str:
    """The signature with annotations kept and default values replaced by ``...``."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return "(...)"

    def shown(annotation: Any) -> Any:
        return _Verbatim(annotation) if isinstance(annotation, str) else annotation

    params = [
        p.replace(
            default=_Verbatim("...") if p.default is not p.empty else p.empty,
            annotation=shown(p.annotation),
        )
        for p in sig.parameters.values()
    ]
    return str(sig.replace(parameters=params, return_annotation=shown(sig.return_annotation)))


class _Verbatim:
    """Shows as its text in a signature: a hidden default (``...``) or a string annotation."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _element_types(items: Any, what: str) -> str:
    types = []
    for i, item in enumerate(items):
        if i >= 50:
            break
        if type(item).__name__ not in types:
            types.append(type(item).__name__)
    return f" ({what}: {', '.join(types[:4])})" if types else ""
