"""The worker pools behind the arms: in-process, threads, loky processes, a Dask cluster.

Every pool runs joblib's ``BatchedCalls`` and hands back, through a future, an
:data:`Outcome` ``(worker, results, error, seconds)``: ``worker`` labels who ran the batch,
``error`` carries an exception raised by the user's code together with its traceback text
(it is never retried). A pool reports the loss of a worker separately, through :meth:`outcome`
returning ``"lost"``, so the backend can resubmit the batch.

- :class:`SequentialPool` runs batches one after another in the calling thread.
- :class:`ThreadPool` runs them on threads; BLAS limits are set by the backend.
- :class:`LokyPool` uses joblib's reusable memmapping executor, so large numpy arguments
  reach the workers as memory maps. The workers keep joblib's own environment whatever the
  arm (:func:`loky_env`); an arm's BLAS limit is set around each batch inside the worker.
- :class:`DaskPool` ships tasks to a Dask cluster, scattering large arguments once per call.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
import uuid
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any, Protocol

from joblib._parallel_backends import ParallelBackendBase
from joblib.externals.loky.process_executor import (
    ShutdownExecutorError,
    TerminatedWorkerError,
    _ExceptionWithTraceback,
)

OnDone = Callable[[Any], None]

__all__ = ["DaskPool", "LokyPool", "Pool", "SequentialPool", "ThreadPool", "loky_env",
           "run_batch"]


Outcome = tuple[str, Any, Any, float]  # worker, results, captured error, seconds


def run_batch(calls: Any, worker: str) -> Outcome:
    """Run a joblib ``BatchedCalls``; capture the user's exception instead of raising it."""
    start = time.perf_counter()
    try:
        return worker, calls(), None, time.perf_counter() - start
    except BaseException as exc:  # the user's bug: hand it back with its traceback
        return worker, None, _ExceptionWithTraceback(exc), time.perf_counter() - start


class Pool(Protocol):
    """What the backend needs from a pool of workers."""

    kind: str
    #: Whether a worker can die under a batch (processes, remote); in-process pools cannot,
    #: so the backend hands their futures to joblib as they are.
    may_lose_workers: bool

    def submit(self, calls: Any, on_done: OnDone) -> Any:
        """Start a batch; ``on_done(handle)`` fires when it ends; return the handle."""

    def outcome(self, handle: Any) -> tuple[str, Any]:
        """``("ok", Outcome)``, ``("lost", exc)`` or ``("error", exc)``."""

    def describe_loss(self, exc: BaseException) -> str:
        """A few words on what was lost, e.g. ``"a loky worker died (SIGKILL)"``."""

    def rebuild(self) -> None:
        """Make the pool usable again after losing workers."""

    def abort(self, ensure_ready: bool) -> None:
        """Cancel or kill what is running."""

    def close(self) -> None:
        """Release what this call opened (not the reusable workers)."""


def _future_outcome(fut: Future) -> tuple[str, Any]:
    if fut.cancelled():
        return "error", CancelledError("the batch was cancelled")
    exc = fut.exception()
    if exc is None:
        return "ok", fut.result()
    return "error", exc


class _InProcessPool:
    """What the pools that run in this process share: their workers cannot die under a
    batch, so there is nothing to describe or rebuild."""

    may_lose_workers = False
    outcome = staticmethod(_future_outcome)

    def describe_loss(self, exc: BaseException) -> str:
        return f"the batch was lost ({exc})"

    def rebuild(self) -> None:
        pass


class SequentialPool(_InProcessPool):
    """Runs batches one at a time in the thread that submits them (a trampoline).

    joblib dispatches the next batch from the completion callback of the previous one;
    running it there would recurse once per batch, so nested submissions are queued and
    drained by the outermost ``submit``.
    """

    kind = "sequential"

    def __init__(self) -> None:
        self._queue: deque[tuple[Any, Future]] = deque()
        self._draining = False

    def submit(self, calls: Any, on_done: OnDone) -> Future:
        fut: Future = Future()
        fut.add_done_callback(on_done)
        self._queue.append((calls, fut))
        if self._draining:
            return fut
        self._draining = True
        try:
            while self._queue:
                batch, pending = self._queue.popleft()
                if pending.set_running_or_notify_cancel():
                    outcome = run_batch(batch, "main")
                    pending.set_result(outcome)
                    if outcome[2] is not None:  # the user's error ends the call: stop here
                        self.abort(False)
        finally:
            self._draining = False
            while self._queue:  # only after an interrupt: leave nothing half-done
                self._queue.popleft()[1].cancel()
        return fut

    def abort(self, ensure_ready: bool) -> None:
        while self._queue:
            self._queue.popleft()[1].cancel()

    def close(self) -> None:
        self.abort(False)


