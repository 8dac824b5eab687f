"""One backend call's record, and what the process remembers of the latest one.

:class:`CallStats` is what a call has done so far (the backend updates it under its lock),
:class:`Phase` where the backend is in its call; :func:`learn` hands a finished call's
measurements to the policy; :func:`last_run` and :func:`last_decision` are what the
latest top-level call left for the card, ``%ask scheduler`` and the benchmarks.
"""

from __future__ import annotations

import enum
import itertools
import sys
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import events
from .arms import Arm, Context, Decision
from .costmodel import sequential_batch
from .events import BatchDone, RunFinished, RunStarted, WorkerLost

if TYPE_CHECKING:
    from .retry import Loss
    from .scheduler import Policy
    from .workers import Outcome

__all__ = [
    "CallStats",
    "Phase",
    "batch_size",
    "connected_client",
    "last_decision",
    "last_run",
    "learn",
    "nested_core_budget",
    "next_call_id",
    "remember_decision",
    "remember_run",
    "tail_size",
    "tell_batch",
    "tell_loss",
    "tell_start",
]

_call_ids = itertools.count(1)
_last_run: RunFinished | None = None
_last_decision: dict[str, Any] = {}


def next_call_id() -> int:
    """A new call's number, unique in this process."""
    return next(_call_ids)


def last_decision() -> dict[str, Any]:
    """How the latest deferred decision went: ``overhead`` (seconds spent identifying the
    workload and deciding, the measured tasks' own run excluded), ``probed`` (whether
    tasks ran measured in the calling thread), ``n_measured`` (how many), ``context`` and
    ``arm``."""
    return dict(_last_decision)


def remember_decision(**facts: Any) -> None:
    """Replace what :func:`last_decision` returns."""
    _last_decision.clear()
    _last_decision.update(facts)


def last_run() -> RunFinished | None:
    """The :class:`~.events.RunFinished` of the latest top-level call in this process."""
    return _last_run


def remember_run(run: RunFinished) -> None:
    """Make ``run`` what :func:`last_run` returns."""
    global _last_run
    _last_run = run


class Phase(enum.Enum):
    """Where a backend is in its call."""

    IDLE = "idle"  # not configured, or terminated
    DEFERRED = "deferred"  # configured; the arm is chosen at the first batches
    RUNNING = "running"  # the arm is chosen
    FAILED = "failed"  # aborted (a task failed, a timeout): nothing is learned


