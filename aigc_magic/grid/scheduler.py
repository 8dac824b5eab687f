"""The policy that picks an arm for every ``Parallel`` call: pure, seeded, no I/O.

The backend measures, the policy decides: ``choose(context) -> Arm`` before a call and
``update(arm, context, reward)`` after it (``reward`` is tasks per second).

**Rules first.** Some calls leave nothing to learn, and fixed rules answer them: an arm
forced with ``parallel_config(arm=...)``; ``n_jobs == 1`` (sequential, or one thread when
``timeout=`` must be able to stop the wait); one task; nested calls (sequential beyond the
first level, the parent worker's cores as threads at the first); ``require="sharedmem"``
and ``prefer="threads"`` (threads only; the bandit still picks workers and batch size);
``prefer="processes"`` (process arms only); a connected Dask cluster (Dask arms only: the
user chose where the work runs). Everything else is the bandit's.

**The bandit: Thompson sampling over a cost model.** Each arm (backend × workers × batch
target × BLAS threads) has an analytic predicted time :func:`predict` from the call's
features: per-item seconds ``t``, tasks ``N``, the GIL-free fraction ``g``, bytes moved,
cores, a cold or warm loky executor, the cluster's round trip. Its log is the prior mean
of the arm's log time, so the very first decision is already sane: tiny items get large
batches, pure-Python loops never get threads, tiny ``N`` never pays for processes. What is
learned is the error of that model, in log space:

- a Bayesian linear regression, per machine or cluster, of the residual
  ``log(observed / predicted)`` on a few arm features (kind, share of the time the model
  spends on per-batch, per-call and data-moving overheads, GIL-bound threads): it moves
  every workload's predictions when, say, loky batches cost twice the default here;
- a per-workload, per-arm offset with a Gaussian prior, for what no feature explains
  (skewed item costs, caches).

``choose`` samples both posteriors once and takes the arm with the smallest sampled time
(Thompson sampling), restricted to the **safe set**: arms whose posterior-mean time is
within 2× of the best arm's, so an arm predicted more than 2× worse is never tried.
Thompson sampling rather than LinUCB because the costs are multiplicative and skewed
(log-normal noise fits them), because its exploration shrinks with the posterior instead
of a tuned confidence width, and because a good prior then means almost no exploration:
the benchmark needs the right arm within three submissions. The cost constants below come
from ``benchmarks/bench_scheduler.py`` and ``benchmarks/bench_backend.py`` on a 2-core
machine; the regression absorbs what differs elsewhere.
"""

from __future__ import annotations

import difflib
import math
import random
import threading
from dataclasses import dataclass, replace
from typing import Any

from ..errors import GridError
from .arms import ARM_KINDS, Arm, Context, Reason, describe_workers

__all__ = ["BanditPolicy", "FixedPolicy", "Prediction", "get_policy", "predict",
           "set_policy"]

#: Target seconds per batch the bandit may pick (None: joblib's auto-batching).
BATCH_LEVELS: tuple[float | None, ...] = (None, 0.002, 0.02, 0.1, 0.5)
#: Per kind: seconds per call, per batch, per task on the caller's side, per byte moved.
COSTS: dict[str, tuple[float, float, float, float]] = {
    "sequential": (0.0003, 20e-6, 1.9e-6, 0.0),
    "threads": (0.011, 60e-6, 1.9e-6, 0.0),
    "loky": (0.011, 200e-6, 2.5e-6, 2e-9),
    "dask": (0.020, 2500e-6, 10e-6, 10e-9),
}
#: Seconds to start loky workers: a fixed part plus one per worker.
LOKY_COLD = (0.4, 0.15)
#: Extra time of GIL-bound threads fighting for the GIL, per unit of GIL-held work.
GIL_CONVOY = 0.15
#: Work the probe saw release the GIL less than this share of the time is GIL-bound: it
#: gets no thread arms when it may run in-process (a cold loky executor once made 2
#: threads the sampled choice for a 10 ms pure-Python loop; they ran it at serial speed).
GIL_BOUND = 0.2
#: When the per-item time is unknown: tasks this long are assumed.
DEFAULT_ITEM_SECONDS = 1e-3
DEFAULT_N = 100
#: Safe exploration: never try an arm whose mean predicted time exceeds the best's × this
#: (narrowing as a workload is run again, see ``_safe``),
#: and sample among the ``TOP_K`` most promising arms (posterior mean minus one standard
#: deviation) and the most promising of each kind only (twenty batch-size twins of one
#: kind must not crowd out another kind).
SAFE_FACTOR = 2.0
TOP_K = 4
#: Prior standard deviations (log time) of the regression weights and per-arm offsets,
#: the noise of one timing (a shared 2-core machine), and the largest residual one timing
#: may teach (a run slowed 3× by a neighbour must not condemn an arm).
PRIOR_SD, OFFSET_SD, NOISE_SD = 0.2, 0.2, 0.2
#: Prior standard deviation of a kind's shared offset within one workload.
KIND_SD = 0.3
MAX_RESIDUAL = 1.1
FEATURES = ("sequential", "threads", "loky", "dask", "batch", "call", "bytes", "gil")


