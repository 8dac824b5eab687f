"""What a progress view draws, and the two kinds of view's shared vocabulary.

:class:`Snapshot` is the state of one call at one moment; a :class:`View` (the widget panel
of :mod:`.progresswidget`, the text bar of :mod:`.textprogress`) draws snapshots, and the
:class:`Hub` protocol is what a view needs of :class:`~.progress.ProgressHub`. The views
import this module, never :mod:`.progress`, so nothing here imports a view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..grid.arms import Decision

__all__ = ["Hub", "Snapshot", "View", "estimate_left", "format_rate"]


@dataclass(frozen=True)
class Snapshot:
    """What a view draws: the state of one call at one moment.

    Attributes
    ----------
    decision : Decision or None
        What the policy decided for the call, and why.
    n_done, n_tasks : int, int or None
        Tasks finished, and the total (None while joblib still consumes a generator).
    elapsed, rate, eta : float, float, float or None
        Seconds since the call started, tasks per second, and seconds left: from the
        scheduler's prediction at first, from the finished tasks' rate as they come in
        (None when neither is known).
    expected : float or None
        The seconds the whole call is expected to take (``elapsed + eta`` while running).
    workers : tuple of (name, tasks, busy)
        Every worker that finished a batch, in order of first appearance.
    state : {"running", "stopping", "done", "stopped", "failed"}
    """

    call_id: int
    arm: str
    n_workers: int
    decision: Decision | None
    n_done: int
    n_tasks: int | None
    elapsed: float
    rate: float
    eta: float | None
    workers: tuple[tuple[str, int, bool], ...]
    state: str
    incidents: tuple[str, ...] = ()
    call_number: int = 1  # the how-many-th call shown in this view
    expected: float | None = None

    @property
    def fraction(self) -> float | None:
        """Share of the tasks done, 0..1, or None when the total is unknown."""
        if not self.n_tasks:
            return None
        return min(1.0, self.n_done / self.n_tasks)

    @property
    def finished(self) -> bool:
        """True once the call has ended, whatever the outcome."""
        return self.state in ("done", "stopped", "failed")


class View(Protocol):
    """What the hub drives: a widget panel or a text bar."""

    def render(self, snapshot: Snapshot) -> None:
        """Draw an intermediate state (on the ticker thread)."""

    def finish(self, snapshot: Snapshot) -> None:
        """Draw the final state (on the thread that ran the call)."""


class Hub(Protocol):
    """What a view needs of the :class:`~.progress.ProgressHub` that made it."""

    @property
    def shell(self) -> Any:
        """The shell the hub serves (None for scripts)."""
        ...

    def stop(self, call_id: int) -> bool:
        """Stop the running call ``call_id``; False if it already ended."""
        ...


def estimate_left(
    decision: Decision | None,
    n_done: int,
    n_tasks: int | None,
    elapsed: float,
    n_workers: int,
) -> float | None:
    """Seconds a running call has left.

    The scheduler's prediction (``decision.predicted``) until tasks finish, then more and
    more the rate of the finished ones (fully after two tasks per worker). While no task
    has finished and the call has already run longer than the probe's per-task time, each
    task takes at least that long: the prediction is stretched by as much.

    >>> from aigc_magic.grid.arms import Arm, Probe
    >>> d = Decision(Arm("loky", 2), predicted=4.0, probe=Probe(1.0), n_tasks=8)
    >>> estimate_left(d, 0, 8, 1.0, 2), estimate_left(d, 0, 8, 2.0, 2)
    (3.0, 6.0)
    >>> estimate_left(d, 4, 8, 2.0, 2)  # half done in 2 s: 2 s left
    2.0
    >>> estimate_left(None, 0, None, 1.0, 2) is None
    True
    >>> estimate_left(Decision(Arm("loky", 2), predicted=4.0), 0, None, 1.0, 2) is None
    True
    """
    counted = decision.n_tasks if decision is not None else None
    total_tasks = n_tasks if n_tasks is not None else counted
    by_rate = None
    if total_tasks is not None and n_done > 0 and elapsed > 0:
        by_rate = max(0.0, (total_tasks - n_done) * elapsed / n_done)
    by_model = None  # (a prediction made without the number of tasks is no estimate)
    if decision is not None and decision.predicted is not None and counted is not None:
        total = decision.predicted
        probe = decision.probe
        if n_done == 0 and probe is not None and 0 < probe.item_seconds < elapsed:
            total *= elapsed / probe.item_seconds
        if total > elapsed:  # (an exhausted prediction tells nothing more)
            by_model = total - elapsed
    if by_rate is None or by_model is None:
        return by_rate if by_rate is not None else by_model
    weight = min(1.0, n_done / max(1, 2 * n_workers))
    return weight * by_rate + (1 - weight) * by_model


def format_rate(rate: float) -> str:
    """Tasks per second in a few characters: ``0.52``, ``37.4``, ``12.3k``, ``1.2M``."""
    if rate >= 1e6:
        return f"{rate / 1e6:.1f}M"
    if rate >= 1e4:
        return f"{rate / 1e3:.1f}k"
    if rate >= 100:
        return f"{rate:.0f}"
    return f"{rate:.2f}" if rate < 10 else f"{rate:.1f}"
