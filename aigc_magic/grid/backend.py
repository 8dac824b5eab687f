"""``AigcBackend``: the joblib backend registered as ``"aigc"``.

It follows joblib's current contract (``submit`` plus ``retrieve_result_callback``), asks
the policy in :mod:`.scheduler` for an arm at every call, runs the batches on the matching
pool from :mod:`.workers`, resubmits batches lost with a dead worker, and publishes
progress events (:mod:`.events`)::

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

When the policy needs workload features (no rule decides the call, see :mod:`.scheduler`),
the arm is chosen at the first batch instead of in ``configure``: a workload seen before
(same :func:`~.features.signature`) is decided from its remembered features; a new one runs
its first task in the calling thread under :class:`~.features.Probe` (as part of the work,
never twice), then the rest of the call runs on the chosen arm. The per-item time is
refined from every batch's duration, keeping batches near the arm's target seconds; at the
end the policy learns the call's time, and the process-wide policy's state is saved in the
background (:mod:`.state`).
"""

from __future__ import annotations

import copy
import itertools
import os
import queue
import sys
import threading
import time
from concurrent.futures import Future, InvalidStateError
from dataclasses import replace
from typing import Any

from joblib._parallel_backends import (
    AutoBatchingMixin,
    FallbackToBackend,
    ParallelBackendBase,
    SequentialBackend,
)
from joblib.parallel import cpu_count

from ..errors import WorkerLostError
from . import events, features
from .arms import Arm, Context, Decision
from .events import BatchDone, RunFinished, RunStarted, WorkerLost
from .scheduler import check_arm_kind, get_policy
from .workers import (
    DaskPool,
    LokyPool,
    Pool,
    SequentialPool,
    ThreadPool,
    format_remote_error,
    funcname,
    run_batch,
)

__all__ = ["AigcBackend", "last_decision", "last_run"]

_call_ids = itertools.count(1)
_last_run: RunFinished | None = None
_last_decision: dict[str, Any] = {}


def last_decision() -> dict[str, Any]:
    """How the latest deferred decision went: ``overhead`` (seconds spent measuring and
    deciding, the probed task's own run excluded), ``probed`` (whether a task ran in the
    calling thread), ``context`` and ``arm``."""
    return dict(_last_decision)


def last_run() -> RunFinished | None:
    """The :class:`~.events.RunFinished` of the latest top-level call in this process."""
    return _last_run


def _publishing() -> bool:
    return bool(events._subscribers)


class _Batch:
    """One joblib batch and its attempts; ``proxy`` is the future joblib sees."""

    __slots__ = ("announced", "attempts", "calls", "generation", "key", "n_tasks", "proxy")

    def __init__(self, calls: Any) -> None:
        self.calls = calls
        self.n_tasks = len(calls)
        self.proxy: Future = Future()
        self.attempts = 0
        self.announced = -1  # the attempt whose loss the user was already told about
        self.generation = 0
        self.key: str | None = None


class _RetryDesk:
    """Collects batches lost together (one dead worker), then resubmits them as a group.

    It runs on its own thread: loky reports a dead worker on its manager thread, which
    must not be the one that waits for the broken executor to shut down.
    """

    GATHER_SECONDS = 0.1

    def __init__(self, backend: AigcBackend) -> None:
        self._backend = backend
        self._queue: queue.SimpleQueue[tuple[_Batch, BaseException] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="aigc-retry", daemon=True)
        self._thread.start()

    def lost(self, batch: _Batch, exc: BaseException) -> None:
        self._queue.put((batch, exc))

    def stop(self) -> None:
        self._queue.put(None)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            group = [item]
            deadline = time.monotonic() + self.GATHER_SECONDS
            while (left := deadline - time.monotonic()) > 0:
                try:
                    nxt = self._queue.get(timeout=left)
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)
                    break
                group.append(nxt)
            try:
                self._backend._resubmit(group)
            except BaseException as exc:  # never leave joblib waiting on a batch
                for batch, _ in group:
                    _settle(batch.proxy, exc)


def _settle(fut: Future, exc: BaseException | None = None, value: Any = None) -> None:
    try:
        if exc is not None:
            fut.set_exception(exc)
        else:
            fut.set_result(value)
    except InvalidStateError:
        pass  # cancelled or settled by an abort


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'es' if word.endswith('ch') else 's'}" if n != 1 else f"1 {word}"


def _ignore(_: Any) -> None:
    pass


