"""`%load_ext aigc_magic` stays cheap: heavy libraries load on first use only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = [
    "openai",
    "sklearn",
    "dask",
    "distributed",
    "ipywidgets",
    "joblib",
    "numpy",
    "sympy",
    "pandas",
    "matplotlib",
    "scipy",
]

_PROBE = """
import json, sys, time
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
before = set(sys.modules)
t = time.perf_counter()
shell.run_line_magic("load_ext", "aigc_magic")
elapsed = time.perf_counter() - t
print(json.dumps({"elapsed": elapsed, "loaded": sorted(set(sys.modules) - before)}))
"""


def _probe() -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_load_ext_imports_nothing_heavy() -> None:
    loaded = _probe()["loaded"]
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY]
    assert heavy == [], f"%load_ext aigc_magic imported {heavy}"


@pytest.mark.slow
def test_load_ext_adds_at_most_150_ms() -> None:
    # best of three, so a busy CI machine does not decide the outcome
    elapsed = min(_probe()["elapsed"] for _ in range(3))
    print(f"%load_ext aigc_magic took {elapsed * 1000:.1f} ms")
    assert elapsed < 0.15


def test_backend_registers_when_joblib_is_imported_later() -> None:
    code = (
        "import aigc_magic, sys; assert 'joblib' not in sys.modules; "
        "import joblib; from joblib.parallel import BACKENDS; print('aigc' in BACKENDS)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_planning_a_sympy_task_imports_no_sympy() -> None:
    code = (
        "import sys; from aigc_magic.llm.offline import OfflinePlanner; "
        "p = OfflinePlanner().plan('factorial of 100'); assert 'sympy' in p.code; "
        "print(sorted(m for m in ('sympy', 'pandas', 'matplotlib', 'sklearn') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
