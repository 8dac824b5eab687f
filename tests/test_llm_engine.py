"""The LLM planner through the engine and the magic, over real HTTP to a local stub server.

Covers: planner choice and fallback, streaming into the output, the repair loop over
compile errors / safety findings / exceptions, the answer in words, `%ask config`, and that
the API key never shows anywhere.
"""

from __future__ import annotations

import logging
import socket

import pytest
from IPython.core.error import UsageError

from aigc_magic import TaskError, ask
from aigc_magic.errors import LLMUnreachableError
from aigc_magic.testing import OpenAIStub

KEY = "sk-sentinel-7f3a9c1e5bQzXw"  # ends in letters no hex address holds


def fenced(code: str) -> str:
    return f"Here is the code.\n```python\n{code}\n```\n"


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch):
    with OpenAIStub(api_key=KEY) as stub:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
        monkeypatch.setenv("AIGC_MAGIC_MODEL", "stub-model")
        yield stub


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_llm_plans_runs_and_answers(llm: OpenAIStub) -> None:
    llm.reply(fenced("result = sum(i * i for i in range(1, 11))"), chunk_size=5)
    llm.reply("The sum of the squares from 1 to 10 is 385.")
    pieces: list[str] = []
    ns: dict = {}
    r = ask("sum of the squares from 1 to 10", namespace=ns, stream=pieces.append)
    assert r.plan.source == "llm" and r.value == 385 and ns["result"] == 385
    assert r.explanation == "The sum of the squares from 1 to 10 is 385."
    assert len(pieces) > 3 and "result = sum" in "".join(pieces)  # streamed in pieces
    assert any("LLM" in n for n in r.notices)
    plan_request, answer_request = llm.chat_requests
    assert plan_request["stream"] is True and plan_request["model"] == "stub-model"
    assert "385" in str(answer_request["messages"])  # the answer call saw the result


def test_auto_falls_back_to_offline_when_the_endpoint_is_down(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    r = ask("how many primes below 1000", namespace={}, max_retries=0)
    assert r.plan.source == "offline" and r.value == 168
    assert any("offline planner answered instead" in n for n in r.notices)
    with pytest.raises(LLMUnreachableError):
        ask("how many primes below 1000", namespace={}, planner="llm", max_retries=0)


def test_offline_planner_can_be_forced(llm: OpenAIStub) -> None:
    r = ask("how many primes below 1000", namespace={}, planner="offline")
    assert r.plan.source == "offline" and llm.chat_requests == []


def test_a_raising_code_is_repaired_with_its_traceback(llm: OpenAIStub) -> None:
    llm.reply(fenced("data = [1, 2, 3]\nresult = data[10]"))
    llm.reply(fenced("data = [1, 2, 3]\nresult = data[-1]"))
    llm.reply("The last element is 3.")
    ns = {"data": "mine"}
    r = ask("last element of the list", namespace=ns)
    assert r.value == 3 and len(r.attempts) == 1
    repair = str(llm.chat_requests[1]["messages"])
    assert "IndexError" in repair and "result = data[10]" in repair
    assert any("Attempt 1 failed" in n for n in r.notices)


def test_unsafe_code_goes_back_to_the_model_first(llm: OpenAIStub) -> None:
    llm.reply(fenced("import subprocess\nresult = subprocess.check_output(['nproc'])"))
    llm.reply(fenced("import os\nresult = os.cpu_count()"))
    llm.reply("You have some cores.")
    r = ask("how many cores do I have", namespace={})
    assert isinstance(r.value, int) and len(r.attempts) == 1
    assert "process" in str(llm.chat_requests[1]["messages"])


def test_code_that_does_not_compile_is_repaired(llm: OpenAIStub) -> None:
    llm.reply(fenced("result = (1 +"))
    llm.reply(fenced("result = 1 + 1"))
    llm.reply("Two.")
    r = ask("one plus one", namespace={})
    assert r.value == 2 and len(r.attempts) == 1
    assert "SyntaxError" in str(llm.chat_requests[1]["messages"])


def test_gives_up_after_max_repairs_and_keeps_the_last_code(llm: OpenAIStub) -> None:
    for attempt in range(3):
        llm.reply(fenced(f"x = {attempt}\nresult = 1 / 0"))
    ns = {"x": "kept"}
    with pytest.raises(TaskError, match="after 3 attempts") as info:
        ask("divide", namespace=ns, max_repairs=2)
    assert info.value.code.startswith("x = 2")
    assert ns == {"x": "kept", "__builtins__": ns["__builtins__"]}
    assert len(llm.chat_requests) == 3


def test_a_failed_answer_call_falls_back_to_a_template(llm: OpenAIStub) -> None:
    llm.reply(fenced("result = 6 * 7"))
    llm.error(500)
    r = ask("six times seven", namespace={}, max_retries=0)
    assert r.value == 42 and "42" in r.explanation
    assert any("template" in n for n in r.notices)


def test_follow_up_sends_the_previous_turn(llm: OpenAIStub) -> None:
    ns: dict = {}
    llm.reply(fenced("result = sum(range(100))"))
    llm.reply("4950.")
    ask("sum of 0..99", namespace=ns)
    llm.reply(fenced("result = sum(range(1000))"))
    llm.reply("499500.")
    ask("now up to 999", namespace=ns)
    follow_up = str(llm.chat_requests[2]["messages"])
    assert "sum(range(100))" in follow_up and "sum of 0..99" in follow_up


def test_magic_uses_config_and_streams(ip, llm: OpenAIStub, capsys) -> None:
    ip.run_cell('%config AskMagics.model = "stub-model"')
    llm.reply(fenced("result = 2 ** 10"), chunk_size=4)
    llm.reply("Two to the tenth is 1024.")
    out = ip.run_cell("%%ask\ncompute two to the tenth power")
    assert out.result.value == 1024
    assert "result = 2 ** 10" in capsys.readouterr().out  # streamed to the terminal


def test_config_shows_sources_and_never_the_key(ip, llm: OpenAIStub) -> None:
    ip.run_cell("%config AskMagics.max_repairs = 1")
    text = str(ip.run_cell("%ask config").result)
    assert "max_repairs" in text and "%config" in text
    assert "environment (OPENAI_BASE_URL)" in text
    assert "set (from OPENAI_API_KEY)" in text and KEY not in text and KEY[-4:] not in text


def test_the_key_never_appears_anywhere(ip, llm: OpenAIStub, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    llm.reply(fenced("result = 1"))
    llm.reply("One.")
    shown = [repr(ip.run_cell("%ask give me one").result)]
    llm.error(401)
    with pytest.raises(UsageError) as info:
        ip.run_cell("%ask give me two")
    shown.append(str(info.value))
    llm.reply("no code here, sorry")
    with pytest.raises(UsageError) as info:
        ip.run_cell("%ask give me three")
    shown.append(str(info.value))
    shown.append(str(ip.run_cell("%ask config").result))
    captured = capsys.readouterr()
    everything = "\n".join(
        [
            *shown,
            captured.out,
            captured.err,
            caplog.text,
            str([r.headers for r in llm.requests]),
            str(llm.chat_requests),
        ]
    )
    assert "OPENAI_API_KEY" in shown[1]  # the 401 message names the variable...
    assert KEY not in everything and KEY[-6:] not in everything  # ...never its value