def _restore(kwargs: dict[str, Any]) -> AigcBackend:
    return AigcBackend(**kwargs)


class AigcBackend(AutoBatchingMixin, ParallelBackendBase):
    """joblib backend that runs each call on the arm the policy picks."""

    supports_retrieve_callback = True
    supports_inner_max_num_threads = True
    supports_sharedmem = True  # require="sharedmem" is honoured by picking threads
    default_n_jobs = 1

    def __init__(self, nesting_level: int | None = None,
                 inner_max_num_threads: int | None = None, *, arm: str | None = None,
                 client: Any = None, policy: Any = None, max_retries: int = 2,
                 idle_worker_timeout: float = 300, core_budget: int | None = None,
                 parent_arm: str | None = None) -> None:
        super().__init__(nesting_level=nesting_level,
                         inner_max_num_threads=inner_max_num_threads)
        self.forced_arm = None if arm is None else check_arm_kind(arm)
        self.client = client
        self.policy = policy
        self.max_retries = max(0, int(max_retries))
        self.idle_worker_timeout = idle_worker_timeout
        self.core_budget = core_budget
        self.parent_arm = parent_arm
        self.arm: Arm | None = None
        self.decision: Decision | None = None
        self.context: Context | None = None
        self._pool: Pool | None = None
        self._desk: _RetryDesk | None = None
        self._state_lock = threading.Lock()
        self._by_key: dict[str, _Batch] = {}
        self._generation = 0
        self._failed = False
        self._workers: tuple[str, ...] = ()
        self._limits: Any = None
        self._controller: Any = None
        self._deferred = False
        self._memmap_kwargs: dict[str, Any] = {}
        self._early_nested: list[AigcBackend] = []
        self._t_configure = time.perf_counter()
        self._t_item: float | None = None
        self._reset_stats()

    def __reduce__(self) -> tuple[Any, ...]:
        # Nested backends travel to loky workers inside each batch: send the settings only.
        return _restore, ({"nesting_level": self.nesting_level,
                           "inner_max_num_threads": self.inner_max_num_threads,
                           "max_retries": self.max_retries, "core_budget": self.core_budget,
                           "parent_arm": self.parent_arm},)

    # -- what joblib asks -------------------------------------------------------------

    @property
    def supports_timeout(self) -> bool:
        return self.arm is None or self.arm.kind != "sequential"

    def effective_n_jobs(self, n_jobs: int | None) -> int:
        if n_jobs == 0:
            raise ValueError("n_jobs == 0 in Parallel has no meaning")
        if n_jobs is None:  # as joblib's own backends: unset means one job
            return 1  # (scikit-learn asks this of estimators with n_jobs=None)
        return self._policy().choose(self._make_context(n_jobs)).arm.n_workers

    def configure(self, n_jobs: int | None = 1, parallel: Any = None,
                  prefer: str | None = None, require: str | None = None,
                  **memmap_kwargs: Any) -> int:
        """Pick the arm for this call and open its pool; return the workers joblib sees."""
        if n_jobs == 0:
            raise ValueError("n_jobs == 0 in Parallel has no meaning")
        if n_jobs is None:
            n_jobs = 1
        self._t_configure = time.perf_counter()
        self.parallel = parallel
        policy = self._policy()
        if self._level == 0 and self.policy is None:
            from .state import autosaver

            autosaver.touch(policy)  # the first call of the process loads what was learned
        self.context = self._make_context(n_jobs, prefer, require, parallel)
        needs = getattr(policy, "needs_features", None)
        self._deferred = bool(needs is not None and needs(self.context))
        self._early_nested = []
        self.decision = policy.choose(self.context)
        arm = self.arm = self.decision.arm
        if self._deferred:  # decided at the first batch, see _first_batch
            self._memmap_kwargs = memmap_kwargs
            return max(2, arm.n_workers)
        if arm.kind == "sequential" and self._level > 0:
            raise FallbackToBackend(SequentialBackend(nesting_level=self.nesting_level))
        if arm.kind == "sequential" and self.context.forced is None:
            # n_jobs=1 or one task: joblib's own sequential loop runs it, reading the
            # input one task at a time as joblib's backends do (no events: nothing to show)
            return 1
        self._pool = self._open_pool(arm, parallel, memmap_kwargs)
        # joblib runs n_jobs == 1 itself (no events, no timeout); 2 routes it through
        # submit(), and only sizes joblib's pre-dispatch: the pool keeps its own size.
        return max(2, arm.n_workers)

    def _open_pool(self, arm: Arm, parallel: Any, memmap_kwargs: dict[str, Any]) -> Pool:
        if arm.kind == "sequential":
            return SequentialPool()
        if arm.kind == "threads":
            from threadpoolctl import ThreadpoolController

            self._controller = ThreadpoolController()  # one scan of the loaded libraries
            return ThreadPool(arm.n_workers, arm.inner_threads, self._controller)
        if arm.kind == "loky":
            # the same arguments as joblib's loky backend ("context" included), so both
            # share one reusable executor instead of restarting it (~0.3 s) at each switch
            kwargs = {k: memmap_kwargs[k] for k in ("max_nbytes", "mmap_mode", "temp_folder",
                                                     "verbose", "context")
                      if k in memmap_kwargs}
            context_id = getattr(parallel, "_id", None) or f"aigc-{os.getpid()}"
            return LokyPool(arm.n_workers, arm.inner_threads, context_id,
                            idle_worker_timeout=self.idle_worker_timeout, **kwargs)
        nbytes = memmap_kwargs.get("max_nbytes")
        return DaskPool(self._dask_client(), arm.n_workers, arm.inner_threads,
                        scatter_nbytes=1e6 if nbytes is None else nbytes,
                        on_worker_lost=self._worker_removed)

    def start_call(self) -> None:
        self._reset_stats()
        self._call_id = next(_call_ids)
        self._t0 = time.perf_counter()
        if not self._deferred:
            self._announce_start()

    def _announce_start(self) -> None:
        arm = self.arm
        assert arm is not None
        # BLAS limits are process-wide: set them when this call is the only parallel work
        # in its process (top level, or nested under the caller's thread or a loky worker).
        alone = self._level == 0 or self.parent_arm in ("sequential", "loky")
        if arm.kind == "threads" and alone and self._controller is not None:
            self._limits = self._controller.limit(limits=arm.inner_threads)
        if self._level == 0 and _publishing():
            events.publish(RunStarted(call_id=self._call_id, arm=arm.kind,
                                      n_workers=arm.n_workers, batch_size=arm.batch_size,
                                      n_tasks=self._n_tasks(), decision=self.decision,
                                      workers=self._workers if arm.kind == "dask" else ()))

    def compute_batch_size(self) -> int:
        arm = self.arm
        if self._deferred:
            return 1  # the first batch is one task: the probe
        if arm is not None and arm.batch_size is not None:
            if arm.batch_seconds is None or self._t_item is None:
                return arm.batch_size
            # keep batches near the target as the tasks' real duration shows itself
            size = round(arm.batch_seconds / max(self._t_item, 1e-7))
            low, high = max(1, arm.batch_size // 8), arm.batch_size * 8
            size = int(min(max(size, low), high, self._most_per_batch))
            # guided self-scheduling: near the end, batches of at most half of each
            # worker's share of what is left, so no worker finishes long after the others
            n_tasks = self._n_tasks()
            done = getattr(self.parallel, "n_dispatched_tasks", 0)
            if n_tasks is not None and isinstance(done, int):
                share = -(-(n_tasks - done) // (2 * max(1, arm.n_workers)))
                size = min(size, max(1, share))
            return size
        return super().compute_batch_size()

    def submit(self, func: Any, callback: Any = None) -> Any:
        if self._deferred:
            return self._first_batch(func, callback)
        pool = self._pool
        if pool is not None and not pool.may_lose_workers:
            # Threads and the caller's thread cannot lose a worker: no proxy, no retries.
            return pool.submit(func, callback or _ignore)
        batch = _Batch(func)
        if callback is not None:
            batch.proxy.add_done_callback(callback)
        self._send(batch)
        return batch.proxy

    def retrieve_result_callback(self, out: Any) -> Any:
        worker, results, error, duration = out.result()
        if error is not None:
            raise format_remote_error(error)
        n = len(results)
        with self._state_lock:
            self._n_done += n
            self._per_worker[worker] = self._per_worker.get(worker, 0) + n
            n_done = self._n_done
            if n:
                self._busy += duration
                self._busy_n += n
                t = duration / n
                self._t_item = t if self._t_item is None else 0.7 * self._t_item + 0.3 * t
        if self._level == 0 and _publishing():
            events.publish(BatchDone(call_id=self._call_id, n_done=n_done,
                                     n_tasks=self._n_tasks(), batch_size=n, worker=worker,
                                     duration=duration))
        return results

    def stop_call(self) -> None:
        if self._limits is not None:
            self._limits.restore_original_limits()
            self._limits = None
        if self._desk is not None:
            self._desk.stop()
            self._desk = None
        arm, context = self.arm, self.context
        if arm is None or context is None:
            return
        elapsed = time.perf_counter() - self._t0
        with self._state_lock:
            n_done, per_worker = self._n_done, dict(self._per_worker)
        n_tasks = self._n_tasks()
        if n_tasks is None and not self._failed:  # a generator input, now exhausted
            n_tasks = getattr(self.parallel, "n_dispatched_tasks", None)
        ok = not self._failed and (n_tasks is None or n_done == n_tasks)
        if self._level == 0:
            global _last_run
            _last_run = RunFinished(call_id=self._call_id, arm=arm.kind, n_done=n_done,
                                    n_tasks=n_tasks, elapsed=elapsed, ok=ok,
                                    per_worker=per_worker, decision=self.decision,
                                    n_workers=arm.n_workers, n_retried=self._n_retried)
            if _publishing():
                events.publish(_last_run)
        took = time.perf_counter() - self._t_configure  # pool start-up included
        if ok and took > 0 and n_done > 0:
            self._learn(arm, context, n_done, took)

    def _learn(self, arm: Arm, context: Context, n_done: int, took: float) -> None:
        policy = self._policy()
        t = context.item_seconds
        if self._busy_n and context.signature is not None:
            seen = self._busy / self._busy_n
            g = context.gil_free or 0.0
            if arm.kind != "threads" or arm.n_workers == 1 or g >= 0.8:
                t = seen  # (GIL-bound threads stretch each task: keep the probed time)
        assert self.decision is not None
        policy.update(self.decision, replace(context, n_tasks=n_done, item_seconds=t),
                      n_done / took)
        if self.policy is None and self._level == 0 and getattr(policy, "pending", None):
            from .state import autosaver

            autosaver.dirty(policy)

    def terminate(self) -> None:
        if self._desk is not None:
            self._desk.stop()
            self._desk = None
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
        with self._state_lock:
            self._by_key.clear()
        self.reset_batch_stats()

    def abort_everything(self, ensure_ready: bool = True) -> None:
        self._failed = True
        with self._state_lock:
            self._generation += 1  # batches in flight now must not be resubmitted
            self._by_key.clear()
        if self._pool is not None:
            self._pool.abort(ensure_ready)

    def get_nested_backend(self) -> tuple[AigcBackend, None]:
        """A backend for calls made inside tasks: it gets this call's share of the cores."""
        cores = self.context.cpu_count if self.context is not None else self._cores()
        arm = self.arm
        if arm is None or arm.kind == "sequential":
            budget = cores
        elif arm.kind == "dask":
            budget = 1
        else:
            budget = max(1, cores // max(1, arm.n_workers))
        nested = AigcBackend(nesting_level=self._level + 1, core_budget=budget,
                             inner_max_num_threads=self.inner_max_num_threads,
                             max_retries=self.max_retries,
                             parent_arm=arm.kind if arm is not None else None)
        if self._deferred:  # the arm is still provisional: fix its share once decided
            nested.core_budget, nested.parent_arm = cores, "sequential"
            self._early_nested.append(nested)
        return nested, None

    # -- the decision at the first batch ------------------------------------------------

    def _first_batch(self, calls: Any, callback: Any) -> Any:
        """Measure the workload, ask the policy, open the arm's pool, run ``calls``."""
        started = time.perf_counter()
        context = self.context
        assert context is not None
        policy = self._policy()
        sig, arg_bytes = features.signature(calls)
        n_tasks = context.n_tasks
        known = policy.known(context.where, sig) if hasattr(policy, "known") else None
        context = replace(context, signature=sig, arg_bytes=arg_bytes)
        outcome: Any = None
        probe_seconds = 0.0
        if known is not None:
            context = replace(context, item_seconds=known["t"], gil_free=known.get("g"),
                              result_bytes=known.get("rb") or 0.0,
                              n_tasks=n_tasks if n_tasks is not None else known.get("n"))
            rest = calls
        elif context.has_timeout:
            # the probe runs in the calling thread, where timeout= cannot stop it: learn
            # the workload from this call's batches instead
            rest = calls
        else:
            first, rest = _split(calls)
            with features.Probe() as probe:
                outcome = run_batch(first, "main")
            probe_seconds = probe.seconds
            results = outcome[1] or [None]
            context = replace(
                context, item_seconds=probe.seconds / max(1, len(first)),
                gil_free=probe.gil_free, result_bytes=features.estimate_bytes(results[0]))
        self.context = context
        self.decision = policy.choose(context)
        arm = self.arm = self.decision.arm
        overhead = time.perf_counter() - started - probe_seconds
        self._deferred = False
        self._most_per_batch = max(1, -(-(context.n_tasks or 10**9) // max(1, arm.n_workers)))
        self._pool = self._open_pool(arm, self.parallel, self._memmap_kwargs)
        cores = context.cpu_count
        for nested in self._early_nested:
            nested.parent_arm = arm.kind
            nested.core_budget = cores if arm.kind == "sequential" else (
                1 if arm.kind == "dask" else max(1, cores // max(1, arm.n_workers)))
        self._early_nested = []
        _last_decision.clear()
        _last_decision.update(overhead=overhead,
                              probed=known is None, context=context, arm=arm)
        self._announce_start()
        if outcome is not None:
            with self._state_lock:
                self._busy += outcome[3]
                self._busy_n += len(first)
        if outcome is None:
            return self.submit(calls, callback)
        if outcome[2] is not None or rest is None:
            done: Future = Future()
            if callback is not None:
                done.add_done_callback(callback)
            done.set_result(outcome)
            return done
        return self._chain(outcome, self.submit(rest, None), callback)

    @staticmethod
    def _chain(head: Any, tail: Any, callback: Any) -> Future:
        """A future for a batch whose first task already ran (``head``) and whose other
        tasks run as ``tail``; it resolves with one outcome for the whole batch."""
        proxy: Future = Future()
        if callback is not None:
            proxy.add_done_callback(callback)

        def joined(fut: Future) -> None:
            try:
                worker, results, error, seconds = fut.result()
            except BaseException as exc:
                _settle(proxy, exc)
                return
            if error is not None:
                _settle(proxy, value=(worker, None, error, seconds))
            else:
                _settle(proxy, value=(worker, head[1] + results, None, head[3] + seconds))

        tail.add_done_callback(joined)
        return proxy

    # -- internals --------------------------------------------------------------------

    @property
    def _level(self) -> int:
        return self.nesting_level or 0

    def _policy(self) -> Any:
        return self.policy if self.policy is not None else get_policy()

    def _cores(self) -> int:
        return self.core_budget if self.core_budget is not None else cpu_count()

    def _dask_client(self) -> Any:
        if self.client is not None:
            return self.client
        if self._level > 0 or "distributed" not in sys.modules:
            return None
        from .remote import current_client

        return current_client()

    def _make_context(self, n_jobs: int, prefer: str | None = None,
                      require: str | None = None, parallel: Any = None) -> Context:
        workers = cores = 0
        rtt = busy = 0.0
        where = "local"
        client = self._dask_client()
        if client is not None and (self.forced_arm in (None, "dask")):
            self._workers, cores, rtt, busy, where = features.cluster_features(client)
            workers = len(self._workers)
        if where == "local":
            where = features.machine_fingerprint()
        n_tasks = getattr(parallel, "n_tasks", None)
        top = self._level == 0
        return Context(n_jobs=int(n_jobs), prefer=prefer, require=require,
                       n_tasks=n_tasks if isinstance(n_tasks, int) else None,
                       cpu_count=self._cores(), dask_workers=workers, dask_cores=cores,
                       nesting_level=self._level,
                       has_timeout=getattr(parallel, "timeout", None) is not None,
                       unordered=not getattr(parallel, "return_ordered", True),
                       forced=self.forced_arm,
                       inner_max_num_threads=self.inner_max_num_threads,
                       load=features.load_average() if top else 0.0,
                       dask_rtt=rtt, dask_busy=busy,
                       loky_warm=features.loky_warm() if top else None,
                       user_batch_size=getattr(parallel, "batch_size", "auto") != "auto",
                       where=where)

    def _n_tasks(self) -> int | None:
        n = getattr(getattr(self, "parallel", None), "n_tasks", None)
        return n if isinstance(n, int) else None

    def _reset_stats(self) -> None:
        self._call_id = 0
        self._t0 = time.perf_counter()
        self._n_done = 0
        self._n_retried = 0
        self._per_worker: dict[str, int] = {}
        self._failed = False
        self._busy = 0.0
        self._busy_n = 0
        self._t_item = None
        self._most_per_batch = 10**9

    def _send(self, batch: _Batch) -> None:
        pool = self._pool
        if pool is None:
            _settle(batch.proxy, RuntimeError("the aigc backend was terminated"))
            return
        with self._state_lock:
            batch.generation = self._generation
        handle = pool.submit(batch.calls, lambda h: self._attempt_done(batch, pool, h))
        key = getattr(handle, "key", None) if pool.kind == "dask" else None
        if key is not None:
            with self._state_lock:
                if not batch.proxy.done():
                    batch.key = key
                    self._by_key[key] = batch

    def _attempt_done(self, batch: _Batch, pool: Pool, handle: Any) -> None:
        status, value = pool.outcome(handle)
        with self._state_lock:
            if batch.key is not None:
                self._by_key.pop(batch.key, None)
            current = batch.generation == self._generation
        if status == "lost" and current:
            if batch.attempts < self.max_retries:
                with self._state_lock:
                    if self._desk is None:
                        self._desk = _RetryDesk(self)
                    desk = self._desk
                desk.lost(batch, value)
                return
            status, value = "error", self._give_up(batch, pool, value)
        if status == "ok":
            _settle(batch.proxy, value=value)
        else:
            _settle(batch.proxy, value)

    def _give_up(self, batch: _Batch, pool: Pool, exc: BaseException) -> WorkerLostError:
        with self._state_lock:
            n_done = self._n_done
        total = self._n_tasks()
        of_total = f" of {total}" if total is not None else ""
        err = WorkerLostError(
            f"aigc: a batch of {_plural(batch.n_tasks, 'call')} to {funcname(batch.calls)}() "
            f"was lost {_plural(batch.attempts + 1, 'time')} ({pool.describe_loss(exc)}), so "
            f"the call stopped; {n_done}{of_total} tasks had finished. A task that kills its "
            "worker (a crash, or too much memory) does so every time: look for it among that "
            "batch's inputs, or lower n_jobs to give each worker more memory.")
        err.__cause__ = exc
        return err

    def _resubmit(self, group: list[tuple[_Batch, BaseException]]) -> None:
        """On the retry thread: rebuild the pool, tell the user once, resubmit the batches."""
        pool = self._pool
        with self._state_lock:
            live = [(b, e) for b, e in group if b.generation == self._generation]
        for batch, exc in group:
            if (batch, exc) not in live:
                _settle(batch.proxy, exc)
        if not live:
            return
        if pool is None:
            for batch, exc in live:
                _settle(batch.proxy, exc)
            return
        pool.rebuild()
        fresh = [b for b, _ in live if b.announced != b.attempts]
        if fresh:
            self._announce(pool.describe_loss(live[0][1]), fresh, "resubmitted",
                           worker=self.arm.kind if self.arm else "?")
        for batch, _ in live:
            batch.attempts += 1
            with self._state_lock:
                self._n_retried += 1
            self._send(batch)

    def _worker_removed(self, worker: str, keys: set[str]) -> None:
        """Dask told us a worker left while running some of our batches."""
        with self._state_lock:
            batches = [self._by_key[k] for k in keys if k in self._by_key]
            batches = [b for b in batches if b.announced != b.attempts]
        if batches:
            self._announce(f"Dask worker {worker} was lost", batches, "rescheduled",
                           worker=worker)

    def _announce(self, what: str, batches: list[_Batch], verb: str, worker: str) -> None:
        n_tasks = sum(b.n_tasks for b in batches)
        for b in batches:
            b.announced = b.attempts
        line = (f"aigc: {what}; {_plural(len(batches), 'batch')} "
                f"({_plural(n_tasks, 'task')}) {verb}.")
        print(line, file=sys.stderr, flush=True)
        if _publishing():
            events.publish(WorkerLost(call_id=self._call_id, worker=worker,
                                      n_lost_batches=len(batches), retried=True, message=line,
                                      n_lost_tasks=n_tasks,
                                      arm=self.arm.kind if self.arm else ""))


def _split(calls: Any) -> tuple[Any, Any]:
    """``(first task, the others or None)`` of a joblib ``BatchedCalls``, as two batches."""
    items = list(getattr(calls, "items", ()))
    if len(items) <= 1:
        return calls, None
    first, rest = copy.copy(calls), copy.copy(calls)
    first.items, first._size = items[:1], 1
    rest.items, rest._size = items[1:], len(items) - 1
    return first, rest
