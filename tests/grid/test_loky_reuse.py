"""Switching arms keeps loky's workers: BLAS limits per batch, fewer workers by throttling.

Restarting loky workers is slow (more so with more cores); an arm switch that restarted
them would cost more than most arms save.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from joblib import Parallel, delayed, parallel_config
from joblib.externals.loky import reusable_executor
from threadpoolctl import threadpool_info

from aigc_magic.grid.arms import Arm
from aigc_magic.grid.backend import last_run
from aigc_magic.grid.lokypool import loky_warm
from aigc_magic.grid.scheduler import FixedPolicy

pytestmark = [pytest.mark.filterwarnings("ignore::UserWarning"), pytest.mark.slow]


def blas_and_pid(delay: float) -> tuple[int, int, float, float]:
    start = time.time()
    time.sleep(delay)
    threads = min(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
    return os.getpid(), threads, start, time.time()


def pinned(arm: Arm) -> Any:
    """``parallel_config`` that runs every aigc call on ``arm``."""
    return parallel_config(backend="aigc", policy=FixedPolicy(arm))


def run(arm: Arm, n: int = 8, delay: float = 0.0) -> list[tuple[int, int, float, float]]:
    with pinned(arm):
        out = Parallel(n_jobs=-1, batch_size=1)(delayed(blas_and_pid)(delay) for _ in range(n))
    assert last_run().arm == "loky"
    return out


def processes() -> set[int]:
    """The worker processes of joblib's live loky executor."""
    return {p.pid for p in reusable_executor._executor._processes.values()}


@pytest.fixture
def joblib_workers() -> set[int]:
    """joblib's own two loky workers, started by a plain ``Parallel(n_jobs=2)``: their PIDs."""
    Parallel(n_jobs=2)(delayed(blas_and_pid)(0) for _ in range(4))
    return processes()


def test_other_blas_threads_reuse_the_workers_and_last_one_batch(joblib_workers: set[int]) -> None:
    import numpy  # noqa: F401  (loads OpenBLAS here, so the workers' batches do too)

    before = joblib_workers
    assert loky_warm() == 2

    four = run(Arm("loky", 2, None, 4))
    assert {t for _, t, _, _ in four} == {4}  # set inside the worker, for these batches
    one = run(Arm("loky", 2, None, 1))
    assert {t for _, t, _, _ in one} == {1}  # and undone after them
    joblib_again = Parallel(n_jobs=2)(delayed(blas_and_pid)(0) for _ in range(4))
    assert {t for _, t, _, _ in joblib_again} == {1}

    assert processes() == before  # not one worker restarted
    assert {p for p, *_ in four + one + joblib_again} <= before


def test_fewer_workers_throttle_instead_of_killing_some(joblib_workers: set[int]) -> None:
    before = joblib_workers

    out = run(Arm("loky", 1, None, 1), n=6, delay=0.05)
    spans = sorted((start, end) for _, _, start, end in out)
    overlaps = sum(b_start < a_end for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert overlaps == 0  # one batch at a time, as the arm says
    assert processes() == before  # the second worker was kept, idle
    assert loky_warm() == 2

    both = run(Arm("loky", 2, None, 1), n=6, delay=0.05)
    assert len({p for p, *_ in both}) == 2 and processes() == before


def test_a_throttled_call_stops_cleanly_on_a_user_error(joblib_workers: set[int]) -> None:
    with pinned(Arm("loky", 1, None, 1)), pytest.raises(ZeroDivisionError):
        Parallel(n_jobs=-1, batch_size=1)(delayed(divmod)(1, i % 3) for i in range(12))
    assert run(Arm("loky", 1, None, 1), n=4)  # the pool still works afterwards


def kill_once(i: int, marker: str) -> int:
    if i == 5 and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return -i


def test_a_worker_killed_under_a_throttled_call_is_replaced_and_its_batch_rerun(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], joblib_workers: set[int]
) -> None:
    with pinned(Arm("loky", 1, None, 1)):
        out = Parallel(n_jobs=-1, batch_size=2)(
            delayed(kill_once)(i, str(tmp_path / "killed")) for i in range(12)
        )
    assert out == [-i for i in range(12)]
    finished = last_run()
    assert finished.ok and finished.n_done == 12 and finished.n_retried >= 1
    assert "a loky worker died" in capsys.readouterr().err
    assert len(run(Arm("loky", 2, None, 1), n=4)) == 4  # the pool works again


def test_a_throttled_call_that_times_out_leaves_the_next_call_working(
    joblib_workers: set[int],
) -> None:
    start = time.perf_counter()
    with pinned(Arm("loky", 1, None, 1)), pytest.raises(multiprocessing.TimeoutError):
        Parallel(n_jobs=-1, batch_size=1, timeout=0.5)(
            delayed(time.sleep)(s) for s in (0.01, 3, 3, 3)
        )
    assert time.perf_counter() - start < 2.5  # not the 9 s the waiting batches would take
    assert len(run(Arm("loky", 1, None, 1), n=4)) == 4
