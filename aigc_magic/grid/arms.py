"""The two small values the scheduler trades in: a :class:`Context` in, an :class:`Arm` out.

Both are frozen dataclasses with no behaviour beyond a label, so a learned policy can hash
them, log them and replay them. Nothing here imports anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    forced : str or None
        An arm kind forced with ``parallel_config(backend="aigc", arm=...)``.
    inner_max_num_threads : int or None
        BLAS/OpenMP threads per worker forced by the user, else None.
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
    forced: str | None = None
    inner_max_num_threads: int | None = None


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
        Tasks per batch, or None to let joblib's auto-batching size them.
    inner_threads : int
        BLAS/OpenMP threads each worker may use, so ``n_workers * inner_threads`` stays
        within the cores.
    reason : str
        One sentence saying why this arm was chosen; shown to the user.
    """

    kind: str
    n_workers: int
    batch_size: int | None = None
    inner_threads: int = 1
    reason: str = ""

    @property
    def label(self) -> str:
        """A short description such as ``"2 loky processes"``."""
        noun = {
            "sequential": "in-process worker",
            "threads": "thread",
            "loky": "loky process",
            "dask": "Dask thread",
        }[self.kind]
        plural = "es" if noun.endswith("s") else "s"
        return f"{self.n_workers} {noun}{plural if self.n_workers != 1 else ''}"
