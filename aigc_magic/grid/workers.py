"""The pools' common ground, and the two pools that run in this process.

Every pool runs joblib's ``BatchedCalls`` and hands back an :class:`Outcome` through a
future; :class:`Pool` is what the backend asks of a pool. Here: :class:`SequentialPool`
(the calling thread) and :class:`ThreadPool`; the process pools live in :mod:`.lokypool`
and :mod:`.daskpool`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeAlias

from joblib.externals.loky.process_executor import _ExceptionWithTraceback, _rebuild_exc

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls

__all__ = [
    "Callback",
    "CapturedError",
    "OnDone",
    "Outcome",
    "Pool",
    "SequentialPool",
    "ThreadPool",
    "format_remote_error",
    "funcname",
    "future_outcome",
    "run_batch",
]

#: A user's exception caught in a worker: loky's wrapper that carries the traceback text
#: (rebuilt into the exception when it is unpickled), or ``(exception, traceback text)``
#: from a Dask worker, which has no aigc-magic to wrap it with.
CapturedError: TypeAlias = _ExceptionWithTraceback | BaseException | tuple[BaseException, str]


class Outcome(NamedTuple):
    """What running one batch gave."""

    worker: str  # a stable label for who ran it
    results: list[Any] | None  # the tasks' results, None when one raised
    error: CapturedError | None  # the user's exception (never retried)
    seconds: float  # how long the batch ran


#: Called with a pool's handle (a future) when its batch has ended.
OnDone = Callable[[Any], None]
#: What joblib gives ``submit``: called with the batch's future once it is done.
Callback = Callable[[Future[Outcome]], None]


def run_batch(calls: BatchedCalls, worker: str) -> Outcome:
    """Run a joblib ``BatchedCalls``; capture the user's exception instead of raising it."""
    start = time.perf_counter()
    try:
        return Outcome(worker, calls(), None, time.perf_counter() - start)
    except BaseException as exc:  # the user's bug: hand it back with its traceback
        return Outcome(worker, None, _ExceptionWithTraceback(exc), time.perf_counter() - start)


class Pool(Protocol):
    """What the backend needs from a pool of workers."""

    kind: str
    #: Whether a worker can die under a batch (processes, remote); in-process pools cannot,
    #: so the backend hands their futures to joblib as they are.
    may_lose_workers: bool

    def submit(self, calls: BatchedCalls, on_done: OnDone) -> Any:
        """Start a batch; ``on_done(handle)`` fires when it ends; return the handle."""

    def outcome(self, handle: Any) -> tuple[str, Outcome | BaseException]:
        """``("ok", Outcome)``, ``("lost", exc)`` or ``("error", exc)``."""

    def describe_loss(self, exc: BaseException) -> str:
        """A few words on what was lost, e.g. ``"a loky worker died (SIGKILL)"``."""

    def rebuild(self) -> None:
        """Make the pool usable again after losing workers."""

    def abort(self, ensure_ready: bool) -> None:
        """Cancel or kill what is running."""

    def close(self) -> None:
        """Release what this call opened (not the reusable workers)."""


def future_outcome(fut: Future[Outcome]) -> tuple[str, Outcome | BaseException]:
    """:meth:`Pool.outcome` of a ``concurrent.futures`` future that resolves to an Outcome."""
    if fut.cancelled():
        return "error", CancelledError("the batch was cancelled")
    exc = fut.exception()
    if exc is None:
        return "ok", fut.result()
    return "error", exc


def funcname(calls: BatchedCalls) -> str:
    """The name of the function a batch calls (its first task's)."""
    try:
        func = calls.items[0][0]
    except (AttributeError, IndexError, TypeError):
        return "batch"
    return str(getattr(func, "__name__", type(func).__name__))


def format_remote_error(err: CapturedError) -> BaseException:
    """Turn a captured user error back into the exception, remote traceback as its cause."""
    if isinstance(err, BaseException):  # already rebuilt while unpickling (loky)
        return err
    if isinstance(err, tuple):  # (exception, traceback text) from a Dask worker
        exc, tb = err
        rebuilt: BaseException = _rebuild_exc(exc, tb)
        return rebuilt
    rebuild, args = err.__reduce__()  # an _ExceptionWithTraceback from this process
    again: BaseException = rebuild(*args)
    return again


class _InProcessPool:
    """What the pools that run in this process share: their workers cannot die under a
    batch, so there is nothing to describe or rebuild."""

    may_lose_workers = False
    outcome = staticmethod(future_outcome)

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
        self._queue: deque[tuple[BatchedCalls, Future[Outcome]]] = deque()
        self._draining = False

    def submit(self, calls: BatchedCalls, on_done: OnDone) -> Future[Outcome]:
        fut: Future[Outcome] = Future()
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
                    if outcome.error is not None:  # the user's error ends the call: stop here
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

    def __init__(self, n_workers: int, inner_threads: int) -> None:
        from threadpoolctl import ThreadpoolController

        self.n_workers = n_workers
        self.inner_threads = inner_threads
        self.controller = ThreadpoolController()  # one scan of the loaded libraries
        self._aborted = False
        self._executor = self._build()
        # joblib's completion callback takes the Parallel lock and dispatches the next
        # batch; one callback thread (as in joblib's own thread pool) keeps the workers
        # from convoying on that lock when batches are tiny.
        self._callbacks = ThreadPoolExecutor(1, thread_name_prefix="aigc-callback")

    def _build(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(
            self.n_workers,
            thread_name_prefix="aigc",
            initializer=_limit_openmp,
            initargs=(self.controller, self.inner_threads),
        )

    def limit_blas(self) -> Any:
        """Limit this process's BLAS pools to the arm's threads per worker; return the
        limiter (``restore_original_limits()`` undoes it)."""
        return self.controller.limit(limits=self.inner_threads)

    def submit(self, calls: BatchedCalls, on_done: OnDone) -> Future[Outcome]:
        fut = self._executor.submit(_run_on_thread, calls)
        fut.add_done_callback(lambda f: self._call_back(on_done, f))
        return fut

    def _call_back(self, on_done: OnDone, fut: Future[Outcome]) -> None:
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


def _run_on_thread(calls: BatchedCalls) -> Outcome:
    return run_batch(calls, threading.current_thread().name)
