"""In-process at in-process speed: the aigc backend against ``backend="sequential"``.

1. 10^5 tasks of one multiply each (sub-microsecond), timed in one run, interleaved:
   joblib's ``backend="sequential"``, ``backend="aigc"`` from a fresh policy (every
   submission), and the aigc in-process arm with the batch cap at 50 … 20,000 tasks (the
   call measured and decided at its first batches, as the bandit's calls are). The ratio
   to ``backend="sequential"`` is the figure: the goal is at most 1.10×. The batch sweep is
   the evidence for ``costmodel.SEQUENTIAL_MAX_BATCH``: bigger batches keep their tasks
   alive into the garbage collector's older generations; "gc 700" is the cap of 512 with
   Python's default collection threshold instead of ``SEQUENTIAL_GC_THRESHOLD``.
2. The per-task cost of each kind on the same tasks (seconds per task over the
   sequential backend's), the evidence for ``costmodel.COSTS``' per-task column.

Run: ``python benchmarks/bench_inprocess.py [--repeats R] [--n N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

from joblib import Parallel, cpu_count, delayed, parallel_config

import aigc_magic  # noqa: F401  (registers backend "aigc")
from aigc_magic.grid import costmodel
from aigc_magic.grid.arms import Arm, Context
from aigc_magic.grid.backend import last_decision
from aigc_magic.grid.scheduler import BanditPolicy, FixedPolicy


def mul(i: int) -> int:
    return i * 3


class MeasuredFixed(FixedPolicy):
    """A fixed arm chosen the way the bandit's are: after the first batches are measured."""

    def needs_features(self, context: Context) -> bool:
        return True


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    n, cores = args.n, cpu_count()

    def call() -> None:
        Parallel(n_jobs=-1)(delayed(mul)(i) for i in range(n))

    def sequential() -> None:
        Parallel(n_jobs=-1, backend="sequential")(delayed(mul)(i) for i in range(n))

    caps = [50, 200, 512, 2000, 20000]
    kinds = {
        "threads": Arm("threads", cores, 2000, 1),
        "loky": Arm("loky", cores, 2000, 1),
    }
    times: dict[str, list[float]] = {"sequential": [], "aigc": []}
    times.update({f"cap {c}": [] for c in caps})
    times["cap 512, gc 700"] = []
    times.update({k: [] for k in kinds})
    policy = BanditPolicy(seed=0)
    arms = []
    call()  # loky's workers started once, for the loky arm
    for _ in range(args.repeats):
        times["sequential"].append(timed(sequential))
        with parallel_config(backend="aigc", policy=policy):
            times["aigc"].append(timed(call))
        arm = last_decision().get("arm")  # (a call handed back to joblib leaves no run)
        arms.append(arm.key if arm is not None else "?")
        for c in caps:
            arm = Arm("sequential", 1, c, cores, batch_seconds=1.0)
            with (
                mock.patch.object(costmodel, "SEQUENTIAL_MAX_BATCH", c),
                parallel_config(backend="aigc", policy=MeasuredFixed(arm)),
            ):
                times[f"cap {c}"].append(timed(call))
        arm = Arm("sequential", 1, 512, cores, batch_seconds=1.0)
        with (
            mock.patch.object(costmodel, "SEQUENTIAL_GC_THRESHOLD", 0),
            parallel_config(backend="aigc", policy=MeasuredFixed(arm)),
        ):
            times["cap 512, gc 700"].append(timed(call))
        for k, arm in kinds.items():
            with parallel_config(backend="aigc", policy=FixedPolicy(arm)):
                times[k].append(timed(call))
    base = statistics.median(times["sequential"])
    print(f"{n} tasks of one multiply, {cores} cores, median of {args.repeats} (interleaved)")
    for k, v in times.items():
        med = statistics.median(v)
        extra = (med - base) / n * 1e6
        print(f"  {k:16s} {med * 1e3:8.1f} ms  {med / base:5.2f}x  {extra:+6.2f} µs/task")
    aigc = times["aigc"]
    print(
        "aigc per submission: "
        + " ".join(f"{t / base:.2f}x" for t in aigc)
        + f"\n  arms: {' '.join(arms)}"
    )


if __name__ == "__main__":
    main()
