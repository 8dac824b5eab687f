"""Planners: turn prose into a :class:`~aigc_magic.llm.plan.TaskPlan`.

Planners are looked up by name in one registry (as joblib's ``BACKENDS``): ``offline`` is the
embedded default (a recipe catalog, no network); ``llm`` speaks to any OpenAI-compatible
endpoint (``openai.py``). Each is imported on first use, never at package import;
:func:`register_planner` adds one and :func:`use_planner` stands one in for a while (tests).
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from ..errors import PlanningError
from .plan import TaskPlan

__all__ = ["PLANNERS", "Planner", "Stream", "get_planner", "register_planner", "use_planner"]

Stream = Callable[[str], None]

#: name -> ``"module:Class"``, built on first use, or a planner registered ready-made
PLANNERS: dict[str, str | Planner] = {
    "offline": "aigc_magic.llm.offline:OfflinePlanner",
    "llm": "aigc_magic.llm.openai:OpenAIPlanner",
}

_built: dict[str, Planner] = {}  # the planners built from PLANNERS' "module:Class" entries


class Planner(Protocol):
    """What the engine needs from a planner."""

    source: str

    def plan(
        self,
        prose: str,
        namespace: Mapping[str, Any] | None = None,
        *,
        previous: TaskPlan | None = None,
        stream: Stream | None = None,
    ) -> TaskPlan:
        """The plan for ``prose``; raises :class:`~aigc_magic.errors.PlanningError`."""
        ...

    def repair(
        self, plan: TaskPlan, problem: str, *, attempt: int, stream: Stream | None = None
    ) -> TaskPlan | None:
        """``plan`` with its code fixed for ``problem`` (a traceback, the safety findings, a
        compile error); None when this planner cannot repair code."""
        ...

    def answer(
        self,
        plan: TaskPlan,
        value: Any,
        *,
        schedule: str | None = None,
        timings: Mapping[str, float] | None = None,
        stream: Stream | None = None,
    ) -> str:
        """The result in words, in the prose's language."""
        ...


def get_planner(name: str) -> Planner:
    """Return the planner registered as ``name``, building it on first use."""
    if name not in PLANNERS:
        close = difflib.get_close_matches(name, PLANNERS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise PlanningError(
            f"Unknown planner {name!r}.{hint} Choose one of: {', '.join(sorted(PLANNERS))}, "
            f'e.g. %config AskMagics.planner = "offline".'
        )
    entry = PLANNERS[name]
    if not isinstance(entry, str):
        return entry
    if name not in _built:
        module_name, _, attr = entry.partition(":")
        _built[name] = getattr(importlib.import_module(module_name), attr)()
    return _built[name]


def register_planner(name: str, planner: str | Planner) -> None:
    """Register ``planner`` as ``name``, replacing any planner of that name.

    ``planner`` is a ready planner or ``"module:Class"``, imported and built on first use.
    """
    PLANNERS[name] = planner
    _built.pop(name, None)


@contextlib.contextmanager
def use_planner(name: str, planner: Planner) -> Iterator[Planner]:
    """Stand ``planner`` in for the one registered as ``name`` inside a ``with`` block
    (tests: ``with use_planner("offline", scripted): ...``); the old one is back after."""
    saved = PLANNERS.get(name)
    PLANNERS[name] = planner
    try:
        yield planner
    finally:
        if saved is None:
            del PLANNERS[name]
        else:
            PLANNERS[name] = saved
