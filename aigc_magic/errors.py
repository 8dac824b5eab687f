"""The exceptions aigc-magic raises, one small tree::

    AigcError                       base of everything raised on purpose (.code: the code
    │                               it is about, or None)
    ├── SettingsError               a setting has a value it cannot take (also ValueError)
    ├── PlanningError               no planner could turn the prose into a task
    │   └── LLMError                the LLM endpoint could not plan or answer
    │       ├── LLMNotConfiguredError   neither OPENAI_API_KEY nor a base URL is set
    │       ├── LLMUnreachableError     connection refused or dropped (offline takes over)
    │       ├── LLMTimeoutError         no reply within the timeout
    │       ├── LLMAuthError            401 / 403: the key was refused
    │       ├── LLMModelNotFoundError   404: the model is not served (lists those that are)
    │       ├── LLMRateLimitError       429 after retries
    │       ├── LLMServerError          5xx after retries
    │       └── LLMReplyError           the reply holds no code
    │           └── LLMSyntaxError      the reply's code does not compile (.plan, .problem)
    ├── UnsafeCodeError             generated code broke the safety policy; nothing ran
    │                               (.findings, .plan and .planner, to run it on consent)
    ├── TaskError                   the task's code ran and raised (its error is ``__cause__``)
    │   └── TaskTimeoutError        the run outlived ``run_timeout`` and was stopped
    └── GridError                   the workers could not run the work
        ├── WorkerLostError         workers died and the lost batches could not be retried
        └── RemoteUnavailableError  the remote engine is missing, unreachable or refused us

Every message says what happened and the exact next step to type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .llm import Planner
    from .llm.plan import TaskPlan
    from .safety import Finding

__all__ = [
    "AigcError",
    "GridError",
    "LLMAuthError",
    "LLMError",
    "LLMModelNotFoundError",
    "LLMNotConfiguredError",
    "LLMRateLimitError",
    "LLMReplyError",
    "LLMServerError",
    "LLMSyntaxError",
    "LLMTimeoutError",
    "LLMUnreachableError",
    "PlanningError",
    "RemoteUnavailableError",
    "SettingsError",
    "TaskError",
    "TaskTimeoutError",
    "UnsafeCodeError",
    "WorkerLostError",
]


class AigcError(Exception):
    """Base class of every error aigc-magic raises on purpose.

    Attributes
    ----------
    code : str or None
        The generated code the error is about (refused, invalid or failed), so the user can
        read it, fix it and run it; None when no code is involved.
    """

    code: str | None = None


class PlanningError(AigcError, ValueError):
    """The prose could not be turned into a task.

    The message lists what can be asked and how to configure an LLM.

    Attributes
    ----------
    code : str or None
        The code a planner wrote when it is not valid Python (nothing ran); else None.
    """

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class SettingsError(AigcError, ValueError):
    """A setting has a value it cannot take; the message names the setting and its source."""


class LLMError(PlanningError):
    """The LLM endpoint could not produce a plan or an answer.

    Attributes
    ----------
    status : int or None
        The HTTP status when the endpoint answered with one.
    base_url : str
        The endpoint, without credentials.
    """

    def __init__(self, message: str, *, status: int | None = None, base_url: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.base_url = base_url


class LLMNotConfiguredError(LLMError):
    """Neither ``OPENAI_API_KEY`` nor a base URL is set."""


class LLMUnreachableError(LLMError):
    """The endpoint could not be reached or dropped the connection (the offline planner can
    take over)."""


class LLMTimeoutError(LLMError):
    """The endpoint did not answer within ``settings.timeout`` seconds."""


class LLMAuthError(LLMError):
    """The endpoint refused the API key (401) or the key lacks access (403)."""


class LLMModelNotFoundError(LLMError):
    """The model is not served by the endpoint; ``models`` lists those that are."""

    def __init__(
        self,
        message: str,
        *,
        models: list[str] | None = None,
        status: int | None = 404,
        base_url: str = "",
    ) -> None:
        super().__init__(message, status=status, base_url=base_url)
        self.models = list(models or [])


class LLMRateLimitError(LLMError):
    """429 Too Many Requests, still after the SDK's retries."""


class LLMServerError(LLMError):
    """A 5xx error, still after the SDK's retries."""


class LLMReplyError(LLMError):
    """The reply could not be used: it holds no code. ``reply`` is its first 200 characters."""

    def __init__(self, message: str, *, reply: str = "", base_url: str = "") -> None:
        super().__init__(message, base_url=base_url)
        self.reply = reply


class LLMSyntaxError(LLMReplyError):
    """The reply's code does not compile.

    Attributes
    ----------
    plan : aigc_magic.llm.plan.TaskPlan
        The plan with the code as the LLM wrote it.
    problem : str
        The compiler's message, ready for :meth:`OpenAIPlanner.repair`.
    """

    def __init__(
        self, message: str, *, plan: TaskPlan, problem: str, reply: str = "", base_url: str = ""
    ) -> None:
        super().__init__(message, reply=reply, base_url=base_url)
        self.plan = plan
        self.problem = problem


class UnsafeCodeError(AigcError):
    """Generated code broke the safety policy; nothing was run.

    Attributes
    ----------
    findings : list of Finding
        The :class:`aigc_magic.safety.Finding` objects, each with its line and rule.
    code : str
        The code that was refused, so the user can read it.
    plan : TaskPlan or None
        The refused plan; ``%ask run`` or ``ask(..., yes=True)`` runs it after consent.
    planner : Planner or None
        The planner that wrote it, which explains the result once the plan runs.
    """

    code: str

    def __init__(
        self,
        message: str,
        *,
        findings: list[Finding] | None = None,
        code: str = "",
        plan: TaskPlan | None = None,
        planner: Planner | None = None,
    ) -> None:
        super().__init__(message)
        self.findings = list(findings or [])
        self.code = code
        self.plan = plan
        self.planner = planner


class TaskError(AigcError):
    """The task's code raised; the original exception is ``__cause__``.

    Attributes
    ----------
    code : str
        The code that raised, kept so the user can fix and rerun it.
    """

    code: str

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class TaskTimeoutError(TaskError):
    """The task ran longer than ``run_timeout`` seconds; it and its workers were stopped."""


class GridError(AigcError, RuntimeError):
    """The workers could not run the work."""


class WorkerLostError(GridError):
    """Workers died and the lost batches could not be retried within the bound."""


class RemoteUnavailableError(GridError):
    """The remote engine is missing, unreachable, or refused the connection."""
