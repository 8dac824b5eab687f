"""Which pool runs an arm (:func:`open_pool`, the one place that maps arm kinds to pools),
and the :class:`Runtime` a backend's call runs on: that pool, its retry desk, its BLAS
limit."""

from __future__ import annotations

import gc
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from . import costmodel
from .arms import Arm
from .daskpool import DaskPool, MixedPool
from .lokypool import LokyPool
from .overrides import Override
from .retry import Loss, RetryDesk
from .workers import Callback, Outcome, Pool, SequentialPool, ThreadPool

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls

__all__ = ["LOKY_KEYWORDS", "Runtime", "open_pool"]

#: joblib's memmapping keywords the loky pool takes: the same arguments as joblib's loky
#: backend ("context" included), so both share one reusable executor instead of
#: restarting it at each switch.
LOKY_KEYWORDS = ("max_nbytes", "mmap_mode", "temp_folder", "verbose", "context")


def open_pool(
    arm: Arm,
    memmap_kwargs: dict[str, Any],
    *,
    context_id: str,
    idle_worker_timeout: float,
    client: Any,
    on_worker_lost: Callable[[str, set[str]], None],
) -> Pool:
    """Open the pool for ``arm``.

    ``memmap_kwargs`` are what joblib passed to ``configure``; ``context_id`` names the
    call's memmap folder (loky); ``client`` is the ``distributed.Client`` of a Dask arm,
    and ``on_worker_lost(worker, keys)`` hears of Dask workers that left under our batches.
    """
    if arm.kind == "sequential":
        return SequentialPool()
    if arm.kind == "threads":
        return ThreadPool(arm.n_workers, arm.inner_threads)
    if arm.kind == "loky":
        kwargs = {k: memmap_kwargs[k] for k in LOKY_KEYWORDS if k in memmap_kwargs}
        return LokyPool(
            arm.n_workers,
            arm.inner_threads,
            context_id,
            idle_worker_timeout=idle_worker_timeout,
            **kwargs,
        )
    nbytes = memmap_kwargs.get("max_nbytes")
    remote = DaskPool(
        client,
        arm.n_workers,
        arm.inner_threads,
        scatter_nbytes=costmodel.SCATTER_BYTES if nbytes is None else nbytes,
        on_worker_lost=on_worker_lost,
    )
    if not arm.local_workers:
        return remote
    local = open_pool(
        Arm("loky", arm.local_workers, arm.batch_size, 1),
        memmap_kwargs,
        context_id=context_id,
        idle_worker_timeout=idle_worker_timeout,
        client=None,
        on_worker_lost=on_worker_lost,
    )
    return MixedPool(local, remote)


def _ignore(_: object) -> None:
    pass


def _patient(saved: tuple[int, ...]) -> tuple[int, ...] | None:
    low = costmodel.SEQUENTIAL_GC_THRESHOLD
    return (low, *saved[1:]) if 0 < saved[0] < low else None


#: Raises the youngest generation's threshold while any in-process call runs (see
#: :data:`.costmodel.SEQUENTIAL_GC_THRESHOLD`).
_patient_gc: Override[tuple[int, ...]] = Override(
    gc.get_threshold, lambda thresholds: gc.set_threshold(*thresholds), _patient
)


class Runtime:
    """What a backend's arm runs on: its pool, the retry desk of the call in progress
    (for a pool that can lose workers) and the BLAS limit set for that call.

    The pool outlives a call (a ``Parallel`` used as a context manager makes several on
    it); the desk and the limit are the call's own (:meth:`start_call`, :meth:`end_call`).
    """

    def __init__(
        self,
        arm: Arm,
        memmap_kwargs: dict[str, Any],
        *,
        context_id: str,
        idle_worker_timeout: float,
        client: Any,
        max_retries: int,
        progress: Callable[[], tuple[int, int | None]],
        on_loss: Callable[[Loss], None],
    ) -> None:
        self.pool = open_pool(
            arm,
            memmap_kwargs,
            context_id=context_id,
            idle_worker_timeout=idle_worker_timeout,
            client=client,
            on_worker_lost=self.worker_removed,
        )
        self._max_retries, self._progress, self._on_loss = max_retries, progress, on_loss
        self._desk: RetryDesk | None = None
        self._limits: Any = None
        self._patient = False

    def start_call(self) -> None:
        """Open the call's retry desk, when the pool can lose workers; for an in-process
        call, let the garbage collector wait a little longer."""
        if isinstance(self.pool, SequentialPool) and not self._patient:
            self._patient = True
            _patient_gc.enter()
        if self.pool.may_lose_workers and self._desk is None:
            self._desk = RetryDesk(
                self.pool,
                max_retries=self._max_retries,
                progress=self._progress,
                on_loss=self._on_loss,
            )

    def submit(self, calls: BatchedCalls, callback: Callback | None) -> Future[Outcome]:
        """Run a batch on the arm (through the desk, which resends lost batches)."""
        if self._desk is not None:
            return self._desk.submit(calls, callback)
        fut: Future[Outcome] = self.pool.submit(calls, callback or _ignore)
        return fut

    def limit_blas(self) -> None:
        """Limit this process's BLAS to a thread arm's threads per worker, for the call."""
        if isinstance(self.pool, ThreadPool) and self._limits is None:
            self._limits = self.pool.limit_blas()

    def end_call(self) -> int:
        """Undo the call's BLAS limit, close its desk; return the batches it resent."""
        if self._limits is not None:
            self._limits.restore_original_limits()
            self._limits = None
        if self._patient:
            self._patient = False
            _patient_gc.leave()
        desk, self._desk = self._desk, None
        if desk is None:
            return 0
        desk.close()
        return desk.n_retried

    def abort(self, ensure_ready: bool) -> None:
        """Stop what runs; batches in flight are not resent."""
        if self._desk is not None:
            self._desk.abort()
        self.pool.abort(ensure_ready)

    def close(self) -> None:
        """End the call and release the pool."""
        self.end_call()
        self.pool.close()

    def worker_removed(self, worker: str, keys: set[str]) -> None:
        """Dask told us a worker left while running some of our batches."""
        desk = self._desk
        if desk is not None:
            desk.worker_removed(worker, keys)
