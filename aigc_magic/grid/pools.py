"""Which pool runs an arm: :func:`open_pool`, the one place that maps arm kinds to pools."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .arms import Arm
from .daskpool import DaskPool
from .lokypool import LokyPool
from .workers import Pool, SequentialPool, ThreadPool

__all__ = ["LOKY_KEYWORDS", "open_pool"]

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
    return DaskPool(
        client,
        arm.n_workers,
        arm.inner_threads,
        scatter_nbytes=1e6 if nbytes is None else nbytes,
        on_worker_lost=on_worker_lost,
    )
