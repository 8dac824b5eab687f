"""The small values the scheduler trades in: a :class:`Context` in, an :class:`Arm` out.

:class:`Context` holds what the backend knows about a ``Parallel`` call: joblib's arguments
and hints, the machine and cluster, and the workload features that :mod:`.features`
measures at the first batch (per-item seconds, argument and result sizes, whether the work
releases the GIL). :class:`Arm` is the decision: backend kind × workers × batch size × BLAS
threads per worker. Both are frozen dataclasses, so the policy can hash, log and replay them;
an arm compares by its decision only (not its prose).

:class:`Reason` is the arm's one-sentence reason as a ``str`` (what progress events carry)
that also keeps the structured parts, so :class:`~.record.Schedule` can say it again in
another language. Nothing here imports anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    dask_busy : float
        Tasks already running or queued on the cluster per Dask thread.
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
    dask_busy: float = 0.0
    loky_warm: int | None = None
    user_batch_size: bool = False
    where: str = "local"


class Reason(str):
    """An arm's reason sentence that also carries its structured parts.

    It is a plain ``str`` to everything that only reads text (events, logs); the attributes
    let :meth:`~.record.Schedule.describe` rebuild the sentence in Chinese.

    Attributes
    ----------
    detail : str
        The arm in detail, e.g. ``"2 loky processes, batches of 250"``.
    why : str
        The English clause after ``": "``.
    facts : dict
        ``kind``, ``n_workers``, ``batch_size``, ``batching`` (its words in ``detail``,
        e.g. ``"batches of 250"``), ``item_seconds``, ``gil_free``, ``learned`` (runs of
        this workload seen), ``runner_up`` (kind) and ``slowdown`` (its predicted time over
        the chosen arm's), ``rule`` (a fixed rule decided) when known.
    """

    detail: str
    why: str
    facts: dict[str, Any]

    def __new__(cls, detail: str, why: str, facts: dict[str, Any] | None = None) -> Reason:
        self = super().__new__(cls, f"{detail}: {why}" if why else detail)
        self.detail, self.why, self.facts = detail, why, dict(facts or {})
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return Reason, (self.detail, self.why, self.facts)


_NOUNS = {"sequential": "in-process worker", "threads": "thread", "loky": "loky process",
          "dask": "Dask thread"}


def describe_workers(kind: str, n_workers: int) -> str:
    """``"2 loky processes"``, ``"1 thread"``: workers of ``kind`` in words."""
    noun = _NOUNS[kind]
    plural = "es" if noun.endswith("s") else "s"
    return f"{n_workers} {noun}{plural if n_workers != 1 else ''}"


@dataclass(frozen=True)
class Arm:
    """How one ``Parallel`` call runs.

    Arms compare and hash by the decision (``kind``, ``n_workers``, ``batch_size``,
    ``inner_threads``, ``batch_seconds``); the reason and the prediction ride along.

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
    reason : str
        One sentence saying why this arm was chosen; shown to the user.
    batch_seconds : float or None
        The target seconds per batch ``batch_size`` was derived from; the backend keeps
        later batches near it as it measures the tasks. None for auto-batching or a
        batch size that no timing chose.
    predicted : float or None
        The policy's predicted seconds for the call, when it made one.
    """

    kind: str
    n_workers: int
    batch_size: int | None = None
    inner_threads: int = 1
    reason: str = field(default="", compare=False)
    batch_seconds: float | None = None
    predicted: float | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """A short description such as ``"2 loky processes"``."""
        return describe_workers(self.kind, self.n_workers)

    @property
    def key(self) -> str:
        """A stable text key for the learned state, e.g. ``"loky/2/b0.1/i1"``."""
        batch = "auto" if self.batch_seconds is None and self.batch_size is None else (
            f"b{self.batch_seconds:g}" if self.batch_seconds is not None
            else f"n{self.batch_size}")
        return f"{self.kind}/{self.n_workers}/{batch}/i{self.inner_threads}"
