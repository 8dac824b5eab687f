"""Other projects' own tests as judges of the grid (see ``test_joblib_suite.py``).

Of joblib's ``test_parallel.py`` only the cases that run on aigc are kept: those with an
``"aigc"`` parameter or an ``AigcBackend`` instance (``ALL_VALID_BACKENDS`` holds one, with
an id like ``backend5``). A case that cannot pass because aigc means something else on
purpose goes in :data:`SKIPS` with its reason; the README's "Differences from joblib's
backends" states each one. At most three, by the project's rule.
"""

from __future__ import annotations

from typing import Any

import pytest

#: test id -> why aigc differs there on purpose (also stated in the README).
SKIPS: dict[str, str] = {}

JOBLIB_SUITE = "test_joblib_suite.py"


def pytest_configure(config: pytest.Config) -> None:
    # markers joblib's test file uses (its own conftest, not shipped, declares them)
    config.addinivalue_line("markers", "thread_unsafe: joblib's marker for pytest-run-parallel")
    config.addinivalue_line("markers", "no_cover: joblib's marker for coverage runs")


def _runs_on_aigc(item: pytest.Item) -> bool:
    from aigc_magic.grid.backend import AigcBackend

    params: dict[str, Any] = getattr(getattr(item, "callspec", None), "params", {})
    return any(
        value == "aigc" or isinstance(value, AigcBackend)
        for value in params.values()
        if isinstance(value, (str, AigcBackend))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        if item.path.name != JOBLIB_SUITE:
            kept.append(item)
        elif _runs_on_aigc(item):
            item.add_marker(pytest.mark.slow)  # ~50 s in all: `make test-fast` leaves it out
            reason = SKIPS.get(item.name)
            if reason is not None:
                item.add_marker(pytest.mark.skip(reason=f"aigc differs on purpose: {reason}"))
            kept.append(item)
        else:
            dropped.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
