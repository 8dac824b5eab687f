"""What left the kernel for the model, and what it cost: one record per chat request.

Every chat request the LLM planner sends is recorded as a :class:`Request`: its purpose
(``"plan"``, ``"repair"``, ``"answer"``), exactly the messages sent (after redaction) and the
tokens the server counted (``usage`` of the API, asked for with
``stream_options={"include_usage": true}`` when streaming; None from servers that send
none). :func:`recording` collects the requests of one ask (a ``ContextVar``, so concurrent
asks on other threads keep theirs apart); :func:`kernel_total` is the running total of the
process, which ``%ask config`` shows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Request", "Usage", "kernel_total", "record", "recording", "total"]


@dataclass(frozen=True)
class Usage:
    """Tokens of one request, or a sum of them; ``requests`` counts what was summed and
    ``unknown`` how many of those requests came back without a count."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    unknown: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.requests + other.requests,
            self.unknown + other.unknown,
        )

    def describe(self) -> str:
        """``"1,234 tokens (1,100 prompt + 134 completion) in 2 requests"``."""
        counted = (
            f"{self.total_tokens:,} tokens ({self.prompt_tokens:,} prompt + "
            f"{self.completion_tokens:,} completion)"
        )
        text = f"{counted} in {self.requests} request{'s' if self.requests != 1 else ''}"
        if self.unknown:
            text += f", {self.unknown} of them uncounted by the server"
        return text


@dataclass(frozen=True)
class Request:
    """One chat request: why it was sent, what was sent, what it cost."""

    purpose: str
    messages: tuple[dict[str, str], ...]
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    @property
    def usage(self) -> Usage:
        if self.prompt_tokens is None and self.completion_tokens is None:
            return Usage(requests=1, unknown=1)
        return Usage(self.prompt_tokens or 0, self.completion_tokens or 0, 1)


_current: ContextVar[list[Request] | None] = ContextVar("aigc_llm_requests", default=None)
_total_lock = threading.Lock()
_total = Usage()


@contextmanager
def recording() -> Iterator[list[Request]]:
    """Collect the requests sent inside the block (one ask) into the yielded list."""
    log: list[Request] = []
    token = _current.set(log)
    try:
        yield log
    finally:
        _current.reset(token)


def record(request: Request) -> None:
    """Add ``request`` to the running ask's log (if any) and to the kernel's total."""
    global _total
    log = _current.get()
    if log is not None:
        log.append(request)
    with _total_lock:
        _total = _total + request.usage


def kernel_total() -> Usage:
    """Every request this process sent so far, summed."""
    with _total_lock:
        return _total


def total(requests: list[Request]) -> Usage:
    """The sum of ``requests``' usage."""
    out = Usage()
    for request in requests:
        out = out + request.usage
    return out
