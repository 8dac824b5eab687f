"""Progress events published by the ``"aigc"`` backend, and a tiny thread-safe bus.

Events are emitted on joblib's callback thread, so subscribers must be quick and must not
raise: a subscriber that raises is removed and the error is reported once on stderr, never
propagated into the run. The UI and the engine subscribe; nothing here imports anything heavy.

::

    unsubscribe = subscribe(print)
    ...                       # any Parallel(backend="aigc") call publishes events
    unsubscribe()
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from .arms import Decision

__all__ = [
    "BatchDone",
    "Event",
    "RunFinished",
    "RunStarted",
    "Subscriber",
    "WorkerLost",
    "has_subscribers",
    "publish",
    "subscribe",
]


@dataclass(frozen=True)
class RunStarted:
    """A ``Parallel`` call started on an arm."""

    call_id: int
    arm: str  # e.g. "loky", "threads", "dask", "sequential"
    n_workers: int
    batch_size: int | None  # None while joblib auto-batches
    n_tasks: int | None  # None when unknown (generators)
    decision: Decision | None = None  # why this arm (explain.reason says it in words)
    workers: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchDone:
    """A batch of tasks finished."""

    call_id: int
    n_done: int  # tasks completed so far in this call
    n_tasks: int | None
    batch_size: int
    worker: str  # a stable label for the worker that ran it
    duration: float  # seconds the batch took


@dataclass(frozen=True)
class WorkerLost:
    """A worker died; its batches were resubmitted (or could not be)."""

    call_id: int
    worker: str
    n_lost_batches: int
    retried: bool
    message: str  # the one line the user sees
    n_lost_tasks: int = 0  # tasks in the lost batches
    arm: str = ""


@dataclass(frozen=True)
class RunFinished:
    """A ``Parallel`` call ended, successfully or not."""

    call_id: int
    arm: str
    n_done: int
    n_tasks: int | None
    elapsed: float
    ok: bool
    per_worker: dict[str, int] = field(default_factory=dict)  # tasks run by each worker
    decision: Decision | None = None  # why this arm (as in RunStarted)
    n_workers: int = 0
    n_retried: int = 0  # batch resubmissions after lost workers


Event = RunStarted | BatchDone | WorkerLost | RunFinished
Subscriber = Callable[[Event], None]

_lock = threading.Lock()
_subscribers: list[Subscriber] = []


def subscribe(fn: Subscriber) -> Callable[[], None]:
    """Call ``fn(event)`` for every event from now on; return a function that unsubscribes."""
    with _lock:
        _subscribers.append(fn)

    def unsubscribe() -> None:
        with _lock:
            if fn in _subscribers:
                _subscribers.remove(fn)

    return unsubscribe


def has_subscribers() -> bool:
    """Whether anyone listens: publishers skip building events nobody would receive."""
    return bool(_subscribers)


def publish(event: Event) -> None:
    """Deliver ``event`` to every subscriber; a subscriber that raises is dropped, once."""
    with _lock:
        targets = list(_subscribers)
    for fn in targets:
        try:
            fn(event)
        except Exception as exc:  # a broken subscriber must never break a run
            with _lock:
                if fn in _subscribers:
                    _subscribers.remove(fn)
            print(
                f"aigc-magic: progress subscriber {fn!r} raised {exc!r}; removed it.",
                file=sys.stderr,
            )
