"""A local OpenAI-compatible HTTP server, for aigc-magic's tests and for yours.

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

import collections
import itertools
import json
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from ._openai_wire import (
    ERROR_TYPES,
    REASONS,
    Reply,
    chat_chunks,
    chat_completion,
    error_body,
    masked_key,
    prompt_text,
)

__all__ = ["OpenAIStub", "RecordedRequest"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the stub received.

    Attributes
    ----------
    method, path : str
        ``"POST"``, ``"/v1/chat/completions"``.
    headers : dict of str to str
        Request headers, names lower-cased, **without** ``authorization``.
    body : Any
        The decoded JSON body, or None for a request without one.
    authorized : bool
        Whether the request carried ``Authorization: Bearer <the expected key>`` (always True
        when the stub expects no key).
    """

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    authorized: bool


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
        self._api_key = api_key
        self.models: list[str] = list(models)
        self.chunk_size = chunk_size
        self.default_reply = default_reply
        self._port = port
        self.send_usage = send_usage
        self._queue: collections.deque[Reply] = collections.deque()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        state = self.base_url if self._server is not None else "stopped"
        return f"<OpenAIStub {state} models={self.models!r} queued={len(self._queue)}>"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> OpenAIStub:
        """Start serving in a background thread; return self. Starting twice is an error."""
        if self._server is not None:
            raise RuntimeError("OpenAIStub is already running")
        self._stopping.clear()
        server = _Server(("127.0.0.1", self._port), _Handler)
        server.stub = self
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
        self._stopping.set()
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
        self._push(
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
        self._push(Reply("error", status=status, error=body, headers=headers, delay=delay))

    def drop(self, *, delay: float = 0.0) -> None:
        """Queue a dropped connection: the stub closes the socket without answering."""
        self._push(Reply("drop", delay=delay))

    def _push(self, reply: Reply) -> None:
        with self._lock:
            self._queue.append(reply)

    def _pop(self) -> Reply | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    @property
    def pending(self) -> int:
        """How many scripted replies have not been used yet."""
        with self._lock:
            return len(self._queue)

    # -- what happened ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

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
        with self._lock:
            self._requests.clear()
            self._queue.clear()

    # -- serving (called on the server's threads) ------------------------------------------

    def _check_key(self, header: str | None) -> bool:
        return self._api_key is None or header == f"Bearer {self._api_key}"

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_id(self) -> str:
        return f"chatcmpl-stub-{next(self._ids)}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    stub: OpenAIStub

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (its timeout, a closed stream) is normal here: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log lines on stderr."""

    # -- plumbing --------------------------------------------------------------------------

    def _read_body(self) -> Any:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status, REASONS.get(status))
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("x-request-id", f"req_stub_{id(payload):x}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_sse(self, events: Iterator[dict[str, Any]]) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()

        def write(data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        for event in events:
            write(f"data: {json.dumps(event)}\n\n".encode())
        write(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _start(self, method: str) -> tuple[OpenAIStub, Any] | None:
        stub = self.server.stub
        body = self._read_body() if method == "POST" else None
        auth = self.headers.get("authorization")
        headers = {k.lower(): v for k, v in self.headers.items() if k.lower() != "authorization"}
        authorized = stub._check_key(auth)
        stub._record(RecordedRequest(method, self.path.split("?")[0], headers, body, authorized))
        if not authorized:
            message = (
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth."
                if not auth
                else f"Incorrect API key provided: {masked_key(auth)}. You can find "
                "your API key at https://platform.openai.com/account/api-keys."
            )
            self._send_json(401, error_body(message, "invalid_request_error", "invalid_api_key"))
            return None
        return stub, body

    # -- routes ----------------------------------------------------------------------------

    def do_GET(self) -> None:
        started = self._start("GET")
        if started is None:
            return
        stub, _ = started
        path = self.path.split("?")[0].rstrip("/")
        if path == "/v1/models":
            self._send_json(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": 0, "owned_by": "aigc-magic-stub"}
                        for m in stub.models
                    ],
                },
            )
        else:
            self._not_found()

    def do_POST(self) -> None:
        started = self._start("POST")
        if started is None:
            return
        stub, body = started
        if self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
            self._not_found()
            return
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._send_json(
                400,
                error_body(
                    "'messages' is a required property", "invalid_request_error", None, "messages"
                ),
            )
            return
        model = body.get("model")
        if model not in stub.models:
            self._send_json(
                404,
                error_body(
                    f"The model `{model}` does not exist or you do not have access to it.",
                    "invalid_request_error",
                    "model_not_found",
                ),
            )
            return
        reply = stub._pop()
        if reply is None:
            if stub.default_reply is None:
                self._send_json(
                    500,
                    error_body(
                        "OpenAIStub has no scripted reply left; queue one with stub.reply(...)",
                        "server_error",
                        None,
                    ),
                    {"x-should-retry": "false"},
                )
                return
            reply = Reply("text", text=stub.default_reply)
        stub._wait(reply.delay)
        if reply.kind == "drop":
            self.close_connection = True
            return
        if reply.kind == "error":
            self._send_json(reply.status, reply.error, reply.headers)
            return
        if body.get("stream"):
            options = body.get("stream_options") or {}
            usage = stub.send_usage and bool(options.get("include_usage"))
            self._send_sse(
                chat_chunks(
                    stub._next_id(),
                    model,
                    reply,
                    usage=usage,
                    chunk_size=reply.chunk_size or stub.chunk_size,
                    prompt=prompt_text(body),
                    wait=stub._wait,
                )
            )
        else:
            self._send_json(
                200,
                chat_completion(
                    stub._next_id(), model, reply, usage=stub.send_usage, prompt=prompt_text(body)
                ),
            )

    def _not_found(self) -> None:
        self._send_json(
            404,
            error_body(f"Invalid URL ({self.command} {self.path})", "invalid_request_error", None),
        )
