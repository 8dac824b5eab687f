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

Every request's messages go out as :func:`outgoing` returns them: each content through
:func:`~aigc_magic.llm.redact.redact` (private keys, tokens, passwords, random-looking
strings), then :func:`scrub`.

The API key is read from ``OPENAI_API_KEY`` when each request is built and lives only inside
the short-lived SDK client. SDK exceptions are never re-raised or chained (they hold the
request and its headers): the planner raises its own, outside the ``except`` block, with
plain data only, and scrubs the key from any server message it quotes. A logging filter on
the SDK's and transport's loggers redacts the key and bearer tokens should a future version
log them (3.57 does not: it logs methods, statuses and response headers only).
"""

from __future__ import annotations

import collections
import difflib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from traceback import format_exception_only
from typing import Any, TypeVar

from .._lang import detect_language
from ..errors import (
    LLMAuthError,
    LLMError,
    LLMModelNotFoundError,
    LLMNotConfiguredError,
    LLMRateLimitError,
    LLMReplyError,
    LLMServerError,
    LLMSyntaxError,
    LLMTimeoutError,
    LLMUnreachableError,
)
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
from .redact import redact
from .settings import KEY_ENV, LLMSettings, api_key_from_env, redact_url, resolve_settings
from .usage import Request, record

T = TypeVar("T")

__all__ = [
    "FALLBACK_ERRORS",
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
    "OpenAIPlanner",
]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
#: The key sent to a base URL when OPENAI_API_KEY is unset: local servers accept anything,
#: but the SDK refuses to build a client without one.
PLACEHOLDER_KEY = "not-needed"
PLAN_MAX_TOKENS = 2048
ANSWER_MAX_TOKENS = 300
_MEMORY = 32  # conversations and result summaries remembered for repairs and follow-ups

Stream = Callable[[str], None]


#: After these, ``planner="auto"`` should fall back to the offline planner.
FALLBACK_ERRORS: tuple[type[LLMError], ...] = (LLMNotConfiguredError, LLMUnreachableError)


@dataclass(frozen=True)
class _Failure:
    """What an SDK exception said, as plain data: no request, no headers, no key."""

    kind: str
    status: int | None = None
    code: str | None = None
    message: str = ""
    cause: str = ""


# -- key hygiene --------------------------------------------------------------------------

_BEARER = re.compile(r"(?i)(bearer\s+)[^\s'\",}]+")
_KEYLIKE = re.compile(r"\bsk-[^\s'\",.;)]+")
_USERINFO = re.compile(r"(?i)\b(https?://)[^/\s@'\"]+@")


def scrub(text: str) -> str:
    """Remove the current API key, bearer tokens, ``sk-...`` strings and URL credentials."""
    key = api_key_from_env()
    if key:
        text = text.replace(key, "<redacted>")
    text = _BEARER.sub(r"\1<redacted>", text)
    text = _USERINFO.sub(r"\1***@", text)
    return _KEYLIKE.sub("sk-<redacted>", text)


class _RedactKey(logging.Filter):
    """Rewrite a log record whose message contains the key or a bearer token."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = _RedactKey()
_LOGGER_PREFIXES = ("openai", "httpx2", "httpcore2")


def _install_log_filter() -> None:
    """Put :class:`_RedactKey` on every SDK and transport logger (idempotent).

    Logger filters do not apply to records of child loggers, so each existing logger under
    ``openai``, ``httpx2`` and ``httpcore2`` gets it.
    """
    names = [n for n in list(logging.root.manager.loggerDict)
             if n.split(".")[0] in _LOGGER_PREFIXES]
    for name in {*names, *_LOGGER_PREFIXES}:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def _client(settings: LLMSettings) -> Any:
    """A fresh ``openai.OpenAI`` for one call; the key is read here, now, and only here."""
    import openai

    _install_log_filter()
    key = api_key_from_env()
    if key is None and not settings.base_url:
        raise LLMNotConfiguredError(
            f"No LLM is configured: {KEY_ENV} is not set and no base URL is given. Set "
            f"{KEY_ENV} in the environment that starts Jupyter, or point at a local server "
            'with %config AskMagics.base_url = "http://127.0.0.1:11434/v1" (Ollama), or use '
            '%config AskMagics.planner = "offline".')
    # connecting gets at most 5 s (the SDK's default), so a dead host fails fast
    timeout = openai.Timeout(settings.timeout, connect=min(5.0, settings.timeout))
    return openai.OpenAI(base_url=settings.base_url or DEFAULT_BASE_URL,
                         api_key=key or PLACEHOLDER_KEY, timeout=timeout,
                         max_retries=settings.max_retries)


