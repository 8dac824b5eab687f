"""How an :class:`~aigc_magic.result.AskResult` shows itself: one mimebundle for every front end.

- ``text/plain``: terminals, scripts, logs (:mod:`.text`);
- ``text/html``: the static card, for nbconvert, GitHub and front ends without widgets
  (:mod:`.html`);
- ``application/vnd.aigc-magic.answer+json``: the answer as data, for the demo, the tests and
  the sidebar chat;
- ``image/png``: when the answer is a figure (a plot), the figure itself, so front ends and
  nbconvert that show no HTML still show the plot;
- ``application/vnd.jupyter.widget-view+json``: in a notebook kernel, the widget card with
  copy and insert buttons (:mod:`.card`), which front ends with ipywidgets prefer.
"""

from __future__ import annotations

import base64
import warnings
from typing import TYPE_CHECKING, Any

from .html import answer_png, render_html
from .text import render_text

if TYPE_CHECKING:
    from ..result import AskResult

__all__ = ["ANSWER_MIMETYPE", "WIDGET_MIMETYPE", "mimebundle", "widget_view"]

ANSWER_MIMETYPE = "application/vnd.aigc-magic.answer+json"
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"


def mimebundle(result: AskResult) -> dict[str, Any]:
    """The display data of an AskResult."""
    bundle: dict[str, Any] = {
        "text/plain": render_text(result),
        "text/html": render_html(result),
        ANSWER_MIMETYPE: result.to_json(),
    }
    png = answer_png(result)
    if png is not None:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    view = widget_view(result)
    if view is not None:
        bundle[WIDGET_MIMETYPE] = view
    return bundle


def widget_view(result: AskResult) -> dict[str, Any] | None:
    """The widget card's view data in a notebook kernel; None elsewhere."""
    from IPython import get_ipython

    from .progress import in_notebook

    if not in_notebook(get_ipython()):
        return None
    try:
        from .card import card_widget
    except ImportError:  # no ipywidgets: the HTML card stands in
        return None
    try:
        card = card_widget(result)
    except Exception as exc:
        warnings.warn(
            f"aigc-magic: the answer card failed ({exc!r}); showing the HTML card.",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    data: dict[str, Any] = card._repr_mimebundle_()[WIDGET_MIMETYPE]
    return data
