"""The cost model: the analytic seconds a ``Parallel`` call takes on an arm.

:func:`predict` is the bandit's prior (see :mod:`.bandit`): per-call, per-batch, per-task
and per-byte overheads of each kind, rounds of batch work over the workers, the GIL-held
share of the work on threads, a cold loky executor's start, the cluster's round trip. Its
constants were measured by ``benchmarks/bench_scheduler.py`` and
``benchmarks/bench_backend.py`` on a 2-core machine; the bandit's regression learns how
another machine differs. Pure arithmetic: no I/O, nothing heavy imported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .arms import ARM_KINDS, Arm, Context

__all__ = [
    "COSTS",
    "DEFAULT_ITEM_SECONDS",
    "DEFAULT_N",
    "FEATURES",
    "GIL_CONVOY",
    "LOKY_COLD",
    "SCATTER_BYTES",
    "SEQUENTIAL_BATCH_SECONDS",
    "SEQUENTIAL_GC_THRESHOLD",
    "SEQUENTIAL_MAX_BATCH",
    "Prediction",
    "dask_room",
    "dask_workers",
    "in_process_arm",
    "inner_threads",
    "predict",
    "requested_workers",
    "sequential_batch",
]

#: Per kind: seconds per call, per batch, per task on the caller's side, per byte moved.
#: (The per-task extra of threads and loky over in-process is what
#: benchmarks/bench_inprocess.py measures on sub-microsecond tasks: +0.5 and +1.0 µs on a
#: 2-core Xeon, +0.6 and +2.1 µs on a 2-core EPYC; the larger is kept, since pricing a
#: kind too low on tiny tasks makes the bandit explore it where it cannot win.)
COSTS: dict[str, tuple[float, float, float, float]] = {
    "sequential": (0.0003, 20e-6, 1.9e-6, 0.0),
    "threads": (0.011, 60e-6, 2.5e-6, 0.0),
    "loky": (0.011, 200e-6, 3.9e-6, 2e-9),
    "dask": (0.020, 5000e-6, 10e-6, 10e-9),
}
#: Arguments larger than this (bytes) are scattered to a Dask cluster once per call instead
#: of travelling inside every batch (as joblib's own dask backend does).
SCATTER_BYTES = 1e6
#: Seconds to start loky workers: a fixed part plus one per worker.
LOKY_COLD = (0.4, 0.15)
#: Extra time of GIL-bound threads fighting for the GIL, per unit of GIL-held work.
GIL_CONVOY = 0.15
#: When the per-item time is unknown: tasks this long are assumed.
DEFAULT_ITEM_SECONDS = 1e-3
DEFAULT_N = 100
#: The in-process arm's batches: about ``SEQUENTIAL_BATCH_SECONDS`` of work each and at
#: most ``SEQUENTIAL_MAX_BATCH`` tasks, so that a batch's task tuples die young: a bigger
#: batch keeps them alive into the garbage collector's older generations, which costs more
#: than the fewer batches save (found by running benchmarks/bench_inprocess.py).
SEQUENTIAL_BATCH_SECONDS = 0.01
SEQUENTIAL_MAX_BATCH = 512
#: While an in-process call runs, the garbage collector's youngest generation is collected
#: after this many allocations at the earliest (Python's default is 700): the tasks of the
#: batches joblib holds then die before a collection promotes them (found by running
#: benchmarks/bench_inprocess.py; restored when the call ends).
SEQUENTIAL_GC_THRESHOLD = 2000
#: The regression's inputs (see :meth:`Prediction.features`).
FEATURES = ("sequential", "threads", "loky", "dask", "batch", "call", "bytes", "gil")


@dataclass(frozen=True)
class Prediction:
    """The cost model's predicted seconds for one arm, and what they are made of."""

    seconds: float
    compute: float
    batches: float
    call: float
    moved: float
    n_batches: int

    def features(self, arm: Arm, gil_free: float) -> list[float]:
        """The regression's inputs for this arm: kind, overhead shares, GIL-bound threads."""
        total = max(self.seconds, 1e-9)
        onehot = [1.0 if arm.kind == k else 0.0 for k in ARM_KINDS]
        bound = 1.0 - gil_free if arm.kind == "threads" and arm.n_workers > 1 else 0.0
        return [*onehot, self.batches / total, self.call / total, self.moved / total, bound]


def requested_workers(n_jobs: int, cores: int) -> int:
    """joblib's rule: negative ``n_jobs`` counts back from the cores (-1 means all).

    >>> requested_workers(-1, 8), requested_workers(-2, 8), requested_workers(3, 8)
    (8, 7, 3)
    """
    if n_jobs == 0:
        raise ValueError("n_jobs == 0 in Parallel has no meaning")
    if n_jobs < 0:
        return max(cores + 1 + n_jobs, 1)
    return n_jobs


