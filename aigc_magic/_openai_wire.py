"""The part of the OpenAI wire format :class:`~aigc_magic.testing.OpenAIStub` speaks.

The JSON bodies it sends (a ``chat.completion``, the ``chat.completion.chunk`` events of a
stream, an ``{"error": {...}}``, token counts) and the scripted :class:`Reply` they are made
from; :mod:`aigc_magic._openai_server` serves them over HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
ERROR_TYPES = {
    401: "invalid_request_error",
    403: "permission_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}


@dataclass(frozen=True)
class Reply:
    """One scripted answer: text, an HTTP error, or a dropped connection."""

    kind: str  # "text" | "error" | "drop"
    text: str = ""
    status: int = 200
    error: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunk_size: int | None = None
    chunk_delay: float = 0.0
    finish_reason: str = "stop"


def chat_chunks(
    ident: str,
    model: str,
    reply: Reply,
    *,
    chunk_size: int,
    usage: bool,
    prompt: str = "",
    wait: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """The events of a streamed completion of ``reply``, ``chunk_size`` characters each,
    ``wait(reply.chunk_delay)`` between them; the token counts last when ``usage``."""
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
        return {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": None,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }

    yield chunk({"role": "assistant", "content": ""}, None)
    for start in range(0, len(reply.text), chunk_size):
        if start:
            wait(reply.chunk_delay)
        yield chunk({"content": reply.text[start : start + chunk_size]}, None)
    yield chunk({}, reply.finish_reason)
    if usage:
        yield {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": None,
            "choices": [],
            "usage": usage_counts(prompt, reply.text),
        }


def chat_completion(
    ident: str, model: str, reply: Reply, *, usage: bool, prompt: str = ""
) -> dict[str, Any]:
    """The ``chat.completion`` body of ``reply``, with token counts when ``usage``."""
    counts = {"usage": usage_counts(prompt, reply.text)} if usage else {}
    return {
        "id": ident,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "logprobs": None,
                "finish_reason": reply.finish_reason,
                "message": {"role": "assistant", "content": reply.text, "refusal": None},
            }
        ],
        **counts,
    }


def usage_counts(prompt: str, text: str) -> dict[str, int]:
    """Token counts the stub reports: a quarter of the characters, at least one."""
    asked, tokens = max(1, len(prompt) // 4), max(1, len(text) // 4)
    return {"prompt_tokens": asked, "completion_tokens": tokens, "total_tokens": asked + tokens}


def prompt_text(body: dict[str, Any]) -> str:
    """The request's messages' contents, joined."""
    return "".join(
        str(m.get("content", "")) for m in body.get("messages", []) if isinstance(m, dict)
    )


def error_body(
    message: str, error_type: str, code: str | None, param: str | None = None
) -> dict[str, Any]:
    """An OpenAI-shaped error body."""
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}


def masked_key(header: str | None) -> str:
    """Mask a presented key the way OpenAI's 401 message does (``sk-abc***wxyz``)."""
    key = (header or "").removeprefix("Bearer ").strip()
    return f"{key[:3]}***{key[-4:]}" if len(key) > 10 else "***"