@dataclass(frozen=True)
class Prediction:
    """The cost model's predicted seconds for one arm, and what they are made of."""

    seconds: float
    compute: float
    batches: float
    call: float
    moved: float
    n_batches: int

    def features(self, arm: Arm, gil_free: float) -> list[float]:
        """The regression's inputs for this arm: kind, overhead shares, GIL-bound threads."""
        total = max(self.seconds, 1e-9)
        onehot = [1.0 if arm.kind == k else 0.0 for k in ARM_KINDS]
        bound = 1.0 - gil_free if arm.kind == "threads" and arm.n_workers > 1 else 0.0
        return [*onehot, self.batches / total, self.call / total, self.moved / total, bound]


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


def predict(arm: Arm, x: Context) -> Prediction:
    """The analytic prior: seconds the call ``x`` takes on ``arm``.

    ``T = call + N·task + batches·per_batch + compute + bytes·per_byte`` where compute is
    ``ceil(batches / workers)`` rounds of one batch's work (so coarse batches leave workers
    idle at the end), threads are bounded by the GIL-held share of the work, starting loky
    workers costs ``LOKY_COLD`` unless a reusable executor is running (an arm's BLAS limit
    is set per batch, so it never restarts one), and the per-item time is one core's
    (BLAS threads per worker buy nothing in this model).
    """
    t = x.item_seconds if x.item_seconds is not None else DEFAULT_ITEM_SECONDS
    n = x.n_tasks if x.n_tasks is not None else DEFAULT_N
    g = x.gil_free if x.gil_free is not None else 0.0
    cores = max(1, x.cpu_count)
    w = max(1, arm.n_workers)
    per_call, per_batch, per_task, per_byte = COSTS[arm.kind]
    tau = t  # one core's time (the probe limits BLAS to one thread): more buy nothing
    if arm.kind == "sequential":
        w = 1
    if arm.batch_size is not None:
        b = max(1, arm.batch_size)
        n_batches = math.ceil(n / b)
        ramp = 0
    else:  # joblib's auto-batching: doubles from 1 towards ~0.3 s batches
        b = int(min(max(1.0, 0.3 / max(tau, 1e-7)), max(1.0, n / (2 * w))))
        ramp = int(w * math.log2(b + 1))
        n_batches = math.ceil(n / b) + ramp
    busy = min(w, n_batches)
    rounds = math.ceil(n_batches / busy)
    compute = rounds * min(b, n) * tau if arm.batch_size is not None or ramp == 0 else \
        n * tau / busy + b * tau * (1 - 1 / busy)
    if arm.kind == "threads" and w > 1:
        compute = max(compute, n * tau * (1 - g)) * (1 + GIL_CONVOY * (1 - g))
    if arm.kind in ("loky", "threads") and w > cores:
        compute *= w / cores
    if arm.kind == "dask":
        busy_share = 1.0 + max(0.0, x.dask_busy)
        compute *= busy_share
        per_batch += 2 * x.dask_rtt
        per_call += 3 * x.dask_rtt
    call = per_call
    if arm.kind == "loky":  # no reusable executor: start one; more workers: grow it
        warm = x.loky_warm
        if warm is None:
            call += LOKY_COLD[0] + LOKY_COLD[1] * w
        elif warm < w:
            call += LOKY_COLD[1] * (w - warm)
    moved = n * (x.arg_bytes + x.result_bytes) * per_byte
    batches = n_batches * per_batch
    seconds = call + n * per_task + batches + compute + moved
    return Prediction(seconds, compute, batches, call, moved, n_batches)


