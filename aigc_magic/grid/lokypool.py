"""The loky arm's pool: joblib's reusable memmapping executor, shared with joblib itself.

Large numpy arguments reach the workers as memory maps. The workers keep joblib's own
environment whatever the arm (:func:`loky_env`), so every arm and joblib's loky backend
share one executor; an arm's BLAS limit is set around each batch inside the worker, and an
arm that wants fewer workers than are alive is throttled rather than shrinking the
executor. :func:`loky_warm` tells the scheduler whether such an executor is alive.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import TYPE_CHECKING, Any

from joblib._parallel_backends import ParallelBackendBase
from joblib.externals.loky.process_executor import ShutdownExecutorError, TerminatedWorkerError

from .workers import OnDone, Outcome, future_outcome, run_batch

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls

__all__ = ["LokyPool", "loky_env", "loky_warm"]


def loky_env() -> dict[str, str]:
    """The loky workers' environment: joblib's own for ``n_jobs=-1``, whatever the arm.

    That is one BLAS/OpenMP thread per worker unless the user's environment sets the
    variable (joblib's ``LokyBackend._prepare_worker_env`` with ``n_jobs=cpu_count()`` gives
    the same, but calls ``cpu_count()`` each time). A different environment would make loky
    restart its workers at every switch of BLAS threads; an arm's own limit is set around
    each batch inside the worker instead (:class:`_LokyBatch`).
    """
    env = {var: os.environ.get(var, "1") for var in ParallelBackendBase.MAX_NUM_THREADS_VARS}
    if ParallelBackendBase.TBB_ENABLE_IPC_VAR not in os.environ:
        env[ParallelBackendBase.TBB_ENABLE_IPC_VAR] = "1"
    return env


def loky_warm() -> int | None:
    """Workers of joblib's live reusable loky executor when a loky arm can reuse it as it
    is (its environment is :func:`loky_env`), else None.

    Starting loky workers is slow and reusing them is cheap, and an executor started with
    another environment (BLAS limits) is restarted. Reads two module globals; starts nothing.
    """
    if "joblib.externals.loky.reusable_executor" not in sys.modules:
        return None
    from joblib import executor as jex
    from joblib.externals.loky import reusable_executor as rex

    ex = rex._executor
    args = jex._executor_args or {}
    if ex is None or ex._flags.broken or ex._flags.shutdown:
        return None
    if any(args.get(var) != value for var, value in loky_env().items()):
        return None
    return int(ex._max_workers)


_worker_controller: tuple[int, Any] | None = None


def _limits_in_worker(n_threads: int) -> Any:
    """A context that limits this process's BLAS/OpenMP pools to ``n_threads``.

    Scanning the loaded libraries costs far more than setting limits: the controller is
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

    def __init__(
        self,
        calls: BatchedCalls,
        inner_threads: int | None = None,
        on_reduce: Callable[[], None] | None = None,
    ) -> None:
        self.calls = calls
        self.inner_threads = inner_threads
        self.on_reduce = on_reduce

    def __call__(self) -> Outcome:
        worker = f"loky-{os.getpid()}"
        if self.inner_threads is None:
            return run_batch(self.calls, worker)
        with _limits_in_worker(self.inner_threads):
            return run_batch(self.calls, worker)

    def __reduce__(self) -> tuple[type[_LokyBatch], tuple[BatchedCalls, int | None]]:
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
    more of them would start again.
    """

    kind = "loky"
    may_lose_workers = True

    def __init__(
        self,
        n_workers: int,
        inner_threads: int,
        context_id: str,
        *,
        idle_worker_timeout: float = 300,
        **memmap_kwargs: Any,
    ) -> None:
        self.n_workers = n_workers
        self.inner_threads = inner_threads
        self.context_id = context_id
        self._timeout = idle_worker_timeout
        self._memmap_kwargs = memmap_kwargs
        self._lock = threading.Lock()
        self._batch_threads: int | None = None  # set by _build
        self._throttled = False  # set by _build: more workers alive than n_workers
        self._running = 0
        self._waiting: deque[tuple[BatchedCalls, Future[Outcome]]] = deque()
        self._executor: Any = self._build()

    def _build(self) -> Any:
        from joblib.executor import get_memmapping_executor

        env = loky_env()
        same = all(
            env[var] == str(self.inner_threads) for var in ParallelBackendBase.MAX_NUM_THREADS_VARS
        )
        self._batch_threads = None if same else self.inner_threads
        size = max(self.n_workers, loky_warm() or 0)
        self._throttled = size > self.n_workers
        return get_memmapping_executor(
            size, timeout=self._timeout, env=env, context_id=self.context_id, **self._memmap_kwargs
        )

    def submit(self, calls: BatchedCalls, on_done: OnDone) -> Future[Outcome]:
        if not self._throttled:
            fut = self._submit_now(calls)
            fut.add_done_callback(on_done)
            return fut
        proxy: Future[Outcome] = Future()
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

    def _submit_now(self, calls: BatchedCalls) -> Future[Outcome]:
        with self._lock:
            executor = self._executor
        if executor is None:
            fut: Future[Outcome] = Future()
            fut.set_exception(ShutdownExecutorError("the loky executor was shut down"))
            return fut
        manager = executor._temp_folder_manager
        context_id = self.context_id
        batch = _LokyBatch(
            calls, self._batch_threads, lambda: manager.set_current_context(context_id)
        )
        try:
            submitted: Future[Outcome] = executor.submit(batch)
        except (TerminatedWorkerError, ShutdownExecutorError, RuntimeError) as exc:
            fut = Future()  # a broken executor refuses work: report it like a loss
            fut.set_exception(exc)
            return fut
        return submitted

    def _start(self, calls: BatchedCalls, proxy: Future[Outcome]) -> None:
        """Run a throttled batch; its ``proxy`` future reports what the real one did."""
        if not proxy.set_running_or_notify_cancel():  # cancelled while it waited
            self._release()
            return

        def relay(fut: Future[Outcome]) -> None:
            self._release()  # start the next waiting batch first: no worker idles
            if fut.cancelled():
                proxy.set_exception(CancelledError("the batch was cancelled"))
                return
            exc = fut.exception()
            if exc is not None:
                proxy.set_exception(exc)
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
    def outcome(fut: Future[Outcome]) -> tuple[str, Outcome | BaseException]:
        status, value = future_outcome(fut)
        if status == "error" and isinstance(value, TerminatedWorkerError):
            return "lost", value
        if status == "error" and isinstance(value, ShutdownExecutorError):
            err = RuntimeError(
                "The loky executor of this Parallel call was shut down, most likely because "
                "a generator from an earlier return_as='generator' call was garbage "
                "collected before it was exhausted. Exhaust it or keep a reference to it."
            )
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
                context_id=self.context_id, force=False
            )
