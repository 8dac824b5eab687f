"""The ``openai`` SDK as the LLM planner uses it, and its failures as our errors.

One fresh client per call (the API key is read then, and lives only inside it), one
streamed chat completion (recorded with its token counts), the model list; an SDK exception
reduced to plain, scrubbed data (:class:`Failure`) and worded as the one-line, actionable
:class:`~aigc_magic.errors.LLMError` to raise. :func:`outgoing` is the one step in front of
every request that redacts secrets; a logging filter keeps the key out of the SDK's logs.
``openai`` is imported inside the functions, on first use.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import (
    LLMAuthError,
    LLMError,
    LLMModelNotFoundError,
    LLMNotConfiguredError,
    LLMRateLimitError,
    LLMServerError,
    LLMTimeoutError,
    LLMUnreachableError,
)
from . import Stream
from .prompts import Message
from .redact import redact
from .settings import KEY_ENV, LLMSettings, api_key_from_env, redact_url
from .usage import Request, record

if TYPE_CHECKING:
    import openai

__all__ = [
    "DEFAULT_BASE_URL",
    "PLACEHOLDER_KEY",
    "Failure",
    "error_for",
    "failure_of",
    "is_openai_error",
    "list_models",
    "new_client",
    "outgoing",
    "scrub",
    "stream_chat",
    "where_of",
]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
#: The key sent to a base URL when OPENAI_API_KEY is unset: local servers accept anything,
#: but the SDK refuses to build a client without one.
PLACEHOLDER_KEY = "not-needed"


@dataclass(frozen=True)
class Failure:
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
    names = [
        n for n in list(logging.root.manager.loggerDict) if n.split(".")[0] in _LOGGER_PREFIXES
    ]
    for name in {*names, *_LOGGER_PREFIXES}:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def new_client(settings: LLMSettings) -> openai.OpenAI:
    """A fresh ``openai.OpenAI`` for one call; the key is read here, now, and only here."""
    import openai

    _install_log_filter()
    key = api_key_from_env()
    if key is None and not settings.base_url:
        raise LLMNotConfiguredError(
            f"No LLM is configured: {KEY_ENV} is not set and no base URL is given. Set "
            f"{KEY_ENV} in the environment that starts Jupyter, or point at a local server "
            'with %config AskMagics.base_url = "http://127.0.0.1:11434/v1" (Ollama), or use '
            '%config AskMagics.planner = "offline".'
        )
    # connecting gets at most 5 s (the SDK's default), so a dead host fails fast
    timeout = openai.Timeout(settings.timeout, connect=min(5.0, settings.timeout))
    return openai.OpenAI(
        base_url=settings.base_url or DEFAULT_BASE_URL,
        api_key=key or PLACEHOLDER_KEY,
        timeout=timeout,
        max_retries=settings.max_retries,
    )


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


def stream_chat(
    settings: LLMSettings,
    messages: list[Message],
    max_tokens: int,
    stream: Stream | None,
    extra: dict[str, Any],
    purpose: str = "chat",
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
    request: dict[str, Any] = dict(
        model=settings.model,
        messages=sent,
        stream=True,
        temperature=settings.temperature,
        max_tokens=max_tokens,
        **extra,
    )
    with new_client(settings) as client:
        try:
            chunks = client.chat.completions.create(
                **request, stream_options={"include_usage": True}
            )
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
    record(
        Request(
            purpose=purpose,
            messages=tuple(sent),
            prompt_tokens=getattr(counts, "prompt_tokens", None),
            completion_tokens=getattr(counts, "completion_tokens", None),
        )
    )
    return "".join(pieces), finish


def list_models(settings: LLMSettings) -> list[str]:
    with new_client(settings) as client:
        return sorted(model.id for model in client.models.list())


def failure_of(exc: Exception) -> Failure:
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
        return Failure("timeout", cause=cause)
    if isinstance(exc, openai.APIConnectionError):
        return Failure("connection", message=message, cause=cause)
    if isinstance(exc, openai.APIStatusError):
        return Failure("status", status=exc.status_code, code=code, message=message)
    if isinstance(exc, openai.APIError):
        return Failure("stream", code=code, message=message)
    return Failure("other", message=scrub(type(exc).__name__))


# -- failures as errors ------------------------------------------------------------------


def error_for(
    failure: Failure,
    settings: LLMSettings,
    *,
    listing: bool = False,
    list_models: Callable[[], list[str]] | None = None,
) -> LLMError:
    """The one-line, actionable error for a failure; for an unknown model it lists the
    models the endpoint serves with ``list_models``."""
    where = where_of(settings)
    retries = (
        f" after {settings.max_retries} {'retry' if settings.max_retries == 1 else 'retries'}"
        if settings.max_retries
        else ""
    )
    status = failure.status
    if failure.kind == "timeout":
        return LLMTimeoutError(
            f"The LLM at {where} did not answer within the {settings.timeout:g} s request "
            f"timeout{retries}. Raise it with %config AskMagics.timeout = "
            f"{max(120, int(settings.timeout * 2))}, or try a smaller model.",
            base_url=where,
        )
    if failure.kind == "connection":
        if "ConnectError" in failure.cause or not failure.cause:
            what = "could not be reached (connection refused or unknown host)"
        else:
            what = "closed the connection without answering"
        return LLMUnreachableError(
            f"The LLM endpoint {where} {what}{retries}. Start the server, or fix "
            '%config AskMagics.base_url = "http://HOST:PORT/v1", or use '
            '%config AskMagics.planner = "offline".',
            base_url=where,
        )
    if status in (401, 403):
        key = "is set" if api_key_from_env() else "is not set"
        what = "refused the API key" if status == 401 else "says the API key has no access"
        return LLMAuthError(
            f"The LLM at {where} {what} (HTTP {status}); {KEY_ENV} {key}. Set a valid key "
            f"in the environment that starts Jupyter (export {KEY_ENV}=...), or in the "
            f"notebook without saving it: import os, getpass; os.environ['{KEY_ENV}'] = "
            "getpass.getpass().",
            status=status,
            base_url=where,
        )
    if (
        status == 404
        and not listing
        and (failure.code == "model_not_found" or "model" in failure.message.lower())
    ):
        return _model_not_found(settings, where, list_models)
    if status == 404:
        return LLMError(
            f"The LLM endpoint {where} answered 404 Not Found"
            f"{' for /models' if listing else ''}; check %config AskMagics.base_url "
            "(OpenAI-compatible servers usually end in /v1).",
            status=404,
            base_url=where,
        )
    if status == 429:
        return LLMRateLimitError(
            f"The LLM at {where} is rate limiting requests (HTTP 429){retries}: "
            f"{failure.message or 'too many requests'}. Wait a minute and run the cell "
            "again, or check the account's quota.",
            status=429,
            base_url=where,
        )
    if status is not None and status >= 500:
        return LLMServerError(
            f"The LLM at {where} failed with HTTP {status}{retries}"
            f"{': ' + failure.message if failure.message else ''}. Try again later, or "
            '%config AskMagics.base_url = "..." to use another server.',
            status=status,
            base_url=where,
        )
    if status is not None:
        hint = (
            " The server may not support JSON mode: %config AskMagics.json_mode = False."
            if settings.json_mode and status in (400, 422)
            else ""
        )
        return LLMError(
            f"The LLM at {where} rejected the request (HTTP {status}): "
            f"{failure.message or 'no details'}.{hint}",
            status=status,
            base_url=where,
        )
    if failure.kind == "stream":
        return LLMError(
            f"The LLM at {where} reported an error while answering: "
            f"{failure.message or 'no details'}. Run the cell again.",
            base_url=where,
        )
    return LLMError(
        f"The openai SDK failed talking to {where} ({failure.message}).", base_url=where
    )


def _model_not_found(
    settings: LLMSettings, where: str, list_models: Callable[[], list[str]] | None
) -> LLMModelNotFoundError:
    try:
        if list_models is None:
            raise LLMError("no listing")
        models = list_models()
    except LLMError as exc:
        return LLMModelNotFoundError(
            f"The LLM at {where} does not serve model {settings.model!r}, and listing its "
            f"models failed too ({exc}). Check %config AskMagics.base_url, then set "
            '%config AskMagics.model = "...".',
            base_url=where,
        )
    ordered = difflib.get_close_matches(settings.model, models, n=3, cutoff=0.3)
    ordered += [m for m in models if m not in ordered]
    shown = ", ".join(ordered[:15]) + (f", … ({len(models)} in all)" if len(models) > 15 else "")
    pick = ordered[0] if ordered else "MODEL"
    return LLMModelNotFoundError(
        f"The LLM at {where} does not serve model {settings.model!r}. It serves: "
        f'{shown or "(none)"}. Pick one with %config AskMagics.model = "{pick}".',
        models=models,
        base_url=where,
    )


def where_of(settings: LLMSettings) -> str:
    """The endpoint, without credentials."""
    return redact_url(settings.base_url) if settings.base_url else DEFAULT_BASE_URL


def is_openai_error(exc: BaseException) -> bool:
    """True for an exception of the ``openai`` SDK."""
    import openai

    return isinstance(exc, openai.OpenAIError)
