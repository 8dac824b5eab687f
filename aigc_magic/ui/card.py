"""The answer card in notebooks: widgets holding the answer, the value, how it ran, the code.

::

    » 列出10000以内的所有质数                                   header    (HTML)
    10000以内共有1229个质数，最大的是9973。…                    answer    (HTML)
    结果 (list，共1229项)  [2, 3, 5, 7, 11, …, 9973] (1229 items)  value     (HTML or Image)
    ⚙ 运行方式: loky × 2 · 8个任务 · …   ⏱ 规划 0.05 s · …        details   (HTML)
    ▸ 代码                              [复制] [插入为新单元格]   code      (CodeBlock)

Labels follow the prose's language (``result.language``). The value is rendered by
:func:`.html.value_html`: a figure as an image, a table as its own HTML, a list or an array
truncated with its length.

The code block is a small anywidget module (``codeblock.js``), because stock ipywidgets
cannot run front-end code: "Copy" uses the clipboard API (secure contexts: https, localhost,
127.0.0.1) or ``execCommand("copy")``; "Insert as new cell" inserts a code cell below the
card's cell through the notebook model that ipywidgets' JupyterLab widget manager holds
(JupyterLab 4, Notebook 7), or lets a JupyterLab extension do it (the
``aigc-magic:insert-cell`` DOM event), or else copies the code and says to paste it. Without
anywidget the code shows in a collapsible block with no buttons.
"""

from __future__ import annotations

import weakref
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from . import html as h
from .text import LABELS

if TYPE_CHECKING:
    from ..result import AskResult

__all__ = ["CodeBlock", "card_widget", "code_block"]

_BUTTON_LABELS = ("code", "copy", "copied", "insert", "inserted", "insert_fallback")
_CSS = """
.aigc-codeblock summary { cursor: pointer; display: flex; align-items: center; gap: 8px;
  font-weight: bold; }
.aigc-codeblock .aigc-code-actions { margin-left: auto; display: inline-flex; gap: 4px;
  align-items: center; font-weight: normal; }
.aigc-codeblock .aigc-code-actions button { width: auto; padding: 0 8px; }
.aigc-codeblock .aigc-code-status { color: var(--jp-ui-font-color2, #666); font-size: 0.9em; }
.aigc-codeblock pre.aigc-code { background: var(--jp-layout-color2, #f6f8fa); padding: 6px 8px;
  border-radius: 4px; overflow-x: auto; font-family: var(--jp-code-font-family, monospace);
  font-size: 0.9em; margin: 4px 0; }
"""

_cards: dict[int, w.VBox] = {}


def card_widget(result: AskResult) -> w.VBox:
    """The card of an :class:`~aigc_magic.result.AskResult`; one per result, reused."""
    key = id(result)
    card = _cards.get(key)
    if card is None:
        card = _cards[key] = _build(result)
        weakref.finalize(result, _cards.pop, key, None)
    return card


def _build(result: AskResult) -> w.VBox:
    language = result.language
    labels = LABELS.get(language, LABELS["en"])
    children: list[w.Widget] = [w.HTML(h.header_html(result))]
    if result.ran:
        children += [
            w.HTML(h.explanation_html(result)),
            w.HTML(
                h.value_html(result.value, language, h.task_figures(result), h.answer_png(result))
            ),
        ]
    else:
        children.append(w.HTML(f"<p>{labels['not_run']}</p>"))
    children.append(w.HTML(h.details_html(result)))
    code = code_block(result.code, language)
    children.append(code)
    card = w.VBox(
        children,
        layout=w.Layout(
            border="1px solid var(--jp-border-color2,#ddd)",
            padding="4px 12px",
            margin="4px 0",
            width="100%",
            max_width="900px",
        ),
    )
    card.add_class("aigc-card")
    if isinstance(code, CodeBlock):
        code.anchor = card.model_id
    return card


def code_block(code: str, language: str) -> w.Widget:
    """The code with copy and insert buttons, or a plain collapsible block without
    anywidget."""
    labels = LABELS.get(language, LABELS["en"])
    if CodeBlock is not None:
        return CodeBlock(code=code, labels={k: labels[k] for k in _BUTTON_LABELS})
    block = w.Accordion(
        [w.HTML(f'<pre class="aigc-code" style="{h.PRE}">{escape(code)}</pre>')],
        selected_index=None,
    )
    block.set_title(0, labels["code"])
    return block


def _code_block_class() -> Any:
    try:
        import anywidget
    except ImportError:
        return None

    class _CodeBlock(anywidget.AnyWidget):
        """Collapsible code with "Copy" and "Insert as new cell" (``codeblock.js``)."""

        _esm = Path(__file__).with_name("codeblock.js")
        _css = _CSS
        code = traitlets.Unicode("").tag(sync=True)
        labels = traitlets.Dict().tag(sync=True)
        anchor = traitlets.Unicode("").tag(sync=True)  # the card's model id

    _CodeBlock.__name__ = _CodeBlock.__qualname__ = "CodeBlock"
    return _CodeBlock


CodeBlock: Any = _code_block_class()
