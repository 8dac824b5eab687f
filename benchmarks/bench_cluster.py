"""The learned scheduler with a Dask cluster across a (simulated) network, on four workloads.

The script starts its own cluster on 127.0.0.1: a ``dask scheduler``, ``--workers``
single-threaded ``dask worker`` processes connected to it directly, and a
:class:`~aigc_magic.testing.LatencyProxy` in front of the scheduler (``--delay`` seconds
each way, optionally ``--bandwidth`` bytes/s) that every client of this process goes
through. The proxy runs as a process of its own (``python -m aigc_magic._latency_proxy``),
so forwarding costs the measured process no GIL time, as a real network would not. A client
scatters and gathers through the scheduler unless told ``direct_to_workers``, so the
proxy is on every path the clients here use.

For each family the same ``Parallel(n_jobs=-1)`` call is timed

- serially (a plain list comprehension),
- with joblib's default (``Parallel(n_jobs=-1)``: loky, auto-batching),
- with joblib's own ``backend="dask"`` on the same cluster through the proxy (a client of
  its own, passed as ``parallel_config(backend="dask", client=...)``),
- on every arm the bandit may choose with the cluster connected, local and Dask, each
  forced with ``FixedPolicy`` (the best one is the *oracle*),
- ``--repeats`` times on ``backend="aigc"`` with a fresh, seeded ``BanditPolicy`` and the
  grid connected to the proxy (``connect(address)``; with ``--only``, ``only=True`` where
  ``connect`` accepts it),

interleaved as in ``bench_scheduler.py`` (the fixed arms and both joblib baselines are
shuffled between the aigc submissions, so a neighbour's load drifting hits all alike). A
fixed arm runs twice, or once when its first run took more than a second; one slower than
max(3 s, 10 × joblib's default) is stopped there and its time extrapolated from the tasks it
finished. ``--quick`` shrinks the workloads, runs each fixed arm once and the joblib
baselines twice, and stops arms at 1.5 s.

The workloads stand for work that a cluster of more cores than this machine would speed up:
``medium`` and ``coarse`` *sleep* (a GIL-free wait, as numpy, I/O or a remote service would
be), because the "cluster" shares this machine's cores and CPU-bound work could not run
faster on it than on local processes.

It prints, per family, the oracle, aigc's first submission and the mean of its 3rd to 6th
over the oracle, the best local arm and the best Dask arm, the same over joblib's dask
backend, where aigc ran each time, and the bytes each way through the proxy per run of the
Dask baselines; and writes ``benchmarks/results/bench_cluster.json``.

Run: ``python benchmarks/bench_cluster.py [--quick] [--delay 0.02] [--workers 4] [--only]``.
The full run takes about 5 minutes on 2 cores; ``--quick`` about 2 (the Dask arms' round
trips, not the workloads, set that floor).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import inspect
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, cpu_count, delayed, parallel_config

import aigc_magic
from aigc_magic.grid import remote
from aigc_magic.grid.arms import Arm, Context
from aigc_magic.grid.backend import last_decision
from aigc_magic.grid.features import cpu_model
from aigc_magic.grid.scheduler import BanditPolicy, FixedPolicy

RESULTS = Path(__file__).with_name("results")
DASK_BIN = Path(sys.executable).with_name("dask")
SERIAL, JOBLIB, JOBLIB_DASK = "serial", "joblib-default", "joblib-dask"
ONCE_ABOVE = 1.0  # seconds: a fixed arm slower than this on its first run runs once only
CAP_MIN, CAP_FACTOR = 3.0, 10  # a fixed arm stops at max(3 s, 10 × joblib's default)


# -- the workloads (module-level functions: they travel to the workers by value, __main__) --


def mul(x: int) -> int:
    return x * 3


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def strided_sum(a: np.ndarray, i: int) -> float:
    return float(a[i::97].sum())


@dataclass
class Extrapolated:
    """The seconds a run stopped at the cap would have taken, from its finished tasks."""

    seconds: float


@dataclass
class Family:
    name: str
    what: str
    make: Callable[[], list[Any]]  # the delayed calls, built fresh for every run
    serial: Callable[[], Any]


def families(quick: bool) -> list[Family]:
    tiny_n = 5_000 if quick else 20_000
    med_n, med_s = (100, 0.002) if quick else (300, 0.002)
    coarse_n, coarse_s = (8, 0.25) if quick else (16, 0.5)
    big_n = 50 if quick else 200
    big = np.random.default_rng(0).random(1_000_000)  # 8 MB, shared by every task
    return [
        Family(
            "tiny",
            f"{tiny_n} items of one multiply",
            lambda: [delayed(mul)(i) for i in range(tiny_n)],
            lambda: [mul(i) for i in range(tiny_n)],
        ),
        Family(
            "medium",
            f"{med_n} items of {med_s * 1e3:g} ms GIL-free (sleep)",
            lambda: [delayed(nap)(med_s) for _ in range(med_n)],
            lambda: [nap(med_s) for _ in range(med_n)],
        ),
        Family(
            "coarse",
            f"{coarse_n} items of {coarse_s:g} s GIL-free (sleep)",
            lambda: [delayed(nap)(coarse_s) for _ in range(coarse_n)],
            lambda: [nap(coarse_s) for _ in range(coarse_n)],
        ),
        Family(
            "large-args",
            f"{big_n} items each summing a slice of one shared 8 MB array",
            lambda: [delayed(strided_sum)(big, i) for i in range(big_n)],
            lambda: [strided_sum(big, i) for i in range(big_n)],
        ),
    ]


# -- the cluster ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # its own session: the nannies and workers too
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


class Proxy:
    """The latency proxy as a child process; :meth:`stats` asks it for its counters."""

    def __init__(self, port: int, delay: float, bandwidth: float | None) -> None:
        root = str(Path(aigc_magic.__file__).parents[1])  # this checkout's aigc_magic
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
        }
        cmd = [sys.executable, "-m", "aigc_magic._latency_proxy", f"127.0.0.1:{port}"]
        cmd += ["--delay", str(delay)]
        if bandwidth:
            cmd += ["--bandwidth", str(bandwidth)]
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.address = self.proc.stdout.readline().strip()
        if not self.address.startswith("tcp://"):
            raise RuntimeError(f"the latency proxy did not start: {self.address!r}")

    def stats(self) -> dict[str, int]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return dict(json.loads(self.proc.stdout.readline()))

    def close(self) -> None:
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # it stops when its stdin closes
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _stop(self.proc)


@contextlib.contextmanager
def cluster(
    n_workers: int, delay: float, bandwidth: float | None, logs: Path
) -> Iterator[tuple[str, Proxy]]:
    """A scheduler, ``n_workers`` workers and the proxy; yields the proxy's address."""
    port = _free_port()
    direct = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen[Any]] = []
    proxy: Proxy | None = None

    def spawn(args: list[str], log: str) -> None:
        with open(logs / log, "wb") as out:
            procs.append(
                subprocess.Popen(
                    [str(DASK_BIN), *args],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    cwd=logs,
                )
            )

    try:
        spawn(
            ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            "scheduler.log",
        )
        spawn(
            [
                "worker",
                direct,
                "--nworkers",
                str(n_workers),
                "--nthreads",
                "1",
                "--memory-limit",
                "1GiB",
                "--no-dashboard",
                "--local-directory",
                str(logs),
            ],
            "workers.log",
        )
        proxy = Proxy(port, delay, bandwidth)
        yield direct, proxy
    finally:
        remote.disconnect()
        if proxy is not None:
            proxy.close()
        for proc in reversed(procs):
            _stop(proc)


