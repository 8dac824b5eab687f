"""What one ask gives back: :class:`AskResult`, the plan, the value and the answer in words.

The engine makes it; the magic, the sidebar and :func:`aigc_magic.ask` return it; it shows
itself through :mod:`aigc_magic.ui.render` (text, HTML, the answer as JSON, the widget card).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .grid.record import Schedule
from .llm.plan import TaskPlan
from .llm.usage import Request, Usage
from .llm.usage import total as total_usage

if TYPE_CHECKING:
    from IPython.lib.pretty import PrettyPrinter

__all__ = ["AskResult"]


@dataclass
class AskResult:
    """The outcome of one ask: the plan, the value, and the answer in words.

    Attributes
    ----------
    value : Any
        The task's result (``result`` in the code): the list of primes, a count, an estimate…
    plan : TaskPlan
        What the planner decided; ``plan.code`` is the code that ran.
    explanation : str
        The answer in words, in the prose's language, including how the work was split.
    schedule : Schedule or None
        Where the work ran, or None when the code made no ``backend="aigc"`` call.
    timings : dict
        Seconds spent planning, checking, running, explaining, and in total.
    ran : bool
        False for ``run=False`` (plan only).
    notices : list of str
        Things the user should know (which planner answered, repairs, workers lost).
    attempts : list of (code, problem)
        Earlier codes that failed and why, oldest first (LLM repairs); empty when the first
        code worked.
    taken_from : str or None
        None when the code set ``result``; else where the answer was taken from when no
        repair was left: ``"expression"`` (the code's final expression) or a variable's name.
    requests : list of Request
        Every chat request the ask sent to the LLM (none offline): its purpose, the
        messages exactly as sent (after redaction) and its tokens.
    """

    plan: TaskPlan
    value: Any = None
    explanation: str = ""
    schedule: Schedule | None = None
    timings: dict[str, float] = field(default_factory=dict)
    ran: bool = False
    notices: list[str] = field(default_factory=list)
    attempts: list[tuple[str, str]] = field(default_factory=list)
    taken_from: str | None = None
    requests: list[Request] = field(default_factory=list)

    @property
    def messages(self) -> list[list[dict[str, str]]]:
        """What left the kernel for the model: each request's messages, as sent."""
        return [list(request.messages) for request in self.requests]

    @property
    def usage(self) -> Usage:
        """The prompt and completion tokens of all the ask's requests (per request:
        ``requests``)."""
        return total_usage(self.requests)

    @property
    def code(self) -> str:
        """The generated code."""
        return self.plan.code

    @property
    def prose(self) -> str:
        """The prose that was asked."""
        return self.plan.prose

    @property
    def language(self) -> str:
        """The prose's language, ``"en"`` or ``"zh"``."""
        return self.plan.language

    def __repr__(self) -> str:
        from .ui.text import describe_value

        state = f"value={describe_value(self.value)}" if self.ran else "not run"
        return f"<AskResult recipe={self.plan.recipe!r} source={self.plan.source!r} {state}>"

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:
        from .ui.text import render_text

        p.text(repr(self) if cycle else render_text(self))

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, Any]:
        from .ui.render import mimebundle

        return mimebundle(self)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able summary: what notebooks store and the demo and the sidebar read."""
        from .ui.text import describe_value, short_repr

        schedule = self.schedule
        return {
            "prose": self.prose,
            "language": self.language,
            "summary": self.plan.summary,
            "source": self.plan.source,
            "recipe": self.plan.recipe,
            "ran": self.ran,
            "explanation": self.explanation,
            "code": self.code,
            "value_type": describe_value(self.value, self.language) if self.ran else None,
            "value_repr": short_repr(self.value) if self.ran else None,
            "schedule": None
            if schedule is None
            else {
                "arm": schedule.arm,
                "n_workers": schedule.n_workers,
                "n_tasks": schedule.n_tasks,
                "n_calls": schedule.n_calls,
                "reason": schedule.reason_as_run,
            },
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "notices": list(self.notices),
            "attempts": len(self.attempts),
            "taken_from": self.taken_from,
            "usage": {
                "prompt_tokens": self.usage.prompt_tokens,
                "completion_tokens": self.usage.completion_tokens,
                "requests": self.usage.requests,
            },
        }
