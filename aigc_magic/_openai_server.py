"""The HTTP side of :class:`~aigc_magic.testing.OpenAIStub`: a server, its handler, a script.

:class:`StubServer` is a ``ThreadingHTTPServer`` on 127.0.0.1 whose handler answers
``GET /v1/models`` and ``POST /v1/chat/completions`` (JSON or a server-sent event stream)
the way OpenAI does. It takes the next reply from a :class:`Script` (the queue of scripted
replies and the record of every request, shared by the server's threads) and the settings
a test may change while it serves (models, chunk size, default reply, usage) from the stub
itself; :mod:`aigc_magic._openai_wire` makes the JSON bodies.
"""

from __future__ import annotations

import collections
import itertools
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from ._openai_wire import (
    REASONS,
    Reply,
    chat_chunks,
    chat_completion,
    error_body,
    masked_key,
    prompt_text,
)


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


class StubSettings(Protocol):
    """What the handler reads from the stub on every request (a test may change it)."""

    models: list[str]
    chunk_size: int
    default_reply: str | None
    send_usage: bool


class Script:
    """The scripted replies still to send and the requests received, thread-safe.

    Parameters
    ----------
    api_key : str, optional
        The key every request must carry as ``Authorization: Bearer <api_key>``; None
        accepts any request.
    """

    def __init__(self, api_key: str | None) -> None:
        self.api_key = api_key
        self.stopping = threading.Event()  # set while stopping: delayed replies end early
        self._queue: collections.deque[Reply] = collections.deque()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def push(self, reply: Reply) -> None:
        """Queue ``reply`` for the next chat request that finds no earlier one."""
        with self._lock:
            self._queue.append(reply)

    def pop(self) -> Reply | None:
        """The next scripted reply, or None when none is left."""
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def pending(self) -> int:
        """How many scripted replies are left."""
        with self._lock:
            return len(self._queue)

    def record(self, request: RecordedRequest) -> None:
        """Keep ``request``, in the order received."""
        with self._lock:
            self._requests.append(request)

    def requests(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        """Forget the recorded requests and the queued replies."""
        with self._lock:
            self._requests.clear()
            self._queue.clear()

    def authorized(self, header: str | None) -> bool:
        """Whether an ``Authorization`` header carries the expected key."""
        return self.api_key is None or header == f"Bearer {self.api_key}"

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds``, or less when the server is stopping."""
        if seconds > 0:
            self.stopping.wait(seconds)

    def next_id(self) -> str:
        """A fresh completion id, ``chatcmpl-stub-N``."""
        return f"chatcmpl-stub-{next(self._ids)}"


class StubServer(ThreadingHTTPServer):
    """The HTTP server: one thread per connection, answering from ``script``."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], settings: StubSettings, script: Script) -> None:
        super().__init__(address, _Handler)
        self.settings = settings
        self.script = script

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (its timeout, a closed stream) is normal here: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StubServer

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

    def _start(self, method: str) -> tuple[Script, Any] | None:
        script = self.server.script
        body = self._read_body() if method == "POST" else None
        auth = self.headers.get("authorization")
        headers = {k.lower(): v for k, v in self.headers.items() if k.lower() != "authorization"}
        authorized = script.authorized(auth)
        script.record(RecordedRequest(method, self.path.split("?")[0], headers, body, authorized))
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
        return script, body

    # -- routes ----------------------------------------------------------------------------

    def do_GET(self) -> None:
        if self._start("GET") is None:
            return
        path = self.path.split("?")[0].rstrip("/")
        if path == "/v1/models":
            models: Sequence[str] = self.server.settings.models
            self._send_json(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": 0, "owned_by": "aigc-magic-stub"}
                        for m in models
                    ],
                },
            )
        else:
            self._not_found()

    def do_POST(self) -> None:
        started = self._start("POST")
        if started is None:
            return
        script, body = started
        settings = self.server.settings
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
        if model not in settings.models:
            self._send_json(
                404,
                error_body(
                    f"The model `{model}` does not exist or you do not have access to it.",
                    "invalid_request_error",
                    "model_not_found",
                ),
            )
            return
        reply = script.pop()
        if reply is None:
            if settings.default_reply is None:
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
            reply = Reply("text", text=settings.default_reply)
        script.wait(reply.delay)
        if reply.kind == "drop":
            self.close_connection = True
            return
        if reply.kind == "error":
            self._send_json(reply.status, reply.error, reply.headers)
            return
        if body.get("stream"):
            options = body.get("stream_options") or {}
            usage = settings.send_usage and bool(options.get("include_usage"))
            self._send_sse(
                chat_chunks(
                    script.next_id(),
                    model,
                    reply,
                    usage=usage,
                    chunk_size=reply.chunk_size or settings.chunk_size,
                    prompt=prompt_text(body),
                    wait=script.wait,
                )
            )
        else:
            self._send_json(
                200,
                chat_completion(
                    script.next_id(),
                    model,
                    reply,
                    usage=settings.send_usage,
                    prompt=prompt_text(body),
                ),
            )

    def _not_found(self) -> None:
        self._send_json(
            404,
            error_body(f"Invalid URL ({self.command} {self.path})", "invalid_request_error", None),
        )
