"""What a run did on the grid, gathered from the backend's progress events.

:class:`ScheduleRecorder` subscribes to :mod:`aigc_magic.grid.events` while a task runs and
condenses every ``Parallel(backend="aigc")`` call it saw into one :class:`Schedule`, which
``AskResult.schedule`` carries; :mod:`.explain` says it in the prose's language.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from types import TracebackType

from . import events, explain
from .arms import Decision

__all__ = ["Schedule", "ScheduleRecorder"]


@dataclass(frozen=True)
class Schedule:
    """How the work of one task was split and where it ran.

    Attributes
    ----------
    arm : str
        The arm of the largest call: ``"sequential"``, ``"threads"``, ``"loky"`` or ``"dask"``.
    n_workers : int
        Workers of that arm.
    n_tasks : int
        Tasks run over all calls.
    n_calls : int
        ``Parallel`` calls the task made.
    decision : Decision or None
        What the policy decided for the largest call, and why (None when unknown).
    per_worker : dict
        Tasks run by each worker.
    elapsed : float
        Seconds spent inside ``Parallel`` calls.
    incidents : tuple of str
        One line per worker lost during the run.
    n_batches : int
        Batches the largest call ran, 0 when unknown.
    batch_range : tuple of int
        The smallest and largest of those batches, in tasks.
    """

    arm: str
    n_workers: int
    n_tasks: int
    n_calls: int
    decision: Decision | None = None
    per_worker: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    incidents: tuple[str, ...] = ()
    n_batches: int = 0
    batch_range: tuple[int, int] = (0, 0)

    @property
    def reason(self) -> str:
        """The policy's one-line reason for the largest call's arm, as it planned it."""
        return "" if self.decision is None else explain.reason(self.decision)

    @property
    def reason_as_run(self) -> str:
        """The reason with the batches the largest call ran (``"8 batches of 1"``) in place
        of the planned batching, when known. The planned size is only where batches
        start: joblib splits the rest of a short input finer, and guided sizing shrinks
        the last ones."""
        if self.decision is None:
            return ""
        return explain.reason(self.decision, self.n_batches, self.batch_range)

    def describe(self, language: str = "en") -> str:
        """One or two sentences on how the work was split, and why, in ``language``."""
        return explain.describe_schedule(self, language)


class ScheduleRecorder:
    """Context manager that records the grid events of the code run inside it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started: dict[int, events.RunStarted] = {}
        self._finished: dict[int, events.RunFinished] = {}
        self._incidents: list[str] = []
        self._progress: dict[int, tuple[int, int | None]] = {}  # call -> (done, total)
        self._batches: dict[int, tuple[int, int, int]] = {}  # call -> (batches, min, max)
        self._unsubscribe: events.Callable[[], None] | None = None

    def __enter__(self) -> ScheduleRecorder:
        self._unsubscribe = events.subscribe(self._on_event)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: events.Event) -> None:
        with self._lock:
            if isinstance(event, events.RunStarted):
                self._started[event.call_id] = event
            elif isinstance(event, events.RunFinished):
                self._finished[event.call_id] = event
            elif isinstance(event, events.WorkerLost):
                self._incidents.append(event.message)
            elif isinstance(event, events.BatchDone):
                self._progress[event.call_id] = (event.n_done, event.n_tasks)
                n, low, high = self._batches.get(event.call_id, (0, event.batch_size, 0))
                self._batches[event.call_id] = (
                    n + 1,
                    min(low, event.batch_size),
                    max(high, event.batch_size),
                )

    def progress(self) -> tuple[int, int | None, str | None]:
        """Tasks done and their total (None when unknown) over all calls so far, and the
        arm of the latest call: what an interrupted run reports."""
        with self._lock:
            done = sum(d for d, _ in self._progress.values())
            totals = [t for _, t in self._progress.values()]
            total = None if not totals or None in totals else sum(t or 0 for t in totals)
            latest = max(self._started) if self._started else None
            arm = self._started[latest].arm if latest is not None else None
            return done, total, arm

    @property
    def incidents(self) -> tuple[str, ...]:
        """The one-line messages of workers lost so far."""
        with self._lock:
            return tuple(self._incidents)

    def schedule(self) -> Schedule | None:
        """The condensed schedule, or None when the code made no ``"aigc"`` call."""
        with self._lock:
            if not self._started:
                return None
            calls = [(start, self._finished.get(cid)) for cid, start in self._started.items()]
            incidents = tuple(self._incidents)
            batches = dict(self._batches)

        def size(pair: tuple[events.RunStarted, events.RunFinished | None]) -> int:
            start, end = pair
            return end.n_done if end is not None else (start.n_tasks or 0)

        main, _ = max(calls, key=size)
        n_batches, low, high = batches.get(main.call_id, (0, 0, 0))
        per_worker: dict[str, int] = {}
        for _, end in calls:
            for worker, count in (end.per_worker if end else {}).items():
                per_worker[worker] = per_worker.get(worker, 0) + count
        return Schedule(
            arm=main.arm,
            n_workers=main.n_workers,
            n_tasks=sum(size(pair) for pair in calls),
            n_calls=len(calls),
            decision=main.decision,
            per_worker=per_worker,
            elapsed=sum(end.elapsed for _, end in calls if end is not None),
            incidents=incidents,
            n_batches=n_batches,
            batch_range=(low, high),
        )
