"""A real Dask cluster 20 ms each way from the client: latency, traffic path, right results.

``slow_cluster`` (tests/grid/conftest.py) puts a :class:`~aigc_magic.testing.LatencyProxy`
between the client and the scheduler. These tests check that the delay is really there,
that everything the client sends or fetches (tasks, scattered data, results) crosses the
proxy rather than going to the workers directly, and that the grid's Dask arm and joblib's
own ``backend="dask"`` both compute right through it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from joblib import Parallel, delayed, parallel_config

from aigc_magic.grid import remote
from aigc_magic.grid.arms import Arm
from aigc_magic.grid.backend import last_run
from aigc_magic.grid.scheduler import FixedPolicy

pytestmark = pytest.mark.slow

BIG = 1_000_000  # float64 items: an 8 MB array


def square(x: int) -> int:
    return x * x


@pytest.fixture
def slow_client(slow_cluster: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The grid connected to ``slow_cluster`` through its proxy; this module's functions
    travel by value (the workers cannot import the test modules)."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(request.module)
    client = slow_cluster.connect()
    client.wait_for_workers(slow_cluster.n_workers, timeout=60)
    try:
        yield client
    finally:
        remote.disconnect()
        cloudpickle.unregister_pickle_by_value(request.module)


def _worker_ports(client: Any) -> set[int]:
    return {int(a.rsplit(":", 1)[1]) for a in client.scheduler_info(n_workers=-1)["workers"]}


def _peer_ports() -> set[int]:
    import psutil

    return {c.raddr.port for c in psutil.Process().net_connections(kind="tcp") if c.raddr}


def test_round_trip_crosses_the_proxy(slow_cluster: Any, slow_client: Any) -> None:
    took = []
    for _ in range(5):
        start = time.perf_counter()
        nthreads = slow_client.nthreads()
        took.append(time.perf_counter() - start)
    assert sum(nthreads.values()) == slow_cluster.n_workers
    delay = slow_cluster.proxy.delay
    assert delay == 0.02
    assert min(took) >= 2 * delay
    assert statistics.median(took) < 2 * delay + 0.25
    assert str(slow_client.scheduler.address) == slow_cluster.address != slow_cluster.direct


def test_scatter_and_gather_go_through_the_scheduler(slow_cluster: Any, slow_client: Any) -> None:
    proxy = slow_cluster.proxy
    a = np.arange(BIG, dtype=float)
    up, down = proxy.bytes_up, proxy.bytes_down
    future = slow_client.scatter(a)
    assert proxy.bytes_up - up >= a.nbytes  # to the scheduler, which hands it on
    back = future.result()
    assert proxy.bytes_down - down >= a.nbytes
    assert np.array_equal(back, a)
    # and the client holds no connection of its own to any worker
    assert not _worker_ports(slow_client) & _peer_ports()


def test_aigc_dask_arm_through_the_proxy(slow_cluster: Any, slow_client: Any) -> None:
    up = slow_cluster.proxy.bytes_up
    with parallel_config(backend="aigc", arm="dask"):
        out = Parallel(n_jobs=-1)(delayed(square)(i) for i in range(60))
    assert out == [i * i for i in range(60)]
    run = last_run()
    assert run is not None and run.decision is not None and run.decision.arm.kind == "dask"
    assert slow_cluster.proxy.bytes_up > up
    assert not _worker_ports(slow_client) & _peer_ports()


def test_joblib_dask_and_a_fixed_dask_arm_agree_through_the_proxy(
    slow_cluster: Any, slow_client: Any
) -> None:
    """The benchmark's two Dask baselines, each with one 8 MB array shared by every task:
    right results, and the array crosses the proxy about once, not once per task.

    The task is numpy's own function, which the scheduler can import: joblib's dask backend
    sends a test module's function by reference even when the module is registered with
    ``cloudpickle.register_pickle_by_value`` (distributed's pickle tries the standard
    pickle first and consults that registry only for the outermost object), and the
    scheduler, unable to import it, cancels the task, for which joblib's backend then waits
    forever. A notebook's functions live in ``__main__`` and travel by value either way.
    """
    import distributed

    big = np.random.default_rng(0).random(BIG)
    n = 24
    qs = [i / (n - 1) for i in range(n)]
    expected = [np.quantile(big, q) for q in qs]
    proxy = slow_cluster.proxy

    up = proxy.bytes_up
    with (
        distributed.Client(slow_cluster.address, set_as_default=False) as joblib_client,
        parallel_config(backend="dask", client=joblib_client),
    ):
        got = Parallel(timeout=60)(delayed(np.quantile)(big, q) for q in qs)
    assert got == expected
    assert big.nbytes <= proxy.bytes_up - up < 2 * big.nbytes

    up = proxy.bytes_up
    arm = Arm("dask", slow_cluster.n_workers, 4, 1)
    with parallel_config(backend="aigc", policy=FixedPolicy(arm)):
        got = Parallel(n_jobs=-1, timeout=60)(delayed(np.quantile)(big, q) for q in qs)
    assert got == expected
    run = last_run()
    assert run is not None and run.decision is not None and run.decision.arm == arm
    assert big.nbytes <= proxy.bytes_up - up < 2 * big.nbytes
