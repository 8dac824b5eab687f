"""The learned scheduler against every fixed arm and joblib's default, on six workloads.

For each workload family the same ``Parallel(n_jobs=-1)`` call is timed

- serially (a plain list comprehension),
- with joblib's default (``Parallel(n_jobs=-1)``: loky, auto-batching),
- on every arm the bandit may choose for it, each forced (the best one is the *oracle*),
- ``--repeats`` times on ``backend="aigc"`` with a fresh, seeded policy (no saved state),

and the script prints, per family, aigc/oracle over the last 3 submissions, aigc/joblib
default over the same, and the cumulative regret (seconds lost against the oracle, also as
a number of oracle runs). The fixed arms (two runs each) and joblib's default (six: it is
the denominator of the headline ratio) are interleaved with the aigc submissions, and the
oracle arm runs three more times after the last submission: on a machine shared with other
people a neighbour's load drifts, and this way it drifts over both sides alike. "paired" is
aigc's last three over those three oracle runs. It also prints the median decision overhead
(signature, probe bookkeeping and the policy's choice; the probed task's own run excluded)
and writes
``benchmarks/results/bench_scheduler.{json,png}`` (the regret curves).

Run: ``python benchmarks/bench_scheduler.py [--quick] [--repeats R] [--families a,b]``.
The full run takes about 4 minutes on 2 cores; ``--quick`` shrinks every workload ~4×.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, cpu_count, delayed, parallel_config

import aigc_magic  # noqa: F401  (registers backend "aigc")
from aigc_magic.grid import explain
from aigc_magic.grid.arms import Context
from aigc_magic.grid.backend import last_decision, last_run
from aigc_magic.grid.features import cpu_model
from aigc_magic.grid.scheduler import BanditPolicy, FixedPolicy

RESULTS = Path(__file__).with_name("results")
JOBLIB = "joblib-default"


def spin(n: int) -> int:
    """Pure Python work: about 0.03 µs per step here."""
    s = 0
    for j in range(n):
        s += j
    return s


def svd(seed: int) -> float:
    a = np.random.default_rng(seed).random((200, 200))
    return float(np.linalg.svd(a, compute_uv=False)[0])


def scale_big(a: np.ndarray) -> np.ndarray:
    return np.sqrt(a * 2.0 + 1.0)


def skewed(heavy: bool, light: int) -> int:
    return spin(light * 40 if heavy else light)


@dataclass
class Family:
    name: str
    what: str
    make: Callable[[], list[Any]]  # the delayed calls, built fresh for every run
    serial: Callable[[], Any]


def families(quick: bool) -> list[Family]:
    k = 4 if quick else 1
    steps_10us = 300
    tiny_n = 100_000 // k
    med_n, med_steps = 160 // k, 300_000
    coarse_n, coarse_steps = max(4, 8 // k), 15_000_000
    blas_n = 300 // k
    big_n = 160 // k  # ~0.1 s on the best arm: long enough that timer noise stays small
    big = [np.random.default_rng(i).random(375_000) for i in range(big_n)]  # 3 MB each
    sk_n = 320 // k
    sk_heavy = max(2, sk_n // 40)

    def sk_args() -> list[tuple[bool, int]]:  # the heavy items come last
        return [(i >= sk_n - sk_heavy, 60_000) for i in range(sk_n)]

    return [
        Family(
            "tiny",
            f"{tiny_n} items of ~10 µs pure Python",
            lambda: [delayed(spin)(steps_10us) for _ in range(tiny_n)],
            lambda: [spin(steps_10us) for _ in range(tiny_n)],
        ),
        Family(
            "medium",
            f"{med_n} items of ~10 ms pure Python",
            lambda: [delayed(spin)(med_steps) for _ in range(med_n)],
            lambda: [spin(med_steps) for _ in range(med_n)],
        ),
        Family(
            "coarse",
            f"{coarse_n} items of ~0.5 s pure Python",
            lambda: [delayed(spin)(coarse_steps) for _ in range(coarse_n)],
            lambda: [spin(coarse_steps) for _ in range(coarse_n)],
        ),
        Family(
            "blas",
            f"{blas_n} SVDs of 200×200 (numpy/BLAS, GIL released)",
            lambda: [delayed(svd)(i) for i in range(blas_n)],
            lambda: [svd(i) for i in range(blas_n)],
        ),
        Family(
            "large-io",
            f"{big_n} items taking and returning 3 MB arrays",
            lambda: [delayed(scale_big)(a) for a in big],
            lambda: [scale_big(a) for a in big],
        ),
        Family(
            "skewed",
            f"{sk_n} items of ~2 ms, the last {sk_heavy} 40× longer",
            lambda: [delayed(skewed)(*a) for a in sk_args()],
            lambda: [skewed(*a) for a in sk_args()],
        ),
    ]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_family(fam: Family, repeats: int, seed: int) -> dict[str, Any]:
    joblib_default = lambda: Parallel(n_jobs=-1)(fam.make())  # noqa: E731
    joblib_default()  # start loky's workers: every later run finds them warm
    serial = timed(fam.serial)

    # the arms the bandit may choose here, from a throwaway policy's measured context
    scout = BanditPolicy(seed=seed + 999)
    with parallel_config(backend="aigc", policy=scout):
        Parallel(n_jobs=-1)(fam.make())
    context: Context = last_decision()["context"]
    arms = {arm.key: arm for arm in scout.candidates(context)}

    def fixed_run(key: str) -> float:
        with parallel_config(backend="aigc", policy=FixedPolicy(arms[key])):
            return timed(lambda: Parallel(n_jobs=-1)(fam.make()))

    # every fixed arm twice and joblib's default six times, interleaved with the aigc
    # submissions so that a neighbour's load drifting during the run hits both alike
    sweep = [k for k in arms for _ in range(2)] + [JOBLIB] * 6
    random.Random(seed).shuffle(sweep)
    chunks = [sweep[i::repeats] for i in range(repeats)]
    fixed_times: dict[str, list[float]] = {k: [] for k in arms}
    base_times: list[float] = []
    policy = BanditPolicy(seed=seed)  # a fresh state for every family
    runs, overheads = [], []
    for chunk in chunks:
        for key in chunk:
            if key == JOBLIB:
                base_times.append(timed(joblib_default))
            else:
                fixed_times[key].append(fixed_run(key))
        with parallel_config(backend="aigc", policy=policy):
            took = timed(lambda: Parallel(n_jobs=-1)(fam.make()))
        decision = last_decision()
        overheads.append(decision.get("overhead", math.nan))
        runs.append(
            {
                "seconds": took,
                "arm": decision["arm"].key,
                "reason": explain.reason(last_run().decision),
            }
        )
    base = statistics.mean(base_times)
    fixed = {k: statistics.mean(v) for k, v in fixed_times.items()}
    oracle_key = min(fixed, key=fixed.__getitem__)
    # the last three submissions again, each paired with a run of the oracle arm right
    # after it: the ratio over the last three compares runs made under the same load
    paired = [fixed_run(oracle_key) for _ in range(3)]
    fixed_times[oracle_key].extend(paired)
    oracle = statistics.mean(fixed_times[oracle_key])
    times = [r["seconds"] for r in runs]
    last3 = statistics.mean(times[-3:])
    last3_paired = last3 / statistics.mean(paired)
    regret = np.cumsum([t - oracle for t in times]).tolist()
    return {
        "family": fam.name,
        "what": fam.what,
        "serial": serial,
        "joblib_default": base,
        "oracle": oracle,
        "oracle_arm": oracle_key,
        "fixed": fixed,
        "runs": runs,
        "ratio_oracle_last3": last3 / oracle,
        "ratio_oracle_paired": last3_paired,
        "ratio_joblib_last3": last3 / base,
        "ratio_oracle_each": [t / oracle for t in times],
        "cumulative_regret": regret,
        "overheads": overheads,
    }


def plot(results: list[dict[str, Any]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install matplotlib)")
        return False
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for r in results:
        curve = [c / r["oracle"] for c in r["cumulative_regret"]]
        ax.plot(range(1, len(curve) + 1), curve, marker="o", label=r["family"])
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xlabel("submission")
    ax.set_ylabel("cumulative regret (oracle runs lost)")
    ax.set_title("aigc scheduler from a fresh state vs the best fixed arm")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller workloads")
    parser.add_argument("--repeats", type=int, default=8, help="aigc submissions per family")
    parser.add_argument("--families", default="", help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("AIGC_MAGIC_STATE_DIR", str(RESULTS / "state"))
    load0 = os.getloadavg()
    print(
        f"{datetime.datetime.now().isoformat(timespec='seconds')}  {platform.node()}  "
        f"{cpu_count()} cores  {cpu_model()}  Python {platform.python_version()}  "
        f"load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}"
    )
    chosen = [
        f for f in families(args.quick) if not args.families or f.name in args.families.split(",")
    ]
    results = []
    started = time.perf_counter()
    for fam in chosen:
        r = run_family(fam, args.repeats, args.seed)
        results.append(r)
        print(
            f"  {fam.name:8s} serial {r['serial']:.2f}s  joblib {r['joblib_default']:.2f}s  "
            f"oracle {r['oracle']:.2f}s ({r['oracle_arm']})  aigc "
            + " ".join(f"{x['seconds']:.2f}" for x in r["runs"]),
            flush=True,
        )
    load1 = os.getloadavg()
    over = [o for r in results for o in r["overheads"] if not math.isnan(o)]
    print(
        "\nfamily    aigc/oracle last3 (paired)  aigc/joblib-default  oracle/joblib-default"
        "  cum. regret: s, oracle runs   aigc arm (last)"
    )
    for r in results:
        last = r["cumulative_regret"][-1]
        print(
            f"{r['family']:9s} {r['ratio_oracle_last3']:10.2f}x ({r['ratio_oracle_paired']:.2f}x)"
            f" {r['ratio_joblib_last3']:19.2f}x {r['oracle'] / r['joblib_default']:21.2f}x"
            f"  {last:12.2f} s {last / r['oracle']:6.1f}   {r['runs'][-1]['arm']}"
        )
    geo = math.exp(statistics.mean(math.log(r["ratio_joblib_last3"]) for r in results))
    bound = math.exp(statistics.mean(math.log(r["oracle"] / r["joblib_default"]) for r in results))
    print(
        f"\ngeometric mean aigc/joblib-default: {geo:.2f}x ({1 / geo:.2f}x faster); "
        f"oracle/joblib-default: {bound:.2f}x ({1 / bound:.2f}x faster, the most that "
        "picking one of these arms per family can gain here)"
    )
    print(
        f"decision overhead: median {statistics.median(over) * 1e3:.2f} ms, "
        f"max {max(over) * 1e3:.2f} ms over {len(over)} decisions"
    )
    print(
        f"load average {load0[0]:.2f} → {load1[0]:.2f}; took {time.perf_counter() - started:.0f} s"
    )
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "cores": cpu_count(),
        "cpu": cpu_model(),
        "load": [load0[0], load1[0]],
        "quick": args.quick,
        "repeats": args.repeats,
        "geo_ratio_joblib": geo,
        "geo_ratio_oracle_joblib": bound,
        "overhead_median": statistics.median(over),
    }
    (RESULTS / "bench_scheduler.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=1, default=str)
    )
    if plot(results, RESULTS / "bench_scheduler.png"):
        print(f"wrote {RESULTS / 'bench_scheduler.png'}")


if __name__ == "__main__":
    main()
