"""The bandit alone, on simulated workloads where the cost model is wrong: no machine noise.

Each of ``--shapes`` random workloads (per-task time log-uniform from 100 ns to 1 s, tasks
log-uniform from 2 to 10^6 under 2 s of serial work, GIL-free share uniform) gets a
synthetic truth: every candidate arm's predicted seconds, bent by a random factor per kind
(log-normal, ``--bias`` standard deviation) and per arm (0.15), and each run's time noisy
by 0.1 (log). A fresh seeded policy runs it ``--rounds`` times. Printed: the share of
shapes within 1.10× of the best arm at the third call, the median and worst ratio there,
the share of shapes with any call above 1.5× the best from the third on, and the first
call's ratios. This is how ``bandit.SAFE_FACTOR`` and :func:`bandit.safe_window` were
chosen; the real timings are ``bench_shapes.py``'s.

Run: ``python benchmarks/bench_policy_sim.py [--shapes 300] [--seed 0] [--bias 0.4]``.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics

from aigc_magic.grid.arms import Context
from aigc_magic.grid.bandit import BanditPolicy
from aigc_magic.grid.costmodel import predict


def simulate(shapes: int, seed: int, bias_sd: float, rounds: int) -> dict[str, float]:
    rng = random.Random(seed)
    first, third, worst = [], [], []
    for s in range(shapes):
        t = math.exp(rng.uniform(math.log(1e-7), 0.0))
        n = int(math.exp(rng.uniform(0.0, math.log(1e6))))
        n = max(2, min(n, int(2.0 / (t + 2e-6))))
        x = Context(
            n_jobs=-1,
            n_tasks=n,
            cpu_count=2,
            signature="w",
            item_seconds=t,
            gil_free=rng.random(),
            where="sim",
            loky_warm=2,
        )
        bias = {k: rng.gauss(0.0, bias_sd) for k in ("sequential", "threads", "loky")}
        truth = {
            a: predict(a, x).seconds * math.exp(bias[a.kind] + rng.gauss(0.0, 0.15))
            for a in BanditPolicy().candidates(x)
        }
        best = min(truth.values())
        policy = BanditPolicy(seed=s)
        ratios = []
        for _ in range(rounds):
            decision = policy.choose(x)
            seconds = truth[decision.arm] * math.exp(rng.gauss(0.0, 0.1))
            policy.update(decision, x, n / seconds)
            ratios.append(truth[decision.arm] / best)
        first.append(ratios[0])
        third.append(ratios[2])
        worst.append(max(ratios[2:]))
    return {
        "within_1.10_at_3": sum(r <= 1.10 for r in third) / shapes,
        "median_at_3": statistics.median(third),
        "worst_at_3": max(third),
        "any_above_1.5_from_3": sum(w > 1.5 for w in worst) / shapes,
        "worst_from_3": max(worst),
        "first_median": statistics.median(first),
        "first_above_1.5": sum(r > 1.5 for r in first) / shapes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bias", type=float, default=0.4)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    r = simulate(args.shapes, args.seed, args.bias, args.rounds)
    print(
        f"{args.shapes} simulated shapes, seed {args.seed}, model error sd {args.bias} per kind: "
        f"within 1.10× of the best at call 3: {r['within_1.10_at_3']:.0%} (median "
        f"{r['median_at_3']:.2f}×, worst {r['worst_at_3']:.2f}×); shapes with a call above "
        f"1.5× from call 3 on: {r['any_above_1.5_from_3']:.0%} (worst {r['worst_from_3']:.2f}×); "
        f"first call median {r['first_median']:.2f}×, above 1.5×: {r['first_above_1.5']:.0%}"
    )


if __name__ == "__main__":
    main()
