"""Process-wide settings changed while any of their users runs.

The interpreter's switch interval (lowered while a probe samples, :mod:`.features`) and the
garbage collector's thresholds (raised while an in-process call runs, :mod:`.pools`) belong
to the whole process: two users at once, from two threads, must not leave them changed. An
:class:`Override` counts its users: the first in saves the setting and changes it, the last
out puts back what the first found, unless someone else has changed it since.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Override"]

_T = TypeVar("_T")


class Override(Generic[_T]):
    """A setting read by ``read()``, written by ``write(value)``; ``change(saved)`` gives
    the value to hold while users run, or None to leave it as it is.

    >>> box = [5]
    >>> lower = Override(lambda: box[0], lambda v: box.__setitem__(0, v), lambda s: 1)
    >>> lower.enter(); lower.enter(); lower.leave(); box[0]
    1
    >>> lower.leave(); box[0]
    5
    """

    def __init__(
        self,
        read: Callable[[], _T],
        write: Callable[[_T], None],
        change: Callable[[_T], _T | None],
    ) -> None:
        self._read, self._write, self._change = read, write, change
        self._lock = threading.Lock()
        self._users = 0
        self._saved: _T | None = None
        self._held: _T | None = None  # what was written for the users (None: nothing)

    def enter(self) -> None:
        """One more user: the first changes the setting."""
        with self._lock:
            if self._users == 0:
                self._saved = self._read()
                self._held = self._change(self._saved)
                if self._held is not None:
                    self._write(self._held)
            self._users += 1

    def leave(self) -> None:
        """One user fewer: the last puts the setting back (if it is still the one held)."""
        with self._lock:
            self._users -= 1
            held, saved = self._held, self._saved
            if self._users == 0 and held is not None and saved is not None:
                self._held = None
                if self._read() == held:
                    self._write(saved)