class _Regression:
    """Bayesian linear regression of log-time residuals (Kalman form, no inversion)."""

    def __init__(self, mu: list[float] | None = None, cov: list[list[float]] | None = None,
                 n: int = 0) -> None:
        d = len(FEATURES)
        self.mu = list(mu) if mu is not None else [0.0] * d
        self.cov = [list(r) for r in cov] if cov is not None else [
            [PRIOR_SD ** 2 if i == j else 0.0 for j in range(d)] for i in range(d)]
        self.n = n

    def mean(self, phi: list[float]) -> float:
        return sum(p * m for p, m in zip(phi, self.mu, strict=True))

    def var(self, phi: list[float]) -> float:
        return sum(phi[i] * sum(self.cov[i][j] * phi[j] for j in range(len(phi)))
                   for i in range(len(phi)))

    def observe(self, phi: list[float], r: float) -> None:
        d = len(phi)
        s_phi = [sum(self.cov[i][j] * phi[j] for j in range(d)) for i in range(d)]
        denom = NOISE_SD ** 2 + OFFSET_SD ** 2 + sum(p * s for p, s in zip(phi, s_phi, strict=True))
        err = r - self.mean(phi)
        self.mu = [m + s * err / denom for m, s in zip(self.mu, s_phi, strict=True)]
        self.cov = [[self.cov[i][j] - s_phi[i] * s_phi[j] / denom for j in range(d)]
                    for i in range(d)]
        self.n += 1

    def sample(self, rng: random.Random) -> list[float]:
        d = len(self.mu)
        low = [[0.0] * d for _ in range(d)]  # Cholesky factor of cov
        for i in range(d):
            for j in range(i + 1):
                s = self.cov[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
                low[i][j] = math.sqrt(max(s, 1e-12)) if i == j else s / low[j][j]
        z = [rng.gauss(0.0, 1.0) for _ in range(d)]
        return [m + sum(low[i][k] * z[k] for k in range(i + 1)) for i, m in enumerate(self.mu)]

    def to_json(self) -> dict[str, Any]:
        return {"mu": self.mu, "cov": self.cov, "n": self.n}


def _fmt_seconds(s: float) -> str:
    if s < 1e-5:
        return f"{s * 1e6:.1f} µs"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.0f} ms" if s >= 0.01 else f"{s * 1e3:.1f} ms"
    return f"{s:.1f} s"


