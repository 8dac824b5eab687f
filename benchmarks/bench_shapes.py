"""The scheduler on workload shapes drawn at random: nobody tuned it for these.

``--shapes N --seed S`` draws N workload shapes:

- per-task cost log-uniform from 100 ns to 1 s (pure Python spinning, plus a GIL-free share
  spent hashing a buffer, which releases the GIL);
- the number of tasks log-uniform from 1 to 10^6, cut so that the serial run stays under
  ``--cap`` seconds and the bytes moved under ~100 MB;
- the GIL-free share uniform in 0..1;
- bytes in and out each 0 or log-uniform from 1 kB to 10 MB (a numpy array argument, a
  returned array);
- skew none, or heavy-tailed (Pareto task costs, the mean kept);
- the tasks as a list or as a generator (joblib then does not know how many there are).

Each shape runs serially, with joblib's default (``Parallel(n_jobs=-1)``), on every fixed
arm the bandit may choose for it (the best is the *oracle*), and ``--submissions`` times on
``backend="aigc"`` from a fresh, seeded policy, the fixed arms interleaved with the aigc
submissions so that a neighbour's load hits both alike; the three best arms are timed
twice more. Printed: per shape the ratios to the oracle of aigc's first and last
submission and of joblib's default; over all shapes the share within 1.10× of the oracle
by the last submission, the worst ratio, the first-submission ratios and the geometric-mean
gain over joblib's default; with more than 3 submissions, the same over the median of the
3rd and later ones (the oracle is a median too). Results go to
``benchmarks/results/bench_shapes.json``.

Run: ``python benchmarks/bench_shapes.py --shapes 30 --seed 7 [--cap 0.5]``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, cpu_count, delayed, parallel_config

import aigc_magic  # noqa: F401  (registers backend "aigc")
from aigc_magic.grid.arms import Arm, Context
from aigc_magic.grid.backend import last_decision
from aigc_magic.grid.features import cpu_model
from aigc_magic.grid.scheduler import BanditPolicy, FixedPolicy

RESULTS = Path(__file__).with_name("results")
MOVED_BYTES_CAP = 100e6
#: Below this many bytes sha256 keeps the GIL (CPython's HASHLIB_GIL_MINSIZE is 2047).
GIL_FREE_HASH_MIN = 4096


@dataclass(frozen=True)
class Shape:
    """One workload shape, and the task parameters that realise it on this machine."""

    index: int
    item_seconds: float
    n_tasks: int
    gil_free: float
    bytes_in: int
    bytes_out: int
    skew: str  # "none" or "heavy"
    generator: bool

    def describe(self) -> str:
        kind = "gen" if self.generator else "list"
        return (
            f"{self.n_tasks}×{_seconds(self.item_seconds)} g={self.gil_free:.2f} "
            f"in={_bytes(self.bytes_in)} out={_bytes(self.bytes_out)} {self.skew} {kind}"
        )


@dataclass(frozen=True)
class Costs:
    """This machine's unit costs, measured once: they turn seconds into work."""

    spin_step: float  # seconds per step of the pure-Python loop
    hash_byte: float  # seconds per byte of sha256
    call: float  # seconds per task that joblib spends anyway (delayed, dispatch)


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def draw_shapes(n: int, seed: int, cap: float, call_seconds: float = 3e-6) -> list[Shape]:
    """``n`` shapes from ``seed``; each serial run is kept under ``cap`` seconds."""
    rng = random.Random(seed)
    shapes = []
    for i in range(n):
        t = log_uniform(rng, 1e-7, 1.0)
        n_tasks = int(log_uniform(rng, 1, 1e6 + 1))
        g = rng.random()
        b_in = 0 if rng.random() < 0.5 else int(log_uniform(rng, 1e3, 1e7))
        b_out = 0 if rng.random() < 0.5 else int(log_uniform(rng, 1e3, 1e7))
        skew = "heavy" if rng.random() < 0.5 else "none"
        generator = rng.random() < 0.5
        n_tasks = min(n_tasks, max(1, int(cap / (t + call_seconds))))
        if b_in + b_out:
            n_tasks = min(n_tasks, max(1, int(MOVED_BYTES_CAP / (b_in + b_out))))
        shapes.append(Shape(i, t, n_tasks, g, b_in, b_out, skew, generator))
    return shapes


def task_costs(shape: Shape, seed: int) -> list[float]:
    """Each task's seconds: all ``item_seconds``, or heavy-tailed around that mean."""
    if shape.skew == "none":
        return [shape.item_seconds] * shape.n_tasks
    rng = random.Random(seed * 1_000_003 + shape.index)
    raw = [min(rng.paretovariate(1.5), 50.0) for _ in range(shape.n_tasks)]
    scale = shape.item_seconds * len(raw) / sum(raw)
    return [r * scale for r in raw]


def spin(steps: int) -> int:
    s = 0
    for j in range(steps):
        s += j
    return s


