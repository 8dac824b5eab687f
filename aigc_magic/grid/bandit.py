"""The bandit: Thompson sampling over the cost model, learning its error per machine.

Each arm (backend × workers × batch target × BLAS threads) starts from the cost model's
predicted time (:mod:`.costmodel`); what is learned is that model's error in log space: a
Bayesian linear regression per machine or cluster on a few arm features, and a per-workload,
per-arm offset. ``choose`` samples both posteriors and takes the arm with the smallest
sampled time among the *safe set* (arms predicted within 2× of the best). The reasoning
behind these choices is in ``docs/architecture.md``; the constants come from
``benchmarks/bench_scheduler.py``. Pure and seeded: no I/O.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from .arms import Arm, Context, Decision, Placement, Probe, Rule, RunnerUp
from .costmodel import (
    DEFAULT_ITEM_SECONDS,
    DEFAULT_N,
    Prediction,
    dask_room,
    dask_workers,
    in_process_arm,
    inner_threads,
    predict,
    requested_workers,
)
from .regression import NOISE_SD, OFFSET_SD, Regression, dot
from .rules import decide_by_rule, provisional, restriction, small_call

__all__ = [
    "BATCH_LEVELS",
    "GIL_BOUND",
    "KIND_SD",
    "MAX_RESIDUAL",
    "SAFE_FACTOR",
    "TOP_K",
    "ArmStats",
    "BanditPolicy",
    "Scored",
    "safe_window",
]

#: Target seconds per batch the bandit may pick (None: joblib's auto-batching).
BATCH_LEVELS: tuple[float | None, ...] = (None, 0.002, 0.02, 0.1, 0.5)
#: Work the probe saw release the GIL less than this share of the time is GIL-bound: it
#: gets no thread arms when it may run in-process, nor does measured work too short for a
#: verdict (a cold loky executor once made 2
#: threads the sampled choice for a 10 ms pure-Python loop; they ran it at serial speed).
GIL_BOUND = 0.2
#: Safe exploration: a new workload's first call runs the arm with the best posterior mean;
#: later calls may try an arm whose mean is within the best's × this (narrowing as the
#: workload is run again, see :func:`safe_window`). Chosen over the earlier 2× window
#: with two standard deviations of optimism by simulating 300 random workload shapes with
#: the cost model wrong by a random factor per kind: runs above 1.5× the best after the
#: third call fell from 28% of shapes to 17% (benchmarks/bench_policy_sim.py). Sample among the
#: ``TOP_K`` most promising arms (posterior mean minus one standard deviation) and the most
#: promising of each kind only (twenty batch-size twins of one kind must not crowd out
#: another kind).
SAFE_FACTOR = 1.5
TOP_K = 4
#: The largest residual (log time) one timing may teach (a run slowed 3× by a neighbour
#: must not condemn an arm); the prior standard deviations and the noise of one timing are
#: in :mod:`.regression`.
#: Prior standard deviation of a kind's shared offset within one workload.
KIND_SD = 0.3
MAX_RESIDUAL = 1.1


class ArmStats(NamedTuple):
    """What one workload's runs on one arm taught (saved as a JSON list)."""

    runs: int
    sum_log_seconds: float
    sum_log_tasks: float
    last_seconds: float
    predicted: float


@dataclass(frozen=True)
class Scored:
    """One candidate arm as the bandit sees it for a call."""

    arm: Arm
    mean: float  #: posterior-mean log seconds
    prediction: Prediction
    features: list[float]
    offset_var: float  #: posterior variance of the arm's own offset
    base: float  #: the regression's mean residual for ``features``

    @property
    def hopeful(self) -> float:
        """An optimistic bound (mean minus one standard deviation): untried arms rank high."""
        return self.mean - math.sqrt(self.offset_var)


