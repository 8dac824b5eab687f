"""Workers killed mid-run: lost batches are resubmitted (boundedly), user errors are not.

Tasks kill their own worker process with SIGKILL, once (a marker file remembers) or every
time, so the loss happens mid-run at a known task.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from joblib import Parallel, delayed, parallel_config

from aigc_magic.errors import WorkerLostError
from aigc_magic.grid import events
from aigc_magic.grid.backend import last_run


def kill_once(i: int, marker: str, log: str, victim: int = 13) -> int:
    """Return i * 3; the first time task ``victim`` runs, SIGKILL this worker process."""
    with open(log, "a") as f:
        f.write(f"{i}\n")
    if i == victim:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)
    return i * 3


def kill_always(i: int, victim: int = 5) -> int:
    if i == victim:
        os.kill(os.getpid(), signal.SIGKILL)
    return i


def fail_once_counted(i: int, log: str) -> int:
    with open(log, "a") as f:
        f.write(f"{i}\n")
    if i == 4:
        raise ValueError("a bug in the task")
    return i


def aigc_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("aigc:")]


def run_with_events(fn: Any) -> tuple[Any, list[Any]]:
    got: list[Any] = []
    unsubscribe = events.subscribe(got.append)
    try:
        return fn(), got
    finally:
        unsubscribe()


@pytest.mark.slow
def test_loky_worker_killed_mid_run_is_retried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker, log = str(tmp_path / "killed"), str(tmp_path / "runs.log")
    with parallel_config(backend="aigc", arm="loky"):
        out, got = run_with_events(
            lambda: Parallel(n_jobs=2, batch_size=5)(
                delayed(kill_once)(i, marker, log) for i in range(40)
            )
        )
    assert out == [i * 3 for i in range(40)]
    lines = aigc_lines(capsys.readouterr().err)
    assert len(lines) == 1, lines
    assert "a loky worker died (SIGKILL)" in lines[0] and "resubmitted" in lines[0]
    lost = [e for e in got if isinstance(e, events.WorkerLost)]
    assert len(lost) == 1 and lost[0].retried and lost[0].message == lines[0]
    run = last_run()
    assert run.ok and run.n_done == 40 and run.n_retried >= 1
    # finished batches were kept: only the resubmitted batches ran twice
    runs = Path(log).read_text().split()
    assert len(runs) <= 40 + 5 * run.n_retried
    assert Path(marker).exists()


@pytest.mark.slow
def test_loky_retries_are_bounded(capsys: pytest.CaptureFixture[str]) -> None:
    with (
        parallel_config(backend="aigc", arm="loky", max_retries=1),
        pytest.raises(WorkerLostError) as info,
    ):
        Parallel(n_jobs=2, batch_size=2)(delayed(kill_always)(i) for i in range(12))
    message = str(info.value)
    assert "lost 2 times" in message and "SIGKILL" in message
    assert "a batch of 2 calls to kill_always()" in message
    assert len(aigc_lines(capsys.readouterr().err)) == 1
    assert last_run().ok is False
    with parallel_config(backend="aigc", arm="loky"):  # the executor is usable again
        assert Parallel(n_jobs=2)(delayed(abs)(-i) for i in range(6)) == list(range(6))


def test_user_errors_are_not_retried(
    arm: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = str(tmp_path / "runs.log")
    with pytest.raises(ValueError, match="a bug in the task"):
        Parallel(n_jobs=2, batch_size=1)(delayed(fail_once_counted)(i, log) for i in range(8))
    assert Path(log).read_text().split().count("4") == 1
    assert aigc_lines(capsys.readouterr().err) == []


@pytest.mark.slow
def test_dask_worker_killed_mid_run_is_rescheduled(
    dask_client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker, log = str(tmp_path / "killed"), str(tmp_path / "runs.log")
    with parallel_config(backend="aigc"):
        out, got = run_with_events(
            lambda: Parallel(n_jobs=-1, batch_size=4)(
                delayed(kill_once)(i, marker, log) for i in range(24)
            )
        )
    assert out == [i * 3 for i in range(24)]
    assert last_run().arm == "dask" and last_run().ok
    lines = aigc_lines(capsys.readouterr().err)
    assert len(lines) == 1, lines
    assert "Dask worker tls://127.0.0.1:" in lines[0] and "1 batch (4 tasks)" in lines[0]
    assert [e.n_lost_tasks for e in got if isinstance(e, events.WorkerLost)] == [4]
    dask_client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker


@pytest.mark.slow
def test_dask_retries_are_bounded(dask_client: Any) -> None:
    with (
        parallel_config(backend="aigc", max_retries=0),
        pytest.raises(WorkerLostError, match="lost 1 time "),
    ):
        Parallel(n_jobs=-1, batch_size=3)(delayed(kill_always)(i) for i in range(9))
    dask_client.wait_for_workers(2, timeout=60)