def work(steps: int, hash_bytes: int, payload: Any, out_bytes: int) -> Any:
    """One task: ``steps`` of pure Python, sha256 over ``hash_bytes`` (GIL released),
    then ``out_bytes`` returned (or the hash's first byte).

    (The buffer is made here: a cache in a module global would travel with the function
    to every loky task, pickled by value, since this script is ``__main__``.)"""
    s = spin(steps)
    if hash_bytes:
        s += hashlib.sha256(np.zeros(hash_bytes, dtype=np.uint8)).digest()[0]
    if payload is not None:
        s += int(payload[0])
    if out_bytes:
        return np.full(out_bytes, s % 251, dtype=np.uint8)
    return s


def measure_costs() -> Costs:
    steps = 200_000
    spin(steps)
    t0 = time.perf_counter()
    spin(steps)
    step = (time.perf_counter() - t0) / steps
    buf = bytes(8_000_000)
    hashlib.sha256(buf)
    t0 = time.perf_counter()
    hashlib.sha256(buf)
    per_byte = (time.perf_counter() - t0) / len(buf)
    n = 20_000
    t0 = time.perf_counter()
    Parallel(n_jobs=1)(delayed(work)(0, 0, None, 0) for _ in range(n))
    return Costs(step, per_byte, (time.perf_counter() - t0) / n)


class Workload:
    """A shape made runnable: the same tasks, built fresh for every run."""

    def __init__(self, shape: Shape, costs: Costs, seed: int) -> None:
        self.shape = shape
        payloads: list[Any] = [None]
        if shape.bytes_in:
            payloads = [np.full(shape.bytes_in, k, dtype=np.uint8) for k in range(4)]
        self.args = []
        for k, t in enumerate(task_costs(shape, seed)):
            free = t * shape.gil_free
            hash_bytes = int(free / costs.hash_byte) if free > 0 else 0
            if hash_bytes < GIL_FREE_HASH_MIN:  # too little to release the GIL: spin it
                hash_bytes = 0
                free = 0.0
            steps = max(0, int((t - free - costs.call) / costs.spin_step))
            self.args.append((steps, hash_bytes, payloads[k % len(payloads)], shape.bytes_out))

    def calls(self) -> Iterable[Any]:
        gen = (delayed(work)(*a) for a in self.args)
        return gen if self.shape.generator else list(gen)

    def serial(self) -> None:
        for a in self.args:
            work(*a)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_shape(shape: Shape, costs: Costs, seed: int, submissions: int) -> dict[str, Any]:
    load = Workload(shape, costs, seed)
    joblib_default = lambda: Parallel(n_jobs=-1)(load.calls())  # noqa: E731
    joblib_default()  # loky's workers warm, as for every later run
    serial = timed(load.serial)
    scout = BanditPolicy(seed=seed + 999)
    with parallel_config(backend="aigc", policy=scout):
        Parallel(n_jobs=-1)(load.calls())
    context: Context | None = last_decision().get("context")
    arms: dict[str, Arm] = (
        {a.key: a for a in scout.candidates(context)}
        if context is not None and context.signature is not None
        else {}
    )
    sequential = Arm("sequential", 1, None, cpu_count())
    arms.setdefault(sequential.key, sequential)

    def fixed_run(key: str) -> float:
        with parallel_config(backend="aigc", policy=FixedPolicy(arms[key])):
            return timed(lambda: Parallel(n_jobs=-1)(load.calls()))

    sweep = [*arms, *["joblib"] * 2]
    random.Random(seed + shape.index).shuffle(sweep)
    chunks = [sweep[i::submissions] for i in range(submissions)]
    fixed: dict[str, list[float]] = {k: [] for k in arms}
    base: list[float] = []
    policy = BanditPolicy(seed=seed + shape.index)
    aigc: list[float] = []
    chosen: list[str] = []
    for chunk in chunks:
        for key in chunk:
            if key == "joblib":
                base.append(timed(joblib_default))
            else:
                fixed[key].append(fixed_run(key))
        with parallel_config(backend="aigc", policy=policy):
            aigc.append(timed(lambda: Parallel(n_jobs=-1)(load.calls())))
        arm = last_decision().get("arm")  # (a call handed back to joblib leaves no run)
        chosen.append(arm.key if arm is not None else "?")
    for key in sorted(fixed, key=lambda k: statistics.mean(fixed[k]))[:3]:
        fixed[key] += [fixed_run(key), fixed_run(key)]
    means = {k: statistics.median(v) for k, v in fixed.items()}
    oracle_key = min(means, key=means.__getitem__)
    oracle = means[oracle_key]
    joblib_s = statistics.mean(base)
    return {
        "shape": asdict(shape),
        "what": shape.describe(),
        "serial": serial,
        "joblib_default": joblib_s,
        "oracle": oracle,
        "oracle_arm": oracle_key,
        "fixed": means,
        "aigc": aigc,
        "arms": chosen,
        "first": aigc[0] / oracle,
        "last": aigc[-1] / oracle,
        # from the 3rd submission on, the median as for the oracle (one sample of a
        # sub-millisecond call on a shared machine varies by more than 10%)
        "settled": statistics.median(aigc[2:]) / oracle if len(aigc) > 2 else aigc[-1] / oracle,
        "joblib_ratio": joblib_s / oracle,
        "gain": joblib_s / aigc[-1],
    }