class BanditPolicy:
    """Thompson sampling over the cost model; see the module docstring.

    Parameters
    ----------
    seed : int
        Seed of the sampler: the same seed, state and contexts give the same choices.
    remote_only : bool
        With a Dask cluster connected, consider only Dask arms, as a cluster connected
        with ``only=True`` does. By default the local arms and the cluster's compete: a
        call runs where it is predicted (then measured) to finish first.

    The learned state is plain data (:meth:`to_json` / :meth:`load_json`); observations
    made since the last :meth:`rebase` are kept in ``pending`` so that :mod:`.state` can
    replay them onto what other kernels saved meanwhile.
    """

    def __init__(self, seed: int = 0, remote_only: bool = False) -> None:
        self.seed = seed
        self.remote_only = remote_only
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self.profiles: dict[str, dict[str, Any]] = {}
        self.pending: list[dict[str, Any]] = []
        #: Counts the changes to what is learned (a decision kept by handback holds until then).
        self.generation = 0

    def needs_features(self, context: Context) -> bool:
        """Whether workload features would change the choice (no rule decides it)."""
        return restriction(context, self.remote_only) is not None and context.forced is None

    def may_run_inline(self, context: Context) -> bool:
        """Whether in-process is among the kinds the call may run on."""
        return "sequential" in (restriction(context, self.remote_only) or ())

    def candidates(self, x: Context) -> list[Arm]:
        """Every arm the bandit may pick for ``x`` (before the safe-set filter)."""
        kinds = restriction(x, self.remote_only) or ()
        cores = max(1, x.cpu_count)
        wanted = requested_workers(x.n_jobs, cores)
        if x.n_tasks is not None:
            wanted = min(wanted, x.n_tasks)
        t = x.item_seconds if x.item_seconds is not None else DEFAULT_ITEM_SECONDS
        n = x.n_tasks if x.n_tasks is not None else DEFAULT_N
        out: dict[Arm, Arm] = {}
        for kind in kinds:
            if (
                kind == "threads"
                and "sequential" in kinds
                and x.item_seconds is not None
                and (x.gil_free is None or x.gil_free < GIL_BOUND)
            ):
                # the work holds the GIL (threads only add convoying to one core), or its
                # tasks were too short for a verdict even thousands at a time (then
                # threads cannot win back what each task costs them)
                continue
            if kind == "sequential":  # one in-process arm: its batches only pace the
                arm = in_process_arm(x, t, most=n)  # progress bar
                out[arm] = arm
                continue
            if kind == "dask":
                top = dask_workers(x, wanted)
                ladder = sorted({top, *(k for k in (2, 4, 8, 16, 32) if k < top)})
            else:
                ladder = sorted({wanted, *(k for k in (2, 4, 8, 16, 32) if k < wanted)})
            # (workers, this machine's loky processes beside them): the whole cluster may
            # have them, where processes may run the work here
            shapes = [(w, 0) for w in ladder]
            if kind == "dask" and "loky" in kinds:
                shapes.append((ladder[-1], cores))
            # (joblib's auto-batching grows batches from one task by the round trips they
            # took: over a network it stays near one task per trip)
            levels = BATCH_LEVELS[1:] if kind == "dask" else BATCH_LEVELS
            for w, here in shapes:
                inner = inner_threads(kind, w, cores, x)
                for level in levels:
                    size = (
                        None
                        if level is None
                        else int(
                            min(max(1, round(level / max(t, 1e-7))), math.ceil(n / (w + here)))
                        )
                    )
                    arm = Arm(kind, w, size, inner, batch_seconds=level, local_workers=here)
                    twin = Arm(kind, w, size, inner, local_workers=here)
                    if size is not None and twin in out:
                        continue  # a smaller target already gives this batch size
                    out[twin] = arm
        return list(out.values())

    def choose(self, context: Context) -> Decision:
        """Decide the arm for a call described by ``context``.

        Without a workload ``signature`` (the backend asks before the first batch, e.g.
        for ``effective_n_jobs``) the answer is provisional: the most workers the hints
        allow, which the backend replaces once the first batch has been measured.
        """
        kinds = restriction(context, self.remote_only)
        if kinds is None:
            return decide_by_rule(context)
        if context.signature is None:
            return provisional(context, kinds)
        small = small_call(context, kinds)
        if small is not None:
            return small
        with self._lock:
            scored = self.score(context)
            # shortlist by an optimistic bound, so an untried arm gets its turn
            hopeful = sorted(scored, key=lambda s: s.hopeful)
            best_of_kind: dict[str, Scored] = {}
            for s in hopeful:
                best_of_kind.setdefault(s.arm.kind, s)
            shortlist = hopeful[:TOP_K] + [
                s for s in best_of_kind.values() if s not in hopeful[:TOP_K]
            ]
            # the best mean at first; then arms within the narrowing window of it
            best, runs = scored[0].mean, self._workload(context).get("runs", 0)
            safe = [s for s in shortlist if s.mean <= best + math.log(safe_window(runs))]
            safe = safe or scored[:1]
            theta = self._regression(context.where).sample(self._rng)
            pick = min(
                safe,
                key=lambda s: (
                    s.mean
                    - s.base
                    + dot(s.features, theta)
                    + self._rng.gauss(0.0, 1.0) * math.sqrt(s.offset_var)
                ),
            )
        return self._decision(context, pick, scored, runs)

    def score(self, x: Context) -> list[Scored]:
        """Every candidate with its posterior, best (smallest mean log time) first.

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
            seen = stats.get(arm.key)
            r, n = 0.0, 0
            if seen is not None:  # the arm's own timings against the model with today's
                n = seen.runs  # features
                then = replace(x, n_tasks=max(1, round(math.exp(seen.sum_log_tasks / n))))
                r = seen.sum_log_seconds / n - math.log(predict(arm, then).seconds)
                r = max(-MAX_RESIDUAL, min(MAX_RESIDUAL, r)) - base
                acc = pooled.setdefault(arm.kind, [0.0, 0.0])
                acc[0] += n * r
                acc[1] += n
            rows.append((arm, pred, phi, base, n, r))
        kind_mean = {k: v[0] / (v[1] + NOISE_SD**2 / KIND_SD**2) for k, v in pooled.items()}
        scored = []
        for arm, pred, phi, base, n, r in rows:
            prec = n / NOISE_SD**2 + 1 / OFFSET_SD**2
            offset = (kind_mean.get(arm.kind, 0.0) / OFFSET_SD**2 + n * r / NOISE_SD**2) / prec
            mean = math.log(pred.seconds) + base + offset
            scored.append(Scored(arm, mean, pred, phi, 1 / prec, base))
        scored.sort(key=lambda s: s.mean)
        return scored

    def _decision(self, x: Context, pick: Scored, scored: list[Scored], runs: int) -> Decision:
        others = [s for s in scored if s.arm.kind != pick.arm.kind]
        runner = others[0] if others else next((s for s in scored if s.arm != pick.arm), None)
        probe = None if x.item_seconds is None else Probe(x.item_seconds, x.gil_free)
        return Decision(
            pick.arm,
            placement=_placement(x, pick, scored),
            predicted=math.exp(pick.mean),
            probe=probe,
            learned=runs,
            explore=pick is not scored[0],
            n_tasks=x.n_tasks,
            runner_up=None
            if runner is None
            else RunnerUp(runner.arm, math.exp(runner.mean - pick.mean)),
        )

    # -- learning ---------------------------------------------------------------------

    def update(self, decision: Decision, context: Context, reward: float) -> None:
        """Learn from a finished call: ``reward`` is tasks per second (higher is better).

        ``context`` carries the features observed during the call (per-item seconds from
        the batches' durations, ``n_tasks`` as run); calls a rule decided teach nothing,
        except that a call the small-call rule kept in-process tells the workload's features
        (else a workload decided small after its measuring batches would be measured again
        on every call: bench_shapes), not how its arm did.
        """
        if (
            context.signature is None
            or reward <= 0
            or restriction(context, self.remote_only) is None
        ):
            return
        n = context.n_tasks or 0
        if n <= 0:
            return
        arm = decision.arm
        obs: dict[str, Any] = {
            "where": context.where,
            "sig": context.signature,
            "n": n,
            "t": context.item_seconds,
            "g": context.gil_free,
            "ab": context.arg_bytes,
            "rb": context.result_bytes,
        }
        if decision.rule is Rule.SMALL:  # the features only: nothing to weigh
            with self._lock:
                self._learn({**obs, "features_only": True})
            return
        obs |= {
            "arm": arm.key,
            "seconds": n / reward,
            "x": _context_json(context),
            "arm_json": [
                arm.kind,
                arm.n_workers,
                arm.batch_size,
                arm.inner_threads,
                arm.batch_seconds,
                arm.local_workers,
            ],
            "predicted": decision.predicted,
        }
        with self._lock:
            self._learn(obs)
            self.pending.append(obs)

    def _learn(self, obs: dict[str, Any]) -> None:
        self.generation += 1
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
        if obs.get("features_only"):
            return
        x = Context(**dict(obs["x"]), item_seconds=work.get("t"), gil_free=work.get("g"))
        kind, w, size, inner, level, *rest = obs["arm_json"]
        arm = Arm(kind, w, size, inner, batch_seconds=level, local_workers=rest[0] if rest else 0)
        pred = predict(arm, x)
        r = math.log(obs["seconds"]) - math.log(pred.seconds)
        r = max(-MAX_RESIDUAL, min(MAX_RESIDUAL, r))
        self._regression(obs["where"]).observe(pred.features(arm, work.get("g") or 0.0), r)
        seen = work["arms"].get(arm.key) or ArmStats(0, 0.0, 0.0, 0.0, 0.0)
        work["arms"][arm.key] = ArmStats(
            seen.runs + 1,
            seen.sum_log_seconds + math.log(obs["seconds"]),
            seen.sum_log_tasks + math.log(obs["n"]),
            obs["seconds"],
            obs.get("predicted") or pred.seconds,
        )

    def _regression(self, where: str) -> Regression:
        profile = self.profiles.setdefault(where, {"workloads": {}})
        reg = profile.get("_reg")
        if reg is None:
            saved = profile.get("regression") or {}
            reg = profile["_reg"] = Regression(saved.get("mu"), saved.get("cov"), saved.get("n", 0))
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
                out[where] = {
                    "workloads": profile.get("workloads", {}),
                    "regression": reg.to_json() if reg is not None else profile.get("regression"),
                }
            return out

    def load_json(self, data: dict[str, Any]) -> None:
        """Replace the learned state by ``data`` (from :meth:`to_json`)."""
        with self._lock:
            self.generation += 1
            self.profiles = {
                where: {
                    "workloads": {
                        sig: {**w, "arms": {k: ArmStats(*v) for k, v in w.get("arms", {}).items()}}
                        for sig, w in p.get("workloads", {}).items()
                    },
                    "regression": p.get("regression"),
                }
                for where, p in data.items()
            }

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
            self.generation += 1
            self.profiles, self.pending = {}, []


def _placement(x: Context, pick: Scored, scored: list[Scored]) -> Placement | None:
    """Which side won, when a cluster competes with this machine for the call."""
    if x.dask_cores <= 0 or x.dask_only:
        return None
    remote = pick.arm.kind == "dask"
    other = next((s for s in scored if (s.arm.kind == "dask") != remote), None)
    if other is None and (remote or dask_room(x) >= 1):
        return None  # one side only, and not for want of free cluster threads (a
        # remote-only policy; prefer="threads" or require="sharedmem")
    return Placement(
        remote=remote,
        ratio=math.inf if other is None else math.exp(other.mean - pick.mean),
        local_cores=max(1, x.cpu_count),
        cluster_cores=x.dask_cores,
        free_cores=dask_room(x),
        rtt=x.dask_rtt,
    )


def safe_window(runs: int) -> float:
    """The exploration window after ``runs`` runs of a workload: none at first (the best
    posterior mean runs), then 1.33× after one run, 1.25× after two, 1.1× after eight; an
    arm stays eligible while its posterior-mean time is inside it."""
    if runs == 0:
        return 1.0
    return 1.0 + (SAFE_FACTOR - 1.0) / (1.0 + runs / 2)


def _context_json(x: Context) -> dict[str, Any]:
    keep = (
        "n_jobs",
        "n_tasks",
        "cpu_count",
        "dask_workers",
        "dask_cores",
        "arg_bytes",
        "result_bytes",
        "dask_rtt",
        "dask_free",
        "dask_bandwidth",
        "dask_only",
        "where",
    )
    out = {k: getattr(x, k) for k in keep}
    out["loky_warm"] = x.loky_warm
    return out
