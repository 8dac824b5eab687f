"""Plain-text views: short reprs of results and the text form of an answer.

Used by terminals, scripts, the command line and CI logs, and by the HTML card for the
one-line value summary. Nothing here imports anything heavy; numpy and pandas objects are
recognised by duck typing.
"""

from __future__ import annotations

import math
import reprlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..grid.record import Schedule
    from ..result import AskResult

__all__ = [
    "LABELS",
    "describe_value",
    "format_timings",
    "render_text",
    "schedule_line",
    "short_repr",
    "usage_line",
]

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
    if isinstance(value, int) and value.bit_length() > 13_000:  # over str()'s 4300 digits
        last = value % 10**12
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"<an integer of about {digits} digits, ending …{last:012d}>"
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
    "en": {
        "code": "Code",
        "answer": "Answer",
        "value": "Value",
        "timings": "Timings",
        "not_run": "Planned, not run (run=False).",
        "plan": "plan",
        "check": "check",
        "run": "run",
        "explain": "explain",
        "total": "total",
        # the schedule line, the progress panel and the code block's buttons
        "how": "How it ran",
        "tasks": "tasks",
        "calls": "calls",
        "per_second": "tasks/s",
        "elapsed": "elapsed",
        "eta": "left",
        "workers": "workers",
        "call": "call",
        "running": "running",
        "stopping": "stopping…",
        "done": "done",
        "stopped": "stopped",
        "failed": "failed",
        "stop": "Stop",
        "stop_hint": "to stop, interrupt the kernel (■)",
        "copy": "Copy",
        "copied": "Copied",
        "insert": "Insert as new cell",
        "inserted": "Inserted below",
        "insert_fallback": "Copied: paste it into a new cell",
        "figure": "Figure",
    },
    "zh": {
        "code": "代码",
        "answer": "回答",
        "value": "结果",
        "timings": "耗时",
        "not_run": "仅生成计划，未运行（run=False）。",
        "plan": "规划",
        "check": "检查",
        "run": "运行",
        "explain": "解释",
        "total": "合计",
        "how": "运行方式",
        "tasks": "个任务",
        "calls": "次调用",
        "per_second": "任务/秒",
        "elapsed": "已用",
        "eta": "剩余",
        "workers": "工作单元",
        "call": "第几次调用",
        "running": "运行中",
        "stopping": "正在停止…",
        "done": "完成",
        "stopped": "已停止",
        "failed": "失败",
        "stop": "停止",
        "stop_hint": "中断内核（■）即可停止",
        "copy": "复制",
        "copied": "已复制",
        "insert": "插入为新单元格",
        "inserted": "已插入到下方",
        "insert_fallback": "已复制：请粘贴到新单元格",
        "figure": "图",
    },
}


def format_timings(timings: dict[str, float], language: str = "en") -> str:
    """``plan 0.05 s · run 0.31 s · total 0.40 s`` in the prose's language."""
    labels = LABELS.get(language, LABELS["en"])
    return " · ".join(f"{labels.get(k, k)} {v:.2f} s" for k, v in timings.items())


def schedule_line(schedule: Schedule, language: str = "en") -> str:
    """The scheduler's one line: the arm, its workers, the tasks, and why that arm.

    ``loky × 2 · 8 tasks · 2 loky processes, 8 batches of 1: items take ~4.0 ms``, all in
    ``language``.
    """
    labels = LABELS.get(language, LABELS["en"])
    gap = "" if language == "zh" else " "
    head = f"{schedule.arm} × {schedule.n_workers} · {schedule.n_tasks}{gap}{labels['tasks']}"
    if schedule.n_calls > 1:
        head += f" · {schedule.n_calls}{gap}{labels['calls']}"
    if schedule.decision is None:
        return head
    from ..grid.explain import reason

    why = reason(schedule.decision, schedule.n_batches, schedule.batch_range, language)
    return f"{head} · {why}"


def usage_line(result: AskResult) -> str | None:
    """The tokens each LLM request of an ask used, e.g.
    ``"LLM tokens: plan 812 + 95 · answer 230 + 41 (1,178 in all)"``; None offline."""
    requests = result.requests
    if not requests:
        return None
    zh = result.language == "zh"
    parts = []
    for request in requests:
        if request.usage.unknown:
            counted = "未计数" if zh else "not counted"
        else:
            counted = f"{request.prompt_tokens or 0:,} + {request.completion_tokens or 0:,}"
        parts.append(f"{request.purpose} {counted}")
    total = result.usage.total_tokens
    if zh:
        return f"大模型用量（提示 + 生成）：{' · '.join(parts)}（共 {total:,} 个词元）"
    return f"LLM tokens (prompt + completion): {' · '.join(parts)} ({total:,} in all)"


def render_text(result: AskResult) -> str:
    """The plain-text view of an :class:`~aigc_magic.result.AskResult`.

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
        lines.append(
            f"{labels['value']} ({describe_value(result.value, language)}): "
            f"{short_repr(result.value)}"
        )
    else:
        lines.append(labels["not_run"])
    if result.schedule is not None:
        lines.append(f"{labels['how']}: {schedule_line(result.schedule, language)}")
    lines += [f"· {notice}" for notice in result.notices]
    tokens = usage_line(result)
    if tokens:
        lines.append(tokens)
    lines.append(f"{labels['timings']}: {format_timings(result.timings, language)}")
    return "\n".join(lines)
