"""The decision at a call's first batch: measure the workload, then let the policy choose.

When no rule decides a call from joblib's hints alone, the backend defers the choice of
arm to the first batch. A workload seen before (same :func:`~.features.signature`) is
decided from its remembered features; a new one runs its first task in the calling thread
under :class:`~.features.Probe`, as part of the work (never twice). See
docs/architecture-grid-runtime.md for the whole story.
"""

from __future__ import annotations

import copy
import time
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import features
from .arms import Context, Decision
from .retry import settle
from .workers import Callback, Outcome, run_batch

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls

    from .scheduler import Policy

__all__ = ["FirstBatch", "chain", "decide", "resolved", "split"]


@dataclass(frozen=True)
class FirstBatch:
    """How the first batch went and what the policy chose from it."""

    context: Context  # the call's context with the workload's features
    decision: Decision  # what the policy chose, and why
    overhead: float  # seconds spent measuring and deciding, the probed task excluded
    remembered: bool  # the workload's features came from earlier calls
    probed: Outcome | None  # the first task's outcome when it ran here under the probe
    n_probed: int  # tasks in that probe (0 when none ran)
    rest: BatchedCalls | None  # what is left of the batch to run on the arm, or None


def decide(policy: Policy, context: Context, calls: BatchedCalls) -> FirstBatch:
    """Find the workload's features (remembered, or probed on the first task of ``calls``)
    and ask ``policy`` for the arm."""
    started = time.perf_counter()
    sig, arg_bytes = features.signature(calls)
    n_tasks = context.n_tasks
    known = policy.known(context.where, sig)
    context = replace(context, signature=sig, arg_bytes=arg_bytes)
    probed: Outcome | None = None
    n_probed = 0
    probe_seconds = 0.0
    rest: BatchedCalls | None = calls
    if known is not None:
        context = replace(
            context,
            item_seconds=known["t"],
            gil_free=known.get("g"),
            result_bytes=known.get("rb") or 0.0,
            n_tasks=n_tasks if n_tasks is not None else known.get("n"),
        )
    elif not context.has_timeout:
        # (with a timeout the probe would run where timeout= cannot stop it: the workload
        # is learned from this call's batches instead)
        first, rest = split(calls)
        with features.Probe() as probe:
            probed = run_batch(first, "main")
        n_probed, probe_seconds = len(first), probe.seconds
        results = probed.results or [None]
        context = replace(
            context,
            item_seconds=probe.seconds / max(1, n_probed),
            gil_free=probe.gil_free,
            result_bytes=features.estimate_bytes(results[0]),
        )
    decision = policy.choose(context)
    overhead = time.perf_counter() - started - probe_seconds
    return FirstBatch(context, decision, overhead, known is not None, probed, n_probed, rest)


def split(calls: BatchedCalls) -> tuple[BatchedCalls, BatchedCalls | None]:
    """``(first task, the others or None)`` of a joblib ``BatchedCalls``, as two batches."""
    items = list(getattr(calls, "items", ()))
    if len(items) <= 1:
        return calls, None
    first, rest = copy.copy(calls), copy.copy(calls)
    first.items, first._size = items[:1], 1
    rest.items, rest._size = items[1:], len(items) - 1
    return first, rest


def resolved(outcome: Outcome, callback: Callback | None) -> Future[Outcome]:
    """A future that is already done with ``outcome``."""
    done: Future[Outcome] = Future()
    if callback is not None:
        done.add_done_callback(callback)
    done.set_result(outcome)
    return done


def chain(head: Outcome, tail: Future[Outcome], callback: Callback | None) -> Future[Outcome]:
    """A future for a batch whose first task already ran (``head``) and whose other tasks
    run as ``tail``; it resolves with one outcome for the whole batch."""
    proxy: Future[Outcome] = Future()
    if callback is not None:
        proxy.add_done_callback(callback)

    def joined(fut: Future[Outcome]) -> None:
        try:
            outcome = fut.result()
        except BaseException as exc:
            settle(proxy, exc)
            return
        if outcome.error is not None:
            settle(proxy, outcome._replace(results=None))
        else:
            settle(
                proxy,
                outcome._replace(
                    results=(head.results or []) + (outcome.results or []),
                    seconds=head.seconds + outcome.seconds,
                ),
            )

    tail.add_done_callback(joined)
    return proxy
