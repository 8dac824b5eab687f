"""The exceptions aigc-magic raises, one small tree::

    AigcError                       base of everything raised on purpose
    ├── PlanningError               no planner could turn the prose into a task
    ├── UnsafeCodeError             generated code broke the safety policy; nothing ran
    ├── TaskError                   the task's code ran and raised (its error is ``__cause__``)
    └── GridError                   the workers could not run the work
        ├── WorkerLostError         workers died and the lost batches could not be retried
        └── RemoteUnavailableError  the remote engine is missing, unreachable or refused us

Every message says what happened and the exact next step to type.
"""

from __future__ import annotations

from typing import Any


class AigcError(Exception):
    """Base class of every error aigc-magic raises on purpose."""


class PlanningError(AigcError, ValueError):
    """The prose could not be turned into a task.

    The message lists what can be asked and how to configure an LLM.
    """


class UnsafeCodeError(AigcError):
    """Generated code broke the safety policy; nothing was run.

    Attributes
    ----------
    findings : list
        The :class:`aigc_magic.safety.Finding` objects, each with its line and rule.
    code : str
        The code that was refused, so the user can read it.
    plan : TaskPlan or None
        The refused plan; ``%ask run`` or ``ask(..., yes=True)`` runs it after consent.
    """

    def __init__(self, message: str, *, findings: list[Any] | None = None, code: str = "",
                 plan: Any = None) -> None:
        super().__init__(message)
        self.findings = list(findings or [])
        self.code = code
        self.plan = plan


class TaskError(AigcError):
    """The task's code raised; the original exception is ``__cause__``.

    Attributes
    ----------
    code : str
        The code that raised, kept so the user can fix and rerun it.
    """

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class GridError(AigcError, RuntimeError):
    """The workers could not run the work."""


class WorkerLostError(GridError):
    """Workers died and the lost batches could not be retried within the bound."""


class RemoteUnavailableError(GridError):
    """The remote engine is missing, unreachable, or refused the connection."""