def _limit_openmp(controller: Any, n_threads: int) -> None:
    """Thread initializer: OpenMP limits are per thread, BLAS ones are per process."""
    controller.select(user_api="openmp").limit(limits=n_threads)


class ThreadPool(_InProcessPool):
    """A thread pool for one ``Parallel`` call."""

    kind = "threads"

    def __init__(self, n_workers: int, inner_threads: int, controller: Any) -> None:
        self.n_workers = n_workers
        self.inner_threads = inner_threads
        self.controller = controller  # a threadpoolctl.ThreadpoolController
        self._aborted = False
        self._executor = self._build()
        # joblib's completion callback takes the Parallel lock and dispatches the next
        # batch; one callback thread (as in joblib's own thread pool) avoids the workers
        # convoying on that lock: 10,000 one-task batches run ~1.6x faster this way.
        self._callbacks = ThreadPoolExecutor(1, thread_name_prefix="aigc-callback")

    def _build(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(self.n_workers, thread_name_prefix="aigc",
                                  initializer=_limit_openmp,
                                  initargs=(self.controller, self.inner_threads))

    def submit(self, calls: Any, on_done: OnDone) -> Future:
        fut = self._executor.submit(_run_on_thread, calls)
        fut.add_done_callback(lambda f: self._call_back(on_done, f))
        return fut

    def _call_back(self, on_done: OnDone, fut: Future) -> None:
        with contextlib.suppress(RuntimeError):  # after an abort nobody waits for it
            self._callbacks.submit(on_done, fut)

    def abort(self, ensure_ready: bool) -> None:
        # Threads cannot be killed: running batches finish in the background.
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._aborted = not ensure_ready
        if ensure_ready:
            self._executor = self._build()

    def close(self) -> None:
        self._executor.shutdown(wait=not self._aborted)
        self._callbacks.shutdown(wait=not self._aborted)


def _run_on_thread(calls: Any) -> Outcome:
    return run_batch(calls, threading.current_thread().name)


def loky_env() -> dict[str, str]:
    """The loky workers' environment: joblib's own for ``n_jobs=-1``, whatever the arm.

    That is one BLAS/OpenMP thread per worker unless the user's environment sets the
    variable (joblib's ``LokyBackend._prepare_worker_env`` with ``n_jobs=cpu_count()`` gives
    the same, but costs ~0.1 ms in ``cpu_count()`` on every call that asks). Every arm and
    joblib's own loky backend then share one reusable executor: a different environment
    would make loky restart its workers at every switch of BLAS threads (0.23 s per call
    here on 2 cores, against 12 ms with the workers shared). An arm's own limit is set
    around each batch inside the worker instead (:class:`_LokyBatch`).
    """
    env = {var: os.environ.get(var, "1") for var in ParallelBackendBase.MAX_NUM_THREADS_VARS}
    if ParallelBackendBase.TBB_ENABLE_IPC_VAR not in os.environ:
        env[ParallelBackendBase.TBB_ENABLE_IPC_VAR] = "1"
    return env


_worker_controller: tuple[int, Any] | None = None


def _limits_in_worker(n_threads: int) -> Any:
    """A context that limits this process's BLAS/OpenMP pools to ``n_threads``.

    Scanning the loaded libraries costs ~0.2 ms, setting limits ~8 µs: the controller is
    kept and scanned again only when modules were imported since (a batch may load numpy).
    """
    global _worker_controller
    if _worker_controller is None or _worker_controller[0] != len(sys.modules):
        from threadpoolctl import ThreadpoolController

        _worker_controller = (len(sys.modules), ThreadpoolController())
    return _worker_controller[1].limit(limits=n_threads)


class _LokyBatch:
    """The callable sent to a loky worker; pickling it selects this call's temp folder.

    ``inner_threads`` is the arm's BLAS limit when it differs from the workers'
    environment (:func:`loky_env`), set for this batch only, else None.
    """

    __slots__ = ("calls", "inner_threads", "on_reduce")

    def __init__(self, calls: Any, inner_threads: int | None = None,
                 on_reduce: Callable[[], None] | None = None) -> None:
        self.calls = calls
        self.inner_threads = inner_threads
        self.on_reduce = on_reduce

    def __call__(self) -> Outcome:
        worker = f"loky-{os.getpid()}"
        if self.inner_threads is None:
            return run_batch(self.calls, worker)
        with _limits_in_worker(self.inner_threads):
            return run_batch(self.calls, worker)

    def __reduce__(self) -> tuple[Any, ...]:
        # Runs in loky's queue-feeder thread right before the batch (and its large arrays,
        # dumped as memmaps) is pickled: the same hook joblib's LokyBackend uses.
        if self.on_reduce is not None:
            self.on_reduce()
        return _LokyBatch, (self.calls, self.inner_threads)


_EXIT_CODES = re.compile(r"exit codes of the workers are \{([^}]*)\}")


class LokyPool:
    """joblib's reusable loky executor with memmapping, rebuilt when a worker dies.

    The executor is shared with joblib's own loky backend and never shrunk: when it already
    runs more workers than the arm wants, they stay alive and at most ``n_workers`` batches
    run at once (the rest wait here), since shrinking kills workers that the next call with
    more of them would start again (~0.15 s each on 2 cores).
    """

    kind = "loky"
    may_lose_workers = True

    def __init__(self, n_workers: int, inner_threads: int, context_id: str, *,
                 idle_worker_timeout: float = 300, **memmap_kwargs: Any) -> None:
        self.n_workers = n_workers
        self.inner_threads = inner_threads
        self.context_id = context_id
        self._timeout = idle_worker_timeout
        self._memmap_kwargs = memmap_kwargs
        self._lock = threading.Lock()
        self._batch_threads: int | None = None  # set by _build
        self._throttled = False  # set by _build: more workers alive than n_workers
        self._running = 0
        self._waiting: deque[tuple[Any, Future]] = deque()
        self._executor: Any = self._build()

    def _build(self) -> Any:
        from joblib.executor import get_memmapping_executor

        from .features import loky_warm

        env = loky_env()
        same = all(env[var] == str(self.inner_threads)
                   for var in ParallelBackendBase.MAX_NUM_THREADS_VARS)
        self._batch_threads = None if same else self.inner_threads
        size = max(self.n_workers, loky_warm() or 0)
        self._throttled = size > self.n_workers
        return get_memmapping_executor(size, timeout=self._timeout, env=env,
                                       context_id=self.context_id, **self._memmap_kwargs)

    def submit(self, calls: Any, on_done: OnDone) -> Future:
        if not self._throttled:
            fut = self._submit_now(calls)
            fut.add_done_callback(on_done)
            return fut
        proxy: Future = Future()
        proxy.add_done_callback(on_done)
        with self._lock:
            start = self._running < self.n_workers
            if start:
                self._running += 1
            else:
                self._waiting.append((calls, proxy))
        if start:
            self._start(calls, proxy)
        return proxy

    def _submit_now(self, calls: Any) -> Future:
        with self._lock:
            executor = self._executor
        if executor is None:
            fut: Future = Future()
            fut.set_exception(ShutdownExecutorError("the loky executor was shut down"))
            return fut
        manager = executor._temp_folder_manager
        context_id = self.context_id
        batch = _LokyBatch(calls, self._batch_threads,
                           lambda: manager.set_current_context(context_id))
        try:
            return executor.submit(batch)
        except (TerminatedWorkerError, ShutdownExecutorError, RuntimeError) as exc:
            fut = Future()  # a broken executor refuses work: report it like a loss
            fut.set_exception(exc)
            return fut

    def _start(self, calls: Any, proxy: Future) -> None:
        """Run a throttled batch; its ``proxy`` future reports what the real one did."""
        if not proxy.set_running_or_notify_cancel():  # cancelled while it waited
            self._release()
            return

        def relay(fut: Future) -> None:
            self._release()  # start the next waiting batch first: no worker idles
            if fut.cancelled():
                proxy.set_exception(CancelledError("the batch was cancelled"))
            elif fut.exception() is not None:
                proxy.set_exception(fut.exception())
            else:
                proxy.set_result(fut.result())

        self._submit_now(calls).add_done_callback(relay)

    def _release(self) -> None:
        with self._lock:
            following = self._waiting.popleft() if self._waiting else None
            if following is None:
                self._running -= 1
        if following is not None:
            self._start(*following)

    def _cancel_waiting(self) -> None:
        with self._lock:
            waiting, self._waiting = list(self._waiting), deque()
        for _, proxy in waiting:
            proxy.cancel()

    @staticmethod
    def outcome(fut: Future) -> tuple[str, Any]:
        status, value = _future_outcome(fut)
        if status == "error" and isinstance(value, TerminatedWorkerError):
            return "lost", value
        if status == "error" and isinstance(value, ShutdownExecutorError):
            err = RuntimeError(
                "The loky executor of this Parallel call was shut down, most likely because "
                "a generator from an earlier return_as='generator' call was garbage "
                "collected before it was exhausted. Exhaust it or keep a reference to it.")
            err.__cause__ = value
            return "error", err
        return status, value

    def describe_loss(self, exc: BaseException) -> str:
        match = _EXIT_CODES.search(str(exc))
        codes = [c.strip().split("(")[0] for c in match.group(1).split(",")] if match else []
        detail = f" ({', '.join(codes)})" if codes and codes != [""] else ""
        return f"a loky worker died{detail}"

    def rebuild(self) -> None:
        with self._lock:
            self._executor = self._build()  # loky replaces a broken executor

    def abort(self, ensure_ready: bool) -> None:
        self._cancel_waiting()
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.terminate(kill_workers=True)
        if ensure_ready:
            self.rebuild()

    def close(self) -> None:
        self._cancel_waiting()
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:  # keep the workers for the next call, drop our memmaps
            executor._temp_folder_manager._clean_temporary_resources(
                context_id=self.context_id, force=False)


def _make_dask_runner() -> Callable[..., Outcome]:
    """Build the function Dask workers run; as a closure cloudpickle ships it by value,
    so workers need dask (and, for nested calls, joblib) but not aigc-magic."""

    def aigc_batch(tasks: list[Any], inner_threads: int) -> tuple[str, Any, Any, float]:
        import contextlib
        import os
        import pickle
        import time
        import traceback

        start = time.perf_counter()
        try:
            from distributed import get_worker

            worker = get_worker().address
        except Exception:
            worker = f"dask-{os.getpid()}"
        with contextlib.suppress(Exception):
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=inner_threads)  # dedicated process: no restore
        nested: Any = contextlib.nullcontext()
        with contextlib.suppress(Exception):
            from joblib import parallel_config

            nested = parallel_config(backend="sequential")  # nested calls stay in this thread
        try:
            with nested:
                results = [f(*a, **k) for f, a, k in tasks]
            return worker, results, None, time.perf_counter() - start
        except BaseException as exc:
            tb = traceback.format_exc()
            try:
                pickle.dumps(exc)
            except Exception:
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            return worker, None, (exc, tb), time.perf_counter() - start

    return aigc_batch


