"""The view shown when the safety policy holds code back and asks for consent."""

from __future__ import annotations

from html import escape
from typing import Any


class ConsentRequest:
    """Shows the refused code, the findings, and how to run it anyway.

    Returned by ``%ask`` in safety mode ``"ask"`` (and shown in mode ``"strict"``); nothing has
    run. ``.error`` is the :class:`~aigc_magic.errors.UnsafeCodeError`.
    """

    def __init__(self, error: Any) -> None:
        self.error = error

    def __repr__(self) -> str:
        return f"<ConsentRequest findings={len(self.error.findings)}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        code = "\n".join("    " + line for line in self.error.code.rstrip().splitlines())
        p.text(f"{self.error}\n{code}")

    def _repr_html_(self) -> str:
        return ('<div class="aigc-consent" style="border:1px solid #d9822b;border-radius:6px;'
                'padding:8px 12px"><pre style="white-space:pre-wrap">'
                f"{escape(str(self.error))}</pre><details open><summary>code</summary>"
                f"<pre>{escape(self.error.code)}</pre></details></div>")