def predict(arm: Arm, x: Context) -> Prediction:
    """The analytic prior: seconds the call ``x`` takes on ``arm``.

    ``T = call + N·task + batches·per_batch + compute + bytes·per_byte`` where compute is
    ``ceil(batches / workers)`` rounds of one batch's work (so coarse batches leave workers
    idle at the end), threads are bounded by the GIL-held share of the work, starting loky
    workers costs ``LOKY_COLD`` unless a reusable executor is running (an arm's BLAS limit
    is set per batch, so it never restarts one), and the per-item time is one core's
    (BLAS threads per worker buy nothing in this model).
    """
    t = x.item_seconds if x.item_seconds is not None else DEFAULT_ITEM_SECONDS
    n = x.n_tasks if x.n_tasks is not None else DEFAULT_N
    g = x.gil_free if x.gil_free is not None else 0.0
    cores = max(1, x.cpu_count)
    here = arm.local_workers if arm.kind == "dask" else 0  # a Dask arm's loky helpers
    w = max(1, arm.n_workers) + here
    per_call, per_batch, per_task, per_byte = COSTS[arm.kind]
    tau = t  # one core's time (the probe limits BLAS to one thread): more buy nothing
    if arm.kind == "sequential":
        w = 1
    if arm.batch_size is not None:
        b = max(1, arm.batch_size)
        n_batches = math.ceil(n / b)
        ramp = 0
    else:  # joblib's auto-batching: doubles from 1 towards ~0.3 s batches
        b = int(min(max(1.0, 0.3 / max(tau, 1e-7)), max(1.0, n / (2 * w))))
        ramp = int(w * math.log2(b + 1))
        n_batches = math.ceil(n / b) + ramp
    busy = min(w, n_batches)
    rounds = math.ceil(n_batches / busy)
    compute = (
        rounds * min(b, n) * tau
        if arm.batch_size is not None or ramp == 0
        else n * tau / busy + b * tau * (1 - 1 / busy)
    )
    if arm.kind == "threads" and w > 1:
        compute = max(compute, n * tau * (1 - g)) * (1 + GIL_CONVOY * (1 - g))
    if arm.kind in ("loky", "threads") and w > cores:
        compute *= w / cores
    moved_per_task = x.arg_bytes + x.result_bytes
    moved_once = 0.0
    if arm.kind == "dask":
        room = (dask_room(x) or x.dask_cores) + here
        if w > room:  # batches beyond the free threads wait behind the work already there
            compute *= w / max(1, room)
        # two batches per worker in flight hide the round trip behind a batch's work, not
        # behind less: a round then takes at least half a round trip plus half the work
        compute = max(compute, (rounds * x.dask_rtt + compute) / 2)
        per_call += 3 * x.dask_rtt
        per_batch += x.dask_rtt / 2  # (the client's side of a batch waits on the loop too)
        if x.dask_bandwidth > 0:
            per_byte = 1.0 / x.dask_bandwidth
        if x.arg_bytes > SCATTER_BYTES:  # scattered once per call (shared arguments)
            moved_per_task, moved_once = x.result_bytes, x.arg_bytes
    call = per_call
    loky = w if arm.kind == "loky" else here
    if loky:  # no reusable executor: start one; more workers: grow it
        warm = x.loky_warm
        if warm is None:
            call += LOKY_COLD[0] + LOKY_COLD[1] * loky
        elif warm < loky:
            call += LOKY_COLD[1] * (loky - warm)
    moved = (n * moved_per_task + moved_once) * per_byte
    batches = n_batches * per_batch
    seconds = call + n * per_task + batches + compute + moved
    return Prediction(seconds, compute, batches, call, moved, n_batches)


def sequential_batch(item_seconds: float | None) -> int:
    """Tasks per batch on the in-process arm, for tasks of ``item_seconds``.

    >>> sequential_batch(1e-7), sequential_batch(1e-3), sequential_batch(1.0)
    (512, 10, 1)
    """
    t = item_seconds if item_seconds is not None else DEFAULT_ITEM_SECONDS
    return int(min(max(1, round(SEQUENTIAL_BATCH_SECONDS / max(t, 1e-9))), SEQUENTIAL_MAX_BATCH))


def in_process_arm(x: Context, item_seconds: float | None, most: int | None = None) -> Arm:
    """The one in-process arm for tasks of ``item_seconds``: batches sized by
    :func:`sequential_batch` (at most ``most`` tasks), every core's BLAS threads."""
    size = sequential_batch(item_seconds)
    return Arm(
        "sequential",
        1,
        size if most is None else min(size, most),
        inner_threads("sequential", 1, max(1, x.cpu_count), x),
        batch_seconds=SEQUENTIAL_BATCH_SECONDS,
    )


def dask_room(x: Context) -> int:
    """Dask threads free for the call: those the scheduler has not given other work, all
    of them when that was not measured (0 without a cluster).

    >>> dask_room(Context(dask_cores=8)), dask_room(Context(dask_cores=8, dask_free=3))
    (8, 3)
    """
    if x.dask_cores <= 0:
        return 0
    return x.dask_cores if x.dask_free is None else max(0, min(x.dask_free, x.dask_cores))


def dask_workers(x: Context, wanted: int) -> int:
    """Dask threads a call asks for: every free one with ``n_jobs < 0``, else ``wanted``
    at most (every thread, when none is free and the call must run there anyway)."""
    room = dask_room(x) or x.dask_cores
    return max(1, room if x.n_jobs < 0 else min(wanted, room))


def inner_threads(kind: str, workers: int, cores: int, x: Context) -> int:
    """BLAS/OpenMP threads per worker: the user's limit, else the cores shared out."""
    if x.inner_max_num_threads is not None:
        return max(1, x.inner_max_num_threads)
    if kind == "dask":
        return 1  # remote cores are unknown here; Dask's nanny also sets 1
    if kind == "sequential":
        return cores
    return max(1, cores // workers)
