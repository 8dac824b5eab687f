"""``AigcBackend``: the joblib backend registered as ``"aigc"``, and the hooks joblib calls.

Each call runs on the arm the policy (:mod:`.scheduler`) picks in ``configure``, or at the
first batches (:mod:`.firstbatch`); pools lose workers through :mod:`.retry`; progress goes
out as :mod:`.events` (docs/architecture.md, "The grid's runtime")::

    with joblib.parallel_config(backend="aigc"):            # the policy picks the arm
        Parallel(n_jobs=-1)(delayed(f)(x) for x in xs)
    with joblib.parallel_config(backend="aigc", arm="threads"):   # or force one
        ...

Constructor keywords (through ``parallel_config(backend="aigc", **kwargs)``): ``arm`` (one
of ``"sequential"``, ``"threads"``, ``"loky"``, ``"dask"``), ``client`` (a
``distributed.Client`` to use instead of the connected one), ``policy`` (an object with
``choose``/``update``), ``max_retries`` (resubmissions of a lost batch, default 2),
``idle_worker_timeout`` (loky, seconds) and joblib's own ``inner_max_num_threads``.
``core_budget`` and ``parent_arm`` are set by the backend on the backends of nested calls.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from joblib._parallel_backends import (
    AutoBatchingMixin,
    FallbackToBackend,
    ParallelBackendBase,
    SequentialBackend,
)

from . import events, features, firstbatch, handback, nodes
from .arms import Arm, Context, Decision
from .calls import (
    CallStats,
    Phase,
    batch_size,
    connected_client,
    last_decision,
    last_run,
    learn,
    nested_core_budget,
    next_call_id,
    remember_decision,
    remember_run,
    tail_size,
    tell_batch,
    tell_loss,
    tell_start,
)
from .events import RunFinished
from .pools import Runtime
from .retry import Loss, settle
from .scheduler import Policy, check_arm_kind, get_policy
from .workers import Callback, Outcome, Pool, format_remote_error

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls, Parallel

__all__ = ["AigcBackend", "Phase", "last_decision", "last_run", "nested_core_budget"]


def _restore(kwargs: dict[str, Any]) -> AigcBackend:
    return AigcBackend(**kwargs)


class AigcBackend(AutoBatchingMixin, ParallelBackendBase):
    """joblib backend that runs each call on the arm the policy picks."""

    supports_retrieve_callback = True
    supports_inner_max_num_threads = True
    supports_sharedmem = True  # require="sharedmem" is honoured by picking threads
    default_n_jobs = 1

    def __init__(
        self,
        nesting_level: int | None = None,
        inner_max_num_threads: int | None = None,
        *,
        arm: str | None = None,
        client: Any = None,
        policy: Policy | None = None,
        max_retries: int = 2,
        idle_worker_timeout: float = 300,
        core_budget: int | None = None,
        parent_arm: str | None = None,
    ) -> None:
        super().__init__(nesting_level=nesting_level, inner_max_num_threads=inner_max_num_threads)
        self.forced_arm = None if arm is None else check_arm_kind(arm)
        self.client = client
        self.policy = policy
        self.max_retries = max(0, int(max_retries))
        self.idle_worker_timeout = idle_worker_timeout
        self.core_budget = core_budget
        self.parent_arm = parent_arm
        self.decision: Decision | None = None  # what the policy chose for this call
        self.context: Context | None = None
        self.parallel: Parallel | None = None
        self._phase = Phase.IDLE
        self._run: Runtime | None = None  # the arm's pool, the call's desk and BLAS limit
        self._state_lock = threading.Lock()
        self._workers: tuple[str, ...] = ()
        self._memmap_kwargs: dict[str, Any] = {}
        self._early_nested: list[AigcBackend] = []
        self._nested: AigcBackend | None = None  # the batches' backend, see get_nested_backend
        self._deferral: firstbatch.Deferral | None = None
        self._first: firstbatch.FirstTask | None = None  # a long first task, running
        self._t_configure = time.perf_counter()
        self._stats = CallStats()

    def __reduce__(self) -> tuple[Callable[[dict[str, Any]], AigcBackend], tuple[Any, ...]]:
        # Nested backends travel to loky workers inside each batch: send the settings only.
        return _restore, (
            {
                "nesting_level": self.nesting_level,
                "inner_max_num_threads": self.inner_max_num_threads,
                "max_retries": self.max_retries,
                "core_budget": self.core_budget,
                "parent_arm": self.parent_arm,
            },
        )

    @property
    def _pool(self) -> Pool | None:
        # joblib's own backends keep their pool as ``_pool`` (its tests read it there)
        return self._run.pool if self._run is not None else None

    @property
    def arm(self) -> Arm | None:
        """The arm this call runs on (the policy's decision), None before it is chosen."""
        return None if self.decision is None else self.decision.arm

    # -- what joblib asks -------------------------------------------------------------

    @property
    def supports_timeout(self) -> bool:
        return self.arm is None or self.arm.kind != "sequential"

    def effective_n_jobs(self, n_jobs: int | None) -> int:
        if n_jobs == 0:
            raise ValueError("n_jobs == 0 in Parallel has no meaning")
        if n_jobs is None:  # as joblib's own backends: unset means one job
            return 1  # (scikit-learn asks this of estimators with n_jobs=None)
        arm: Arm = self._policy().choose(self._make_context(n_jobs)).arm
        return arm.n_workers

    def configure(
        self,
        n_jobs: int | None = 1,
        parallel: Parallel | None = None,
        prefer: str | None = None,
        require: str | None = None,
        **memmap_kwargs: Any,
    ) -> int:
        """Pick the arm for this call and open its pool; return the workers joblib sees."""
        if n_jobs == 0:
            raise ValueError("n_jobs == 0 in Parallel has no meaning")
        if n_jobs is None:
            n_jobs = 1
        self._t_configure = time.perf_counter()
        self.parallel = parallel
        policy = self._policy()
        if self._level == 0 and self.policy is None:
            from .state import autosaver, is_learner

            if is_learner(policy):
                autosaver.touch(policy)  # the first call of the process loads what was learned
        self.context = self._make_context(n_jobs, prefer, require, parallel)
        deferred = policy.needs_features(self.context)
        self._early_nested, self._nested = [], None
        if deferred and not events.has_subscribers():
            quick = handback.small_known_call(policy, self.context, parallel)
            if quick is not None:  # joblib's own loop runs it: see handback
                self.context, self.decision = quick
                self._phase = Phase.RUNNING
                remember_decision(
                    overhead=time.perf_counter() - self._t_configure,
                    probed=False,
                    context=self.context,
                    arm=self.arm,
                    n_measured=0,
                    handed_back=True,
                )
                return 1
        self.decision = policy.choose(self.context)
        arm = self.decision.arm
        if deferred:  # decided at the first batches, see _deferred_batch
            self._phase = Phase.DEFERRED
            self._deferral = firstbatch.Deferral(self.context)
            self._memmap_kwargs = memmap_kwargs
            return max(2, arm.n_workers)
        self._phase = Phase.RUNNING
        if arm.kind == "sequential" and self._level > 0:
            raise FallbackToBackend(SequentialBackend(nesting_level=self.nesting_level))
        if arm.kind == "sequential" and self.context.forced is None:
            # n_jobs=1 or one task: joblib's own sequential loop runs it, reading the
            # input one task at a time as joblib's backends do (no events: nothing to show)
            return 1
        self._run = self._open_runtime(arm, memmap_kwargs)
        # joblib runs n_jobs == 1 itself (no events, no timeout); 2 routes it through
        # submit(), and only sizes joblib's pre-dispatch: the pool keeps its own size.
        return max(2, arm.n_workers)

    def start_call(self) -> None:
        self._stats = CallStats(call_id=next_call_id())
        if self._phase is Phase.FAILED:  # a new call after an aborted one
            self._phase = Phase.RUNNING if self._run is not None else Phase.DEFERRED
        if self._phase is not Phase.DEFERRED and self._run is not None:
            self._run.start_call()
            self._announce_start()

    def compute_batch_size(self) -> int:
        dispatched = getattr(self.parallel, "n_dispatched_tasks", 0)
        jobs = getattr(self.parallel, "_cached_effective_n_jobs", 0)
        jobs = jobs if isinstance(jobs, int) else 0
        if self._phase is Phase.DEFERRED and self._deferral is not None:
            size = self._deferral.next_size()  # measuring batches, see firstbatch
            return tail_size(size, self._n_tasks(), dispatched, jobs)
        arm = self.arm
        if arm is None or arm.batch_size is None:
            auto: int = super().compute_batch_size()
            return auto
        known = self.context.item_seconds if self.context is not None else None
        n_tasks = self._n_tasks()
        if n_tasks is None and arm.kind == "sequential" and self.context is not None:
            # a generator, run here: ask for as many tasks as it had last time, so that
            # joblib does not cut its end into ten batches (the length may have changed: then
            # its end is cut as before)
            n_tasks = self.context.n_tasks
        return batch_size(arm, self._stats, known, n_tasks, dispatched, jobs)

    def submit(self, func: BatchedCalls, callback: Callback | None = None) -> Future[Outcome]:
        if self._phase is Phase.DEFERRED:
            return self._deferred_batch(func, callback)
        if self._run is None:
            raise RuntimeError("the aigc backend was terminated")
        return self._run.submit(func, callback)

    def retrieve_result_callback(self, out: Future[Outcome]) -> list[Any]:
        outcome = out.result()
        if outcome.error is not None:
            raise format_remote_error(outcome.error)
        results = outcome.results or []
        stats = self._stats
        with self._state_lock:
            n_done = stats.retrieved(outcome)
        if self._level == 0 and self._phase is not Phase.DEFERRED:
            tell_batch(stats.call_id, n_done, self._n_tasks(), outcome)
        return results

    def stop_call(self) -> None:
        n_retried = self._run.end_call() if self._run is not None else 0
        deferral = self._deferral if self._phase is Phase.DEFERRED else None
        measured = deferral.finish() if deferral is not None else None
        if deferral is not None and measured is not None:
            # the whole call ran while it was measured: it ran in-process
            self.context, self.decision = deferral.context, measured
            self._phase = Phase.RUNNING
            self._run = self._open_runtime(self.decision.arm, self._memmap_kwargs)  # (the
            # next call of a Parallel used as a context manager runs on it too)
            self._record_decision()
            self._announce_start()
        arm, context, stats = self.arm, self.context, self._stats
        if arm is None or context is None:
            return
        failed = self._phase is Phase.FAILED
        elapsed = time.perf_counter() - stats.t0
        with self._state_lock:
            n_done, per_worker = stats.n_done, dict(stats.per_worker)
        n_tasks = self._n_tasks()
        if n_tasks is None and not failed:  # a generator input, now exhausted
            n_tasks = getattr(self.parallel, "n_dispatched_tasks", None)
        ok = not failed and (n_tasks is None or n_done == n_tasks)
        if self._level == 0:
            run = RunFinished(
                call_id=stats.call_id,
                arm=arm.kind,
                n_done=n_done,
                n_tasks=n_tasks,
                elapsed=elapsed,
                ok=ok,
                per_worker=per_worker,
                decision=self.decision,
                n_workers=arm.n_workers,
                n_retried=n_retried,
            )
            remember_run(run)
            if events.has_subscribers():
                events.publish(run)
        took = time.perf_counter() - self._t_configure  # pool start-up included
        if ok and took > 0 and n_done > 0 and self.decision is not None:
            autosave = self.policy is None and self._level == 0
            learn(self._policy(), self.decision, context, stats, n_done, took, autosave=autosave)

    def terminate(self) -> None:
        run, self._run = self._run, None
        if run is not None:
            run.close()
        self._phase = Phase.IDLE
        self.reset_batch_stats()

    def abort_everything(self, ensure_ready: bool = True) -> None:
        self._phase = Phase.FAILED
        first, self._first = self._first, None
        if first is not None:  # a long first task still running on its own thread
            first.stop()
        if self._run is not None:
            self._run.abort(ensure_ready)

    def get_nested_backend(self) -> tuple[AigcBackend, None]:
        """A backend for calls made inside tasks: it gets this call's share of the cores."""
        cores = self.context.cpu_count if self.context is not None else self._cores()
        deciding = self._phase is Phase.DEFERRED  # the first task runs here, probed
        kind = "sequential" if deciding else (self.arm.kind if self.arm else None)
        n_workers = self.arm.n_workers if self.arm is not None and not deciding else 1
        budget = nested_core_budget(kind, n_workers, cores)
        kept = self._nested
        if (
            not deciding
            and kept is not None
            and (kept.parent_arm, kept.core_budget) == (kind, budget)
        ):
            return kept, None
        nested = AigcBackend(
            nesting_level=self._level + 1,
            core_budget=budget,
            inner_max_num_threads=self.inner_max_num_threads,
            max_retries=self.max_retries,
            parent_arm=kind,
        )
        if deciding:  # the arm is still provisional: its share is set once decided
            self._early_nested.append(nested)
        elif kind != "threads":  # one batch at a time in this process (or a copy sent to
            self._nested = nested  # each worker): every batch of the call may share it
        return nested, None

    # -- the decision at the first batches ---------------------------------------------

    def _deferred_batch(self, calls: BatchedCalls, callback: Callback | None) -> Future[Outcome]:
        """A batch before the arm is chosen (:class:`.firstbatch.Deferral`)."""
        deferral = self._deferral
        assert deferral is not None
        step = deferral.take(self._policy(), calls)
        self.context = deferral.context
        if step.first is not None:
            return self._head_start(step.first, callback)
        if step.outcome is None:  # a remembered workload: decided at once, run on the arm
            self._decide(deferral.context)
            return self.submit(calls, callback)
        self._count_measured(step.outcome)
        if step.decide:
            self._decide(deferral.context)
        return firstbatch.resolved(step.outcome, callback)

    def _head_start(
        self, first: firstbatch.FirstTask, callback: Callback | None
    ) -> Future[Outcome]:
        """The first task is still running: decide from what it shows so far, so that
        the other workers start on the next batches while it finishes."""
        assert self.context is not None
        self._decide(self.context, limit_blas=False)
        self._first = first
        proxy: Future[Outcome] = Future()
        if callback is not None:
            proxy.add_done_callback(callback)

        def finished(outcome: Outcome) -> None:
            self._first = None
            self._count_measured(outcome)
            # (the probe limited BLAS while the task ran; the arm's own limit comes after)
            if self._run is not None:
                self._run.limit_blas()
            settle(proxy, outcome)

        if not first.then(finished):
            assert first.outcome is not None
            finished(first.outcome)
        return proxy

    def _count_measured(self, outcome: Outcome) -> None:
        with self._state_lock:
            self._stats.ran(outcome)

    def _decide(self, context: Context, limit_blas: bool = True) -> None:
        """Choose the arm for ``context``, open its pool, tell who listens."""
        self.context = context
        started = time.perf_counter()
        self.decision = self._policy().choose(context)
        if self._deferral is not None:
            self._deferral.measure.overhead += time.perf_counter() - started
        arm = self.decision.arm
        self._phase = Phase.RUNNING
        self._stats.most_per_batch = max(1, -(-(context.n_tasks or 10**9) // max(1, arm.n_workers)))
        if arm.kind == "sequential" and isinstance(
            getattr(self.parallel, "_cached_effective_n_jobs", None), int
        ):
            # one worker: joblib then cuts the end of an input of unknown length into ten
            # batches, not twenty (one task each for the last 20 or fewer: bench_shapes)
            self.parallel._cached_effective_n_jobs = 1  # type: ignore[union-attr]
        self._run = self._open_runtime(arm, self._memmap_kwargs)
        self._run.start_call()
        for nested in self._early_nested:
            nested.parent_arm = arm.kind
            nested.core_budget = nested_core_budget(arm.kind, arm.n_workers, context.cpu_count)
        self._early_nested = []
        self._record_decision()
        self._announce_start(limit_blas)

    def _record_decision(self) -> None:
        measure = self._deferral.measure if self._deferral is not None else firstbatch.Measure()
        remember_decision(
            overhead=measure.overhead,
            probed=not measure.remembered,
            context=self.context,
            arm=self.arm,
            n_measured=measure.n,
        )

    # -- internals --------------------------------------------------------------------

    @property
    def _level(self) -> int:
        return self.nesting_level or 0

    def _policy(self) -> Policy:
        return self.policy if self.policy is not None else get_policy()

    def _cores(self) -> int:
        return self.core_budget if self.core_budget is not None else features.machine_cores()

    def _open_runtime(self, arm: Arm, memmap_kwargs: dict[str, Any]) -> Runtime:
        return Runtime(
            arm,
            memmap_kwargs,
            context_id=getattr(self.parallel, "_id", None) or f"aigc-{os.getpid()}",
            client=self._dask_client(),
            idle_worker_timeout=self.idle_worker_timeout,
            max_retries=self.max_retries,
            progress=self._progress,
            on_loss=self._tell_loss,
        )

    def _announce_start(self, limit_blas: bool = True) -> None:
        arm = self.arm
        assert arm is not None
        # BLAS limits are process-wide: set them when this call is the only parallel work
        # in its process (top level, or nested under the caller's thread or a loky worker).
        alone = self._level == 0 or self.parent_arm in ("sequential", "loky")
        if self._run is not None and alone and limit_blas:
            self._run.limit_blas()
        if self._level == 0 and self.decision is not None:
            tell_start(self._stats.call_id, self.decision, self._n_tasks(), self._workers)

    def _dask_client(self) -> Any:
        if self.client is not None or self._level > 0:
            return self.client  # (a nested call never reaches for the cluster itself)
        return connected_client()

    def _make_context(
        self,
        n_jobs: int,
        prefer: str | None = None,
        require: str | None = None,
        parallel: Parallel | None = None,
    ) -> Context:
        cluster, only = nodes.NO_CLUSTER, False
        client = self._dask_client()
        if client is not None and (self.forced_arm in (None, "dask")):
            from .remote import is_only

            cluster, only = nodes.cluster_state(client), is_only(client)  # (cached)
            self._workers = cluster.addresses
        return features.call_context(
            n_jobs,
            parallel,
            prefer=prefer,
            require=require,
            cores=self._cores(),
            nesting_level=self._level,
            forced=self.forced_arm,
            cluster=cluster,
            dask_only=only,
            inner_max_num_threads=self.inner_max_num_threads,
        )

    def _n_tasks(self) -> int | None:
        n = getattr(self.parallel, "n_tasks", None)
        return n if isinstance(n, int) else None

    def _progress(self) -> tuple[int, int | None]:
        with self._state_lock:
            n_done = self._stats.n_done
        return n_done, self._n_tasks()

    def _tell_loss(self, loss: Loss) -> None:
        tell_loss(self._stats.call_id, loss, self.arm.kind if self.arm else "")
