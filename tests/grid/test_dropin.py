"""Plain joblib code switched to ``backend="aigc"`` loses nothing: regression tests for what
a new user met (see also ``tests/upstream``, joblib's own suite, and ``test_properties.py``).
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from typing import Any

import pytest
from joblib import Parallel, delayed, parallel_config
from joblib.parallel import BACKENDS, get_active_backend

from aigc_magic.grid.backend import AigcBackend, last_run


def square(x: int) -> int:
    return x * x


@pytest.mark.slow
def test_prefer_processes_without_a_cluster_runs_on_loky() -> None:
    # raised ZeroDivisionError: the Dask arms were offered with no cluster connected
    out = Parallel(backend="aigc", n_jobs=2, prefer="processes")(
        delayed(square)(i) for i in range(100)
    )
    assert out == [i * i for i in range(100)]
    assert last_run().arm == "loky"


def test_a_timeout_stops_the_wait_when_the_policy_picks_the_arm() -> None:
    # the first task used to be probed in the calling thread, which no timeout can stop
    started = time.perf_counter()
    with pytest.raises(multiprocessing.TimeoutError):
        Parallel(backend="aigc", n_jobs=2, timeout=0.5)(delayed(time.sleep)(5) for _ in range(4))
    assert time.perf_counter() - started < 0.5 + 0.5
    assert Parallel(backend="aigc", n_jobs=2)(delayed(square)(i) for i in range(5)) == [
        0,
        1,
        4,
        9,
        16,
    ]


def test_the_active_backend_is_of_the_registered_class() -> None:
    with parallel_config(backend="aigc"):
        backend, _ = get_active_backend()
    assert BACKENDS["aigc"] is AigcBackend
    assert type(backend) is BACKENDS["aigc"]


def test_one_job_reads_its_input_one_task_at_a_time() -> None:
    log: list[str] = []

    def produce() -> Any:
        for i in range(4):
            log.append(f"made {i}")
            yield delayed(log.append)(f"ran {i}")

    Parallel(backend="aigc", n_jobs=1)(produce())
    assert log == [f"{verb} {i}" for i in range(4) for verb in ("made", "ran")]


# Defined in a module nobody can import, so it travels by value as a notebook's function
# does, and the Dask worker imports nothing of this test (or of aigc_magic) to run it.
NESTED_ON_A_DASK_WORKER = """
def nested_on_a_dask_worker(n):
    import sys
    from joblib import Parallel, delayed

    out = Parallel(n_jobs=2, backend="aigc")(delayed(abs)(-i) for i in range(n))
    return out, "_aigc_magic_joblib" in sys.modules
"""


@pytest.mark.slow
def test_a_nested_aigc_call_on_a_dask_worker_finds_the_backend(dask_client: Any) -> None:
    namespace: dict[str, Any] = {"__name__": "not_importable_anywhere"}
    exec(NESTED_ON_A_DASK_WORKER, namespace)
    task = namespace["nested_on_a_dask_worker"]
    out, hooked = dask_client.submit(task, 6, pure=False).result(timeout=60)
    assert out == list(range(6))
    assert hooked  # the start-up hook installed with the package registered it there
    assert "_aigc_magic_joblib" in sys.modules  # and here
