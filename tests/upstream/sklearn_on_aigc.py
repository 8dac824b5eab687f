"""pytest plugin: every scikit-learn test runs under ``parallel_config(backend="aigc")``.

Loaded by ``test_sklearn_suite.py`` into a pytest run of scikit-learn's installed tests
(``-p sklearn_on_aigc --pyargs sklearn...``). At the end it says how many joblib calls the
grid ran; a run in which the grid ran none fails, since it would have judged nothing.

``AIGC_UPSTREAM_BACKEND`` (default ``aigc``) and ``AIGC_UPSTREAM_N_JOBS`` (default unset)
run the same selection on another backend or with every ``n_jobs=None`` raised, to compare
backends: many of scikit-learn's tests assume ``n_jobs=None`` runs in-process (its metadata
routing tests record calls in the test's own process), so a forced ``n_jobs`` fails some on
joblib's own backends too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from joblib import parallel_config

from aigc_magic.grid import events

_runs: list[Any] = []


def pytest_configure(config: pytest.Config) -> None:
    events.subscribe(
        lambda event: _runs.append(event) if isinstance(event, events.RunFinished) else None
    )


@pytest.fixture(autouse=True)
def _on_the_grid() -> Iterator[None]:
    n_jobs = os.environ.get("AIGC_UPSTREAM_N_JOBS")
    backend = os.environ.get("AIGC_UPSTREAM_BACKEND", "aigc")
    with parallel_config(backend=backend, n_jobs=int(n_jobs) if n_jobs else None):
        yield


def pytest_terminal_summary(terminalreporter: Any) -> None:
    arms: dict[str, int] = {}
    for run in _runs:
        arms[run.arm] = arms.get(run.arm, 0) + 1
    terminalreporter.write_line(f"aigc ran {len(_runs)} joblib calls: {arms}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _runs and exitstatus == 0:
        session.exitstatus = 1
