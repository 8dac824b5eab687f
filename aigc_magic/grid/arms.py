"""The small values the scheduler trades in: a :class:`Context` in, an :class:`Arm` out.

:class:`Context` holds what the backend knows about a ``Parallel`` call: joblib's arguments
and hints, the machine and cluster, and the workload features that :mod:`.features`
measures at the first batch (per-item seconds, argument and result sizes, whether the work
releases the GIL). :class:`Arm` is the decision: backend kind × workers × batch size × BLAS
threads per worker. :class:`Decision` is what the policy returns: the arm and the facts
behind it (the fixed :class:`Rule` that decided, or the predicted seconds, the runner-up
and its ratio, what the probe saw, the runs learned from). All are frozen dataclasses, so
the policy can hash, log and replay them. They hold facts, never sentences:
:mod:`.explain` says them in English or Chinese. Nothing here imports anything heavy.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["ARM_KINDS", "Arm", "Context", "Decision", "Placement", "Probe", "Rule", "RunnerUp"]

#: The kinds of arm the backend can run, cheapest first.
ARM_KINDS: tuple[str, ...] = ("sequential", "threads", "loky", "dask")


@dataclass(frozen=True)
class Context:
    """What the backend knows about a ``Parallel`` call when it must pick an arm.

    Attributes
    ----------
    n_jobs : int
        ``n_jobs`` as the caller asked for it (negative counts back from the cores).
    prefer, require : str or None
        joblib's hints, ``prefer`` in {"threads", "processes"}, ``require`` in {"sharedmem"}.
    n_tasks : int or None
        Number of tasks when the input has a length, else None.
    cpu_count : int
        Cores this call may use: the machine's at the top level, the parent worker's share
        in a nested call.
    dask_workers, dask_cores : int
        Workers and threads of the connected Dask cluster, 0 when none is connected.
    nesting_level : int
        0 for a call made by the user, 1 for a call made inside a task, and so on.
    has_timeout : bool
        Whether ``Parallel(timeout=...)`` was given.
    unordered : bool
        Whether the caller asked for results as they finish
        (``return_as="generator_unordered"``).
    forced : str or None
        An arm kind forced with ``parallel_config(backend="aigc", arm=...)``.
    inner_max_num_threads : int or None
        BLAS/OpenMP threads per worker forced by the user, else None.
    signature : str or None
        The workload's signature (function, argument shapes): what learning is keyed by.
        None before the first batch is seen; the policy then answers from the hints alone.
    item_seconds : float or None
        Seconds one task takes in one thread (probed or remembered), None when unknown.
    arg_bytes, result_bytes : float
        Estimated pickled size of one task's arguments and of its result.
    gil_free : float or None
        Fraction of a task's time spent with the GIL released (numpy/BLAS), None if unknown.
    load : float
        The machine's 1-minute load average when the call started.
    dask_rtt : float
        Seconds of one round trip to the Dask scheduler (0 without a cluster).
    dask_free : int or None
        Dask threads not occupied by tasks the scheduler has already assigned (other
        people's work, or this kernel's other calls); None when not measured (all free).
    dask_bandwidth : float
        Measured bytes per second to the cluster's scheduler, 0 when not measured.
    dask_only : bool
        The user connected the cluster with ``only=True``: every call runs there.
    loky_warm : int or None
        Workers of the live reusable loky executor when a loky arm can reuse it without a
        restart, None when there is none or it was started with another environment.
    user_batch_size : bool
        Whether the caller fixed ``batch_size`` (the arm's batch size is then not used).
    where : str
        Fingerprint of the machine or cluster the work runs on (keys the learned state).
    """

    n_jobs: int = 1
    prefer: str | None = None
    require: str | None = None
    n_tasks: int | None = None
    placement: Placement | None = None
    cpu_count: int = 1
    dask_workers: int = 0
    dask_cores: int = 0
    nesting_level: int = 0
    has_timeout: bool = False
    unordered: bool = False
    forced: str | None = None
    inner_max_num_threads: int | None = None
    signature: str | None = None
    item_seconds: float | None = None
    arg_bytes: float = 0.0
    result_bytes: float = 0.0
    gil_free: float | None = None
    load: float = 0.0
    dask_rtt: float = 0.0
    dask_free: int | None = None
    dask_bandwidth: float = 0.0
    dask_only: bool = False
    loky_warm: int | None = None
    user_batch_size: bool = False
    where: str = "local"


@dataclass(frozen=True)
class Arm:
    """How one ``Parallel`` call runs.


    Attributes
    ----------
    kind : str
        One of :data:`ARM_KINDS`.
    n_workers : int
        Worker threads, processes or Dask threads the call may keep busy.
    batch_size : int or None
        Tasks per batch at the start of the call, or None to let joblib's auto-batching
        size them.
    inner_threads : int
        BLAS/OpenMP threads each worker may use, so ``n_workers * inner_threads`` stays
        within the cores.
    batch_seconds : float or None
        The target seconds per batch ``batch_size`` was derived from; the backend keeps
        later batches near it as it measures the tasks. None for auto-batching or a
        batch size that no timing chose.
    local_workers : int
        For a Dask arm: loky processes of this machine that take batches too (0: the
        cluster alone).
    """

    kind: str
    n_workers: int
    batch_size: int | None = None
    inner_threads: int = 1
    batch_seconds: float | None = None
    local_workers: int = 0

    @property
    def key(self) -> str:
        """A stable text key for the learned state, e.g. ``"loky/2/b0.1/i1"``."""
        batch = (
            "auto"
            if self.batch_seconds is None and self.batch_size is None
            else (
                f"b{self.batch_seconds:g}"
                if self.batch_seconds is not None
                else f"n{self.batch_size}"
            )
        )
        here = f"+{self.local_workers}" if self.local_workers else ""
        return f"{self.kind}/{self.n_workers}{here}/{batch}/i{self.inner_threads}"

    @classmethod
    def from_key(cls, key: str) -> Arm:
        """The arm whose :attr:`key` is ``key`` (the inverse of :attr:`key`).

        >>> arm = Arm("loky", 2, 40, 1, batch_seconds=0.1)
        >>> arm.key
        'loky/2/b0.1/i1'
        >>> Arm.from_key(arm.key) == Arm("loky", 2, None, 1, batch_seconds=0.1)
        True
        >>> Arm("dask", 8, None, 1, local_workers=2).key
        'dask/8+2/auto/i1'
        >>> Arm.from_key("dask/8+2/auto/i1").local_workers
        2

        (The batch size a target of seconds gave is not in the key: it is derived again
        from the workload's per-task time.)
        """
        kind, workers, batch, inner = key.split("/")
        seconds = float(batch[1:]) if batch.startswith("b") else None
        size = int(batch[1:]) if batch.startswith("n") else None
        there, _, here = workers.partition("+")
        return cls(
            kind,
            int(there),
            size,
            int(inner[1:]),
            batch_seconds=seconds,
            local_workers=int(here or 0),
        )


class Rule(enum.Enum):
    """The fixed rules that decide a call without the bandit (see :mod:`.rules`)."""

    FORCED = "forced"  #: ``parallel_config(backend="aigc", arm=...)``
    SHAREDMEM = "sharedmem"  #: ``require="sharedmem"`` overrides a forced process arm
    NESTED_DEEP = "nested-deep"  #: two or more levels deep: in the parent's worker
    NESTED_ONE_CORE = "nested-one-core"  #: nested in a worker that owns one core
    NESTED_THREADS = "nested-threads"  #: nested: the parent worker's cores as threads
    TIMEOUT_ONE_JOB = "timeout-one-job"  #: ``n_jobs=1`` with ``timeout=``: one thread
    ONE_JOB = "one-job"  #: ``n_jobs=1``
    ONE_TASK = "one-task"  #: a single task
    SMALL = "small"  #: the whole call is shorter than any parallel arm's start-up
    MEASURED = "measured"  #: the whole call ran in-process while it was measured
    PROVISIONAL = "provisional"  #: before the first batch is measured
    FIXED = "fixed"  #: a :class:`~.scheduler.FixedPolicy` was given


@dataclass(frozen=True)
class RunnerUp:
    """The best arm not chosen, and its predicted seconds over the chosen arm's."""

    arm: Arm
    ratio: float


@dataclass(frozen=True)
class Probe:
    """What the first batch showed of the workload (or what was remembered of it)."""

    item_seconds: float
    gil_free: float | None = None


@dataclass(frozen=True)
class Placement:
    """Where a call runs when a connected cluster competes with this machine, and why.

    ``ratio`` is the best arm of the other side (the cluster for a call kept here, this
    machine for one sent there) over the chosen one, in predicted seconds; ``inf`` when the
    other side had no arm (every cluster thread busy).
    """

    remote: bool  #: sent to the cluster
    ratio: float
    local_cores: int
    cluster_cores: int
    free_cores: int  #: cluster threads not busy with work already there
    rtt: float  #: seconds of one round trip to the cluster


@dataclass(frozen=True)
class Decision:
    """What the policy decided for one call, and the facts behind it.

    Attributes
    ----------
    arm : Arm
        How the call runs.
    rule : Rule or None
        The fixed rule that decided, or None when the bandit did.
    predicted : float or None
        The policy's predicted seconds for the call (posterior mean), when it made one.
    runner_up : RunnerUp or None
        The best arm of another kind (or the best twin), with its predicted slowdown.
    probe : Probe or None
        Per-task seconds and GIL-free share, when known.
    learned : int
        Earlier runs of this workload the policy learned from.
    explore : bool
        True when the sampled arm is not the one with the best posterior mean.
    forced : str or None
        The arm kind the user forced (for :attr:`Rule.FORCED` and :attr:`Rule.SHAREDMEM`).
    nesting_level : int
        How deep the call is nested (for the nested rules).
    cores : int
        The cores the call may use (for :attr:`Rule.NESTED_THREADS`).
    n_tasks : int or None
        The tasks the prediction counted on (None: unknown, a generator seen first).
    placement : Placement or None
        With a cluster connected beside this machine: which side won and by how much.
    """

    arm: Arm
    rule: Rule | None = None
    predicted: float | None = None
    runner_up: RunnerUp | None = None
    probe: Probe | None = None
    learned: int = 0
    explore: bool = False
    forced: str | None = None
    nesting_level: int = 0
    cores: int = 0
    n_tasks: int | None = None
    placement: Placement | None = None
