"""The policy that picks an arm for every ``Parallel`` call: pure, seeded, no I/O.

The backend measures, the policy decides: ``choose(context) -> Arm`` before a call and
``update(arm, context, reward)`` after it. This version is a fixed heuristic that keeps
the interface a learned bandit will fill later:

- ``n_jobs == 1``, or a nested call beyond the first level, or a nested call whose parent
  worker owns a single core: **sequential**, in the caller's thread;
- ``require="sharedmem"`` or ``prefer="threads"``: **threads**;
- a Dask cluster connected (and no shared memory required): **dask**;
- otherwise: **loky** processes.

BLAS/OpenMP threads per worker are ``max(1, cores // n_workers)`` so that workers times
inner threads never exceeds the cores; ``benchmarks/bench_backend.py`` times 50 SVDs of
300×300 serially and on 2 threads with and without that limit.
"""

from __future__ import annotations

import difflib
import threading
from collections import deque
from dataclasses import dataclass

from ..errors import GridError
from .arms import ARM_KINDS, Arm, Context

__all__ = ["HeuristicPolicy", "Outcome", "get_policy", "set_policy"]


@dataclass(frozen=True)
class Outcome:
    """One finished call as the policy remembers it."""

    arm: Arm
    context: Context
    reward: float


def _requested_workers(n_jobs: int, cores: int) -> int:
    """joblib's rule: negative ``n_jobs`` counts back from the cores (-1 means all)."""
    if n_jobs == 0:
        raise ValueError("n_jobs == 0 in Parallel has no meaning")
    if n_jobs < 0:
        return max(cores + 1 + n_jobs, 1)
    return n_jobs


def check_arm_kind(kind: str) -> str:
    """Return ``kind`` if it names an arm, else raise ``ValueError`` with a suggestion."""
    if kind in ARM_KINDS:
        return kind
    close = difflib.get_close_matches(str(kind), ARM_KINDS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"Unknown arm {kind!r}: expected one of {', '.join(ARM_KINDS)}.{hint}")


class HeuristicPolicy:
    """Deterministic rules for the arm; ``update`` only records outcomes.

    Parameters
    ----------
    seed : int
        Kept for the interface of learned policies; the heuristic draws no random numbers.
    history : int
        How many outcomes :meth:`update` keeps.
    """

    def __init__(self, seed: int = 0, history: int = 256) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self.outcomes: deque[Outcome] = deque(maxlen=history)

    def choose(self, context: Context) -> Arm:
        """Pick the arm for a call described by ``context``."""
        cores = max(1, context.cpu_count)
        wanted = _requested_workers(context.n_jobs, cores)
        sharedmem = context.require == "sharedmem"

        if context.forced is not None:
            return self._forced(context, wanted, cores)

        if context.nesting_level >= 2:
            return self._arm("sequential", 1, cores, context,
                             f"a call nested {context.nesting_level} levels deep runs in its "
                             "parent's worker")
        if context.nesting_level == 1:
            workers = min(wanted, cores)
            if workers <= 1:
                return self._arm("sequential", 1, cores, context,
                                 "a nested call inside a worker that owns one core runs in "
                                 "that worker")
            return self._arm("threads", workers, cores, context,
                             f"a nested call gets its parent worker's {cores} cores as threads")

        if context.n_tasks is not None and 0 < context.n_tasks < wanted:
            wanted = context.n_tasks
        if wanted <= 1:
            if context.has_timeout:
                return self._arm("threads", 1, cores, context,
                                 "one job asked for, on a thread so that timeout= can stop "
                                 "the wait")
            why = "n_jobs=1" if context.n_tasks is None or context.n_tasks > 1 else "one task"
            return self._arm("sequential", 1, cores, context, f"{why}: no parallelism to gain")
        if sharedmem:
            return self._arm("threads", wanted, cores, context,
                             "require='sharedmem' needs the caller's memory")
        if context.prefer == "threads":
            return self._arm("threads", wanted, cores, context, "prefer='threads' was given")
        if context.dask_cores > 0:
            workers = context.dask_cores if context.n_jobs < 0 else wanted
            return self._arm("dask", workers, cores, context,
                             f"a Dask cluster is connected ({context.dask_workers} workers, "
                             f"{context.dask_cores} threads)")
        hint = "prefer='processes' was given" if context.prefer == "processes" else (
            "no hint given")
        return self._arm("loky", wanted, cores, context, f"{hint} and no cluster connected")

    def _forced(self, context: Context, wanted: int, cores: int) -> Arm:
        kind = check_arm_kind(context.forced or "")
        reason = f"arm={kind!r} was forced"
        if context.require == "sharedmem" and kind in ("loky", "dask"):
            kind, reason = "threads", f"require='sharedmem' overrides arm={context.forced!r}"
        if kind == "sequential":
            return self._arm("sequential", 1, cores, context, reason)
        if kind == "dask":
            if context.dask_cores <= 0:
                raise GridError(
                    "arm='dask' was forced but no Dask cluster is connected. Connect one "
                    "first: aigc_magic.grid.connect('tls://host:8786', ...) or "
                    "%ask workers local 2")
            workers = context.dask_cores if context.n_jobs < 0 else wanted
            return self._arm("dask", workers, cores, context, reason)
        return self._arm(kind, max(wanted, 1), cores, context, reason)

    @staticmethod
    def _arm(kind: str, workers: int, cores: int, context: Context, why: str) -> Arm:
        if context.inner_max_num_threads is not None:
            inner = max(1, context.inner_max_num_threads)
        elif kind == "dask":
            inner = 1  # remote cores are unknown here; Dask's nanny also sets 1
        elif kind == "sequential":
            inner = cores
        else:
            inner = max(1, cores // workers)
        arm = Arm(kind=kind, n_workers=workers, batch_size=None, inner_threads=inner)
        batching = "joblib auto-batching"
        reason = f"{arm.label} ({batching}, {inner} BLAS thread{'s' if inner > 1 else ''} " \
                 f"each): {why}"
        return Arm(kind=kind, n_workers=workers, batch_size=None, inner_threads=inner,
                   reason=reason)

    def update(self, arm: Arm, context: Context, reward: float) -> None:
        """Record how a call went; ``reward`` is tasks per second (higher is better)."""
        with self._lock:
            self.outcomes.append(Outcome(arm, context, reward))


_policy: HeuristicPolicy = HeuristicPolicy()


def get_policy() -> HeuristicPolicy:
    """The policy the backend consults when none is given to it."""
    return _policy


def set_policy(policy: HeuristicPolicy) -> HeuristicPolicy:
    """Replace the process-wide policy; return the previous one."""
    global _policy
    previous, _policy = _policy, policy
    return previous
