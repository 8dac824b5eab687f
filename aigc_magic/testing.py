"""Local stand-ins for remote services, for aigc-magic's tests and for yours.

- :class:`OpenAIStub`: a local OpenAI-compatible HTTP server (below).
- :class:`LatencyProxy`: a TCP proxy on 127.0.0.1 that delays every chunk ``delay`` seconds
  each way (optionally at a capped bandwidth), to put a Dask scheduler on this machine
  "across a network" from the client; see :mod:`aigc_magic._latency_proxy`.

:class:`OpenAIStub` is a real HTTP server on 127.0.0.1 that speaks the part of the OpenAI
wire protocol a chat client uses, so the official ``openai`` SDK (or any other client) talks
to it over a real socket, exactly as it would talk to OpenAI, Ollama or vLLM:

- ``GET /v1/models``: the model list.
- ``POST /v1/chat/completions``: a JSON ``chat.completion``, or with ``"stream": true`` a
  server-sent event stream of ``chat.completion.chunk`` objects ending in ``data: [DONE]``.

The test scripts what the server answers, one queued reply per chat request: text (sent in
several chunks when streaming), an error status with an OpenAI-shaped error body (429 with
``retry-after``, 5xx, ...), a delay, or a connection dropped without an answer. Every request
is recorded (method, path, headers without ``Authorization``, JSON body).

Examples
--------
>>> import openai
>>> from aigc_magic.testing import OpenAIStub
>>> with OpenAIStub(api_key="sk-test") as stub:
...     stub.reply("```python\\nresult = 6 * 7\\n```")
...     client = openai.OpenAI(base_url=stub.base_url, api_key="sk-test")
...     reply = client.chat.completions.create(
...         model="stub-model", messages=[{"role": "user", "content": "six times seven"}])
...     client.close()
>>> reply.choices[0].message.content
'```python\\nresult = 6 * 7\\n```'
>>> stub.chat_requests[0]["messages"][0]["content"]
'six times seven'

As a pytest fixture::

    @pytest.fixture
    def llm(monkeypatch):
        with OpenAIStub(api_key="sk-test") as stub:
            monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
            monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
            yield stub
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from ._latency_proxy import LatencyProxy
from ._openai_server import RecordedRequest, Script, StubServer
from ._openai_wire import ERROR_TYPES, REASONS, Reply, error_body

__all__ = ["LatencyProxy", "OpenAIStub", "RecordedRequest"]


class OpenAIStub:
    """A scripted OpenAI-compatible server on ``127.0.0.1`` (a free port unless given).

    Parameters
    ----------
    api_key : str, optional
        When given, every request must carry ``Authorization: Bearer <api_key>`` or gets a 401
        ``invalid_api_key`` error, as OpenAI answers it (with the key masked in the message).
    models : sequence of str
        The models served; a chat request for another model gets a 404 ``model_not_found``.
    chunk_size : int
        Characters per streamed chunk (the default splits a reply into several chunks).
    default_reply : str, optional
        Text to answer when the queue is empty. Without it, an unscripted chat request gets a
        500 error that says so (with ``x-should-retry: false`` so clients do not retry).
    port : int
        0 picks a free port; read it back from :attr:`base_url`.
    send_usage : bool
        Whether replies carry token counts (``usage``; when streaming, only if the request
        asks with ``stream_options``). Some local servers send none: False plays one. The
        counts are ``len(text) // 4`` of the request's messages and of the reply.

    Notes
    -----
    The stub is thread-safe and answers requests concurrently. Queue replies with
    :meth:`reply`, :meth:`error` and :meth:`drop`; each chat request takes the next one.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        models: Sequence[str] = ("stub-model",),
        chunk_size: int = 8,
        default_reply: str | None = None,
        port: int = 0,
        send_usage: bool = True,
    ) -> None:
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
        self.models: list[str] = list(models)
        self.chunk_size = chunk_size
        self.default_reply = default_reply
        self.send_usage = send_usage
        self._port = port
        self._script = Script(api_key)
        self._server: StubServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        state = self.base_url if self._server is not None else "stopped"
        return f"<OpenAIStub {state} models={self.models!r} queued={self.pending}>"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> OpenAIStub:
        """Start serving in a background thread; return self. Starting twice is an error."""
        if self._server is not None:
            raise RuntimeError("OpenAIStub is already running")
        self._script.stopping.clear()
        server = StubServer(("127.0.0.1", self._port), self, self._script)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="OpenAIStub",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; delayed replies in flight are cut short."""
        server, self._server = self._server, None
        if server is None:
            return
        self._script.stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``"http://127.0.0.1:PORT/v1"``, the value for ``OPENAI_BASE_URL``."""
        if self._server is None:
            raise RuntimeError(
                "OpenAIStub is not running; use it as a context manager or call .start() first"
            )
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # -- scripting -------------------------------------------------------------------------

    def reply(
        self,
        text: str,
        *,
        delay: float = 0.0,
        chunk_size: int | None = None,
        chunk_delay: float = 0.0,
        finish_reason: str = "stop",
    ) -> None:
        """Queue a successful chat completion whose message content is ``text``.

        Parameters
        ----------
        text : str
            The assistant's message.
        delay : float
            Seconds to wait before answering at all (to trigger a client's timeout).
        chunk_size : int, optional
            Characters per streamed chunk; defaults to the stub's ``chunk_size``.
        chunk_delay : float
            Seconds to wait between streamed chunks.
        finish_reason : str
            ``"stop"``, or ``"length"`` to pretend the reply was cut by ``max_tokens``.
        """
        self._script.push(
            Reply(
                "text",
                text=text,
                delay=delay,
                chunk_size=chunk_size,
                chunk_delay=chunk_delay,
                finish_reason=finish_reason,
            )
        )

    def error(
        self,
        status: int,
        message: str | None = None,
        *,
        error_type: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        delay: float = 0.0,
    ) -> None:
        """Queue an HTTP error with an OpenAI-shaped body ``{"error": {...}}``.

        Parameters
        ----------
        status : int
            The HTTP status, e.g. 429, 500, 503, 400.
        message, error_type, code : str, optional
            The error object's fields; sensible defaults per status.
        retry_after : float, optional
            Seconds; sent as ``retry-after`` (whole seconds, rounded up) and ``retry-after-ms``.
            The openai SDK honours ``retry-after-ms`` first, so ``retry_after=0.01`` keeps a
            retry test fast (it treats 0 as "no hint" and backs off 0.5 s or more).
        delay : float
            Seconds to wait before answering.
        """
        if not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), got {status}")
        headers: dict[str, str] = {}
        if retry_after is not None:
            headers["retry-after"] = str(math.ceil(retry_after))
            headers["retry-after-ms"] = str(round(retry_after * 1000))
        body = error_body(
            message or f"Stub error {status}: {REASONS.get(status, 'Error')}",
            error_type
            or ERROR_TYPES.get(
                status, "server_error" if status >= 500 else "invalid_request_error"
            ),
            code,
        )
        self._script.push(Reply("error", status=status, error=body, headers=headers, delay=delay))

    def drop(self, *, delay: float = 0.0) -> None:
        """Queue a dropped connection: the stub closes the socket without answering."""
        self._script.push(Reply("drop", delay=delay))

    @property
    def pending(self) -> int:
        """How many scripted replies have not been used yet."""
        return self._script.pending()

    # -- what happened ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        return self._script.requests()

    @property
    def chat_requests(self) -> list[Any]:
        """The JSON bodies of the chat completion requests received so far."""
        return [
            r.body
            for r in self.requests
            if r.method == "POST" and r.path.endswith("/chat/completions")
        ]

    def clear(self) -> None:
        """Forget recorded requests and queued replies."""
        self._script.clear()