def summarize(results: list[dict[str, Any]]) -> dict[str, float]:
    """The headline figures over shapes (see the module docstring)."""
    last = [r["last"] for r in results]
    first = [r["first"] for r in results]
    settled = [r.get("settled", r["last"]) for r in results]
    return {
        "shapes": len(results),
        "settled_within_1.10": sum(x <= 1.10 for x in settled) / len(settled),
        "worst_settled": max(settled),
        "median_settled": statistics.median(settled),
        "share_within_1.10": sum(x <= 1.10 for x in last) / len(last),
        "worst_last": max(last),
        "median_last": statistics.median(last),
        "first_within_1.5": sum(x <= 1.5 for x in first) / len(first),
        "worst_first": max(first),
        "median_first": statistics.median(first),
        "geo_gain_over_joblib": math.exp(statistics.mean(math.log(r["gain"]) for r in results)),
        "geo_oracle_gain_over_joblib": math.exp(
            statistics.mean(math.log(r["joblib_ratio"]) for r in results)
        ),
    }


def _seconds(t: float) -> str:
    return f"{t * 1e6:.2g}µs" if t < 1e-3 else f"{t * 1e3:.3g}ms" if t < 1 else f"{t:.3g}s"


def _bytes(b: int) -> str:
    return "0" if not b else f"{b / 1e3:.0f}kB" if b < 1e6 else f"{b / 1e6:.1f}MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cap", type=float, default=0.5, help="serial seconds per shape")
    parser.add_argument("--submissions", type=int, default=3)
    parser.add_argument("--out", default=str(RESULTS / "bench_shapes.json"))
    args = parser.parse_args()
    load0 = os.getloadavg()
    print(
        f"{datetime.datetime.now().isoformat(timespec='seconds')}  {platform.node()}  "
        f"{cpu_count()} cores  {cpu_model()}  Python {platform.python_version()}  "
        f"load {load0[0]:.2f}  seed {args.seed}  cap {args.cap} s"
    )
    costs = measure_costs()
    print(
        f"unit costs: spin step {costs.spin_step * 1e9:.1f} ns, sha256 "
        f"{1 / costs.hash_byte / 1e9:.2f} GB/s, per task {costs.call * 1e6:.2f} µs"
    )
    shapes = draw_shapes(args.shapes, args.seed, args.cap, costs.call)
    results = []
    started = time.perf_counter()
    print(f"{'#':>3} {'shape':58s} {'oracle':>9s} {'1st':>6s} {'last':>6s} {'joblib':>7s}  arms")
    for shape in shapes:
        r = run_shape(shape, costs, args.seed, args.submissions)
        results.append(r)
        print(
            f"{shape.index:3d} {r['what']:58s} {_seconds(r['oracle']):>9s} {r['first']:5.2f}x "
            f"{r['last']:5.2f}x {r['joblib_ratio']:6.2f}x  {r['oracle_arm']} | "
            + " ".join(r["arms"]),
            flush=True,
        )
    summary = summarize(results)
    print(
        f"\n{summary['shapes']} shapes, seed {args.seed}: within 1.10× of the oracle by "
        f"submission {args.submissions}: {summary['share_within_1.10']:.0%}; worst "
        f"{summary['worst_last']:.2f}×, median {summary['median_last']:.2f}×; first "
        f"submission within 1.5×: {summary['first_within_1.5']:.0%}, worst "
        f"{summary['worst_first']:.2f}×, median {summary['median_first']:.2f}×; geometric-"
        f"mean gain over joblib's default {summary['geo_gain_over_joblib']:.2f}× (the "
        f"oracle's: {summary['geo_oracle_gain_over_joblib']:.2f}×)"
    )
    if args.submissions > 3:
        print(
            f"median of submissions 3–{args.submissions}: within 1.10× of the oracle "
            f"{summary['settled_within_1.10']:.0%}; worst {summary['worst_settled']:.2f}×, "
            f"median {summary['median_settled']:.2f}×"
        )
    load1 = os.getloadavg()
    print(
        f"load average {load0[0]:.2f} → {load1[0]:.2f}; took {time.perf_counter() - started:.0f} s"
    )
    out = Path(args.out)
    out.parent.mkdir(exist_ok=True)
    meta = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "cores": cpu_count(),
        "cpu": cpu_model(),
        "load": [load0[0], load1[0]],
        "seed": args.seed,
        "cap": args.cap,
        "costs": asdict(costs),
    }
    out.write_text(json.dumps({"meta": meta, "summary": summary, "results": results}, indent=1))


if __name__ == "__main__":
    main()