def outgoing(messages: list[Message]) -> list[Message]:
    """The messages as they leave the kernel: every content redacted, then scrubbed.

    :func:`~aigc_magic.llm.redact.redact` replaces private keys, tokens, passwords and
    random-looking strings with markers (``[redacted: private key]``), then :func:`scrub`
    removes the configured API key. The one step in front of every chat request, so
    prompts, variable descriptions, result summaries, tracebacks and earlier code are all
    covered, whatever built them; what it returns is both what is sent and what the ask
    records (``AskResult.messages``).
    """
    return [{**message, "content": scrub(redact(message["content"]))} for message in messages]


def _stream_chat(settings: LLMSettings, messages: list[Message], max_tokens: int,
                 stream: Stream | None, extra: dict[str, Any], purpose: str = "chat"
                 ) -> tuple[str, str | None]:
    """Run one streamed chat completion; return its text and finish reason.

    It asks for the token counts (``stream_options``); a server that rejects the option is
    asked again without it, and one that sends no counts is recorded as uncounted.
    """
    import openai

    sent = outgoing(messages)
    pieces: list[str] = []
    finish: str | None = None
    counts: Any = None
    request: dict[str, Any] = dict(model=settings.model, messages=sent, stream=True,
                                   temperature=settings.temperature, max_tokens=max_tokens,
                                   **extra)
    with _client(settings) as client:
        try:
            chunks = client.chat.completions.create(
                **request, stream_options={"include_usage": True})
        except openai.BadRequestError as exc:
            if "stream_options" not in str(exc):
                raise
            chunks = client.chat.completions.create(**request)  # an older server: no counts
        with chunks:
            for chunk in chunks:
                counts = getattr(chunk, "usage", None) or counts
                for choice in chunk.choices[:1]:
                    piece = choice.delta.content if choice.delta else None
                    if piece:
                        pieces.append(piece)
                        if stream is not None:
                            stream(piece)
                    finish = choice.finish_reason or finish
    record(Request(purpose=purpose, messages=tuple(sent),
                   prompt_tokens=getattr(counts, "prompt_tokens", None),
                   completion_tokens=getattr(counts, "completion_tokens", None)))
    return "".join(pieces), finish


def _list_models(settings: LLMSettings) -> list[str]:
    with _client(settings) as client:
        return sorted(model.id for model in client.models.list())


