"""Local cores or the cluster, decided per workload (issue 17).

The policy part runs on contexts as the backend builds them (pure, fast); the rest on a
real ``LocalCluster`` started through ``%ask workers local``: tiny work stays here, coarse
work goes where there are more cores, a busy cluster gets none of a call, a worker that
joins during a call is used, and ``--only`` keeps everything remote.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import pytest
from joblib import Parallel, delayed, parallel_config

from aigc_magic.grid import events, explain, remote
from aigc_magic.grid.arms import Context, Decision
from aigc_magic.grid.backend import last_run
from aigc_magic.grid.nodes import ClusterState, WorkerLoad
from aigc_magic.grid.scheduler import BanditPolicy, get_policy, set_policy


def ctx(t: float, n: int, g: float = 0.0, **kw: Any) -> Context:
    base = Context(
        n_jobs=-1,
        cpu_count=2,
        n_tasks=n,
        item_seconds=t,
        gil_free=g,
        signature=f"w-{t}-{n}-{g}",
        loky_warm=2,
        dask_workers=8,
        dask_cores=8,
        dask_rtt=0.04,
        where="c-test",
    )
    return replace(base, **kw)


def choose(x: Context) -> Decision:
    return BanditPolicy(seed=0).choose(x)


def test_tiny_work_stays_local_and_says_why() -> None:
    d = choose(ctx(3e-7, 20_000))
    assert d.arm.kind == "sequential"
    assert d.placement is not None and not d.placement.remote and d.placement.ratio > 3
    text = explain.reason(d)
    assert "kept local: 20,000 tasks of ~0.3 µs" in text
    assert "the cluster's 40 ms round trip predicted" in text
    assert "留在本机：20000个任务" in explain.reason(d, language="zh")
    assert "集群往返一次40毫秒" in explain.reason(d, language="zh")


@pytest.mark.parametrize("g", [0.0, 1.0])
def test_coarse_work_goes_where_the_cores_are(g: float) -> None:
    d = choose(ctx(0.5, 16, g))  # 16 tasks: 2 rounds on 8 threads, 10 would not shorten it
    assert d.arm.kind == "dask" and d.arm.n_workers == 8 and d.arm.local_workers == 0
    assert d.placement is not None and d.placement.remote and d.placement.ratio > 1.5
    assert "sent to the cluster: 8 free cores there, 2 here" in explain.reason(d)
    assert "发往集群：那里有8个空闲核心，本机2个" in explain.reason(d, language="zh")


@pytest.mark.parametrize("g", [0.0, 1.0])
def test_this_machine_helps_where_it_shortens_the_call(g: float) -> None:
    # 24 tasks: 6 rounds on the cluster's 4 threads, 4 with this machine's 2 processes
    d = choose(ctx(0.5, 24, g, dask_cores=4, dask_workers=4))
    assert d.arm.kind == "dask" and d.arm.n_workers == 4 and d.arm.local_workers == 2
    assert "spread over the cluster's 4 free cores and 2 here" in explain.reason(d)
    assert "集群的4个空闲核心和本机2个一起算" in explain.reason(d, language="zh")
    alone = choose(ctx(0.5, 24, g, dask_cores=4, dask_workers=4, dask_only=True))
    assert alone.arm.local_workers == 0  # (only the cluster was asked for)


def test_a_busy_cluster_gets_less_of_the_call_or_none() -> None:
    some = choose(ctx(0.5, 16, dask_free=3))
    assert some.arm.kind == "dask" and some.arm.n_workers <= 3
    none = choose(ctx(0.5, 16, dask_free=0))
    assert none.arm.kind != "dask"
    assert "all 8 of the cluster's cores are busy with other work" in explain.reason(none)


def test_a_call_that_may_not_go_remote_blames_no_busy_cluster() -> None:
    for hint in ({"require": "sharedmem"}, {"prefer": "threads"}):
        d = choose(ctx(0.5, 16, **hint))
        assert d.arm.kind == "threads" and d.placement is None, hint
        assert "busy" not in explain.reason(d)


def test_only_keeps_everything_remote() -> None:
    d = choose(ctx(3e-7, 20_000, dask_only=True))
    assert d.arm.kind == "dask" and d.placement is None
    assert all(a.kind == "dask" for a in BanditPolicy().candidates(ctx(3e-7, 10, dask_only=True)))


def test_a_far_cluster_loses_medium_work_a_near_one_wins() -> None:
    # 400 tasks of 20 ms: 8 s of work, 4 s on 2 cores here; 8 cores there win only when
    # the round trip does not eat the gain
    near = choose(ctx(0.02, 400, 1.0, dask_rtt=0.001))
    far = choose(ctx(0.02, 400, 1.0, dask_rtt=2.0))
    assert near.arm.kind == "dask"
    assert far.arm.kind != "dask"


def test_node_state_counts_busy_and_free_threads() -> None:
    state = ClusterState(
        (WorkerLoad("tcp://a:1", 4, 6), WorkerLoad("tcp://b:1", 4, 1)), 0.02, 1e8, "c-x"
    )
    assert (state.cores, state.busy, state.free) == (8, 5, 3)
    assert state.addresses == ("tcp://a:1", "tcp://b:1")


# -- a real cluster -----------------------------------------------------------------------


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def times_three(i: int) -> int:
    return i * 3


@pytest.fixture
def fresh_policy() -> Any:
    previous = set_policy(BanditPolicy(seed=1))
    try:
        yield get_policy()
    finally:
        set_policy(previous)


@pytest.fixture
def four_workers(fresh_policy: Any) -> Any:
    pytest.importorskip("distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(__import__(__name__))
    client = remote.local(4)
    client.wait_for_workers(4, timeout=60)
    try:
        yield client
    finally:
        remote.disconnect()
        cloudpickle.unregister_pickle_by_value(__import__(__name__))


@pytest.mark.slow
def test_on_a_real_cluster_tiny_stays_here_and_naps_go_there(four_workers: Any) -> None:
    with parallel_config(backend="aigc"):
        for _ in range(3):
            out = Parallel(n_jobs=-1)(delayed(times_three)(i) for i in range(20_000))
            assert out[-1] == 19_999 * 3
            assert last_run().arm != "dask"
        naps = Parallel(n_jobs=-1)(delayed(nap)(0.3) for _ in range(8))
    assert naps == [0.3] * 8
    run = last_run()
    assert run.arm == "dask" and sum(w.startswith("tcp://") for w in run.per_worker) >= 2, run
    assert run.decision is not None
    text = explain.reason(run.decision)
    assert "sent to the cluster" in text or "spread over the cluster's" in text, text


@pytest.mark.slow
def test_a_worker_that_joins_during_a_call_is_used(fresh_policy: Any) -> None:
    pytest.importorskip("distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(__import__(__name__))
    client = remote.local(2, only=True)
    try:
        client.wait_for_workers(2, timeout=60)
        cluster = remote._cluster
        started = threading.Event()

        def grow(event: Any) -> None:
            if isinstance(event, events.BatchDone) and not started.is_set():
                started.set()
                threading.Thread(target=cluster.scale, args=(3,), daemon=True).start()

        unsubscribe = events.subscribe(grow)
        try:
            with parallel_config(backend="aigc"):
                out = Parallel(n_jobs=-1, batch_size=1)(delayed(nap)(0.25) for _ in range(40))
        finally:
            unsubscribe()
        assert out == [0.25] * 40
        run = last_run()
        assert run.arm == "dask" and run.ok
        remote_workers = [w for w in run.per_worker if w.startswith("tcp://")]
        assert len(remote_workers) == 3, run.per_worker  # the newcomer took batches too
    finally:
        remote.disconnect()
        cloudpickle.unregister_pickle_by_value(__import__(__name__))


@pytest.mark.slow
def test_a_cluster_busy_with_other_work_gets_none_of_the_call(four_workers: Any) -> None:
    import distributed

    from aigc_magic.grid.nodes import cluster_state

    other = distributed.Client(four_workers.scheduler.address, set_as_default=False)
    try:  # someone else's work fills every thread
        hogs = [other.submit(nap, 20.0, pure=False) for _ in range(4)]
        deadline = time.monotonic() + 30
        while cluster_state(four_workers, fresh=True).free > 0:
            assert time.monotonic() < deadline, "the other client's tasks never started"
            time.sleep(0.2)
        with parallel_config(backend="aigc"):
            naps = Parallel(n_jobs=-1)(delayed(nap)(0.3) for _ in range(8))
        assert naps == [0.3] * 8
        run = last_run()
        assert run.arm != "dask" and run.decision is not None, run
        assert "busy with other work" in explain.reason(run.decision)
        other.cancel(hogs)
    finally:
        other.close()
