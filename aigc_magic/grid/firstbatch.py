"""The decision at a call's first batches: measure the workload, then let the policy choose.

When no rule decides a call from joblib's hints alone, the backend defers the choice of
arm. A workload seen before (same :func:`~.features.signature`) is decided at the first
batch from its remembered features. A new one is *measured while it runs*: its first
batches run in the calling thread under :class:`~.features.Probe`, as part of the work
(never twice): the first is one task; when that task is short, the next is sized to bring
the measured work to :data:`MEASURE_SECONDS` (one task of a microsecond tells nothing: the
clock and the probe cost more). Then the policy chooses. A call whose whole work fits in
that measuring has simply run in-process (:attr:`~.arms.Rule.MEASURED`).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from . import features
from .arms import Context, Decision, Probe, Rule
from .costmodel import in_process_arm
from .workers import Callback, Outcome, run_batch

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls

    from .scheduler import Policy

__all__ = [
    "HEAD_START_SECONDS",
    "MEASURE_MAX_BATCH",
    "MEASURE_SECONDS",
    "PROBE_MIN_SECONDS",
    "Deferral",
    "FirstTask",
    "Measure",
    "Step",
    "identify",
    "measured_context",
    "measured_decision",
    "resolved",
]

#: In-process work measured before a new workload's arm is chosen: long enough for the
#: probe's GIL verdict (about a millisecond) and for the per-task time to be read above
#: the clock's and the probe's own cost; short enough that idle cores lose little.
MEASURE_SECONDS = 0.002
#: The first task of a new workload runs on a thread of its own; still running after this
#: long, it is long enough that the call decides from that lower bound and lets the other
#: workers start, instead of waiting for it with every other core idle.
HEAD_START_SECONDS = 0.05
#: The most tasks one measuring batch holds.
MEASURE_MAX_BATCH = 8192
#: A measuring batch expected to last this long runs under the probe while no GIL verdict
#: is in (the probe's sampler needs about a millisecond for one).
PROBE_MIN_SECONDS = 0.001


@dataclass
class Measure:
    """What the measuring batches of one call have seen so far."""

    n: int = 0  #: tasks run
    seconds: float = 0.0  #: the seconds they took
    gil_free: float | None = None  #: the latest GIL verdict (None: batches too short)
    result_bytes: float = 0.0  #: the size of the first result
    overhead: float = 0.0  #: seconds spent identifying and deciding (tasks excluded)
    remembered: bool = False  #: the workload's features came from earlier calls

    @property
    def enough(self) -> bool:
        """Whether the policy can decide from what was measured."""
        return self.seconds >= MEASURE_SECONDS

    def next_size(self) -> int:
        """Tasks in the next measuring batch."""
        if self.n == 0:
            return 1
        t = max(self.seconds / self.n, 1e-9)
        return int(min(max(1, round((MEASURE_SECONDS - self.seconds) / t)), MEASURE_MAX_BATCH))

    def run(
        self, calls: BatchedCalls, on_probe: Callable[[features.Probe], None] | None = None
    ) -> Outcome:
        """Run one batch in the calling thread and note what it showed: under the probe
        when it is the first (its length unknown) or long enough for a GIL verdict that is
        still missing; timed plainly otherwise (a probe costs a short batch its work)."""
        n = len(getattr(calls, "items", ())) or 1
        expected = n * self.seconds / self.n if self.n else None
        if expected is None or (self.gil_free is None and expected >= PROBE_MIN_SECONDS):
            with features.Probe() as probe:
                if on_probe is not None:
                    on_probe(probe)
                outcome = run_batch(calls, "main")
            seconds = probe.seconds
            if probe.gil_free is not None:
                self.gil_free = probe.gil_free
        else:
            outcome = run_batch(calls, "main")
            seconds = outcome.seconds
        if self.n == 0 and outcome.results:
            self.result_bytes = features.estimate_bytes(outcome.results[0])
        self.n += n
        self.seconds += seconds
        return outcome._replace(seconds=seconds)


def identify(
    policy: Policy, context: Context, calls: BatchedCalls
) -> tuple[Context, dict[str, Any] | None]:
    """The call's context with the workload's signature (and its remembered features,
    returned too, when ``policy`` knows it)."""
    sig, arg_bytes = features.signature(calls)
    known = policy.known(context.where, sig)
    if known is None:
        return replace(context, signature=sig, arg_bytes=arg_bytes), None
    return replace(
        context,
        signature=sig,
        arg_bytes=arg_bytes,
        item_seconds=known["t"],
        gil_free=known.get("g"),
        result_bytes=known.get("rb") or 0.0,
        n_tasks=context.n_tasks if context.n_tasks is not None else known.get("n"),
    ), known


def measured_context(context: Context, measure: Measure) -> Context:
    """``context`` with the features the measuring batches showed."""
    return replace(
        context,
        item_seconds=measure.seconds / max(1, measure.n),
        gil_free=measure.gil_free,
        result_bytes=measure.result_bytes,
    )


def measured_decision(context: Context, measure: Measure) -> Decision:
    """The decision for a call that ran whole while it was measured: in-process."""
    t = measure.seconds / max(1, measure.n)
    return Decision(
        in_process_arm(context, t),
        rule=Rule.MEASURED,
        predicted=measure.seconds,
        probe=Probe(t, measure.gil_free),
        nesting_level=context.nesting_level,
        cores=max(1, context.cpu_count),
        n_tasks=measure.n,
    )


def resolved(outcome: Outcome, callback: Callback | None) -> Future[Outcome]:
    """A future that is already done with ``outcome``."""
    done: Future[Outcome] = Future()
    if callback is not None:
        done.add_done_callback(callback)
    done.set_result(outcome)
    return done


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _first_task_threads() -> ThreadPoolExecutor:
    """The threads first tasks run on, kept between calls (starting a thread costs a tiny
    call more than its work); a forked child makes its own."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(4, thread_name_prefix="aigc-first-task")
        return _executor


