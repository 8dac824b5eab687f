"""The progress of a call as text on stderr: terminal IPython, scripts, the CLI, CI logs.

On a terminal the bar redraws in place (``\\r``), at most ten times a second; in a log (stderr
is not a TTY) it writes a line at each quarter and one at the end, so CI output stays short::

    aigc ▕██████████▌         ▏  52% 5210/10000 · 12.3k/s · 0.42 s < 0.39 s · threads×2
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from ..grid.events import RunStarted
from ..grid.explain import format_seconds, long_call
from .snapshot import Snapshot, format_rate
from .text import LABELS

__all__ = ["WIDTH", "TextProgressView", "bar", "progress_line"]

WIDTH = 20
_BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(fraction: float | None, width: int = WIDTH) -> str:
    """A bar of ``width`` cells with eighth-block resolution; dots when the total is unknown."""
    if fraction is None:
        return "·" * width
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_BLOCKS[part] if part and full < width else "")
    return text.ljust(width)


def progress_line(snap: Snapshot, language: str = "en") -> str:
    """One line describing ``snap``; the same words the widget shows."""
    labels = LABELS.get(language, LABELS["en"])
    fraction = snap.fraction
    share = f"{fraction * 100:3.0f}%" if fraction is not None else "   ?"
    total = snap.n_tasks if snap.n_tasks is not None else "?"
    parts = [
        f"aigc ▕{bar(fraction)}▏ {share} {snap.n_done}/{total}",
        f"{format_rate(snap.rate)} {labels['per_second']}",
    ]
    if snap.finished:
        parts.append(format_seconds(snap.elapsed))
    else:
        eta = f" < {format_seconds(snap.eta)}" if snap.eta is not None else ""
        parts.append(format_seconds(snap.elapsed) + eta)
    parts.append(f"{snap.arm}×{snap.n_workers}")
    if snap.state != "running":
        parts.append(labels[snap.state])
    return " · ".join(parts)


class TextProgressView:
    """A progress bar for one call, written to ``stream`` (default: ``sys.stderr``)."""

    def __init__(
        self,
        started: RunStarted,
        language: str = "en",
        stream: TextIO | None = None,
        tty: bool | None = None,
    ) -> None:
        self.language = language
        self.stream = stream if stream is not None else sys.stderr
        self.tty = _isatty(self.stream) if tty is None else tty
        self._quarter = 0
        self._width = 0
        self._told_long = False

    def render(self, snapshot: Snapshot) -> None:
        """Redraw (terminal) or log a line at each quarter of the tasks (log); a call
        expected to be long says so once, on a line of its own."""
        long = (
            None
            if self._told_long or snapshot.expected is None
            else long_call(snapshot.expected, snapshot.decision, self.language)
        )
        if long is not None:
            self._told_long = True
            if self.tty:
                self._draw(f"aigc · {long}", end="\n")
            else:
                self._write(f"aigc · {long}\n")
        if self.tty:
            self._draw(progress_line(snapshot, self.language), end="")
            return
        fraction = snapshot.fraction
        if fraction is None:
            return
        quarter = int(fraction * 4)
        if quarter > self._quarter and quarter < 4:
            self._quarter = quarter
            self._write(progress_line(snapshot, self.language) + "\n")

    def finish(self, snapshot: Snapshot) -> None:
        """The final line, ending with a newline."""
        line = progress_line(snapshot, self.language)
        for incident in snapshot.incidents:
            line += f"\n  · {incident}"
        if self.tty:
            self._draw(line, end="\n")
        else:
            self._write(line + "\n")

    def _draw(self, line: str, end: str) -> None:
        pad = " " * max(0, self._width - len(line))
        self._width = 0 if end else len(line)
        self._write(f"\r{line}{pad}{end}")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed stderr must not break the run
            pass


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False
