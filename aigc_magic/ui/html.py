"""The HTML answer card shown in notebooks: answer, value, how it ran, and the code.

Plain HTML with inline styles that read well in JupyterLab's light and dark themes (colours
come from JupyterLab's CSS variables, with fallbacks). Every user-controlled string is
escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .text import LABELS, describe_value, format_timings, short_repr

_CARD = ("border:1px solid var(--jp-border-color2,#ddd);border-radius:6px;padding:8px 12px;"
         "margin:4px 0;font-family:var(--jp-ui-font-family,sans-serif);"
         "color:var(--jp-ui-font-color1,#222)")
_MUTED = "color:var(--jp-ui-font-color2,#666);font-size:0.9em"
_PRE = ("background:var(--jp-layout-color2,#f6f8fa);padding:6px 8px;border-radius:4px;"
        "overflow-x:auto;font-family:var(--jp-code-font-family,monospace);font-size:0.9em")


def render_html(result: Any) -> str:
    """The HTML card of an :class:`~aigc_magic.engine.AskResult`."""
    language = result.language
    labels = LABELS.get(language, LABELS["en"])
    parts = [f'<div class="aigc-answer" style="{_CARD}">',
             f'<div style="{_MUTED}">» {escape(result.plan.summary or result.prose)}</div>']
    if result.ran:
        parts.append(f'<p class="aigc-explanation" style="margin:6px 0">'
                     f"{escape(result.explanation)}</p>")
        parts.append(f'<div><b>{labels["value"]}</b> '
                     f'<span style="{_MUTED}">({escape(describe_value(result.value, language))})'
                     f'</span><pre class="aigc-value" style="{_PRE}">'
                     f"{escape(short_repr(result.value))}</pre></div>")
    else:
        parts.append(f"<p>{escape(labels['not_run'])}</p>")
    parts.append(f'<details><summary>{labels["code"]}</summary>'
                 f'<pre class="aigc-code" style="{_PRE}">{escape(result.code)}</pre></details>')
    for notice in result.notices:
        parts.append(f'<div style="{_MUTED}">· {escape(notice)}</div>')
    parts.append(f'<div style="{_MUTED}">{escape(format_timings(result.timings, language))}'
                 "</div></div>")
    return "".join(parts)
