"""Property-based: any ``Parallel`` call gives on ``backend="aigc"`` what it gives on
``backend="sequential"``: the same results (sorted for ``generator_unordered``) or the same
exception type, whatever joblib arguments, input shape and task mix hypothesis draws.

Examples are derandomized so a CI run is reproducible; ``AIGC_HYPOTHESIS_EXAMPLES`` asks for
more (``AIGC_HYPOTHESIS_EXAMPLES=3000 pytest tests/grid/test_properties.py``), drawn at random.
A failure found here becomes a plain test in ``test_dropin.py``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joblib import Parallel, delayed

import aigc_magic  # noqa: F401  (registers backend "aigc")

EXAMPLES = int(os.environ.get("AIGC_HYPOTHESIS_EXAMPLES", "200"))


class Boom(ValueError):
    """What the raising task raises (a subclass, so the type comparison is not trivial)."""


def instant(i: int) -> int:
    return 2 * i + 1


def gil_free(i: int) -> int:
    time.sleep(0.0002)  # releases the GIL, as numpy and I/O do
    return i * i


def pure_python(i: int) -> int:
    return sum(range(i % 300))


TASKS = {"instant": instant, "gil_free": gil_free, "pure_python": pure_python}


def boom(i: int) -> int:
    raise Boom(f"task {i} failed")


calls = st.fixed_dictionaries(
    {
        "n_jobs": st.sampled_from([1, 2, -1, -2, None]),
        "batch_size": st.one_of(st.just("auto"), st.integers(1, 40)),
        "pre_dispatch": st.sampled_from(["2 * n_jobs", "n_jobs", "all", 3]),
        "prefer": st.sampled_from([None, "threads", "processes"]),
        "require": st.sampled_from([None, "sharedmem"]),
        "return_as": st.sampled_from(["list", "generator", "generator_unordered"]),
        "timeout": st.sampled_from([None, 30.0]),
    }
)


@st.composite
def workloads(draw: st.DrawFn) -> tuple[list[tuple[str, int]], bool]:
    """``(tasks as (kind, argument), as_generator)``; at most one task raises."""
    n = draw(st.sampled_from([0, 1, 7, 1000]))
    kinds = draw(st.lists(st.sampled_from(sorted(TASKS)), min_size=1, max_size=3))
    tasks = [(kinds[i % len(kinds)], i) for i in range(n)]
    if n and draw(st.booleans()):
        tasks[draw(st.integers(0, n - 1))] = ("boom", -1)
    return tasks, draw(st.booleans())


def _delayed(tasks: list[tuple[str, int]], as_generator: bool) -> Iterable[Any]:
    made = (delayed(boom if kind == "boom" else TASKS[kind])(i) for kind, i in tasks)
    return made if as_generator else list(made)


def _outcome(
    backend: str, call: dict[str, Any], tasks: list[tuple[str, int]], as_generator: bool
) -> tuple[str, Any]:
    """``("ok", results)`` or ``("raised", exception type)``."""
    try:
        out = Parallel(backend=backend, **call)(_delayed(tasks, as_generator))
        results = list(out) if isinstance(out, Iterator) else out
    except Exception as exc:
        return "raised", type(exc)
    if call["return_as"] == "generator_unordered":
        results = sorted(results)
    return "ok", results


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="AIGC_HYPOTHESIS_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(call=calls, workload=workloads())
def test_aigc_gives_what_sequential_gives(
    call: dict[str, Any], workload: tuple[list[tuple[str, int]], bool]
) -> None:
    tasks, as_generator = workload
    want = _outcome("sequential", call, tasks, as_generator)
    got = _outcome("aigc", call, tasks, as_generator)
    assert got == want
