"""The answer card as HTML: answer, value, how it ran, timings, and the code.

The same fragments build the static card (``text/html``: nbconvert, GitHub, the sidebar) and
the widget card in :mod:`.card`. Inline styles read well in JupyterLab's light and dark
themes (colours come from JupyterLab's CSS variables, with fallbacks). Every user-controlled
string is escaped; a value's own ``_repr_html_`` (a DataFrame's table) is trusted as the
notebook would trust it.

Values are recognised by duck typing, so nothing heavy is imported: a matplotlib figure has
``savefig``, an Axes has a ``figure``, a DataFrame has ``_repr_html_``.
"""

from __future__ import annotations

import base64
import io
import sys
import weakref
from html import escape
from typing import TYPE_CHECKING, Any

from .text import LABELS, describe_value, format_timings, schedule_line, short_repr, usage_line

if TYPE_CHECKING:
    from ..result import AskResult

__all__ = [
    "CARD",
    "LINES",
    "MAX_HTML_CHARS",
    "MUTED",
    "PRE",
    "answer_png",
    "details_html",
    "explanation_html",
    "figure_png",
    "header_html",
    "png_html",
    "render_html",
    "rich_html",
    "task_figures",
    "value_html",
]

CARD = (
    "border:1px solid var(--jp-border-color2,#ddd);border-radius:6px;padding:8px 12px;"
    "margin:4px 0;font-family:var(--jp-ui-font-family,sans-serif);"
    "color:var(--jp-ui-font-color1,#222)"
)
MUTED = "color:var(--jp-ui-font-color2,#666);font-size:0.9em"
PRE = (
    "background:var(--jp-layout-color2,#f6f8fa);padding:6px 8px;border-radius:4px;"
    "overflow-x:auto;font-family:var(--jp-code-font-family,monospace);font-size:0.9em;"
    "margin:4px 0"
)
LINES = "line-height:1.5"  # ipywidgets' HTML sets a tall line height for form rows
MAX_HTML_CHARS = 200_000  # a value's own HTML beyond this is shown as a short repr


def render_html(result: AskResult) -> str:
    """The static HTML card of an :class:`~aigc_magic.result.AskResult`."""
    language = result.language
    labels = LABELS.get(language, LABELS["en"])
    parts = [f'<div class="aigc-answer" lang="{language}" style="{CARD}">', header_html(result)]
    if result.ran:
        parts.append(explanation_html(result))
        parts.append(value_html(result.value, language, task_figures(result), answer_png(result)))
    else:
        parts.append(f"<p>{escape(labels['not_run'])}</p>")
    parts.append(details_html(result))
    parts.append(
        f"<details><summary>{labels['code']}</summary>"
        f'<pre class="aigc-code" style="{PRE}">{escape(result.code)}</pre></details>'
    )
    parts.append("</div>")
    return "".join(parts)


def header_html(result: AskResult) -> str:
    """The task as the planner understood it, muted."""
    return f'<div style="{MUTED};{LINES}">» {escape(result.plan.summary or result.prose)}</div>'


def explanation_html(result: AskResult) -> str:
    """The answer in words."""
    return (
        f'<p class="aigc-explanation" style="margin:6px 0;font-size:1.05em;{LINES}">'
        f"{escape(result.explanation)}</p>"
    )


def details_html(result: AskResult) -> str:
    """The scheduler's line, the notices and the timings, muted."""
    language = result.language
    labels = LABELS.get(language, LABELS["en"])
    parts = []
    if result.schedule is not None:
        parts.append(
            f'<div class="aigc-schedule" style="{MUTED}">⚙ {labels["how"]}: '
            f"{escape(schedule_line(result.schedule, language))}</div>"
        )
    parts += [f'<div style="{MUTED}">· {escape(notice)}</div>' for notice in result.notices]
    tokens = usage_line(result)
    if tokens:
        parts.append(f'<div class="aigc-usage" style="{MUTED}">{escape(tokens)}</div>')
    parts.append(
        f'<div class="aigc-timings" style="{MUTED}">{labels["timings"]}: '
        f"{escape(format_timings(result.timings, language))}</div>"
    )
    return f'<div style="{LINES}">{"".join(parts)}</div>'


