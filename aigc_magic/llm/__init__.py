"""Planners: turn prose into a :class:`~aigc_magic.llm.plan.TaskPlan`.

Planners are looked up by name in one registry (as joblib's ``BACKENDS``): ``offline`` is the
embedded default (a recipe catalog, no network); ``llm`` speaks to any OpenAI-compatible
endpoint (``openai.py``). Planners that can fix their own code have a ``repair`` method.
Each is imported on first use, never at package import.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from typing import Any, Protocol

from ..errors import PlanningError
from .plan import TaskPlan

PLANNERS: dict[str, str] = {
    "offline": "aigc_magic.llm.offline:OfflinePlanner",
    "llm": "aigc_magic.llm.openai:OpenAIPlanner",
}

_instances: dict[str, Any] = {}


class Planner(Protocol):
    """What the engine needs from a planner."""

    source: str

    def plan(self, prose: str, namespace: Any = None, *, previous: TaskPlan | None = None,
             stream: Callable[[str], None] | None = None) -> TaskPlan: ...

    def answer(self, plan: TaskPlan, value: Any, *, schedule: str | None = None,
               timings: Any = None, stream: Callable[[str], None] | None = None) -> str: ...


def get_planner(name: str) -> Planner:
    """Return the planner registered as ``name``, building it on first use."""
    if name not in PLANNERS:
        close = difflib.get_close_matches(name, PLANNERS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise PlanningError(
            f"Unknown planner {name!r}.{hint} Choose one of: {', '.join(sorted(PLANNERS))}, "
            f'e.g. %config AskMagics.planner = "offline".'
        )
    if name not in _instances:
        module_name, _, attr = PLANNERS[name].partition(":")
        _instances[name] = getattr(importlib.import_module(module_name), attr)()
    planner: Planner = _instances[name]
    return planner
