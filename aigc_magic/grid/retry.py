"""The retry desk: batches on a pool that can lose workers, resubmitted when it does.

A batch sent through the desk gets a proxy future, which is what joblib waits on. When the
pool reports a batch lost with its worker, the desk gathers the batches lost together (one
dead worker takes several), rebuilds the pool, tells the user once, and sends them again,
at most ``max_retries`` times; after that the call fails with a
:class:`~aigc_magic.errors.WorkerLostError` that says where to look.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import WorkerLostError
from .workers import Callback, Outcome, Pool, funcname

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls

__all__ = ["Batch", "Loss", "RetryDesk", "plural", "settle"]


def settle(fut: Future[Outcome], result: Outcome | BaseException) -> None:
    """Resolve ``fut`` with ``result`` (an exception is raised to whoever waits), unless
    an abort already did."""
    try:
        if isinstance(result, BaseException):
            fut.set_exception(result)
        else:
            fut.set_result(result)
    except InvalidStateError:
        pass  # cancelled or settled by an abort


def plural(n: int, word: str) -> str:
    """``"1 batch"``, ``"2 batches"``, ``"3 calls"``."""
    return f"{n} {word}{'es' if word.endswith('ch') else 's'}" if n != 1 else f"1 {word}"


class Batch:
    """One joblib batch and its attempts; ``proxy`` is the future joblib sees."""

    __slots__ = ("announced", "attempts", "calls", "generation", "key", "n_tasks", "proxy")

    def __init__(self, calls: BatchedCalls) -> None:
        self.calls = calls
        self.n_tasks = len(calls)
        self.proxy: Future[Outcome] = Future()
        self.attempts = 0
        self.announced = -1  # the attempt whose loss the user was already told about
        self.generation = 0
        self.key: str | None = None


class Loss(NamedTuple):
    """Batches lost together, as the user is told about them."""

    message: str  # the one line the user sees
    worker: str  # the worker that was lost, or the pool's kind when it is not known
    n_batches: int
    n_tasks: int


class RetryDesk:
    """Sends one call's batches to ``pool`` and resubmits those lost with a worker.

    ``progress()`` says ``(tasks finished, tasks in the call or None)`` for the message of
    a batch given up; ``on_loss(loss)`` tells the user of resubmitted batches. Losses are
    gathered and resubmitted on a thread of the desk's own: loky reports a dead worker on
    its manager thread, which must not be the one that waits for the broken executor to
    shut down.
    """

    GATHER_SECONDS = 0.1

    def __init__(
        self,
        pool: Pool,
        *,
        max_retries: int,
        progress: Callable[[], tuple[int, int | None]],
        on_loss: Callable[[Loss], None],
    ) -> None:
        self._pool: Pool | None = pool
        self.max_retries = max_retries
        self._progress = progress
        self._on_loss = on_loss
        self._lock = threading.Lock()
        self._by_key: dict[str, Batch] = {}
        self._generation = 0  # bumped by an abort: batches in flight are not resubmitted
        self._queue: queue.SimpleQueue[tuple[Batch, BaseException] | None] | None = None
        self.n_retried = 0  # batch resubmissions

    def submit(self, calls: BatchedCalls, callback: Callback | None) -> Future[Outcome]:
        batch = Batch(calls)
        if callback is not None:
            batch.proxy.add_done_callback(callback)
        self._send(batch)
        return batch.proxy

    def abort(self) -> None:
        """Forget the batches in flight: their losses are errors, not resubmitted."""
        with self._lock:
            self._generation += 1
            self._by_key.clear()

    def close(self) -> None:
        """The call is over: stop the retry thread; later losses settle as errors."""
        self.abort()
        with self._lock:
            self._pool = None
            if self._queue is not None:
                self._queue.put(None)
                self._queue = None

    def worker_removed(self, worker: str, keys: set[str]) -> None:
        """Dask says ``worker`` left while it ran the batches with these keys."""
        with self._lock:
            batches = [self._by_key[k] for k in keys if k in self._by_key]
            batches = [b for b in batches if b.announced != b.attempts]
        if batches:
            self._announce(f"Dask worker {worker} was lost", batches, "rescheduled", worker)

    # -- internals ----------------------------------------------------------------------

    def _send(self, batch: Batch) -> None:
        with self._lock:
            pool = self._pool
            batch.generation = self._generation
        if pool is None:
            settle(batch.proxy, RuntimeError("the aigc backend was terminated"))
            return
        handle = pool.submit(batch.calls, lambda h: self._attempt_done(batch, pool, h))
        key = getattr(handle, "key", None) if pool.kind == "dask" else None
        if key is not None:
            with self._lock:
                if not batch.proxy.done():
                    batch.key = key
                    self._by_key[key] = batch

    def _attempt_done(self, batch: Batch, pool: Pool, handle: Any) -> None:
        status, value = pool.outcome(handle)
        with self._lock:
            if batch.key is not None:
                self._by_key.pop(batch.key, None)
            current = batch.generation == self._generation
        if status == "lost" and current and isinstance(value, BaseException):
            if batch.attempts < self.max_retries:
                self._lost(batch, value)
                return
            value = self._give_up(batch, pool, value)
        settle(batch.proxy, value)

    def _lost(self, batch: Batch, exc: BaseException) -> None:
        with self._lock:
            if self._pool is None:  # closed meanwhile
                waiting = None
            else:
                if self._queue is None:
                    self._queue = queue.SimpleQueue()
                    threading.Thread(
                        target=self._run, args=(self._queue,), name="aigc-retry", daemon=True
                    ).start()
                waiting = self._queue
        if waiting is None:
            settle(batch.proxy, exc)
        else:
            waiting.put((batch, exc))

    def _give_up(self, batch: Batch, pool: Pool, exc: BaseException) -> WorkerLostError:
        n_done, total = self._progress()
        of_total = f" of {total}" if total is not None else ""
        err = WorkerLostError(
            f"aigc: a batch of {plural(batch.n_tasks, 'call')} to {funcname(batch.calls)}() "
            f"was lost {plural(batch.attempts + 1, 'time')} ({pool.describe_loss(exc)}), so "
            f"the call stopped; {n_done}{of_total} tasks had finished. A task that kills its "
            "worker (a crash, or too much memory) does so every time: look for it among that "
            "batch's inputs, or lower n_jobs to give each worker more memory."
        )
        err.__cause__ = exc
        return err

    def _run(self, losses: queue.SimpleQueue[tuple[Batch, BaseException] | None]) -> None:
        while True:
            item = losses.get()
            if item is None:
                return
            group = [item]
            deadline = time.monotonic() + self.GATHER_SECONDS
            while (left := deadline - time.monotonic()) > 0:
                try:
                    nxt = losses.get(timeout=left)
                except queue.Empty:
                    break
                if nxt is None:
                    losses.put(None)
                    break
                group.append(nxt)
            try:
                self._resubmit(group)
            except BaseException as exc:  # never leave joblib waiting on a batch
                for batch, _ in group:
                    settle(batch.proxy, exc)

    def _resubmit(self, group: list[tuple[Batch, BaseException]]) -> None:
        """On the retry thread: rebuild the pool, tell the user once, resubmit the batches."""
        with self._lock:
            pool = self._pool
            live = [(b, e) for b, e in group if b.generation == self._generation]
        for batch, exc in group:
            if pool is None or (batch, exc) not in live:
                settle(batch.proxy, exc)
        if not live or pool is None:
            return
        pool.rebuild()
        fresh = [b for b, _ in live if b.announced != b.attempts]
        if fresh:
            self._announce(pool.describe_loss(live[0][1]), fresh, "resubmitted", pool.kind)
        for batch, _ in live:
            batch.attempts += 1
            with self._lock:
                self.n_retried += 1
            self._send(batch)

    def _announce(self, what: str, batches: list[Batch], verb: str, worker: str) -> None:
        n_tasks = sum(b.n_tasks for b in batches)
        for b in batches:
            b.announced = b.attempts
        line = f"aigc: {what}; {plural(len(batches), 'batch')} ({plural(n_tasks, 'task')}) {verb}."
        self._on_loss(Loss(line, worker, len(batches), n_tasks))
