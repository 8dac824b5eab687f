"""The fixed rules: calls that leave nothing to learn, and the kinds the bandit may pick.

A rule decides alone when an arm is forced with ``parallel_config(arm=...)``, when
``n_jobs == 1`` (sequential, or one thread when ``timeout=`` must be able to stop the wait),
for a single task, and for nested calls (sequential beyond the first level, the parent
worker's cores as threads at the first). Otherwise :func:`restriction` narrows the kinds
the bandit chooses among: threads only for ``require="sharedmem"`` and
``prefer="threads"``; process arms for ``prefer="processes"``; Dask arms only with a
connected cluster that has a free thread, beside the local ones (only they when the cluster
was connected with ``only=True`` or the policy is remote-only); never in-process when the
call has a timeout or wants results as they finish. Once the workload is measured,
:func:`small_call` keeps in-process a call whose whole work takes less than any other arm
needs to start. Pure functions, no I/O.
"""

from __future__ import annotations

import difflib

from ..errors import GridError
from .arms import ARM_KINDS, Arm, Context, Decision, Probe, Rule
from .costmodel import (
    COSTS,
    dask_room,
    dask_workers,
    in_process_arm,
    inner_threads,
    predict,
    requested_workers,
)

__all__ = ["check_arm_kind", "decide_by_rule", "provisional", "restriction", "small_call"]


def check_arm_kind(kind: str) -> str:
    """Return ``kind`` if it names an arm, else raise ``ValueError`` with a suggestion."""
    if kind in ARM_KINDS:
        return kind
    close = difflib.get_close_matches(str(kind), ARM_KINDS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"Unknown arm {kind!r}: expected one of {', '.join(ARM_KINDS)}.{hint}")


def restriction(x: Context, remote_only: bool = False) -> tuple[str, ...] | None:
    """Kinds the bandit may pick from, or None when a rule decides the arm alone."""
    if x.forced is not None or x.nesting_level >= 1:
        return None
    wanted = requested_workers(x.n_jobs, max(1, x.cpu_count))
    if (x.n_tasks is not None and x.n_tasks <= 1) or wanted <= 1:
        return None
    if x.require == "sharedmem" or x.prefer == "threads":
        return ("threads",)
    if x.dask_cores > 0 and (remote_only or x.dask_only):
        return ("dask",)
    # a cluster whose every thread is taken by work already there gets none of the call
    remote = ("dask",) if dask_room(x) >= 1 else ()
    if x.prefer == "processes":
        return ("loky", *remote)
    # in-process runs tasks in order: it can neither stop at a timeout nor hand back
    # the fastest tasks first (return_as="generator_unordered")
    in_order_ok = not x.has_timeout and not x.unordered
    local = ("sequential", "threads", "loky") if in_order_ok else ("threads", "loky")
    return local + remote


def _decided(
    kind: str, workers: int, x: Context, rule: Rule, forced: str | None = None
) -> Decision:
    cores = max(1, x.cpu_count)
    arm = Arm(
        kind=kind,
        n_workers=workers,
        batch_size=None,
        inner_threads=inner_threads(kind, workers, cores, x),
    )
    return Decision(arm, rule=rule, forced=forced, nesting_level=x.nesting_level, cores=cores)


def decide_by_rule(x: Context) -> Decision:
    """The arm for a call that :func:`restriction` leaves to the rules."""
    cores = max(1, x.cpu_count)
    wanted = requested_workers(x.n_jobs, cores)
    if x.forced is not None:
        return _forced(x, wanted)
    if x.nesting_level >= 2:
        return _decided("sequential", 1, x, Rule.NESTED_DEEP)
    if x.nesting_level == 1:
        workers = min(wanted, cores)
        if workers <= 1:
            return _decided("sequential", 1, x, Rule.NESTED_ONE_CORE)
        return _decided("threads", workers, x, Rule.NESTED_THREADS)
    if x.has_timeout:
        return _decided("threads", 1, x, Rule.TIMEOUT_ONE_JOB)
    one_job = x.n_tasks is None or x.n_tasks > 1
    return _decided("sequential", 1, x, Rule.ONE_JOB if one_job else Rule.ONE_TASK)


def _forced(x: Context, wanted: int) -> Decision:
    kind = check_arm_kind(x.forced or "")
    rule = Rule.FORCED
    if x.require == "sharedmem" and kind in ("loky", "dask"):
        kind, rule = "threads", Rule.SHAREDMEM
    if kind == "sequential":
        return _decided("sequential", 1, x, rule, x.forced)
    if kind == "dask":
        if x.dask_cores <= 0:
            raise GridError(
                "arm='dask' was forced but no Dask cluster is connected. Connect one "
                "first: aigc_magic.grid.connect('tls://host:8786', ...) or "
                "%ask workers local 2"
            )
        return _decided("dask", x.dask_cores if x.n_jobs < 0 else wanted, x, rule, x.forced)
    return _decided(kind, max(wanted, 1), x, rule, x.forced)


def provisional(x: Context, kinds: tuple[str, ...]) -> Decision:
    """The arm before the first batch is measured: the most workers the hints allow."""
    cores = max(1, x.cpu_count)
    wanted = requested_workers(x.n_jobs, cores)
    if x.n_tasks is not None:
        wanted = min(wanted, x.n_tasks)
    kind = "dask" if "dask" in kinds else "loky" if "loky" in kinds else kinds[-1]
    workers = dask_workers(x, wanted) if kind == "dask" else wanted
    return _decided(kind, workers, x, Rule.PROVISIONAL)


def small_call(x: Context, kinds: tuple[str, ...]) -> Decision | None:
    """In-process, when the measured work of the whole call (``x.item_seconds`` ×
    ``x.n_tasks``) is predicted to take less there than the per-call cost of every other
    kind the call may use: no parallel arm can win it back. None otherwise (or when the
    per-task time or the number of tasks is unknown)."""
    if "sequential" not in kinds or x.item_seconds is None or x.n_tasks is None:
        return None
    arm = in_process_arm(x, x.item_seconds, most=x.n_tasks)
    seconds = predict(arm, x).seconds
    if seconds >= min(COSTS[k][0] for k in kinds if k != "sequential"):
        return None
    return Decision(
        arm,
        rule=Rule.SMALL,
        predicted=seconds,
        probe=Probe(x.item_seconds, x.gil_free),
        nesting_level=x.nesting_level,
        cores=max(1, x.cpu_count),
        n_tasks=x.n_tasks,
    )
