"""How an :class:`~aigc_magic.engine.AskResult` shows itself: one mimebundle for every front end.

``text/plain`` for terminals and logs, ``text/html`` for notebooks, and the answer as JSON
(``application/vnd.aigc-magic.answer+json``) for the demo, the tests and the sidebar chat.
"""

from __future__ import annotations

from typing import Any

from .html import render_html
from .text import render_text


def mimebundle(result: Any) -> dict[str, Any]:
    """The display data of an AskResult."""
    from ..engine import ANSWER_MIMETYPE

    return {"text/plain": render_text(result), "text/html": render_html(result),
            ANSWER_MIMETYPE: result.to_json()}
