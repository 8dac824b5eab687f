"""The sidebar chat's kernel side, through a real ipykernel, as the sidebar drives it.

Each request is sent exactly as ``labextension/src/protocol.ts`` sends it: an execute request
(``store_history=False``) whose code hands a JSON string to ``aigc_magic.chat.handle``; the
replies are read back from IOPub under that request.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aigc_magic import _protocol, chat

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL_TS = ROOT / "labextension" / "src" / "protocol.ts"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def request_code(request: dict[str, Any]) -> str:
    """What ``requestCode`` in protocol.ts produces (JSON.stringify twice)."""
    inner = json.dumps(request, ensure_ascii=False, separators=(",", ":"))
    return f'__import__("aigc_magic.chat").chat.handle({json.dumps(inner, ensure_ascii=False)})'


class Kernel:
    """A real kernel and the two ways the front end talks to it."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def execute(
        self, code: str, *, store_history: bool = True, timeout: float = 120
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Run ``code``; return the IOPub messages of the request and its execute_reply."""
        msg_id = self.client.execute(
            code, silent=False, store_history=store_history, allow_stdin=False, stop_on_error=False
        )
        messages: list[dict[str, Any]] = []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    break
                continue
            messages.append(msg)
        reply = self.client.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=timeout)
        return messages, reply

    def ask(self, request: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Send a chat request; return (typed replies, every other IOPub message)."""
        messages, reply = self.execute(request_code(request), store_history=False)
        assert reply["content"]["status"] == "ok", reply["content"]
        replies, others = [], []
        for msg in messages:
            data = msg["content"].get("data", {})
            if msg["msg_type"] == "display_data" and _protocol.CHAT_MIMETYPE in data:
                replies.append(data[_protocol.CHAT_MIMETYPE])
            else:
                others.append(msg)
        return replies, others

    def value(self, expression: str) -> Any:
        messages, _ = self.execute(f"import json as _j; print(_j.dumps({expression}))")
        text = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
        return json.loads(text)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kernel]:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(
        kernel_name="python3", cwd=str(tmp_path_factory.mktemp("chat"))
    )
    try:
        yield Kernel(client)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def kinds(replies: list[dict[str, Any]]) -> list[str]:
    return [r["kind"] if r["kind"] != "status" else f"status:{r['phase']}" for r in replies]


@pytest.mark.slow
def test_the_canonical_question_answers_in_the_kernels_namespace(kernel: Kernel) -> None:
    count_before = kernel.value("get_ipython().execution_count")
    replies, others = kernel.ask({"kind": "ask", "id": "q1", "prose": "计算10000以内的所有质数"})

    assert kinds(replies)[0] == "status:planning" and kinds(replies)[-1] == "status:done"
    assert "answer" in kinds(replies) and "error" not in kinds(replies)
    assert all(r["id"] == "q1" for r in replies)
    answer = next(r["answer"] for r in replies if r["kind"] == "answer")
    assert answer["recipe"] == "primes.list" and answer["language"] == "zh"
    assert "1229" in answer["explanation"] and "Parallel" in answer["code"]
    assert not [m for m in others if m["msg_type"] == "error"]
    # the progress widget of %%ask is shown to the chat, under the chat's request
    widgets = [
        m for m in others if m["msg_type"] == "display_data" and WIDGET_VIEW in m["content"]["data"]
    ]
    assert widgets, [m["msg_type"] for m in others]
    # same namespace as the notebook's cells; the chat leaves no history and no names behind
    assert kernel.value("[len(result), result[-1]]") == [1229, 9973]
    # two cells ran since count_before (this one and the one above); the chat added none
    assert kernel.value("get_ipython().execution_count") == count_before + 2
    assert kernel.value("'chat' in dir() or '_c' in dir()") is False


@pytest.mark.slow
def test_a_follow_up_names_a_variable_the_notebook_defined(kernel: Kernel) -> None:
    kernel.execute("primes = list(range(2, 12))\ndef f(x):\n    return x * x")
    replies, _ = kernel.ask({"kind": "ask", "id": "q2", "prose": "对primes里的每个元素调用f，求和"})
    answer = next(r["answer"] for r in replies if r["kind"] == "answer")
    assert answer["value_repr"] == str(sum(x * x for x in range(2, 12)))
    assert kernel.value("result") == sum(x * x for x in range(2, 12))