class BanditPolicy:
    """Thompson sampling over the cost model; see the module docstring.

    Parameters
    ----------
    seed : int
        Seed of the sampler: the same seed, state and contexts give the same choices.
    remote_only : bool
        With a Dask cluster connected, consider only Dask arms (the default: the user
        connected it to run there).

    The learned state is plain data (:meth:`to_json` / :meth:`from_json`); observations
    made since the last :meth:`rebase` are kept in ``pending`` so that :mod:`.state` can
    replay them onto what other kernels saved meanwhile.
    """

    def __init__(self, seed: int = 0, remote_only: bool = True) -> None:
        self.seed = seed
        self.remote_only = remote_only
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self.profiles: dict[str, dict[str, Any]] = {}
        self.pending: list[dict[str, Any]] = []

    # -- rules ------------------------------------------------------------------------

    def needs_features(self, context: Context) -> bool:
        """Whether workload features would change the choice (no rule decides it)."""
        return self._restriction(context) is not None and context.forced is None

    def _restriction(self, x: Context) -> tuple[str, ...] | None:
        """Kinds the bandit may pick from, or None when a rule decides the arm alone."""
        if x.forced is not None or x.nesting_level >= 1:
            return None
        wanted = _requested_workers(x.n_jobs, max(1, x.cpu_count))
        if (x.n_tasks is not None and x.n_tasks <= 1) or wanted <= 1:
            return None
        if x.require == "sharedmem" or x.prefer == "threads":
            return ("threads",)
        if x.dask_cores > 0 and self.remote_only:
            return ("dask",)
        remote = ("dask",) if x.dask_cores > 0 else ()
        if x.prefer == "processes":
            return ("loky", *remote)
        # in-process runs tasks in order: it can neither stop at a timeout nor hand back
        # the fastest tasks first (return_as="generator_unordered")
        in_order_ok = not x.has_timeout and not x.unordered
        local = ("sequential", "threads", "loky") if in_order_ok else ("threads", "loky")
        return local + remote

    def _rule(self, x: Context) -> Arm:
        cores = max(1, x.cpu_count)
        wanted = _requested_workers(x.n_jobs, cores)
        if x.forced is not None:
            return self._forced(x, wanted, cores)
        if x.nesting_level >= 2:
            return _arm("sequential", 1, cores, x, f"a call nested {x.nesting_level} levels "
                        "deep runs in its parent's worker")
        if x.nesting_level == 1:
            workers = min(wanted, cores)
            if workers <= 1:
                return _arm("sequential", 1, cores, x,
                            "a nested call inside a worker that owns one core runs in that "
                            "worker")
            return _arm("threads", workers, cores, x,
                        f"a nested call gets its parent worker's {cores} cores as threads")
        if x.has_timeout:
            return _arm("threads", 1, cores, x,
                        "one job asked for, on a thread so that timeout= can stop the wait")
        why = "n_jobs=1" if x.n_tasks is None or x.n_tasks > 1 else "one task"
        return _arm("sequential", 1, cores, x, f"{why}: no parallelism to gain")

    def _forced(self, x: Context, wanted: int, cores: int) -> Arm:
        kind = check_arm_kind(x.forced or "")
        reason = f"arm={kind!r} was forced"
        if x.require == "sharedmem" and kind in ("loky", "dask"):
            kind, reason = "threads", f"require='sharedmem' overrides arm={x.forced!r}"
        if kind == "sequential":
            return _arm("sequential", 1, cores, x, reason)
        if kind == "dask":
            if x.dask_cores <= 0:
                raise GridError(
                    "arm='dask' was forced but no Dask cluster is connected. Connect one "
                    "first: aigc_magic.grid.connect('tls://host:8786', ...) or "
                    "%ask workers local 2")
            return _arm("dask", x.dask_cores if x.n_jobs < 0 else wanted, cores, x, reason)
        return _arm(kind, max(wanted, 1), cores, x, reason)

    def _provisional(self, x: Context, kinds: tuple[str, ...]) -> Arm:
        cores = max(1, x.cpu_count)
        wanted = _requested_workers(x.n_jobs, cores)
        if x.n_tasks is not None:
            wanted = min(wanted, x.n_tasks)
        kind = "dask" if "dask" in kinds else "loky" if "loky" in kinds else kinds[-1]
        workers = (x.dask_cores if x.n_jobs < 0 else min(wanted, x.dask_cores)) \
            if kind == "dask" else wanted
        return _arm(kind, workers, cores, x, "provisional, until the first batch is measured")

    # -- the bandit -------------------------------------------------------------------

    def candidates(self, x: Context) -> list[Arm]:
        """Every arm the bandit may pick for ``x`` (before the safe-set filter)."""
        kinds = self._restriction(x) or ()
        cores = max(1, x.cpu_count)
        wanted = _requested_workers(x.n_jobs, cores)
        if x.n_tasks is not None:
            wanted = min(wanted, x.n_tasks)
        t = x.item_seconds if x.item_seconds is not None else DEFAULT_ITEM_SECONDS
        n = x.n_tasks if x.n_tasks is not None else DEFAULT_N
        out: dict[Arm, Arm] = {}
        for kind in kinds:
            if kind == "threads" and "sequential" in kinds and x.gil_free is not None \
                    and x.gil_free < GIL_BOUND:
                continue  # the work holds the GIL: threads only add convoying to one core
            if kind == "sequential":
                ladder = [1]
            elif kind == "dask":
                top = x.dask_cores if x.n_jobs < 0 else min(wanted, x.dask_cores)
                ladder = sorted({top, *(k for k in (2, 4, 8, 16, 32) if k < top)})
            else:
                ladder = sorted({wanted, *(k for k in (2, 4, 8, 16, 32) if k < wanted)})
            for w in ladder:
                inner = _inner(kind, w, cores, x)
                for level in BATCH_LEVELS:
                    size = None if level is None else int(
                        min(max(1, round(level / max(t, 1e-7))), math.ceil(n / w)))
                    arm = Arm(kind, w, size, inner, batch_seconds=level)
                    twin = Arm(kind, w, size, inner)
                    if size is not None and twin in out:
                        continue  # a smaller target already gives this batch size
                    out[twin] = arm
        return list(out.values())

    def choose(self, context: Context) -> Arm:
        """Pick the arm for a call described by ``context``.

        Without a workload ``signature`` (the backend asks before the first batch, e.g.
        for ``effective_n_jobs``) the answer is provisional: the most workers the hints
        allow, which the backend replaces once the first batch has been measured.
        """
        kinds = self._restriction(context)
        if kinds is None:
            return self._rule(context)
        if context.signature is None:
            return self._provisional(context, kinds)
        with self._lock:
            scored = self._score(context)
            # shortlist by an optimistic bound, so an untried arm gets its turn
            hopeful = sorted(scored, key=lambda s: s[1] - math.sqrt(s[4]))
            kinds_best: dict[str, Any] = {}
            for s in hopeful:
                kinds_best.setdefault(s[0].kind, s)
            shortlist = hopeful[:TOP_K] + [s for s in kinds_best.values() if s not in
                                           hopeful[:TOP_K]]
            # never an arm predicted 2× worse than the best; and, as the workload is run
            # again, no arm that is worse than the narrowing window even optimistically
            best, runs = scored[0][1], self._workload(context).get("runs", 0)
            safe = [s for s in shortlist if s[1] <= best + math.log(SAFE_FACTOR)
                    and s[1] - 2 * math.sqrt(s[4]) <= best + math.log(_safe(runs))]
            safe = safe or scored[:1]
            theta = self._regression(context.where).sample(self._rng)
            pick = min(safe, key=lambda s: s[1] - s[5].mean(s[3]) + _dot(s[3], theta)
                       + self._rng.gauss(0.0, 1.0) * math.sqrt(s[4]))
        return self._explain(context, pick, scored)

    def _score(self, x: Context) -> list[tuple[Arm, float, Prediction, list[float], float,
                                                 _Regression]]:
        """Per arm: (arm, posterior-mean log time, prediction, features, offset var, reg),
        best first.

        An arm's offset from the regression has a prior shared by its kind in this
        workload (what its tried twins showed), then its own timings.
        """
        reg = self._regression(x.where)
        stats = self._workload(x).get("arms", {}) if x.signature else {}
        g = x.gil_free if x.gil_free is not None else 0.0
        rows = []
        pooled: dict[str, list[float]] = {}
        for arm in self.candidates(x):
            pred = predict(arm, x)
            phi = pred.features(arm, g)
            base = reg.mean(phi)
            n, sum_log_t, sum_log_n = stats.get(arm.key, (0, 0.0, 0.0, 0.0, 0.0))[:3]
            r = 0.0
            if n:  # the arm's own timings against the model with today's features
                then = replace(x, n_tasks=max(1, round(math.exp(sum_log_n / n))))
                r = sum_log_t / n - math.log(predict(arm, then).seconds)
                r = max(-MAX_RESIDUAL, min(MAX_RESIDUAL, r)) - base
                acc = pooled.setdefault(arm.kind, [0.0, 0.0])
                acc[0] += n * r
                acc[1] += n
            rows.append((arm, pred, phi, base, n, r))
        kind_mean = {k: v[0] / (v[1] + NOISE_SD ** 2 / KIND_SD ** 2) for k, v in pooled.items()}
        scored = []
        for arm, pred, phi, base, n, r in rows:
            prec = n / NOISE_SD ** 2 + 1 / OFFSET_SD ** 2
            offset = (kind_mean.get(arm.kind, 0.0) / OFFSET_SD ** 2 + n * r / NOISE_SD ** 2) \
                / prec
            mean = math.log(pred.seconds) + base + offset
            scored.append((arm, mean, pred, phi, 1 / prec, reg))
        scored.sort(key=lambda s: s[1])
        return scored

    def _explain(self, x: Context, pick: tuple[Any, ...], scored: list[tuple[Any, ...]]
                 ) -> Arm:
        arm, mean = pick[0], pick[1]
        others = [s for s in scored if s[0].kind != arm.kind]
        runner = others[0] if others else next((s for s in scored if s[0] != arm), None)
        runs = self._workload(x).get("runs", 0) if x.signature else 0
        t, g = x.item_seconds, x.gil_free
        facts: dict[str, Any] = {"kind": arm.kind, "n_workers": arm.n_workers,
                                 "batch_size": arm.batch_size, "batching": _batching(arm),
                                 "item_seconds": t,
                                 "gil_free": g, "learned": runs, "explore": pick is not
                                 scored[0]}
        parts = []
        if t is not None:
            what = "" if g is None else \
                " of pure Python" if g < 0.5 else " of GIL-free work (numpy/BLAS)"
            parts.append(f"items take ~{_fmt_seconds(t)}{what}")
        if runner is not None:
            ratio = math.exp(runner[1] - mean)
            facts.update(runner_up=runner[0].kind, runner_up_label=runner[0].label,
                         slowdown=ratio)
            other = runner[0]
            if other.kind != arm.kind:
                name = {"sequential": "running in-process", "loky": "processes"}.get(
                    other.kind, other.kind)
            elif other.n_workers != arm.n_workers:
                name = other.label
            else:  # a twin: name what differs
                name = _batching(other)
            if ratio >= 1.0:
                parts.append(f"{name} predicted {ratio:.1f}× slower")
            else:
                parts.append(f"trying it: {name} predicted {1 / ratio:.1f}× faster so far")
        if runs:
            parts.append(f"learned from {runs} earlier run{'s' if runs != 1 else ''}")
        detail = _detail(arm)
        return replace(arm, reason=Reason(detail, "; ".join(parts), facts),
                       predicted=math.exp(mean))

    # -- learning ---------------------------------------------------------------------

    def update(self, arm: Arm, context: Context, reward: float) -> None:
        """Learn from a finished call: ``reward`` is tasks per second (higher is better).

        ``context`` carries the features observed during the call (per-item seconds from
        the batches' durations, ``n_tasks`` as run); calls a rule decided teach nothing.
        """
        if context.signature is None or reward <= 0 or self._restriction(context) is None:
            return
        n = context.n_tasks or 0
        if n <= 0:
            return
        obs = {"where": context.where, "sig": context.signature, "arm": arm.key,
               "seconds": n / reward, "n": n, "t": context.item_seconds,
               "g": context.gil_free,
               "ab": context.arg_bytes, "rb": context.result_bytes, "x": _context_json(context),
               "arm_json": [arm.kind, arm.n_workers, arm.batch_size, arm.inner_threads,
                            arm.batch_seconds], "predicted": arm.predicted}
        with self._lock:
            self._learn(obs)
            self.pending.append(obs)

    def _learn(self, obs: dict[str, Any]) -> None:
        profile = self.profiles.setdefault(obs["where"], {"workloads": {}})
        workloads = profile.setdefault("workloads", {})
        work = workloads.pop(obs["sig"], None) or {"runs": 0, "arms": {}}
        workloads[obs["sig"]] = work  # the most recently run last (state.py prunes the first)
        work["runs"] += 1
        for key in ("t", "g", "ab", "rb"):
            if obs.get(key) is not None:
                old = work.get(key)
                work[key] = obs[key] if old is None else 0.5 * old + 0.5 * obs[key]
        work["n"] = obs["n"]
        base = dict(obs["x"])
        x = Context(**base, item_seconds=work.get("t"), gil_free=work.get("g"))
        kind, w, size, inner, level = obs["arm_json"]
        arm = Arm(kind, w, size, inner, batch_seconds=level)
        pred = predict(arm, x)
        r = math.log(obs["seconds"]) - math.log(pred.seconds)
        r = max(-MAX_RESIDUAL, min(MAX_RESIDUAL, r))
        self._regression(obs["where"]).observe(pred.features(arm, work.get("g") or 0.0), r)
        n, sum_log_t, sum_log_n, _, _ = work["arms"].get(arm.key, (0, 0.0, 0.0, 0.0, 0.0))
        work["arms"][arm.key] = (n + 1, sum_log_t + math.log(obs["seconds"]),
                                 sum_log_n + math.log(obs["n"]), obs["seconds"],
                                 obs.get("predicted") or pred.seconds)

    def _regression(self, where: str) -> _Regression:
        profile = self.profiles.setdefault(where, {"workloads": {}})
        reg = profile.get("_reg")
        if reg is None:
            saved = profile.get("regression") or {}
            reg = profile["_reg"] = _Regression(saved.get("mu"), saved.get("cov"),
                                                saved.get("n", 0))
        return reg

    def _workload(self, x: Context) -> dict[str, Any]:
        profile = self.profiles.get(x.where) or {}
        return profile.get("workloads", {}).get(x.signature, {})

    def known(self, where: str, signature: str) -> dict[str, Any] | None:
        """The remembered features of a workload (``t``, ``g``, ``k``, ``ab``, ``rb``,
        ``n``), or None when it was never run here."""
        with self._lock:
            work = (self.profiles.get(where) or {}).get("workloads", {}).get(signature)
            return dict(work) if work and work.get("t") is not None else None

    # -- state ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The learned state as JSON-ready data."""
        with self._lock:
            out = {}
            for where, profile in self.profiles.items():
                reg = profile.get("_reg")
                out[where] = {"workloads": profile.get("workloads", {}),
                              "regression": reg.to_json() if reg is not None else
                              profile.get("regression")}
            return out

    def load_json(self, data: dict[str, Any]) -> None:
        """Replace the learned state by ``data`` (from :meth:`to_json`)."""
        with self._lock:
            self.profiles = {where: {"workloads": {
                sig: {**w, "arms": {k: tuple(v) for k, v in w.get("arms", {}).items()}}
                for sig, w in p.get("workloads", {}).items()},
                "regression": p.get("regression")} for where, p in data.items()}

    def rebase(self, data: dict[str, Any]) -> None:
        """Adopt ``data`` (what is saved now) and replay the pending observations on it."""
        with self._lock:
            pending, self.pending = self.pending, []
            self.load_json(data)
            for obs in pending:
                self._learn(obs)

    def reset(self) -> None:
        """Forget everything learned."""
        with self._lock:
            self.profiles, self.pending = {}, []