def _forget_threads() -> None:
    global _executor
    _executor = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_threads)


def _send_exception(ident: int | None, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in thread ``ident`` at its next Python instruction (None: cancel one
    sent and not raised yet)."""
    if ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(ident), ctypes.py_object(exc) if exc is not None else None
        )


class FirstTask:
    """A new workload's first measuring batch, run on a thread of its own so that the call
    need not wait for it when it turns out long (see :data:`HEAD_START_SECONDS`)."""

    def __init__(self, measure: Measure, calls: BatchedCalls) -> None:
        self.outcome: Outcome | None = None
        self._measure, self._calls = measure, calls
        self._probe: features.Probe | None = None
        self._then: Callable[[Outcome], None] | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._ident: int | None = None  # the thread running the task, while it runs
        self._stopped = False
        self._t0 = time.perf_counter()
        _first_task_threads().submit(self._run)

    def _run(self) -> None:
        with self._lock:
            self._ident = threading.get_ident()
        try:
            try:
                outcome = self._measure.run(self._calls, on_probe=self._seen)
            except BaseException as exc:  # (the user's errors are captured by run_batch)
                outcome = Outcome("main", None, exc, time.perf_counter() - self._t0)
            with self._lock:  # no stop can be sent from here on; drop one still pending
                if self._stopped:  # (a needless cancel hangs a kernel under cProfile)
                    _send_exception(self._ident, None)
                self._ident = None
        except BaseException as exc:  # a stop that landed after the task had ended
            outcome = Outcome("main", None, exc, time.perf_counter() - self._t0)
            self._ident = None
        with self._lock:
            self.outcome, then = outcome, self._then
        self._done.set()
        if then is not None:
            then(outcome)

    def stop(self) -> None:
        """Stop the task if it still runs, as Ctrl-C stops the kernel's own thread: a
        ``KeyboardInterrupt`` raised in its thread (at its next Python instruction; a C
        call it is in finishes first)."""
        with self._lock:
            if self._ident is not None and not self._stopped:
                self._stopped = True
                _send_exception(self._ident, KeyboardInterrupt)

    def _seen(self, probe: features.Probe) -> None:
        self._probe = probe

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; whether the batch has finished."""
        return self._done.wait(timeout)

    def then(self, fn: Callable[[Outcome], None]) -> bool:
        """Have ``fn(outcome)`` called when the batch ends (on its thread); False, and
        nothing registered, when it has ended already."""
        with self._lock:
            if self.outcome is not None:
                return False
            self._then = fn
            return True

    def context_so_far(self, context: Context) -> Context:
        """``context`` with what the running batch shows so far: its per-task time is at
        least the time it has run (twice that when a cluster competes with this machine),
        and the probe's GIL verdict from its samples."""
        probe = self._probe
        seen = time.perf_counter() - self._t0
        # With a cluster to choose, the bound matters (local and remote trade places as
        # tasks grow): a task that has run this long is, by the odds of heavy tails, about
        # half done
        return replace(
            context,
            item_seconds=2 * seen if context.dask_cores > 0 else seen,
            gil_free=probe.gil_free_so_far() if probe is not None else None,
        )


class Step(NamedTuple):
    """What the backend does with a batch that came before its arm was chosen."""

    outcome: Outcome | None  #: the batch ran here, measured (None: it did not run)
    decide: bool  #: choose the arm now (for :attr:`Deferral.context`)
    first: FirstTask | None = None  #: the first task, still running after the head start


class Deferral:
    """One call's batches before its arm is chosen: the first names the workload; a
    remembered one is decided at once, a new one is measured while it runs."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.measure = Measure()
        self._identified = False
        self._inline_ok = False

    def next_size(self) -> int:
        """Tasks in the next batch (see :meth:`Measure.next_size`)."""
        return self.measure.next_size()

    def take(self, policy: Policy, calls: BatchedCalls) -> Step:
        """Name the workload (first batch), or run ``calls`` measured; say what next."""
        measure = self.measure
        if not self._identified:
            started = time.perf_counter()
            self._identified = True
            self.context, known = identify(policy, self.context, calls)
            # more than the first task runs here only where in-process is one of the arms
            self._inline_ok = policy.may_run_inline(self.context)
            measure.overhead = time.perf_counter() - started
            if known is not None or self.context.has_timeout:
                # (with a timeout a measuring batch would run where timeout= cannot stop
                # it: the workload is learned from this call's batches instead)
                measure.remembered = known is not None
                return Step(None, decide=True)
        if measure.n == 0:  # the first task: on a thread of its own, in case it is long
            first = FirstTask(measure, calls)
            try:
                quick = first.wait(HEAD_START_SECONDS)
            except BaseException:  # Ctrl-C while waiting: the task stops too
                first.stop()
                raise
            if not quick:
                self.context = first.context_so_far(self.context)
                return Step(None, decide=True, first=first)
            assert first.outcome is not None
            outcome = first.outcome
        else:
            outcome = measure.run(calls)
        decide = outcome.error is None and (measure.enough or not self._inline_ok)
        if decide:
            self.context = measured_context(self.context, measure)
        return Step(outcome, decide)

    def finish(self) -> Decision | None:
        """The decision for a call that ended while it was still measured (in-process),
        or None when nothing ran measured."""
        if not self.measure.n:
            return None
        self.context = measured_context(self.context, self.measure)
        return measured_decision(self.context, self.measure)
