"""Benchmarks for the ``"aigc"`` joblib backend; prints ratios measured in one run.

1. Progress-event overhead: 10,000 tiny tasks on the threads arm with ``batch_size=1``
   (one event per task, the worst case), with and without a subscriber, plus the cost of
   one ``publish`` and joblib's own threading backend as a reference.
2. BLAS oversubscription: 50 SVDs of 300×300 serially, on 2 threads with the BLAS
   library's default thread count (joblib's threading backend), and on the aigc threads
   arm, which limits BLAS to ``cores // workers`` threads (and on the loky arm, which
   limits it through the workers' environment).

Run: ``python benchmarks/bench_backend.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from joblib import Parallel, cpu_count, delayed, parallel_config
from threadpoolctl import threadpool_info

import aigc_magic  # noqa: F401  (registers backend "aigc")
from aigc_magic.grid import events


def tiny(i: int) -> int:
    return i + 1


def svd(a: np.ndarray) -> float:
    return float(np.linalg.svd(a, compute_uv=False)[0])


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def _parallel(n_tasks: int, backend: str, batch_size: Any = 1, **config: Any) -> Callable[[], Any]:
    def go() -> Any:
        with parallel_config(backend=backend, **config):
            return Parallel(n_jobs=2, batch_size=batch_size)(
                delayed(tiny)(i) for i in range(n_tasks)
            )

    return go


def _quiet_and_loud(fn: Callable[[], Any], repeat: int) -> tuple[list[float], list[float], int]:
    """Timings without and with a subscriber, interleaved so a busy neighbour hurts both."""
    counted = [0]

    def subscriber(event: Any) -> None:
        counted[0] += 1

    fn()  # warm up
    quiet, loud = [], []
    for _ in range(repeat):
        quiet.append(best_of(fn, 1)[0])
        unsubscribe = events.subscribe(subscriber)
        try:
            loud.append(best_of(fn, 1)[0])
        finally:
            unsubscribe()
    return quiet, loud, counted[0] // repeat


def bench_events(n_tasks: int, repeat: int) -> None:
    med = statistics.median
    print(f"== progress events: {n_tasks} tiny tasks, min/median of {repeat} interleaved runs")
    cases = [
        ("sequential arm, batch_size=1", _parallel(n_tasks, "aigc", arm="sequential")),
        ("threads arm, batch_size=1", _parallel(n_tasks, "aigc", arm="threads")),
        ("threads arm, auto batches", _parallel(n_tasks, "aigc", "auto", arm="threads")),
    ]
    for label, fn in cases:
        quiet, loud, n_events = _quiet_and_loud(fn, repeat)
        per_event = (min(loud) - min(quiet)) / max(n_events, 1)
        print(
            f"  {label:29s} no subscriber {min(quiet):6.3f}/{med(quiet):6.3f} s, "
            f"one {min(loud):6.3f}/{med(loud):6.3f} s, {n_events:5d} events, "
            f"{100 * (med(loud) / med(quiet) - 1):+5.1f} % (median), "
            f"{1e6 * per_event:+6.2f} µs/event (min)"
        )

    def one_event() -> None:
        events.publish(
            events.BatchDone(
                call_id=0, n_done=1, n_tasks=n_tasks, batch_size=1, worker="aigc_0", duration=0.0
            )
        )

    unsubscribe = events.subscribe(lambda e: None)
    try:
        per_event = best_of(lambda: [one_event() for _ in range(100_000)], 3)[0] / 100_000
    finally:
        unsubscribe()
    print(f"  building and publishing one event alone: {1e6 * per_event:.2f} µs")
    ref = [best_of(_parallel(n_tasks, "threading"), 1)[0] for _ in range(repeat)]
    print(f"  joblib 'threading', batch_size=1: {min(ref):6.3f}/{med(ref):6.3f} s (reference)")


def bench_svd(n: int, size: int, repeat: int) -> None:
    rng = np.random.default_rng(0)
    mats = [rng.standard_normal((size, size)) for _ in range(n)]
    blas = [
        (i["internal_api"], i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"
    ]

    def serial() -> Any:
        return [svd(a) for a in mats]

    def threads(backend: str, **config: Any) -> Callable[[], Any]:
        def go() -> Any:
            with parallel_config(backend=backend, **config):
                return Parallel(n_jobs=2)(delayed(svd)(a) for a in mats)

        return go

    serial()
    t_serial = best_of(serial, repeat)[0]
    t_over = best_of(threads("threading"), repeat)[0]
    t_aigc = best_of(threads("aigc", arm="threads"), repeat)[0]
    t_loky = best_of(threads("aigc", arm="loky"), repeat)[0]
    print(
        f"== BLAS oversubscription: {n} SVDs of {size}x{size}, {cpu_count()} cores, "
        f"BLAS {blas}, best of {repeat}"
    )
    print(f"  serial (default BLAS threads)          {t_serial:7.3f} s   1.00x")
    print(f"  2 threads, BLAS unlimited (joblib)     {t_over:7.3f} s   {t_serial / t_over:.2f}x")
    print(f"  2 threads, BLAS limited (aigc threads) {t_aigc:7.3f} s   {t_serial / t_aigc:.2f}x")
    print(
        f"  2 loky processes, BLAS limited (aigc)  {t_loky:7.3f} s   "
        f"{t_serial / t_loky:.2f}x  (includes pickling the matrices)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    print(f"python {os.sys.version.split()[0]}, {cpu_count()} cores")
    bench_events(10_000, repeat)
    bench_svd(50, 300, 3 if args.quick else 5)


if __name__ == "__main__":
    main()