def value_html(
    value: Any,
    language: str = "en",
    figures: list[bytes] | None = None,
    png: bytes | None = None,
) -> str:
    """The value, rendered richly: a figure as an image, a table as its HTML, a list or an
    array truncated with its length; each under a one-line description of its type."""
    labels = LABELS.get(language, LABELS["en"])
    head = (
        f'<div style="{LINES}"><b>{labels["value"]}</b> <span style="{MUTED}">'
        f"({escape(describe_value(value, language))})</span></div>"
    )
    body = png_html(png) if png is not None else rich_html(value)
    images = "".join(png_html(png) for png in figures or [])
    return f'<div class="aigc-value-block">{head}{body}{images}</div>'


def rich_html(value: Any) -> str:
    """The richest faithful HTML for one value."""
    try:
        png = figure_png(value)
        html = None if png is not None else _own_html(value)
    except Exception:  # an odd attribute lookup must not hide the answer
        png = html = None
    if png is not None:
        return png_html(png)
    if html is not None:
        return f'<div class="aigc-value" style="overflow-x:auto;max-height:32em">{html}</div>'
    return f'<pre class="aigc-value" style="{PRE}">{escape(short_repr(value))}</pre>'


def png_html(png: bytes) -> str:
    """An ``<img>`` holding PNG bytes."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="aigc-figure" style="max-width:100%" src="data:image/png;base64,{data}">'


def figure_png(value: Any) -> bytes | None:
    """PNG bytes of a matplotlib Figure or Axes (duck-typed), or of a value with
    ``_repr_png_``; None for anything else."""
    if isinstance(value, type):
        return None
    figure = value if callable(getattr(value, "savefig", None)) else None
    if figure is None:
        owner = getattr(value, "figure", None)
        if callable(getattr(owner, "savefig", None)) and hasattr(value, "plot"):
            figure = owner
    if figure is not None:
        buffer = io.BytesIO()
        try:
            figure.savefig(buffer, format="png", bbox_inches="tight")
        except Exception:  # not a figure after all: fall back to the next representation
            return None
        return buffer.getvalue()
    repr_png = getattr(value, "_repr_png_", None)
    if callable(repr_png):
        try:
            data = repr_png()
        except Exception:
            return None
        return data if isinstance(data, bytes) else None
    return None


def _own_html(value: Any) -> str | None:
    repr_html = getattr(value, "_repr_html_", None)
    if isinstance(value, type) or not callable(repr_html):
        return None
    try:
        html = repr_html()
    except Exception:  # a broken _repr_html_ must not hide the answer
        return None
    if not isinstance(html, str) or len(html) > MAX_HTML_CHARS:
        return None
    return html


_figures: dict[int, list[bytes]] = {}
_answer_pngs: dict[int, bytes | None] = {}


def answer_png(result: AskResult) -> bytes | None:
    """The PNG of a task's answer when it is a figure, rendered once per result (a
    ``savefig`` takes tens of milliseconds, and the card, its HTML and ``image/png`` all
    show it); None when the task did not run or its answer is no figure."""
    key = id(result)
    if key not in _answer_pngs:
        _answer_pngs[key] = figure_png(result.value) if result.ran else None
        weakref.finalize(result, _answer_pngs.pop, key, None)
    return _answer_pngs[key]


def task_figures(result: AskResult) -> list[bytes]:
    """PNG images of the figures the task drew with pyplot, taken once per result.

    With the notebook's inline backend a figure the code drew is still open when the answer
    is displayed; it goes into the card and is closed, so the backend does not show it a
    second time under the card. Other backends (widgets, windows) keep their figures.
    """
    key = id(result)
    if key in _figures:
        return _figures[key]
    images: list[bytes] = []
    if result.ran and answer_png(result) is None:
        images = _grab_inline_figures()
    _figures[key] = images
    weakref.finalize(result, _figures.pop, key, None)
    return images


def _grab_inline_figures() -> list[bytes]:
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None or "inline" not in str(plt.get_backend()).lower():
        return []
    images = []
    for number in plt.get_fignums():
        figure = plt.figure(number)
        png = figure_png(figure)
        if png is not None:
            images.append(png)
        plt.close(figure)
    return images
