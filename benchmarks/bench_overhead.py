"""The fixed cost of a small call: backend "aigc" against "sequential" and joblib's default.

For 10, 100 and 1000 tasks of a trivial function, each backend runs the same call 3 times
(warm-up: the aigc scheduler has then seen the workload), then ``--calls`` times, timed one
call at a time and interleaved across backends; the median per-call time and the ratio to
``backend="sequential"`` are printed. The goal for a call of at most 100 tasks of at most
1 µs (issue 16): aigc ≤ 1.2 × sequential + 50 µs.

Run: ``python benchmarks/bench_overhead.py [--calls N] [--sizes 10 100 1000]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from joblib import Parallel, delayed

import aigc_magic  # noqa: F401  (registers backend "aigc")

BACKENDS: dict[str, dict[str, object]] = {
    "sequential": {"backend": "sequential"},
    "aigc": {"backend": "aigc", "n_jobs": -1},
    "default": {"n_jobs": -1},  # joblib's loky
}


def trivial(i: int) -> int:
    return i + 1


def make_call(n: int, options: dict[str, object]) -> Callable[[], object]:
    def call() -> object:
        return Parallel(**options)(delayed(trivial)(i) for i in range(n))  # type: ignore[arg-type]

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    print(f"{'tasks':>6} {'sequential':>12} {'aigc':>12} {'default':>12} {'aigc/seq':>9} goal")
    for n in args.sizes:
        calls = {name: make_call(n, options) for name, options in BACKENDS.items()}
        for call in calls.values():
            for _ in range(3):
                call()
        times: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(args.calls):
            for name, call in calls.items():
                start = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - start)
        med = {name: statistics.median(t) for name, t in times.items()}
        goal = 1.2 * med["sequential"] + 50e-6
        ok = "met" if med["aigc"] <= goal else "missed"
        print(
            f"{n:>6} {med['sequential'] * 1e6:>10.0f}µs {med['aigc'] * 1e6:>10.0f}µs "
            f"{med['default'] * 1e6:>10.0f}µs {med['aigc'] / med['sequential']:>8.2f}× {ok}"
        )


if __name__ == "__main__":
    main()
