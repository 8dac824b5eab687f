"""The LLM planner: any OpenAI-compatible endpoint through the official ``openai`` SDK.

Works with OpenAI, Azure OpenAI's compatible endpoint, Ollama, vLLM and llama.cpp's server
because it uses only the portable part of the API: ``chat.completions.create`` with
``system``/``user``/``assistant`` messages, ``temperature``, ``max_tokens`` and
``stream=True`` (plus ``response_format={"type": "json_object"}`` when ``json_mode`` is on).
``openai`` is imported on first use, never at package import.

Errors are one line and say what to do next; all derive from :class:`LLMError`::

    PlanningError
    └── LLMError                   the LLM endpoint failed (.status, .base_url)
        ├── LLMNotConfiguredError  no OPENAI_API_KEY and no base URL
        ├── LLMUnreachableError    connection refused, no such host, connection dropped
        ├── LLMTimeoutError        no reply within settings.timeout (after the retries)
        ├── LLMAuthError           401/403: the key is missing, wrong or not allowed
        ├── LLMModelNotFoundError  404: the model is not served (.models lists those that are)
        ├── LLMRateLimitError      429 after the SDK's retries
        ├── LLMServerError         5xx after the SDK's retries
        └── LLMReplyError          the reply holds no code (.reply: its first 200 characters)
            └── LLMSyntaxError     the code does not compile (.plan, .problem): send it to
                                   :meth:`OpenAIPlanner.repair`

:data:`FALLBACK_ERRORS` are those after which ``planner="auto"`` should use the offline planner.

The SDK itself is driven by :mod:`.sdk`: every request's messages go out as
:func:`~.sdk.outgoing` returns them (each content through :func:`~aigc_magic.llm.redact.redact`,
then :func:`~.sdk.scrub`); the API key is read from ``OPENAI_API_KEY`` when each request is
built and lives only inside the short-lived SDK client. SDK exceptions are never re-raised or
chained (they hold the request and its headers): the planner raises its own, outside the
``except`` block, with plain data only (:func:`~.sdk.error_for`), and scrubs the key from
any server message it quotes. A logging filter on the SDK's and transport's loggers redacts
the key and bearer tokens should a future version log them (3.57 logs methods, statuses and
response headers only).
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Mapping
from traceback import format_exception_only
from typing import Any, TypeVar

from .._lang import detect_language
from ..errors import (
    LLMError,
    LLMNotConfiguredError,
    LLMReplyError,
    LLMSyntaxError,
    LLMUnreachableError,
)
from . import Stream
from .plan import TaskPlan
from .prompts import (
    Message,
    build_answer_messages,
    build_plan_messages,
    build_repair_messages,
    explanation_of,
    extract_code,
    extract_json_reply,
    summarize_result,
)
from .sdk import (
    DEFAULT_BASE_URL,
    error_for,
    failure_of,
    is_openai_error,
    list_models,
    stream_chat,
    where_of,
)
from .settings import LLMSettings, redact_url, resolve_settings

_T = TypeVar("_T")
_V = TypeVar("_V")

__all__ = ["ANSWER_MAX_TOKENS", "FALLBACK_ERRORS", "PLAN_MAX_TOKENS", "OpenAIPlanner"]

PLAN_MAX_TOKENS = 2048
ANSWER_MAX_TOKENS = 300
_MEMORY = 32  # conversations and result summaries remembered for repairs and follow-ups


#: After these, ``planner="auto"`` should fall back to the offline planner.
FALLBACK_ERRORS: tuple[type[LLMError], ...] = (LLMNotConfiguredError, LLMUnreachableError)


# -- the planner --------------------------------------------------------------------------


class OpenAIPlanner:
    """Plan, repair and explain through an OpenAI-compatible chat endpoint.

    Parameters
    ----------
    settings : LLMSettings, optional
        Fixed settings; without them each call resolves the environment and defaults afresh
        (:func:`~aigc_magic.llm.settings.resolve_settings` with no flags and no ``%config``).

    Notes
    -----
    The planner remembers the last few conversations (for :meth:`repair`) and result
    summaries (recorded by :meth:`answer`, sent with a follow-up's ``previous`` plan). It
    never stores the API key.
    """

    source = "llm"

    def __init__(self, settings: LLMSettings | None = None) -> None:
        self._settings = settings
        self._conversations: collections.OrderedDict[tuple[str, str], list[Message]] = (
            collections.OrderedDict()
        )
        self._results: collections.OrderedDict[tuple[str, str], str] = collections.OrderedDict()

    def __repr__(self) -> str:
        s = self.settings
        where = redact_url(s.base_url) if s.base_url else DEFAULT_BASE_URL
        return f"OpenAIPlanner(model={s.model!r}, base_url={where!r})"

    @property
    def settings(self) -> LLMSettings:
        """The settings in force for the next call."""
        return self._settings if self._settings is not None else resolve_settings()[0]

    # -- public API ------------------------------------------------------------------------

    def plan(
        self,
        prose: str,
        namespace: Mapping[str, Any] | None = None,
        *,
        previous: TaskPlan | None = None,
        stream: Stream | None = None,
    ) -> TaskPlan:
        """Ask the LLM for code that computes what the prose asks.

        Parameters
        ----------
        prose : str
            The request, English or Chinese.
        namespace : mapping, optional
            The user's namespace. Only names and types of the variables the prose mentions
            are sent, never their values.
        previous : TaskPlan, optional
            The previous turn, for follow-ups ("now do it for 1e7").
        stream : callable, optional
            Called with each piece of the reply's text as it arrives.

        Returns
        -------
        TaskPlan
            ``source="llm"``, ``summary`` is the model's one-sentence explanation.

        Raises
        ------
        LLMSyntaxError
            The code does not compile; ``exc.plan`` and ``exc.problem`` go to :meth:`repair`.
        LLMError
            Any other failure (see the module docstring); the message says what to do.
        """
        settings = self.settings
        previous_result = self._results.get(_key(previous)) if previous is not None else None
        messages = build_plan_messages(
            prose,
            namespace,
            previous=previous,
            previous_result=previous_result,
            json_mode=settings.json_mode,
        )
        text, finish = self._complete(
            settings,
            messages,
            PLAN_MAX_TOKENS,
            stream,
            json_mode=settings.json_mode,
            purpose="plan",
        )
        return self._to_plan(settings, prose, messages, text, finish, notes=())

    def repair(
        self, plan: TaskPlan, problem: str, *, attempt: int, stream: Stream | None = None
    ) -> TaskPlan:
        """Send failing code back with what went wrong and return the corrected plan.

        Parameters
        ----------
        plan : TaskPlan
            The plan whose code failed.
        problem : str
            The trimmed traceback, the safety findings, or :attr:`LLMSyntaxError.problem`.
        attempt : int
            1 for the first repair, 2 for the second...; shown to the model and in the notes.
        stream : callable, optional
            Called with each piece of the reply's text as it arrives.

        Raises
        ------
        LLMSyntaxError, LLMError
            As :meth:`plan`.
        """
        settings = self.settings
        base = self._conversations.get(_key(plan)) or build_plan_messages(
            plan.prose, json_mode=settings.json_mode
        )
        messages = build_repair_messages(
            base, plan.code, problem, attempt=attempt, json_mode=settings.json_mode
        )
        text, finish = self._complete(
            settings,
            messages,
            PLAN_MAX_TOKENS,
            stream,
            json_mode=settings.json_mode,
            purpose="repair",
        )
        notes = (*plan.notes, f"The LLM repaired its code (attempt {attempt}).")
        return self._to_plan(settings, plan.prose, messages, text, finish, notes=notes)

    def answer(
        self,
        plan: TaskPlan,
        value: Any,
        *,
        schedule: str | None = None,
        timings: Mapping[str, float] | None = None,
        stream: Stream | None = None,
    ) -> str:
        """Turn the result into one to three sentences in the prose's language.

        Only a summary of ``value`` is sent (type, size, a repr trimmed to 600 characters).
        The summary is also remembered so a follow-up's :meth:`plan` can show it.

        Raises
        ------
        LLMError
            The endpoint failed or answered nothing; the engine can fall back to a template.
        """
        settings = self.settings
        self._remember(self._results, _key(plan), summarize_result(value))
        messages = build_answer_messages(plan, value, schedule=schedule, timings=timings)
        text, _ = self._complete(
            settings, messages, ANSWER_MAX_TOKENS, stream, json_mode=False, purpose="answer"
        )
        text = text.strip()
        if not text:
            raise LLMReplyError(
                f"The LLM at {where_of(settings)} sent an empty answer.",
                base_url=where_of(settings),
            )
        return text

    def list_models(self) -> list[str]:
        """Return the ids of the models the endpoint serves (``GET /models``), sorted."""
        settings = self.settings
        return self._call(settings, lambda: list_models(settings), listing=True)

    # -- internals -------------------------------------------------------------------------

    def _complete(
        self,
        settings: LLMSettings,
        messages: list[Message],
        max_tokens: int,
        stream: Stream | None,
        *,
        json_mode: bool,
        purpose: str,
    ) -> tuple[str, str | None]:
        """Stream one chat completion; return its text and finish reason."""
        extra: dict[str, Any] = {}
        if json_mode:
            extra["response_format"] = {"type": "json_object"}
        return self._call(
            settings, lambda: stream_chat(settings, messages, max_tokens, stream, extra, purpose)
        )

    def _call(
        self, settings: LLMSettings, request: Callable[[], _T], *, listing: bool = False
    ) -> _T:
        """Run one SDK request; turn an SDK failure into our own, key-free error."""
        try:
            return request()
        except LLMError:
            raise
        except Exception as exc:
            if not is_openai_error(exc):
                raise
            failure = failure_of(exc)
        # raised here, outside the except block: no SDK exception in __context__, and no
        # frame holding the client in this error's traceback
        raise error_for(failure, settings, listing=listing, list_models=self.list_models)

    def _to_plan(
        self,
        settings: LLMSettings,
        prose: str,
        messages: list[Message],
        text: str,
        finish: str | None,
        *,
        notes: tuple[str, ...],
    ) -> TaskPlan:
        where = where_of(settings)
        if settings.json_mode:
            code, explanation = extract_json_reply(text)
        else:
            code, explanation = extract_code(text), explanation_of(text)
        if code is None:
            head = " ".join(text.split())[:200]
            raise LLMReplyError(
                f"The LLM's reply contains no Python code block (model {settings.model!r} at "
                f"{where}); it said: {head!r}. Rephrase the request, or try another model "
                'with %config AskMagics.model = "...".',
                reply=head,
                base_url=where,
            )
        language = detect_language(prose)
        plan = TaskPlan(
            prose=prose,
            code=code,
            source=self.source,
            recipe=None,
            params={},
            language=language,
            summary=explanation or prose.strip().splitlines()[0][:200],
            notes=tuple(dict.fromkeys((*notes, f"Code written by {settings.model} at {where}."))),
        )
        self._remember(self._conversations, _key(plan), messages)
        try:
            compile(code, "<llm plan>", "exec")
        except SyntaxError as exc:
            problem = "".join(format_exception_only(type(exc), exc)).strip()
            if finish == "length":
                problem += (
                    f"\n(The reply was cut off at max_tokens={PLAN_MAX_TOKENS}; write "
                    "shorter code.)"
                )
            line = problem.splitlines()[-1]
            raise LLMSyntaxError(
                f"The LLM's code is not valid Python ({line}); send it back with "
                "planner.repair(exc.plan, exc.problem, attempt=1).",
                plan=plan,
                problem=problem,
                reply=" ".join(text.split())[:200],
                base_url=where,
            ) from None
        return plan

    @staticmethod
    def _remember(
        store: collections.OrderedDict[tuple[str, str], _V], key: tuple[str, str], value: _V
    ) -> None:
        store[key] = value
        store.move_to_end(key)
        while len(store) > _MEMORY:
            store.popitem(last=False)


def _key(plan: TaskPlan) -> tuple[str, str]:
    return plan.prose, plan.code