def _safe(runs: int) -> float:
    """The exploration window after ``runs`` runs of a workload: 2× at first, then
    narrowing (1.5× after 2 runs, 1.25× after 6); an arm stays eligible while its
    optimistic time (mean minus two standard deviations) is inside it."""
    return 1.0 + (SAFE_FACTOR - 1.0) / (1.0 + runs / 2)


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _context_json(x: Context) -> dict[str, Any]:
    keep = ("n_jobs", "n_tasks", "cpu_count", "dask_workers", "dask_cores", "arg_bytes",
            "result_bytes", "dask_rtt", "dask_busy", "where")
    out = {k: getattr(x, k) for k in keep}
    out["loky_warm"] = x.loky_warm
    return out


def _inner(kind: str, workers: int, cores: int, x: Context) -> int:
    if x.inner_max_num_threads is not None:
        return max(1, x.inner_max_num_threads)
    if kind == "dask":
        return 1  # remote cores are unknown here; Dask's nanny also sets 1
    if kind == "sequential":
        return cores
    return max(1, cores // workers)


def _batching(arm: Arm) -> str:
    if arm.batch_size is None:
        return "joblib auto-batching" if arm.kind != "sequential" else "in one pass"
    return f"batches of {arm.batch_size}"


def _detail(arm: Arm) -> str:
    blas = f", {arm.inner_threads} BLAS threads each" if arm.inner_threads > 1 and \
        arm.kind in ("threads", "loky") else ""
    return f"{arm.label}, {_batching(arm)}{blas}"


def _arm(kind: str, workers: int, cores: int, x: Context, why: str) -> Arm:
    inner = _inner(kind, workers, cores, x)
    arm = Arm(kind=kind, n_workers=workers, batch_size=None, inner_threads=inner)
    detail = (f"{describe_workers(kind, workers)} (joblib auto-batching, {inner} BLAS "
              f"thread{'s' if inner > 1 else ''} each)")
    return replace(arm, reason=Reason(detail, why, {"kind": kind, "n_workers": workers,
                                                    "rule": why}))

class FixedPolicy:
    """A policy that always answers ``arm``: batch size and BLAS threads pinned too, which
    ``parallel_config(backend="aigc", arm=...)`` (a kind only) cannot do. It learns
    nothing. The scheduler benchmark times every fixed arm with it.

    Use as ``parallel_config(backend="aigc", policy=FixedPolicy(Arm("loky", 4, 50, 2)))``.
    """

    def __init__(self, arm: Arm) -> None:
        self.arm = arm

    def choose(self, context: Context) -> Arm:
        return self.arm

    def update(self, arm: Arm, context: Context, reward: float) -> None:
        pass


_policy: Any = BanditPolicy()


def get_policy() -> Any:
    """The policy the backend consults when none is given to it."""
    return _policy


def set_policy(policy: Any) -> Any:
    """Replace the process-wide policy; return the previous one."""
    global _policy
    previous, _policy = _policy, policy
    return previous