_dask_runner = _make_dask_runner()

_watch_lock = threading.Lock()
_watched_clients: weakref.WeakSet[Any] = weakref.WeakSet()
_dask_pools: weakref.WeakSet[DaskPool] = weakref.WeakSet()


def _on_cluster_event(event: Any) -> None:
    """Scheduler event handler (runs on the client's event loop: must not block)."""
    try:
        _, msg = event
    except (TypeError, ValueError):
        return
    if not isinstance(msg, dict) or msg.get("action") != "remove-worker":
        return
    if msg.get("expected"):
        return
    keys = {str(k) for k in msg.get("processing-tasks") or ()}
    worker = str(msg.get("worker", "?"))
    for pool in list(_dask_pools):
        pool.worker_removed(worker, keys)


def _watch(client: Any) -> None:
    with _watch_lock:
        if client in _watched_clients:
            return
        client.subscribe_topic("all", _on_cluster_event)
        _watched_clients.add(client)


def funcname(calls: Any) -> str:
    """The name of the function a batch calls (its first task's)."""
    try:
        func = calls.items[0][0]
    except (AttributeError, IndexError, TypeError):
        return "batch"
    return str(getattr(func, "__name__", type(func).__name__))


class DaskPool:
    """Sends batches to a Dask cluster through a ``distributed.Client``."""

    kind = "dask"
    may_lose_workers = True

    def __init__(self, client: Any, n_workers: int, inner_threads: int, *,
                 scatter_nbytes: float = 1e6,
                 on_worker_lost: Callable[[str, set[str]], None] | None = None) -> None:
        self.client = client
        self.n_workers = n_workers
        self.inner_threads = inner_threads
        self.scatter_nbytes = scatter_nbytes
        self.n_scattered = 0
        self._on_worker_lost = on_worker_lost
        self._lock = threading.Lock()
        self._scattered: dict[int, tuple[Any, Any]] = {}
        self._pending: dict[str, Any] = {}
        _watch(client)
        _dask_pools.add(self)

    def _ship(self, arg: Any) -> Any:
        """Replace a large argument by the future of its one scattered copy."""
        from dask.sizeof import sizeof

        try:
            ref = weakref.ref(arg)
        except TypeError:
            return arg
        with self._lock:
            cached = self._scattered.get(id(arg))
            if cached is not None and cached[0]() is arg and cached[1].status == "finished":
                return cached[1]
            if sizeof(arg) <= self.scatter_nbytes:
                return arg
            future = self.client.scatter(arg, hash=False)
            self._scattered[id(arg)] = (ref, future)
            self.n_scattered += 1
            return future

    def submit(self, calls: Any, on_done: OnDone) -> Any:
        tasks = [(f, [self._ship(a) for a in args], {k: self._ship(v) for k, v in kw.items()})
                 for f, args, kw in calls.items]
        name = re.sub(r"[^A-Za-z0-9_]", "_", funcname(calls))
        key = f"aigc-{name}-{len(tasks)}-{uuid.uuid4().hex}"
        future = self.client.submit(_dask_runner, tasks, self.inner_threads, key=key,
                                    pure=False)
        with self._lock:
            self._pending[key] = future

        def done(fut: Any) -> None:
            with self._lock:
                self._pending.pop(key, None)
            on_done(fut)

        future.add_done_callback(done)
        return future

    @staticmethod
    def outcome(fut: Any) -> tuple[str, Any]:
        from distributed import KilledWorker

        if fut.status == "finished":
            return "ok", fut.result()
        if fut.status == "cancelled":
            return "lost", CancelledError("the Dask scheduler cancelled the batch")
        exc = fut.exception()
        if isinstance(exc, (KilledWorker, OSError)) or type(exc).__name__ == "CommClosedError":
            return "lost", exc
        return "error", exc

    def describe_loss(self, exc: BaseException) -> str:
        from distributed import KilledWorker

        if isinstance(exc, KilledWorker):
            return f"Dask workers kept dying while running it ({exc.last_worker.address})" \
                if getattr(exc, "last_worker", None) is not None else "Dask workers died"
        return f"the Dask cluster lost it ({type(exc).__name__})"

    def worker_removed(self, worker: str, keys: set[str]) -> None:
        with self._lock:
            ours = {k for k in keys if k in self._pending}
        if ours and self._on_worker_lost is not None:
            self._on_worker_lost(worker, ours)

    def rebuild(self) -> None:
        with self._lock:  # scattered data may have died with its worker
            self._scattered = {k: v for k, v in self._scattered.items()
                               if v[1].status == "finished"}

    def abort(self, ensure_ready: bool) -> None:
        with self._lock:
            pending = list(self._pending.values())
            self._pending.clear()
        if pending:
            self.client.cancel(pending)

    def close(self) -> None:
        _dask_pools.discard(self)
        with self._lock:
            self._scattered.clear()


def format_remote_error(err: Any) -> BaseException:
    """Turn a captured user error back into the exception, remote traceback as its cause."""
    from joblib.externals.loky.process_executor import _rebuild_exc

    if isinstance(err, BaseException):  # already rebuilt while unpickling (loky)
        return err
    if isinstance(err, tuple):  # (exception, traceback text) from a Dask worker
        exc, tb = err
        return _rebuild_exc(exc, tb)
    rebuild, args = err.__reduce__()  # an _ExceptionWithTraceback from this process
    return rebuild(*args)
