"""The joblib features the ``"aigc"`` backend promises, on every arm.

Each test takes the ``arm`` fixture, which forces one arm (sequential, threads, loky, dask
on a real mutual-TLS cluster) through ``parallel_config(backend="aigc", arm=...)``.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from typing import Any

import numpy as np
import pytest
from joblib import Parallel, cpu_count, delayed, effective_n_jobs, parallel_config
from threadpoolctl import threadpool_info

from aigc_magic.grid import events
from aigc_magic.grid.backend import last_run

NOTEBOOK_CELL = """
def cube(x):
    return x ** 3

shift = lambda x, k=1: x + k
"""


def notebook_namespace() -> dict[str, Any]:
    """Functions as a notebook defines them: in ``__main__``, so they travel by value."""
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(NOTEBOOK_CELL, "<ipython-input-1>", "exec"), ns)
    return ns


def square(x: int) -> int:
    return x * x


def slow_square(x: int) -> int:
    time.sleep(0.01)
    return x * x


def fail_on(x: int, bad: int = 3) -> int:
    if x == bad:
        raise KeyError(f"no entry for {x}")
    return x


def nested_sum(n: int) -> tuple[int, int]:
    inner = Parallel(n_jobs=-1)(delayed(square)(i) for i in range(n))
    return sum(inner), effective_n_jobs(-1)


def blas_threads(_: int) -> int:
    return min(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")


def describe(a: np.ndarray) -> tuple[str, int, float]:
    return type(a).__name__, id(a), float(a.sum())


def test_functions_and_lambdas_from_a_notebook(arm: str) -> None:
    ns = notebook_namespace()
    assert ns["cube"].__module__ == "__main__"
    assert Parallel(n_jobs=2)(delayed(ns["cube"])(i) for i in range(30)) == [
        i**3 for i in range(30)
    ]
    assert Parallel(n_jobs=2)(delayed(ns["shift"])(i, k=2) for i in range(10)) == list(range(2, 12))
    assert last_run().arm == arm


@pytest.mark.parametrize("return_as", ["generator", "generator_unordered"])
def test_generators(arm: str, return_as: str) -> None:
    out = Parallel(n_jobs=2, return_as=return_as)(delayed(slow_square)(i) for i in range(20))
    assert not isinstance(out, list)
    got = list(out)
    want = [i * i for i in range(20)]
    assert (got if return_as == "generator" else sorted(got)) == want
    assert last_run().ok


def test_timeout(arm: str) -> None:
    if arm == "sequential":
        # in-process work cannot be interrupted: joblib says the timeout does not apply,
        # and the call still completes (unforced, the policy picks a thread instead; see
        # test_timeout_without_a_forced_arm_runs_on_a_thread)
        with pytest.warns(UserWarning, match="does not support timeout"):
            out = Parallel(n_jobs=2, timeout=0.5)(delayed(time.sleep)(s) for s in (0.01, 0.01))
        assert out == [None, None]
        return
    started = time.perf_counter()
    with pytest.raises(multiprocessing.TimeoutError):  # what joblib raises
        Parallel(n_jobs=2, timeout=0.5)(delayed(time.sleep)(5) for _ in range(4))
    # as joblib's own backends: at the timeout, not when the stuck tasks end (threads are
    # abandoned, not joined)
    assert time.perf_counter() - started < 0.5 + 0.5
    assert Parallel(n_jobs=2)(delayed(square)(i) for i in range(6)) == [i * i for i in range(6)]


def test_nested_calls_do_not_oversubscribe(arm: str) -> None:
    out = Parallel(n_jobs=2)(delayed(nested_sum)(n) for n in range(2, 8))
    assert [s for s, _ in out] == [sum(i * i for i in range(n)) for n in range(2, 8)]
    outer = last_run().n_workers
    inner = max(k for _, k in out)
    if arm == "dask":
        assert inner == 1
    else:
        assert outer * inner <= max(cpu_count(), outer)


def test_n_jobs_minus_one_uses_every_core(arm: str) -> None:
    assert Parallel(n_jobs=-1)(delayed(square)(i) for i in range(10)) == [i * i for i in range(10)]
    expected = {"sequential": 1, "threads": cpu_count(), "loky": cpu_count(), "dask": 2}
    assert last_run().n_workers == expected[arm]


def test_exception_keeps_type_and_remote_traceback(arm: str) -> None:
    with pytest.raises(KeyError) as info:
        Parallel(n_jobs=2)(delayed(fail_on)(i) for i in range(8))
    cause = str(info.value.__cause__)
    assert "fail_on" in cause
    assert "KeyError" in cause and "no entry for 3" in cause
    assert last_run().ok is False


def test_large_numpy_argument_is_not_pickled_per_task(
    arm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = np.arange(300_000, dtype=np.float64)  # 2.4 MB, above the 1 MB threshold
    scatters: list[Any] = []
    if arm == "dask":
        from aigc_magic.grid.remote import current_client

        client = current_client()
        real = client.scatter
        monkeypatch.setattr(client, "scatter", lambda *a, **k: scatters.append(a) or real(*a, **k))
    out = Parallel(n_jobs=2, batch_size=1)(delayed(describe)(big) for _ in range(6))
    assert {total for _, _, total in out} == {float(big.sum())}
    kinds = {kind for kind, _, _ in out}
    if arm in ("sequential", "threads"):
        assert {ident for _, ident, _ in out} == {id(big)}
    elif arm == "loky":
        assert kinds == {"memmap"}
    else:
        assert len(scatters) == 1


def test_sharedmem_is_honoured(arm: str) -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def record(i: int) -> None:
        with lock:
            seen.append(i)

    Parallel(n_jobs=2, require="sharedmem")(delayed(record)(i) for i in range(20))
    assert sorted(seen) == list(range(20))
    assert last_run().arm in ("sequential", "threads")


def test_blas_threads_inside_workers(arm: str) -> None:
    seen = set(Parallel(n_jobs=2, batch_size=1)(delayed(blas_threads)(i) for i in range(4)))
    run = last_run()
    assert run.n_workers * max(seen) <= max(cpu_count(), run.n_workers)
    if arm != "sequential":
        assert seen == {1}


def test_progress_events(arm: str) -> None:
    got: list[Any] = []
    unsubscribe = events.subscribe(got.append)
    try:
        Parallel(n_jobs=2, batch_size=4)([delayed(square)(i) for i in range(40)])
    finally:
        unsubscribe()
    started, finished = got[0], got[-1]
    assert isinstance(started, events.RunStarted)
    assert started.arm == arm and started.n_tasks == 40 and started.decision
    assert isinstance(finished, events.RunFinished)
    assert finished.ok and finished.n_done == 40 and finished.arm == arm
    assert sum(finished.per_worker.values()) == 40
    done = [e for e in got if isinstance(e, events.BatchDone)]
    assert sum(e.batch_size for e in done) == 40  # joblib shrinks the last batches
    assert sorted(e.n_done for e in done)[-1] == 40
    assert all(e.call_id == started.call_id for e in done)


def test_hints_pick_the_arm_when_none_is_forced() -> None:
    with parallel_config(backend="aigc"):
        Parallel(n_jobs=2, prefer="threads")(delayed(square)(i) for i in range(4))
        assert last_run().arm == "threads"
        Parallel(n_jobs=2, require="sharedmem")(delayed(square)(i) for i in range(4))
        assert last_run().arm == "threads"
        before = last_run()
        here = threading.current_thread().name
        names = Parallel(n_jobs=1)(
            delayed(lambda: threading.current_thread().name)() for _ in range(4)
        )
        assert names == [here] * 4
        assert last_run() is before  # joblib's own sequential loop ran it: nothing to report
        Parallel(n_jobs=1, timeout=5)(delayed(square)(i) for i in range(4))
        assert last_run().arm == "threads"


def test_unknown_arm_suggests_the_right_one() -> None:
    with (
        pytest.raises(ValueError, match="Did you mean 'threads'"),
        parallel_config(backend="aigc", arm="thread"),
    ):
        pass


def nested_blas(n: int) -> list[int]:
    return Parallel(n_jobs=-1)(delayed(blas_threads)(i) for i in range(n))


def test_nested_threads_limit_blas_too() -> None:
    with parallel_config(backend="aigc", arm="sequential"):
        out = Parallel(n_jobs=2)(delayed(nested_blas)(4) for _ in range(2))
    assert {k for inner in out for k in inner} == {1}  # cores threads × 1 BLAS thread


def test_timeout_without_a_forced_arm_runs_on_a_thread() -> None:
    with parallel_config(backend="aigc"):
        started = time.perf_counter()
        with pytest.raises(multiprocessing.TimeoutError):
            Parallel(n_jobs=1, timeout=0.5)(delayed(time.sleep)(s) for s in (0.01, 3))
        assert time.perf_counter() - started < 2.5
    assert last_run().arm == "threads"
