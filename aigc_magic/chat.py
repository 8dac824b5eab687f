"""The kernel side of the JupyterLab sidebar chat: one request in, typed replies out.

The sidebar executes ``__import__("aigc_magic.chat").chat.handle(JSON)`` in the kernel of the
active notebook (or in a kernel of its own) with ``store_history=False``. :func:`handle` runs
the same engine as ``%%ask`` — same namespace, same ``%config AskMagics`` settings, same
``{name}`` interpolation, same safety policy — and publishes the replies declared in
:mod:`aigc_magic._protocol` as ``display_data`` under that execute request. Everything else the
run displays (the progress widget, what the task prints) reaches the sidebar the same way and
is rendered there by JupyterLab's rendermime.

Why an execute request and not a Comm: it needs nothing registered in advance (a notebook
whose kernel never ran ``%load_ext aigc_magic`` works), the outputs it produces are routed to
the sidebar alone by their parent header (never into a notebook cell), widgets displayed
during the run render as they do in a cell, and *Kernel → Interrupt* stops it like a cell.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any, cast

from ._protocol import (
    CHAT_MIMETYPE,
    AnswerReply,
    AskRequest,
    ConsentReply,
    ErrorReply,
    KernelInfo,
    Phase,
    Reply,
    Request,
    RunRequest,
    StatusReply,
    TokenReply,
)
from .ui.consent import HeldPlans

__all__ = ["KernelDescription", "Publish", "describe", "handle", "parse_request"]

Publish = Callable[[Reply], None]

_TOKEN_INTERVAL = 0.05  # seconds between token replies; pieces in between are merged
_MAX_PENDING = 16
_held = HeldPlans(_MAX_PENDING)  # ask id -> the plan awaiting consent
_outside_ipython: dict[str, Any] = {}  # the namespace when no IPython shell is running


def handle(request: str | Mapping[str, Any], *, publish: Publish | None = None) -> None:
    """Answer one sidebar request; the replies go to ``publish`` (default: IOPub).

    Parameters
    ----------
    request : str or mapping
        An :class:`~aigc_magic._protocol.AskRequest` or
        :class:`~aigc_magic._protocol.RunRequest`, as JSON text or as a dict.
    publish : callable, optional
        Receives each reply; defaults to ``display({CHAT_MIMETYPE: reply}, raw=True)``.

    Never raises for a failed ask: the failure is an ``error`` reply, and the kernel and its
    namespace are left as they were.
    """
    send = publish if publish is not None else _display
    try:
        parsed = parse_request(request)
    except ValueError as exc:
        send(
            ErrorReply(
                kind="error",
                id=_request_id(request),
                error="ProtocolError",
                message=str(exc),
                code=None,
            )
        )
        return
    shell = _shell()
    try:
        if parsed["kind"] == "ask":
            _ask(cast(AskRequest, parsed), shell, send)
        else:
            _run(cast(RunRequest, parsed), shell, send)
    except KeyboardInterrupt:
        send(
            ErrorReply(
                kind="error",
                id=parsed["id"],
                error="KeyboardInterrupt",
                message="Interrupted. Your variables are as the task left them.",
                code=None,
            )
        )


def describe() -> KernelDescription:
    """What the sidebar's probe (:data:`~aigc_magic._protocol.PROBE_EXPRESSION`) reads: the
    planner the next ask will use, as ``application/json``. Cheap: loads no extension."""
    from .sidebar.info import kernel_info, shell_config

    return KernelDescription(kernel_info(shell_config(_shell())))


class KernelDescription:
    """A :class:`~aigc_magic._protocol.KernelInfo` that displays as ``application/json``."""

    def __init__(self, info: KernelInfo) -> None:
        self.info = info

    def __repr__(self) -> str:
        return f"KernelDescription({self.info!r})"

    def _repr_json_(self) -> KernelInfo:
        return self.info


def parse_request(request: str | Mapping[str, Any]) -> Request:
    """Check a request's shape; raise ``ValueError`` saying what is wrong."""
    data: Any = request
    if isinstance(request, str):
        try:
            data = json.loads(request)
        except json.JSONDecodeError as exc:
            raise ValueError(f"The chat request is not JSON ({exc}).") from None
    if not isinstance(data, Mapping):
        raise ValueError("The chat request must be a JSON object with a 'kind'.")
    kind, request_id = data.get("kind"), data.get("id")
    if not isinstance(request_id, str) or not request_id:
        raise ValueError("The chat request has no 'id'.")
    if kind == "ask":
        if not isinstance(data.get("prose"), str):
            raise ValueError("An 'ask' request needs 'prose', the task in words.")
        cell = data.get("cell")
        if cell is not None and not (
            isinstance(cell, Mapping) and isinstance(cell.get("code"), str)
        ):
            raise ValueError("An ask's 'cell' must be an object with the cell's 'code'.")
        return cast(AskRequest, dict(data))
    if kind == "run":
        if not isinstance(data.get("ask_id"), str):
            raise ValueError("A 'run' request needs 'ask_id', the ask whose code to run.")
        return cast(RunRequest, dict(data))
    raise ValueError(
        f"Unknown chat request kind {kind!r}; expected 'ask' or 'run'. Reload "
        "the browser tab if aigc-magic was upgraded."
    )


