"""scikit-learn's own tests judge ``backend="aigc"``: its model-selection and ensemble
suites (test_search, test_validation, test_bagging, test_voting, test_stacking, ~630 cases)
run from the installed scikit-learn, each test inside ``parallel_config(backend="aigc")``
(the :mod:`sklearn_on_aigc` plugin), in a pytest of their own so that scikit-learn's
``conftest.py`` and settings apply, not ours.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SUITES = [
    "sklearn.model_selection.tests.test_search",
    "sklearn.model_selection.tests.test_validation",
    "sklearn.ensemble.tests.test_bagging",
    "sklearn.ensemble.tests.test_voting",
    "sklearn.ensemble.tests.test_stacking",
]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_scikit_learn_suites_pass_on_the_grid(tmp_path: Path) -> None:
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ini),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            "-p",
            "sklearn_on_aigc",
            "-q",
            "-rf",
            "--pyargs",
            *SUITES,
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = done.stdout[-4000:] + done.stderr[-2000:]
    counts = {
        word: int(n)
        for n, word in re.findall(
            r"(\d+) (passed|failed|skipped|errors?)", done.stdout.splitlines()[-1]
        )
    }
    print(done.stdout.splitlines()[-2:])  # "aigc ran N joblib calls", the pytest summary
    assert done.returncode == 0, tail
    assert counts.get("failed", 0) == 0 and not counts.get("error") and not counts.get("errors"), (
        tail
    )
    assert counts.get("passed", 0) >= 500, tail  # the selection was collected, not lost
    assert re.search(r"aigc ran [1-9]\d* joblib calls", done.stdout), tail