def nested_core_budget(kind: str | None, n_workers: int, cores: int) -> int:
    """Cores a call made inside one task may use, when ``n_workers`` workers of ``kind``
    share ``cores`` (a Dask worker's call gets one: its cores are not ours to count)."""
    if kind is None or kind == "sequential":
        return cores
    if kind == "dask":
        return 1
    return max(1, cores // max(1, n_workers))


@dataclass
class CallStats:
    """What one call has done so far (updated under the backend's lock)."""

    call_id: int = 0
    t0: float = field(default_factory=time.perf_counter)
    n_done: int = 0
    per_worker: dict[str, int] = field(default_factory=dict)
    busy: float = 0.0  # seconds the finished batches ran
    busy_n: int = 0  # tasks in those batches
    t_item: float | None = None  # smoothed seconds per task, from the batches' durations
    most_per_batch: int = 10**9

    def ran(self, outcome: Outcome) -> None:
        """Count the run time of a batch that finished (measured or not)."""
        self.busy += outcome.seconds
        self.busy_n += len(outcome.results or ())

    def retrieved(self, outcome: Outcome) -> int:
        """Count a batch whose results joblib took; return the tasks done so far."""
        n = len(outcome.results or ())
        self.n_done += n
        self.per_worker[outcome.worker] = self.per_worker.get(outcome.worker, 0) + n
        if n:
            self.busy += outcome.seconds
            self.busy_n += n
            t = outcome.seconds / n
            self.t_item = t if self.t_item is None else 0.7 * self.t_item + 0.3 * t
        return self.n_done


def learn(
    policy: Policy,
    decision: Decision,
    context: Context,
    stats: CallStats,
    n_done: int,
    took: float,
    *,
    autosave: bool,
) -> None:
    """Tell ``policy`` how a finished call went: ``n_done`` tasks in ``took`` seconds, the
    per-task time as the batches showed it (``stats``); with ``autosave``, mark the
    process policy's learning to be saved."""
    t = context.item_seconds
    if stats.busy_n and context.signature is not None:
        seen = stats.busy / stats.busy_n
        g = context.gil_free or 0.0
        arm = decision.arm
        if arm.kind != "threads" or arm.n_workers == 1 or g >= 0.8:
            t = seen  # (GIL-bound threads stretch each task: keep the probed time)
    policy.update(decision, replace(context, n_tasks=n_done, item_seconds=t), n_done / took)
    if autosave:
        from .state import autosaver, is_learner

        if is_learner(policy) and policy.pending:
            autosaver.dirty(policy)


def tell_start(
    call_id: int, decision: Decision, n_tasks: int | None, workers: tuple[str, ...]
) -> None:
    """Tell who listens that call ``call_id`` runs on ``decision``'s arm."""
    if not events.has_subscribers():
        return
    arm = decision.arm
    events.publish(
        RunStarted(
            call_id=call_id,
            arm=arm.kind,
            n_workers=arm.n_workers,
            batch_size=arm.batch_size,
            n_tasks=n_tasks,
            decision=decision,
            workers=workers if arm.kind == "dask" else (),
        )
    )


def tell_loss(call_id: int, loss: Loss, kind: str) -> None:
    """Say on stderr, and to who listens, that a worker of ``kind`` was lost (its
    batches are being resubmitted)."""
    print(loss.message, file=sys.stderr, flush=True)
    if events.has_subscribers():
        events.publish(
            WorkerLost(
                call_id=call_id,
                worker=loss.worker,
                n_lost_batches=loss.n_batches,
                retried=True,
                message=loss.message,
                n_lost_tasks=loss.n_tasks,
                arm=kind,
            )
        )


def connected_client() -> Any:
    """The connected ``distributed.Client``, or None (nothing is imported when
    ``distributed`` never was: no cluster can be connected then)."""
    if "distributed" not in sys.modules:
        return None
    from .remote import current_client

    return current_client()


def batch_size(
    arm: Arm,
    stats: CallStats,
    known_item_seconds: float | None,
    n_tasks: int | None,
    dispatched: Any,
    jobs: int = 0,
) -> int:
    """Tasks in the next batch of an arm with a batch size (not joblib's auto-batching).

    In-process: :func:`.costmodel.sequential_batch`. Otherwise batches stay near the arm's
    target seconds as the tasks' real duration shows itself (within 8× of its first size),
    and near the end at most half of each worker's share of what is left (guided
    self-scheduling), so no worker finishes long after the others. ``jobs`` is the
    ``n_jobs`` joblib slices the input by (0: unknown).
    """
    if arm.kind == "sequential" and arm.batch_seconds is not None:
        size = sequential_batch(stats.t_item or known_item_seconds)
    elif arm.batch_seconds is None or stats.t_item is None:
        assert arm.batch_size is not None
        size = arm.batch_size
    else:
        assert arm.batch_size is not None
        size = round(arm.batch_seconds / max(stats.t_item, 1e-7))
        low, high = max(1, arm.batch_size // 8), arm.batch_size * 8
        size = int(min(max(size, low), high, stats.most_per_batch))
        if n_tasks is not None and isinstance(dispatched, int):
            share = -(-(n_tasks - dispatched) // (2 * max(1, arm.n_workers)))
            size = min(size, max(1, share))
    return tail_size(size, n_tasks, dispatched, jobs)


def tail_size(size: int, n_tasks: int | None, dispatched: Any, jobs: int) -> int:
    """``size``, or near the end of an input of ``n_tasks`` an exact share of what is left.

    joblib cuts a last slice shorter than batch × its n_jobs into pieces a tenth as big (20
    batches of 5 for the last 100 tasks on 2 workers; 40 of 499 for 20,000 on a Dask arm,
    each a round trip; 12 of one task for a 13-task call still measured): asking for
    ``left // jobs`` keeps the slice whole.
    """
    if n_tasks is not None and isinstance(dispatched, int) and jobs > 0:
        left = n_tasks - dispatched
        if 0 < left < size * jobs:
            size = max(1, left // jobs)
    return size


def tell_batch(call_id: int, n_done: int, n_tasks: int | None, outcome: Outcome) -> None:
    """Tell who listens that a batch of call ``call_id`` finished."""
    if events.has_subscribers():
        events.publish(
            BatchDone(
                call_id=call_id,
                n_done=n_done,
                n_tasks=n_tasks,
                batch_size=len(outcome.results or ()),
                worker=outcome.worker,
                duration=outcome.seconds,
            )
        )
