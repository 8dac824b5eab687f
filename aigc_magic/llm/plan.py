"""The :class:`TaskPlan` data model shared by every planner and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Language", "TaskPlan"]

Language = Literal["en", "zh"]


@dataclass(frozen=True)
class TaskPlan:
    """What a planner decided to do with the user's prose.

    Attributes
    ----------
    prose : str
        The prose as the planner received it.
    code : str
        Python source, runnable alone in a fresh kernel, that leaves its answer in ``result``.
    source : str
        Which planner made it: ``"offline"`` or ``"llm"``.
    recipe : str or None
        The offline recipe id (``"primes.list"``), or None for LLM plans.
    params : dict
        Parameters extracted from the prose (``{"n": 10000}``).
    language : {"en", "zh"}
        The prose's language; answers and messages follow it.
    summary : str
        One line, in ``language``, saying what will be computed.
    score : float
        The planner's confidence in its match, from 0 to 1.
    notes : tuple of str
        Things the planner wants the user to know (an assumption it made, a default it used).
    names : tuple of str
        The user's namespace names the plan reads ("limit", "values", "f"), in the prose's
        order; the answer says which were used.
    """

    prose: str
    code: str
    source: str
    recipe: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    language: Language = "en"
    summary: str = ""
    score: float = 1.0
    notes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