def open_client(address: str, n_workers: int, **connect: Any) -> Any:
    """``remote.connect(address)`` once the scheduler answers and the workers have joined."""
    deadline = time.monotonic() + 90
    while True:
        try:
            client = remote.connect(address, **connect)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    client.wait_for_workers(n_workers, timeout=90)
    return client


def round_trip(client: Any) -> float:
    """Seconds of the fastest of five ``client.nthreads()`` calls: one request and reply."""
    took = []
    for _ in range(5):
        start = time.perf_counter()
        client.nthreads()
        took.append(time.perf_counter() - start)
    return min(took)


# -- one family -----------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_family(
    fam: Family,
    repeats: int,
    seed: int,
    proxy: Proxy,
    joblib_client: Any,
    *,
    quick: bool = False,
    verbose: bool = False,
) -> dict[str, Any]:
    expected = fam.serial()
    joblib_default = lambda: Parallel(n_jobs=-1)(fam.make())  # noqa: E731
    joblib_default()  # start loky's workers: every later run finds them warm
    serial = timed(fam.serial)

    def joblib_dask() -> Any:
        with parallel_config(backend="dask", client=joblib_client):
            return Parallel(n_jobs=-1)(fam.make())

    # close, not equal: an array unpickled on a worker may sit at another alignment, and
    # numpy's SIMD sum then rounds its last bit differently
    assert np.allclose(joblib_dask(), expected), "joblib's dask backend computed another answer"

    # every arm the bandit may choose here, local and Dask, from a throwaway policy that
    # may use both (the remote-only one of today would offer the Dask arms alone)
    scout = BanditPolicy(seed=seed + 999, remote_only=False)
    with parallel_config(backend="aigc", policy=scout):
        assert np.allclose(Parallel(n_jobs=-1)(fam.make()), expected)
    context: Context = last_decision()["context"]
    arms: dict[str, Arm] = {arm.key: arm for arm in scout.candidates(context)}

    # an arm slower than this is stopped there and its time extrapolated from the tasks it
    # finished: a Dask arm that sends one tiny task per round trip would take minutes
    cap = max(CAP_MIN / (2 if quick else 1), CAP_FACTOR * timed(joblib_default))
    capped: set[str] = set()

    def fixed(key: str) -> Callable[[], Any]:
        def go() -> Any:
            n, done = len(fam.make()), 0
            start = time.perf_counter()
            with (
                parallel_config(backend="aigc", policy=FixedPolicy(arms[key])),
                warnings.catch_warnings(),  # "N tasks ... have been cancelled", when capped
            ):
                warnings.simplefilter("ignore", UserWarning)
                out = Parallel(n_jobs=-1, return_as="generator")(fam.make())
                with contextlib.closing(out):
                    for _ in out:
                        done += 1
                        if time.perf_counter() - start > cap:
                            break
            if done < n:
                capped.add(key)
                return Extrapolated((time.perf_counter() - start) * n / max(done, 1))
            return None

        return go

    traffic: dict[str, list[tuple[int, int]]] = {}

    def measured(key: str, fn: Callable[[], Any]) -> float:
        before = proxy.stats()
        start = time.perf_counter()
        out = fn()
        took = out.seconds if isinstance(out, Extrapolated) else time.perf_counter() - start
        after = proxy.stats()
        traffic.setdefault(key, []).append(
            (after["bytes_up"] - before["bytes_up"], after["bytes_down"] - before["bytes_down"])
        )
        return took

    per_arm, baseline = (1, 2) if quick else (2, 3)
    sweep = [k for k in arms for _ in range(per_arm)] + [JOBLIB, JOBLIB_DASK] * baseline
    random.Random(seed).shuffle(sweep)
    chunks = [sweep[i::repeats] for i in range(repeats)]
    times: dict[str, list[float]] = {k: [] for k in [*arms, JOBLIB, JOBLIB_DASK]}
    policy = BanditPolicy(seed=seed)  # a fresh state for every family: today's default
    runs: list[dict[str, Any]] = []
    for chunk in chunks:
        for key in chunk:
            if key == JOBLIB:
                took = timed(joblib_default)
            elif key == JOBLIB_DASK:
                took = measured(key, joblib_dask)
            elif not times[key] or times[key][0] <= ONCE_ABOVE:
                took = measured(key, fixed(key))
            else:
                continue
            times[key].append(took)
            if verbose:
                print(f"    {key:24s} {took:8.3f}s" + (" (capped)" if key in capped else ""))
        with parallel_config(backend="aigc", policy=policy):
            took = measured("aigc", lambda: Parallel(n_jobs=-1)(fam.make()))
        arm = last_decision().get("arm")  # (a call handed back to joblib leaves no run)
        runs.append({"seconds": took, "arm": arm.key if arm else "?"})
        if verbose:
            print(f"    aigc → {runs[-1]['arm']:15s} {took:8.3f}s", flush=True)

    mean = {k: statistics.mean(v) for k, v in times.items() if v}
    local = {k: v for k, v in mean.items() if k in arms and arms[k].kind != "dask"}
    dask = {k: v for k, v in mean.items() if k in arms and arms[k].kind == "dask"}
    oracle_key = min({**local, **dask}, key=mean.__getitem__)
    best_local = min(local, key=local.__getitem__) if local else None
    best_dask = min(dask, key=dask.__getitem__) if dask else None
    aigc = [r["seconds"] for r in runs]
    late = statistics.mean(aigc[2:]) if len(aigc) > 2 else aigc[-1]

    def mb(key: str) -> list[float]:
        return [round(statistics.mean(t[i] for t in traffic[key]) / 1e6, 2) for i in (0, 1)]

    return {
        "family": fam.name,
        "what": fam.what,
        "serial": serial,
        "joblib_default": mean[JOBLIB],
        "joblib_dask": mean[JOBLIB_DASK],
        "oracle": mean[oracle_key],
        "oracle_arm": oracle_key,
        "best_local": [best_local, local.get(best_local or "", float("nan"))],
        "best_dask": [best_dask, dask.get(best_dask or "", float("nan"))],
        "fixed": {k: mean[k] for k in arms},
        "capped": sorted(capped),
        "cap": cap,
        "runs": runs,
        "aigc_first": aigc[0],
        "aigc_late": late,
        "ratio_first_oracle": aigc[0] / mean[oracle_key],
        "ratio_late_oracle": late / mean[oracle_key],
        "ratio_late_local": late / local[best_local] if best_local else None,
        "ratio_late_dask": late / dask[best_dask] if best_dask else None,
        "ratio_late_joblib_dask": late / mean[JOBLIB_DASK],
        "mb_up_down": {
            k: mb(k) for k in [JOBLIB_DASK, "aigc", *([best_dask] if best_dask else [])]
        },
        "context": {
            "item_seconds": context.item_seconds,
            "arg_bytes": context.arg_bytes,
            "dask_cores": context.dask_cores,
            "dask_rtt": context.dask_rtt,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller workloads (~1 minute)")
    parser.add_argument("--delay", type=float, default=0.02, help="seconds each way")
    parser.add_argument("--bandwidth", type=float, default=None, help="bytes/s each way")
    parser.add_argument("--workers", type=int, default=4, help="Dask worker processes")
    parser.add_argument("--repeats", type=int, default=6, help="aigc submissions per family")
    parser.add_argument("--families", default="", help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    parser.add_argument(
        "--only", action="store_true", help="connect(..., only=True), where connect has it"
    )
    args = parser.parse_args()
    # a fresh learned state: nothing a former run or a notebook saved decides here
    os.environ["AIGC_MAGIC_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-cluster-state-")
    load0 = os.getloadavg()
    print(
        f"{datetime.datetime.now().isoformat(timespec='seconds')}  {platform.node()}  "
        f"{cpu_count()} cores  {cpu_model()}  Python {platform.python_version()}  "
        f"load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}"
    )
    connect_kw: dict[str, Any] = {}
    if args.only:
        if "only" in inspect.signature(remote.connect).parameters:
            connect_kw["only"] = True
        else:
            print("connect() takes no only= here: the scheduler of this checkout is remote-only")
    chosen = [
        f for f in families(args.quick) if not args.families or f.name in args.families.split(",")
    ]
    import distributed

    started = time.perf_counter()
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-cluster-") as logs,
        cluster(args.workers, args.delay, args.bandwidth, Path(logs)) as (direct, proxy),
    ):
        client = open_client(proxy.address, args.workers, **connect_kw)
        rtt = round_trip(client)
        print(
            f"cluster: {args.workers} workers × 1 thread at {direct}, client through "
            f"{proxy.address} ({args.delay * 1e3:g} ms each way"
            + (f", {args.bandwidth / 1e6:g} MB/s" if args.bandwidth else "")
            + f"): round trip {rtt * 1e3:.1f} ms; started in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        with distributed.Client(proxy.address, set_as_default=False) as joblib_client:
            for fam in chosen:
                r = run_family(
                    fam,
                    args.repeats,
                    args.seed,
                    proxy,
                    joblib_client,
                    quick=args.quick,
                    verbose=args.verbose,
                )
                results.append(r)
                print(
                    f"  {fam.name:10s} serial {r['serial']:.3f}s  joblib {r['joblib_default']:.3f}s"
                    f"  joblib-dask {r['joblib_dask']:.3f}s  oracle {r['oracle']:.3f}s "
                    f"({r['oracle_arm']})  aigc "
                    + " ".join(f"{x['seconds']:.3f}" for x in r["runs"]),
                    flush=True,
                )
    load1 = os.getloadavg()
    print(
        "\naigc: its 1st submission and the mean of its 3rd-6th, over the oracle (the best "
        "fixed arm), the best local arm, the best Dask arm and joblib's dask backend"
    )
    print(
        f"{'family':11s} {'oracle':>7s} {'(arm)':22s} {'local':>7s} {'(arm)':22s} "
        f"{'dask':>7s} {'(arm)':18s} {'1st/or':>6s} {'/oracle':>7s} {'/local':>6s} "
        f"{'/dask':>6s} {'/jl-dask':>8s}  aigc ran"
    )
    for r in results:
        kinds = " ".join(x["arm"].split("/")[0] for x in r["runs"])
        (lk, lt), (dk, dt) = r["best_local"], r["best_dask"]
        print(
            f"{r['family']:11s} {r['oracle']:6.3f}s {r['oracle_arm']:22s} "
            f"{lt:6.3f}s {lk or '-':22s} {dt:6.3f}s {dk or '-':18s} "
            f"{r['ratio_first_oracle']:5.2f}x {r['ratio_late_oracle']:6.2f}x "
            f"{_x(r['ratio_late_local'])} {_x(r['ratio_late_dask'])} "
            f"{r['ratio_late_joblib_dask']:7.2f}x  {kinds}"
        )
        if r["capped"]:
            print(f"{'':11s} stopped at {r['cap']:.1f} s, extrapolated: {', '.join(r['capped'])}")
    print("\nMB up/down through the proxy per run:")
    for r in results:
        print(
            f"  {r['family']:11s} "
            + "  ".join(f"{k} {v[0]:.2f}/{v[1]:.2f}" for k, v in r["mb_up_down"].items())
        )
    print(
        f"\nload average {load0[0]:.2f} → {load1[0]:.2f}; "
        f"took {time.perf_counter() - started:.0f} s"
    )
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "cores": cpu_count(),
        "cpu": cpu_model(),
        "load": [load0[0], load1[0]],
        "quick": args.quick,
        "repeats": args.repeats,
        "delay": args.delay,
        "bandwidth": args.bandwidth,
        "workers": args.workers,
        "only": bool(connect_kw),
        "round_trip": rtt,
    }
    (RESULTS / "bench_cluster.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=1, default=str)
    )
    print(f"wrote {RESULTS / 'bench_cluster.json'}")


def _x(ratio: float | None) -> str:
    return f"{ratio:5.2f}x" if ratio is not None else f"{'-':>6s}"


if __name__ == "__main__":
    main()
