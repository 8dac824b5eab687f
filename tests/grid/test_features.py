"""The cheap probe: signatures, sizes, GIL detection, fingerprints, and its cost."""

from __future__ import annotations

import time

import numpy as np
import pytest
from joblib import Parallel, delayed, parallel_config
from joblib.parallel import BatchedCalls

from aigc_magic.grid import explain, features
from aigc_magic.grid.backend import last_decision, last_run
from aigc_magic.grid.scheduler import BanditPolicy


def spin(n: int) -> int:
    s = 0
    for j in range(n):
        s += j
    return s


def batch(*items: tuple) -> BatchedCalls:
    return BatchedCalls(list(items), (None, None))


def test_signature_names_the_function_and_buckets_the_size() -> None:
    small, _ = features.signature(batch((spin, (10,), {})))
    same, _ = features.signature(batch((spin, (99,), {})))
    big, nbytes = features.signature(batch((np.sum, (np.zeros(1_000_000),), {})))
    assert small == same and "spin" in small
    # the same function on a 1000× larger number is another workload
    assert (
        features.signature(batch((spin, (300,), {})))[0]
        != features.signature(batch((spin, (300_000,), {})))[0]
    )
    assert (
        features.signature(batch((spin, (), {"n": 300})))[0]
        != features.signature(batch((spin, (), {"n": 300_000})))[0]
    )
    assert "sum" in big and nbytes >= 8e6
    lam1, lam2 = (lambda x: x), (lambda x: x + 1)
    assert (
        features.signature(batch((lam1, (1,), {})))[0]
        != features.signature(batch((lam2, (1,), {})))[0]
    )


def test_estimate_bytes_is_close_for_common_shapes() -> None:
    assert 8e6 <= features.estimate_bytes(np.zeros(1_000_000)) <= 8.1e6
    assert 1e6 <= features.estimate_bytes(b"x" * 1_000_000) <= 1.01e6
    assert 1e5 <= features.estimate_bytes([b"x" * 1000] * 100) <= 1.2e5


def test_probe_tells_pure_python_from_gil_free_work() -> None:
    with features.Probe() as py:
        spin(600_000)  # tens of milliseconds holding the GIL
    with features.Probe() as native:
        time.sleep(0.02)  # releases it, like numpy and BLAS do
    assert py.gil_free is not None and py.gil_free < 0.3
    assert native.gil_free is not None and native.gil_free > 0.7
    with features.Probe() as quick:
        spin(10)
    assert quick.gil_free is None  # too short to tell


def test_probe_tells_them_apart_on_tasks_of_a_few_milliseconds() -> None:
    with features.Probe() as py:
        spin(180_000)  # a few milliseconds holding the GIL
    with features.Probe() as native:
        time.sleep(0.006)
    # the scheduler calls a task pure Python below 0.5
    assert py.gil_free is not None and py.gil_free < 0.5
    assert native.gil_free is not None and native.gil_free > 0.5


def test_fingerprint_is_stable_and_short() -> None:
    assert features.machine_fingerprint() == features.machine_fingerprint()
    assert features.machine_fingerprint().startswith("m-")


def test_first_batch_runs_once_in_process_and_overhead_is_small() -> None:
    calls: list[int] = []

    def record(i: int) -> int:
        calls.append(i)
        return spin(3000)

    policy = BanditPolicy(seed=0)
    overheads = []
    with parallel_config(backend="aigc", policy=policy):
        for _ in range(5):
            calls.clear()
            Parallel(n_jobs=2, prefer="threads")(delayed(record)(i) for i in range(50))
            assert sorted(calls) == list(range(50))  # every task ran exactly once
            overheads.append(last_decision()["overhead"])
    assert last_decision()["probed"] is False  # the workload was remembered
    assert sorted(overheads)[2] < 0.005
    assert "items take ~" in explain.reason(last_run().decision)


def test_probes_leave_the_switch_interval_as_they_found_it() -> None:
    import sys
    import threading

    before = sys.getswitchinterval()
    inside: list[float] = []

    def probe(seconds: float) -> None:
        with features.Probe():
            inside.append(sys.getswitchinterval())
            time.sleep(seconds)

    # two calls probing at once, the first one ending first
    threads = [threading.Thread(target=probe, args=(s,)) for s in (0.01, 0.05)]
    threads[0].start()
    time.sleep(0.002)
    threads[1].start()
    for t in threads:
        t.join()
    assert inside == pytest.approx([features.PROBE_SWITCH_INTERVAL] * 2)
    assert sys.getswitchinterval() == before
    try:
        with features.Probe():
            raise ValueError("the task failed")
    except ValueError:
        pass
    assert sys.getswitchinterval() == before