@pytest.mark.slow
def test_prose_with_quotes_braces_and_newlines_arrives_intact(kernel: Kernel) -> None:
    kernel.execute("n_limit = 50")
    prose = 'list the primes below {n_limit}\n(it\'s "fine"; \\ stays a backslash)'
    replies, _ = kernel.ask({"kind": "ask", "id": "q3", "prose": prose})
    answer = next(r["answer"] for r in replies if r["kind"] == "answer")
    assert answer["prose"].startswith("list the primes below 50\n")  # {name} as in %%ask
    assert answer["prose"].endswith('(it\'s "fine"; \\ stays a backslash)')
    assert kernel.value("len(result)") == 15


@pytest.mark.slow
def test_a_planning_error_is_a_plain_typed_error_and_the_kernel_is_intact(kernel: Kernel) -> None:
    kernel.execute("keep = 7")
    replies, others = kernel.ask(
        {"kind": "ask", "id": "q4", "prose": "please write a sonnet about autumn"}
    )
    errors = [r for r in replies if r["kind"] == "error"]
    assert len(errors) == 1 and errors[0]["error"] == "PlanningError"
    assert "list the primes below 10000" in errors[0]["message"]
    assert "OPENAI_BASE_URL" in errors[0]["message"]
    assert kinds(replies)[-1] == "status:done"
    assert not [m for m in others if m["msg_type"] == "error"]  # no traceback anywhere
    assert kernel.value("keep") == 7


@pytest.mark.slow
def test_a_malformed_request_is_answered_not_raised(kernel: Kernel) -> None:
    replies, others = kernel.ask({"kind": "dance", "id": "z"})
    assert [(r["kind"], r["error"], r["id"]) for r in replies] == [("error", "ProtocolError", "z")]
    assert "'dance'" in replies[0]["message"]
    assert not [m for m in others if m["msg_type"] == "error"]


@pytest.mark.slow
def test_the_chat_loads_the_extension_and_reads_config_ask_magics(kernel: Kernel) -> None:
    from aigc_magic.testing import OpenAIStub

    with OpenAIStub(api_key="sk-chat-test") as stub:
        kernel.execute(
            "import os; os.environ['OPENAI_API_KEY'] = 'sk-chat-test'\n"
            f"%config AskMagics.base_url = {stub.base_url!r}\n"
            "%config AskMagics.model = 'stub-model'"
        )
        stub.reply("```python\nresult = 2 ** 10\n```", chunk_size=3, chunk_delay=0.02)
        stub.reply("Two to the tenth is 1024.")
        try:
            replies, _ = kernel.ask(
                {"kind": "ask", "id": "q5", "prose": "compute two to the tenth power"}
            )
        finally:
            kernel.execute("%config AskMagics.base_url = None\ndel os.environ['OPENAI_API_KEY']")
        assert stub.chat_requests[0]["model"] == "stub-model"
    tokens = [r["text"] for r in replies if r["kind"] == "token"]
    assert len(tokens) >= 2  # streamed in pieces, not in one block at the end
    assert "result = 2 ** 10" in "".join(tokens)
    answer = next(r["answer"] for r in replies if r["kind"] == "answer")
    assert answer["value_repr"] == "1024" and answer["source"] != "offline"
    assert kinds(replies).index("answer") > kinds(replies).index("token")


def test_consent_holds_the_code_back_until_a_run_request(ip: Any, scripted: Any) -> None:
    scripted.code = "import subprocess\nresult = 6 * 7\n"
    replies: list[Any] = []
    chat.handle({"kind": "ask", "id": "c1", "prose": "six times seven"}, publish=replies.append)
    consent = next(r for r in replies if r["kind"] == "consent")
    assert consent["can_run"] and "subprocess" in consent["code"]
    assert consent["findings"] and "result" not in ip.user_ns

    replies.clear()
    chat.handle(json.dumps({"kind": "run", "id": "c2", "ask_id": "c1"}), publish=replies.append)
    answer = next(r for r in replies if r["kind"] == "answer")
    assert answer["id"] == "c2" and answer["answer"]["value_repr"] == "42"
    assert ip.user_ns["result"] == 42

    replies.clear()  # consent is used once
    chat.handle({"kind": "run", "id": "c3", "ask_id": "c1"}, publish=replies.append)
    assert [r["kind"] for r in replies] == ["error"]