def _ask(request: AskRequest, shell: Any, send: Publish) -> None:
    from ._lang import detect_language
    from .engine import ask
    from .errors import PlanningError, SettingsError, TaskError, UnsafeCodeError
    from .magics import interpolate

    request_id, prose = request["id"], request["prose"]
    language = detect_language(prose)
    options = _engine_options(shell)
    namespace = _namespace(shell)
    prose = interpolate(prose, namespace)
    cell = request.get("cell")
    if cell is not None:
        from .sidebar.cell import needs_llm, with_cell
        from .sidebar.info import uses_llm

        if not uses_llm(options.get("config"), request.get("planner")):
            send(
                ErrorReply(
                    kind="error",
                    id=request_id,
                    error="NeedsLLM",
                    message=needs_llm(language),
                    code=None,
                )
            )
            send(_status(request_id, "done", language, "Done.", "完成。"))
            return
        prose = with_cell(prose, cell, language)  # after interpolation: code keeps its {}
    send(_status(request_id, "planning", language, "Planning…", "正在规划…"))
    tokens = _Tokens(request_id, send)
    unsubscribe = _follow_runs(request_id, language, send)
    try:
        result = ask(
            prose,
            namespace=namespace,
            yes=bool(request.get("yes", False)),
            stream=tokens,
            planner=request.get("planner"),
            **options,
        )
    except UnsafeCodeError as exc:
        tokens.close()
        _held.hold(exc, request_id)
        send(
            ConsentReply(
                kind="consent",
                id=request_id,
                message=str(exc),
                code=exc.code,
                findings=[_finding(f, language) for f in exc.findings],
                can_run=options.get("safety") != "strict",
            )
        )
    except (PlanningError, SettingsError, TaskError) as exc:
        tokens.close()
        send(
            ErrorReply(
                kind="error",
                id=request_id,
                error=type(exc).__name__,
                message=str(exc),
                code=getattr(exc, "code", None),
            )
        )
    except Exception as exc:  # a bug, not the user's mistake: say so, with the traceback
        tokens.close()
        traceback.print_exc(file=sys.stderr)
        send(_unexpected(request_id, exc))
    else:
        tokens.close()
        send(AnswerReply(kind="answer", id=request_id, answer=cast(Any, result.to_json())))
    finally:
        unsubscribe()
    send(_status(request_id, "done", language, "Done.", "完成。"))


def _run(request: RunRequest, shell: Any, send: Publish) -> None:
    from .errors import AigcError

    request_id = request["id"]
    held = _held.take(request["ask_id"])
    if held is None:
        send(
            ErrorReply(
                kind="error",
                id=request_id,
                error="UsageError",
                message="No code from that question is waiting for consent (it ran "
                "already, or the kernel restarted). Ask again.",
                code=None,
            )
        )
        return
    language = held.plan.language
    send(
        _status(
            request_id,
            "running",
            language,
            "Running the code you allowed…",
            "正在运行你允许的代码…",
        )
    )
    unsubscribe = _follow_runs(request_id, language, send)
    try:
        result = held.run(_namespace(shell), _engine_options(shell).get("run_timeout"))
    except AigcError as exc:
        send(
            ErrorReply(
                kind="error",
                id=request_id,
                error=type(exc).__name__,
                message=str(exc),
                code=getattr(exc, "code", None),
            )
        )
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        send(_unexpected(request_id, exc))
    else:
        send(AnswerReply(kind="answer", id=request_id, answer=cast(Any, result.to_json())))
    finally:
        unsubscribe()
    send(_status(request_id, "done", language, "Done.", "完成。"))


