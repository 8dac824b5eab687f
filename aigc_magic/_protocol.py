"""The messages between the sidebar chat and the kernel, declared once.

``labextension/src/protocol.ts`` mirrors them; keep the two in step (``tests/test_chat.py``
checks that both declare the same kinds and fields).

The sidebar sends a *request* by executing ``import aigc_magic.chat; aigc_magic.chat.handle(JSON)``
in the kernel. The kernel answers with *replies*: each is one ``display_data`` whose only
data is ``{CHAT_MIMETYPE: reply}``, published on IOPub under that execute request, so only the
sidebar sees it. Other outputs of the same request (the progress widget, what the task prints)
are ordinary outputs that the sidebar renders with JupyterLab's rendermime.

::

    request (sidebar → kernel)        replies (kernel → sidebar), in order
    ─────────────────────────         ──────────────────────────────────────────────────
    {"kind": "ask", id, prose}   ──►  status(planning) · token* · status(running)*
    {"kind": "run", id, ask_id}       · answer | consent | error · status(done)

Every message has a ``kind``; every reply carries the ``id`` of its request.

Before it asks, the sidebar reads :data:`PROBE_EXPRESSION` as a ``user_expressions`` entry of
a silent execute request: its ``application/json`` is a :class:`KernelInfo` (which planner will
answer), and a ``ModuleNotFoundError`` there means the kernel lacks aigc-magic.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

CHAT_MIMETYPE = "application/vnd.aigc-magic.chat+json"
PROTOCOL_VERSION = 2
#: Evaluated as a ``user_expressions`` entry: a :class:`KernelInfo` as ``application/json``.
PROBE_EXPRESSION = '__import__("aigc_magic.chat").chat.describe()'

Phase = Literal["planning", "running", "done"]


# ── requests: sidebar → kernel ────────────────────────────────────────────────────────────


class CellError(TypedDict):
    """How the attached cell failed: its exception and traceback (ANSI colours removed)."""

    ename: str
    evalue: str
    traceback: str


class CellContext(TypedDict):
    """The active notebook cell, attached to an ask by ``@cell`` or the panel's button."""

    code: str
    error: CellError | None
    output: str  # the text of its other outputs, cut to a few thousand characters


class _AskRequired(TypedDict):
    kind: Literal["ask"]
    id: str
    prose: str


class AskRequest(_AskRequired, total=False):
    """Plan, run and explain ``prose``, as ``%%ask`` would, in the kernel's namespace."""

    yes: bool  # consent in advance to code with safety findings (--yes)
    planner: Literal["auto", "offline", "llm"]  # override for this ask
    cell: CellContext  # "ask about the active cell": needs an LLM


class RunRequest(TypedDict):
    """Run the code that a ``consent`` reply held back (``%ask run``)."""

    kind: Literal["run"]
    id: str
    ask_id: str  # the id of the ask whose consent is given


Request = AskRequest | RunRequest


# ── replies: kernel → sidebar ─────────────────────────────────────────────────────────────


class StatusReply(TypedDict):
    """Where the request is; ``text`` is one line for the user (in the prose's language)."""

    kind: Literal["status"]
    id: str
    phase: Phase
    text: str


class TokenReply(TypedDict):
    """The next piece of an LLM's reply (streamed; the sidebar appends it)."""

    kind: Literal["token"]
    id: str
    text: str


class AnswerJSON(TypedDict):
    """``AskResult.to_json()``, the same JSON as the ``answer+json`` output of ``%%ask``."""

    prose: str
    language: str
    summary: str
    source: str
    recipe: str | None
    ran: bool
    explanation: str
    code: str
    value_type: str | None
    value_repr: str | None
    schedule: dict[str, Any] | None
    timings: dict[str, float]
    notices: list[str]
    attempts: int


class AnswerReply(TypedDict):
    """The answer in words, the code that ran, and where it ran."""

    kind: Literal["answer"]
    id: str
    answer: AnswerJSON


class ConsentReply(TypedDict):
    """The safety policy held the code back; nothing ran. A ``run`` request runs it."""

    kind: Literal["consent"]
    id: str
    message: str
    code: str
    findings: list[str]
    can_run: bool  # False in safety mode "strict"


class ErrorReply(TypedDict):
    """The ask failed; ``message`` is the engine's own text. The kernel is intact."""

    kind: Literal["error"]
    id: str
    error: str  # the exception's class name, e.g. "PlanningError"
    message: str
    code: str | None  # the code that failed, when there was code


class KernelInfo(TypedDict):
    """What :data:`PROBE_EXPRESSION` answers: the planner the next ask will use.

    Never a key: ``host`` is the endpoint's host and port only.
    """

    kind: Literal["hello"]
    version: str  # aigc-magic's version in the kernel
    protocol: int
    planner: Literal["offline", "llm"]
    model: str | None  # None for the offline planner
    host: str | None  # e.g. "api.openai.com" or "127.0.0.1:11434"; None offline
    source: str  # where the endpoint came from: "%config", "environment", "found ..."


Reply = StatusReply | TokenReply | AnswerReply | ConsentReply | ErrorReply

REPLY_KINDS = ("status", "token", "answer", "consent", "error")
REQUEST_KINDS = ("ask", "run")