def test_strict_safety_refuses_without_offering_to_run(ip: Any, scripted: Any) -> None:
    ip.run_cell('%config AskMagics.safety = "strict"')
    scripted.code = "import subprocess\nresult = 1\n"
    replies: list[Any] = []
    chat.handle({"kind": "ask", "id": "s1", "prose": "one"}, publish=replies.append)
    consent = next(r for r in replies if r["kind"] == "consent")
    assert consent["can_run"] is False and "strict" in consent["message"]


def test_a_failing_task_reports_the_engine_message_and_its_code(ip: Any, scripted: Any) -> None:
    ip.user_ns["kept"] = "as it was"
    scripted.code = "kept = 'changed'\nresult = 1 / 0\n"
    replies: list[Any] = []
    chat.handle({"kind": "ask", "id": "t1", "prose": "divide"}, publish=replies.append)
    error = next(r for r in replies if r["kind"] == "error")
    assert error["error"] == "TaskError" and "ZeroDivisionError" in error["message"]
    assert error["code"] == scripted.code
    assert ip.user_ns["kept"] == "as it was"


@pytest.mark.slow
def test_the_chat_obeys_the_run_timeout_set_with_config(ip: Any, scripted: Any) -> None:
    ip.run_cell("%config AskMagics.run_timeout = 1")
    scripted.code = "while True:\n    pass\nresult = 1\n"
    replies: list[Any] = []
    chat.handle({"kind": "ask", "id": "r1", "prose": "spin"}, publish=replies.append)
    error = next(r for r in replies if r["kind"] == "error")
    assert error["error"] == "TaskTimeoutError" and "run_timeout=1 s" in error["message"]


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ({"kind": "ask", "prose": "x"}, "no 'id'"),
        ({"kind": "ask", "id": "a"}, "needs 'prose'"),
        ({"kind": "run", "id": "a"}, "needs 'ask_id'"),
    ],
)
def test_parse_request_says_what_is_wrong(request_: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        chat.parse_request(request_)


# ── the protocol is declared once in Python and mirrored in TypeScript ───────────────────

_TS_NAMES: dict[str, Any] = {
    "AskRequest": _protocol.AskRequest,
    "RunRequest": _protocol.RunRequest,
    "StatusReply": _protocol.StatusReply,
    "TokenReply": _protocol.TokenReply,
    "AnswerJSON": _protocol.AnswerJSON,
    "AnswerReply": _protocol.AnswerReply,
    "ConsentReply": _protocol.ConsentReply,
    "ErrorReply": _protocol.ErrorReply,
    "CellError": _protocol.CellError,
    "CellContext": _protocol.CellContext,
    "KernelInfo": _protocol.KernelInfo,
}


def _ts_interfaces() -> dict[str, dict[str, bool]]:
    """interface name -> {field: optional} from protocol.ts."""
    source = PROTOCOL_TS.read_text(encoding="utf-8")
    interfaces = {}
    for name, body in re.findall(r"export interface (\w+) \{(.*?)\n\}", source, re.S):
        interfaces[name] = {
            field: bool(optional) for field, optional in re.findall(r"^\s+(\w+)(\??):", body, re.M)
        }
    return interfaces


@pytest.mark.parametrize("name", sorted(_TS_NAMES))
def test_typescript_mirrors_each_message(name: str) -> None:
    cls = _TS_NAMES[name]
    python_fields = {field: field in cls.__optional_keys__ for field in typing.get_type_hints(cls)}
    assert _ts_interfaces()[name] == python_fields


def test_typescript_mirrors_the_kinds_phases_and_mimetype() -> None:
    source = PROTOCOL_TS.read_text(encoding="utf-8")
    assert f"CHAT_MIMETYPE = '{_protocol.CHAT_MIMETYPE}'" in source
    assert f"PROTOCOL_VERSION = {_protocol.PROTOCOL_VERSION};" in source
    assert f"PROBE_EXPRESSION = '{_protocol.PROBE_EXPRESSION}';" in source
    phases = " | ".join(f"'{p}'" for p in typing.get_args(_protocol.Phase))
    assert f"export type Phase = {phases};" in source
    for kind in _protocol.REPLY_KINDS + _protocol.REQUEST_KINDS:
        assert f"kind: '{kind}';" in source
    ts_reply_kinds = re.search(r"REPLY_KINDS: readonly ReplyKind\[\] = \[(.*?)\]", source, re.S)
    assert ts_reply_kinds is not None
    assert re.findall(r"'(\w+)'", ts_reply_kinds.group(1)) == list(_protocol.REPLY_KINDS)
