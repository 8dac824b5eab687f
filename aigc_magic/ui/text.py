"""Plain-text views: short reprs of results and the text form of an answer.

Used by terminals, scripts, the command line and CI logs, and by the HTML card for the
one-line value summary. Nothing here imports anything heavy; numpy and pandas objects are
recognised by duck typing.
"""

from __future__ import annotations

import reprlib
from typing import Any

_EDGE = 5  # items shown at each end of a long sequence


def describe_value(value: Any, language: str = "en") -> str:
    """Return a one-line description of a result: its type and size, not its contents."""
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        dims = "×".join(str(n) for n in shape) or "scalar"
        return f"{type(value).__name__} {dims} {value.dtype}"
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        n = len(value)
        if language == "zh":
            return f"{type(value).__name__}，共{n}项"
        return f"{type(value).__name__} of {n} item{'s' if n != 1 else ''}"
    return type(value).__name__


def short_repr(value: Any, width: int = 100) -> str:
    """Return a repr of ``value`` that fits in about ``width`` characters.

    Long lists and tuples keep their first and last few items and say how many there are:
    ``[2, 3, 5, 7, 11, …, 9931, 9941, 9949, 9967, 9973] (1229 items)``.
    """
    if isinstance(value, (list, tuple)) and len(value) > 2 * _EDGE:
        head = ", ".join(_item(v) for v in value[:_EDGE])
        tail = ", ".join(_item(v) for v in value[-_EDGE:])
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        return f"{open_}{head}, …, {tail}{close} ({len(value)} items)"
    if hasattr(value, "shape") and hasattr(value, "dtype") and hasattr(value, "tolist"):
        return _array_repr(value, width)
    limiter = reprlib.Repr()
    limiter.maxstring = width
    limiter.maxother = width
    limiter.maxlist = limiter.maxtuple = limiter.maxdict = limiter.maxset = 2 * _EDGE
    text = limiter.repr(value)
    return text if len(text) <= width * 2 else text[: width * 2] + "…"


def _item(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:23] + "…"


def _array_repr(array: Any, width: int) -> str:
    import numpy as np  # only reached for an array, so numpy is already loaded

    body = np.array2string(array, threshold=2 * _EDGE, edgeitems=3, max_line_width=width)
    lines = body.splitlines()
    if len(lines) > 6:
        lines = [*lines[:3], " …", *lines[-2:]]
    return "\n".join(lines) + f"  ({describe_value(array)})"


LABELS = {
    "en": {"code": "Code", "answer": "Answer", "value": "Value", "timings": "Timings",
           "not_run": "Planned, not run (run=False).", "plan": "plan", "check": "check",
           "run": "run", "explain": "explain", "total": "total"},
    "zh": {"code": "代码", "answer": "回答", "value": "结果", "timings": "耗时",
           "not_run": "仅生成计划，未运行（run=False）。", "plan": "规划", "check": "检查",
           "run": "运行", "explain": "解释", "total": "合计"},
}


def format_timings(timings: dict[str, float], language: str = "en") -> str:
    """``plan 0.05 s · run 0.31 s · total 0.40 s`` in the prose's language."""
    labels = LABELS.get(language, LABELS["en"])
    return " · ".join(f"{labels.get(k, k)} {v:.2f} s" for k, v in timings.items())


def render_text(result: Any) -> str:
    """The plain-text view of an :class:`~aigc_magic.engine.AskResult`.

    Used in terminal IPython, scripts, the command line and CI logs: the summary, the code,
    the answer in words, the value, the notices and the timings.
    """
    language = result.language
    labels = LABELS.get(language, LABELS["en"])
    rule = "─" * 60
    lines = [f"» {result.plan.summary or result.prose}", rule, f"{labels['code']}:"]
    lines += ["    " + line for line in result.code.rstrip().splitlines()]
    lines.append(rule)
    if result.ran:
        lines.append(f"{labels['answer']}: {result.explanation}")
        lines.append(f"{labels['value']} ({describe_value(result.value, language)}): "
                     f"{short_repr(result.value)}")
    else:
        lines.append(labels["not_run"])
    lines += [f"· {notice}" for notice in result.notices]
    lines.append(f"{labels['timings']}: {format_timings(result.timings, language)}")
    return "\n".join(lines)
