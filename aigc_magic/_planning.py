"""The first step of an ask: which planner answers, and its first plan.

:func:`first_plan` asks the LLM when one is configured (the offline planner takes over,
saying so, when the endpoint cannot be reached) and the offline planner otherwise;
:func:`llm_planner` keeps one LLM planner per settings, since each remembers its
conversations. The engine (:mod:`aigc_magic.engine`) checks and runs what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._notices import offline_took_over, planner_notice
from .errors import LLMSyntaxError, PlanningError
from .llm import Planner, Stream, get_planner
from .llm.plan import TaskPlan
from .llm.settings import LLMSettings, llm_configured

__all__ = ["FirstPlan", "first_plan", "llm_planner"]

_llm_planners: dict[LLMSettings, Planner] = {}  # one per settings: it remembers conversations
_MAX_LLM_PLANNERS = 8


@dataclass
class FirstPlan:
    """The planner that answered, its plan, and the compiler's complaint about its code."""

    planner: Planner
    plan: TaskPlan
    problem: str | None
    notices: list[str]


def first_plan(
    prose: str,
    namespace: dict[str, Any],
    previous: TaskPlan | None,
    settings: LLMSettings,
    stream: Stream | None,
) -> FirstPlan:
    """Plan: the LLM when one is configured (the offline planner when it cannot be
    reached, saying so), else the offline planner."""
    offline = get_planner("offline")
    use_llm = settings.planner == "llm" or (settings.planner == "auto" and llm_configured(settings))
    if not use_llm:  # the offline answer imports nothing of the LLM side (openai, redact)
        plan = offline.plan(prose, namespace, previous=previous)
        return FirstPlan(offline, plan, None, [planner_notice(plan, offline, settings)])
    from .llm.openai import FALLBACK_ERRORS

    llm = llm_planner(settings)
    try:
        plan = llm.plan(prose, namespace, previous=previous, stream=stream)
    except LLMSyntaxError as exc:
        return FirstPlan(llm, exc.plan, exc.problem, [planner_notice(exc.plan, llm, settings)])
    except FALLBACK_ERRORS as exc:
        if settings.planner == "llm":
            raise
        reason = str(exc)
    else:
        return FirstPlan(llm, plan, None, [planner_notice(plan, llm, settings)])
    try:  # outside the except block: the LLM's error is not chained to this one
        plan = offline.plan(prose, namespace, previous=previous)
    except PlanningError as offline_error:
        raise PlanningError(f"{offline_error}\n({reason})") from None
    return FirstPlan(offline, plan, None, [offline_took_over(reason, plan.language)])


def llm_planner(settings: LLMSettings) -> Planner:
    """The LLM planner for ``settings``, one per settings (it remembers conversations)."""
    if settings not in _llm_planners:
        from .llm.openai import OpenAIPlanner

        while len(_llm_planners) >= _MAX_LLM_PLANNERS:
            _llm_planners.pop(next(iter(_llm_planners)))
        _llm_planners[settings] = OpenAIPlanner(settings)
    return _llm_planners[settings]
