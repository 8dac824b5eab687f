"""``import aigc_magic`` registers backend "aigc" without importing joblib, dask or numpy."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_backend_is_registered_lazily() -> None:
    out = run_python("""
        import sys
        import aigc_magic
        import aigc_magic.grid as grid
        grid.connect, grid.disconnect, grid.local, grid.current_client, grid.list_workers
        heavy = [m for m in ("joblib", "numpy", "dask", "distributed", "ipywidgets")
                 if m in sys.modules]
        assert not heavy, heavy
        from joblib import Parallel, delayed, parallel_config
        with parallel_config(backend="aigc"):
            assert Parallel(n_jobs=2)(delayed(abs)(-i) for i in range(3)) == [0, 1, 2]
        print(grid.last_run().arm)
    """)
    # it ran on the aigc grid; which arm is the scheduler's call (3 tiny tasks: in-process)
    assert out.strip() in ("sequential", "threads", "loky")


def test_registered_when_joblib_came_first() -> None:
    out = run_python("""
        import joblib.parallel
        import aigc_magic
        print("aigc" in joblib.parallel.BACKENDS)
    """)
    assert out.strip() == "True"