class _Tokens:
    """The engine's ``stream`` callback: LLM pieces become ``token`` replies, at most one
    every 50 ms."""

    def __init__(self, request_id: str, send: Publish) -> None:
        self._id = request_id
        self._send = send
        self._parts: list[str] = []
        self._sent = 0.0

    def __call__(self, text: str) -> None:
        self._parts.append(text)
        if time.monotonic() - self._sent >= _TOKEN_INTERVAL:
            self.close()

    def close(self) -> None:
        """Send whatever arrived since the last reply."""
        if self._parts:
            text, self._parts = "".join(self._parts), []
            self._send(TokenReply(kind="token", id=self._id, text=text))
        self._sent = time.monotonic()


def _follow_runs(request_id: str, language: str, send: Publish) -> Callable[[], None]:
    """Send a ``running`` status when a ``Parallel(backend="aigc")`` call starts."""
    from .grid.events import RunStarted, subscribe

    main = threading.main_thread()

    def on_event(event: Any) -> None:
        # replies travel with the execute request's parent header, which only the kernel's
        # main thread carries; the progress widget shows the rest
        if isinstance(event, RunStarted) and threading.current_thread() is main:
            where_en = f"{event.n_workers} {event.arm} worker(s)"
            where_zh = f"{event.n_workers}个{event.arm}工作单元"
            if event.n_tasks is None:
                en, zh = f"Running on {where_en}…", f"正在{where_zh}上运行…"
            else:
                en = f"Running {event.n_tasks} tasks on {where_en}…"
                zh = f"正在{where_zh}上运行{event.n_tasks}个任务…"
            send(_status(request_id, "running", language, en, zh))

    return subscribe(on_event)


def _status(request_id: str, phase: Phase, language: str, en: str, zh: str) -> StatusReply:
    return StatusReply(
        kind="status", id=request_id, phase=phase, text=zh if language == "zh" else en
    )


def _unexpected(request_id: str, exc: BaseException) -> ErrorReply:
    return ErrorReply(
        kind="error",
        id=request_id,
        error=type(exc).__name__,
        message=f"aigc-magic failed unexpectedly: {type(exc).__name__}: {exc}. "
        "The traceback is above; please report it. Your variables "
        "are as they were.",
        code=None,
    )


def _shell() -> Any:
    from IPython import get_ipython

    return get_ipython()


def _engine_options(shell: Any) -> dict[str, Any]:
    """The kernel's ``AskMagics.engine_options()`` (loading the extension first, as
    ``%load_ext`` would), so the chat runs with the same ``%config AskMagics`` settings as
    ``%%ask``; the engine's defaults outside IPython."""
    if shell is None:
        return {}
    if "aigc_magic" not in shell.extension_manager.loaded:
        shell.extension_manager.load_extension("aigc_magic")
    magics = shell.magics_manager.registry.get("AskMagics")
    return magics.engine_options() if magics is not None else {}


def _namespace(shell: Any) -> dict[str, Any]:
    if shell is None:
        return _outside_ipython
    user_ns: dict[str, Any] = shell.user_ns
    return user_ns


def _finding(finding: Any, language: str) -> str:
    message = getattr(finding, "message", None)
    return str(message(language)) if callable(message) else str(finding)


def _request_id(request: Any) -> str:
    if isinstance(request, str):
        try:
            request = json.loads(request)
        except json.JSONDecodeError:
            return ""
    value = request.get("id") if isinstance(request, Mapping) else None
    return value if isinstance(value, str) else ""


def _display(reply: Reply) -> None:
    from IPython.display import display

    display({CHAT_MIMETYPE: reply}, raw=True)
