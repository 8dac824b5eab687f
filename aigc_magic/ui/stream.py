"""Show an LLM's reply as it arrives: a live Markdown display in notebooks, stdout elsewhere.

Updates to the notebook display are throttled to one every 50 ms; :meth:`StreamWriter.close`
flushes what is left.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.core.display_functions import DisplayHandle

__all__ = ["StreamWriter", "in_notebook"]

_INTERVAL = 0.05


def in_notebook(shell: object) -> bool:
    """True when ``shell`` talks to a Jupyter front end (ipykernel), not a terminal."""
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class StreamWriter:
    """A ``stream`` callback for :func:`aigc_magic.ask`."""

    def __init__(self, shell: object = None) -> None:
        self._notebook = in_notebook(shell)
        self._parts: list[str] = []
        self._handle: DisplayHandle | None = None
        self._flushed = 0.0
        self._dirty = False
        self._line_open = False  # a terminal line the stream has not ended yet

    def __call__(self, text: str) -> None:
        if not self._notebook:
            sys.stdout.write(text)
            sys.stdout.flush()
            if text:
                self._line_open = not text.endswith("\n")
            return
        self._parts.append(text)
        self._dirty = True
        if time.monotonic() - self._flushed >= _INTERVAL:
            self._flush()

    def close(self) -> None:
        """Show whatever arrived since the last update; end a terminal line."""
        if self._notebook:
            if self._dirty:
                self._flush()
        elif self._line_open:
            sys.stdout.write("\n")
            sys.stdout.flush()
            self._line_open = False

    @property
    def text(self) -> str:
        """Everything received so far (notebooks only)."""
        return "".join(self._parts)

    def _flush(self) -> None:
        from IPython.display import Markdown, display

        view = Markdown(self.text)
        if self._handle is None:
            self._handle = display(view, display_id=True)
        else:
            self._handle.update(view)
        self._flushed = time.monotonic()
        self._dirty = False
