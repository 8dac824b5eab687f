"""Views of a run: live progress while it works, the answer card after, text elsewhere.

- :mod:`.progress`: the grid-event subscriber and its per-call counters; :func:`install`.
- :mod:`.progresswidget`: the progress panel in notebooks (ipywidgets, with a stop button).
- :mod:`.textprogress`: the progress bar on stderr (terminals, scripts, CI logs).
- :mod:`.render`: the one place an ``AskResult``'s display data come from; :mod:`.card`
  (widgets, with copy and insert buttons), :mod:`.html` and :mod:`.text` build them.

Importing this package imports nothing heavy; ipywidgets loads with the first run shown in a
notebook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from .progress import ProgressHub

__all__ = ["install", "uninstall"]


def install(shell: InteractiveShell | None = None) -> ProgressHub:
    """Show live progress for every ``Parallel(backend="aigc")`` call made in ``shell``.

    ``%load_ext aigc_magic`` calls it; scripts and the command line may call
    ``install(None)`` for a text bar on stderr. Idempotent; returns the subscriber.
    """
    from .progress import install as _install

    return _install(shell)


def uninstall(shell: InteractiveShell | None = None) -> None:
    """Undo :func:`install` for ``shell``."""
    from .progress import uninstall as _uninstall

    _uninstall(shell)