def _failure(exc: Exception) -> _Failure:
    """Reduce an ``openai`` exception to plain, scrubbed data."""
    import openai

    causes: list[str] = []
    seen = exc.__cause__ or exc.__context__
    while seen is not None and len(causes) < 5:
        causes.append(type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    cause = ",".join(causes)
    message = ""
    code = None
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping):
            message = str(inner.get("message") or "")
            code = str(inner["code"]) if inner.get("code") else None
    if not message:
        message = str(getattr(exc, "message", "") or "")
    message = scrub(" ".join(message.split()))[:200]
    if isinstance(exc, openai.APITimeoutError):
        return _Failure("timeout", cause=cause)
    if isinstance(exc, openai.APIConnectionError):
        return _Failure("connection", message=message, cause=cause)
    if isinstance(exc, openai.APIStatusError):
        return _Failure("status", status=exc.status_code, code=code, message=message)
    if isinstance(exc, openai.APIError):
        return _Failure("stream", code=code, message=message)
    return _Failure("other", message=scrub(type(exc).__name__))


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
        self._conversations: collections.OrderedDict[tuple[str, str], list[Message]] = \
            collections.OrderedDict()
        self._results: collections.OrderedDict[tuple[str, str], str] = \
            collections.OrderedDict()

    def __repr__(self) -> str:
        s = self.settings
        where = redact_url(s.base_url) if s.base_url else DEFAULT_BASE_URL
        return f"OpenAIPlanner(model={s.model!r}, base_url={where!r})"

    @property
    def settings(self) -> LLMSettings:
        """The settings in force for the next call."""
        return self._settings if self._settings is not None else resolve_settings()[0]

    # -- public API ------------------------------------------------------------------------

    def plan(self, prose: str, namespace: Mapping[str, Any] | None = None, *,
             previous: TaskPlan | None = None, stream: Stream | None = None) -> TaskPlan:
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
        messages = build_plan_messages(prose, namespace, previous=previous,
                                       previous_result=previous_result,
                                       json_mode=settings.json_mode)
        text, finish = self._complete(settings, messages, PLAN_MAX_TOKENS, stream,
                                      json_mode=settings.json_mode, purpose="plan")
        return self._to_plan(settings, prose, messages, text, finish, notes=())

    def repair(self, plan: TaskPlan, problem: str, *, attempt: int,
               stream: Stream | None = None) -> TaskPlan:
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
            plan.prose, json_mode=settings.json_mode)
        messages = build_repair_messages(base, plan.code, problem, attempt=attempt,
                                         json_mode=settings.json_mode)
        text, finish = self._complete(settings, messages, PLAN_MAX_TOKENS, stream,
                                      json_mode=settings.json_mode, purpose="repair")
        notes = (*plan.notes, f"The LLM repaired its code (attempt {attempt}).")
        return self._to_plan(settings, plan.prose, messages, text, finish, notes=notes)

    def answer(self, plan: TaskPlan, value: Any, *, schedule: str | None = None,
               timings: Any = None, stream: Stream | None = None) -> str:
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
        text, _ = self._complete(settings, messages, ANSWER_MAX_TOKENS, stream,
                                 json_mode=False, purpose="answer")
        text = text.strip()
        if not text:
            raise LLMReplyError(f"The LLM at {_where(settings)} sent an empty answer.",
                                base_url=_where(settings))
        return text

    def list_models(self) -> list[str]:
        """Return the ids of the models the endpoint serves (``GET /models``), sorted."""
        settings = self.settings
        return self._call(settings, lambda: _list_models(settings), listing=True)

    # -- internals -------------------------------------------------------------------------

    def _complete(self, settings: LLMSettings, messages: list[Message], max_tokens: int,
                  stream: Stream | None, *, json_mode: bool, purpose: str
                  ) -> tuple[str, str | None]:
        """Stream one chat completion; return its text and finish reason."""
        extra: dict[str, Any] = {}
        if json_mode:
            extra["response_format"] = {"type": "json_object"}
        return self._call(settings, lambda: _stream_chat(settings, messages, max_tokens,
                                                         stream, extra, purpose))

    def _call(self, settings: LLMSettings, request: Callable[[], T], *,
              listing: bool = False) -> T:
        """Run one SDK request; turn an SDK failure into our own, key-free error."""
        try:
            return request()
        except LLMError:
            raise
        except Exception as exc:
            if not _is_openai_error(exc):
                raise
            failure = _failure(exc)
        # raised here, outside the except block: no SDK exception in __context__, and no
        # frame holding the client in this error's traceback
        raise self._error(failure, settings, listing=listing)

    def _error(self, failure: _Failure, settings: LLMSettings, *, listing: bool = False
               ) -> LLMError:
        """The one-line, actionable error for a failure (may list the models first)."""
        where = _where(settings)
        retries = (f" after {settings.max_retries} "
                   f"{'retry' if settings.max_retries == 1 else 'retries'}"
                   if settings.max_retries else "")
        status = failure.status
        if failure.kind == "timeout":
            return LLMTimeoutError(
                f"The LLM at {where} did not answer within the {settings.timeout:g} s request "
                f"timeout{retries}. Raise it with %config AskMagics.timeout = "
                f"{max(120, int(settings.timeout * 2))}, or try a smaller model.",
                base_url=where)
        if failure.kind == "connection":
            if "ConnectError" in failure.cause or not failure.cause:
                what = "could not be reached (connection refused or unknown host)"
            else:
                what = "closed the connection without answering"
            return LLMUnreachableError(
                f"The LLM endpoint {where} {what}{retries}. Start the server, or fix "
                '%config AskMagics.base_url = "http://HOST:PORT/v1", or use '
                '%config AskMagics.planner = "offline".', base_url=where)
        if status in (401, 403):
            key = "is set" if api_key_from_env() else "is not set"
            what = "refused the API key" if status == 401 else "says the API key has no access"
            return LLMAuthError(
                f"The LLM at {where} {what} (HTTP {status}); {KEY_ENV} {key}. Set a valid key "
                f"in the environment that starts Jupyter (export {KEY_ENV}=...), or in the "
                f"notebook without saving it: import os, getpass; os.environ['{KEY_ENV}'] = "
                "getpass.getpass().", status=status, base_url=where)
        if status == 404 and not listing and (
                failure.code == "model_not_found" or "model" in failure.message.lower()):
            return self._model_not_found(settings, where)
        if status == 404:
            return LLMError(
                f"The LLM endpoint {where} answered 404 Not Found"
                f"{' for /models' if listing else ''}; check %config AskMagics.base_url "
                "(OpenAI-compatible servers usually end in /v1).", status=404, base_url=where)
        if status == 429:
            return LLMRateLimitError(
                f"The LLM at {where} is rate limiting requests (HTTP 429){retries}: "
                f"{failure.message or 'too many requests'}. Wait a minute and run the cell "
                "again, or check the account's quota.", status=429, base_url=where)
        if status is not None and status >= 500:
            return LLMServerError(
                f"The LLM at {where} failed with HTTP {status}{retries}"
                f"{': ' + failure.message if failure.message else ''}. Try again later, or "
                '%config AskMagics.base_url = "..." to use another server.',
                status=status, base_url=where)
        if status is not None:
            hint = (" The server may not support JSON mode: %config AskMagics.json_mode = "
                    "False." if settings.json_mode and status in (400, 422) else "")
            return LLMError(
                f"The LLM at {where} rejected the request (HTTP {status}): "
                f"{failure.message or 'no details'}.{hint}", status=status, base_url=where)
        if failure.kind == "stream":
            return LLMError(f"The LLM at {where} reported an error while answering: "
                            f"{failure.message or 'no details'}. Run the cell again.",
                            base_url=where)
        return LLMError(f"The openai SDK failed talking to {where} ({failure.message}).",
                        base_url=where)

    def _model_not_found(self, settings: LLMSettings, where: str) -> LLMModelNotFoundError:
        try:
            models = self.list_models()
        except LLMError as exc:
            return LLMModelNotFoundError(
                f"The LLM at {where} does not serve model {settings.model!r}, and listing its "
                f"models failed too ({exc}). Check %config AskMagics.base_url, then set "
                '%config AskMagics.model = "...".', base_url=where)
        ordered = difflib.get_close_matches(settings.model, models, n=3, cutoff=0.3)
        ordered += [m for m in models if m not in ordered]
        shown = ", ".join(ordered[:15]) + (f", … ({len(models)} in all)"
                                           if len(models) > 15 else "")
        pick = ordered[0] if ordered else "MODEL"
        return LLMModelNotFoundError(
            f"The LLM at {where} does not serve model {settings.model!r}. It serves: "
            f"{shown or '(none)'}. Pick one with %config AskMagics.model = \"{pick}\".",
            models=models, base_url=where)

    def _to_plan(self, settings: LLMSettings, prose: str, messages: list[Message], text: str,
                 finish: str | None, *, notes: tuple[str, ...]) -> TaskPlan:
        where = _where(settings)
        if settings.json_mode:
            code, explanation = extract_json_reply(text)
        else:
            code, explanation = extract_code(text), explanation_of(text)
        if code is None:
            head = " ".join(text.split())[:200]
            raise LLMReplyError(
                f"The LLM's reply contains no Python code block (model {settings.model!r} at "
                f"{where}); it said: {head!r}. Rephrase the request, or try another model "
                'with %config AskMagics.model = "...".', reply=head, base_url=where)
        language = detect_language(prose)
        plan = TaskPlan(
            prose=prose, code=code, source=self.source, recipe=None, params={},
            language=language, summary=explanation or prose.strip().splitlines()[0][:200],
            notes=tuple(dict.fromkeys((*notes, f"Code written by {settings.model} at {where}."))))
        self._remember(self._conversations, _key(plan), messages)
        try:
            compile(code, "<llm plan>", "exec")
        except SyntaxError as exc:
            problem = "".join(format_exception_only(type(exc), exc)).strip()
            if finish == "length":
                problem += (f"\n(The reply was cut off at max_tokens={PLAN_MAX_TOKENS}; write "
                            "shorter code.)")
            line = problem.splitlines()[-1]
            raise LLMSyntaxError(
                f"The LLM's code is not valid Python ({line}); send it back with "
                "planner.repair(exc.plan, exc.problem, attempt=1).",
                plan=plan, problem=problem, reply=" ".join(text.split())[:200],
                base_url=where) from None
        return plan

    @staticmethod
    def _remember(store: collections.OrderedDict[tuple[str, str], Any], key: tuple[str, str],
                  value: Any) -> None:
        store[key] = value
        store.move_to_end(key)
        while len(store) > _MEMORY:
            store.popitem(last=False)


def _key(plan: TaskPlan) -> tuple[str, str]:
    return plan.prose, plan.code


def _where(settings: LLMSettings) -> str:
    return redact_url(settings.base_url) if settings.base_url else DEFAULT_BASE_URL


def _is_openai_error(exc: BaseException) -> bool:
    import openai

    return isinstance(exc, openai.OpenAIError)

