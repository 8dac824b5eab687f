"""The LLM planner, through the real openai SDK over real HTTP to `OpenAIStub`."""

from __future__ import annotations

import inspect
import json
import logging
import socket
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from aigc_magic.errors import (
    LLMAuthError,
    LLMError,
    LLMModelNotFoundError,
    LLMNotConfiguredError,
    LLMRateLimitError,
    LLMReplyError,
    LLMServerError,
    LLMSyntaxError,
    LLMTimeoutError,
    LLMUnreachableError,
    PlanningError,
)
from aigc_magic.llm.openai import FALLBACK_ERRORS, OpenAIPlanner
from aigc_magic.llm.plan import TaskPlan
from aigc_magic.llm.prompts import (
    SYSTEM_PROMPT,
    describe_value,
    extract_code,
    extract_json_reply,
    summarize_result,
)
from aigc_magic.llm.sdk import PLACEHOLDER_KEY
from aigc_magic.llm.settings import LLMSettings, describe_settings, resolve_settings
from aigc_magic.testing import OpenAIStub

KEY = "sk-planner-test-key-0a1b2c3d4e5f"
CODE = "import numpy as np\nresult = float(np.mean(data))\n"
REPLY = f"The code averages `data`.\n```python\n{CODE}```\nThat is all."


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIStub]:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    for var in ("OPENAI_BASE_URL", "AIGC_MAGIC_MODEL"):
        monkeypatch.delenv(var, raising=False)
    with OpenAIStub(
        api_key=KEY, models=["stub-model", "stub-large", "other"], chunk_size=7
    ) as server:
        yield server


def make_planner(stub: OpenAIStub, **changes: Any) -> OpenAIPlanner:
    options: dict[str, Any] = {
        "model": "stub-model",
        "base_url": stub.base_url,
        "max_retries": 0,
        "timeout": 5.0,
        "api_key_set": True,
    }
    return OpenAIPlanner(LLMSettings(**{**options, **changes}))


@pytest.fixture
def planner(stub: OpenAIStub) -> OpenAIPlanner:
    return make_planner(stub)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- planning -----------------------------------------------------------------------------


def test_plan_streams_the_reply_and_extracts_the_code(
    stub: OpenAIStub, planner: OpenAIPlanner
) -> None:
    stub.reply(REPLY)
    seen: list[str] = []
    plan = planner.plan("mean of data", {"data": np.arange(5)}, stream=seen.append)
    assert len(seen) > 5 and "".join(seen) == REPLY  # in order, in several pieces
    assert plan.code == CODE
    assert plan.source == "llm" and plan.recipe is None and plan.language == "en"
    assert plan.summary == "The code averages `data`."
    assert any("stub-model" in note for note in plan.notes)
    body = stub.chat_requests[0]
    assert body["model"] == "stub-model" and body["stream"] is True
    assert body["temperature"] == 0.2 and body["max_tokens"] > 0
    assert "response_format" not in body
    assert stub.requests[0].authorized


def test_system_prompt_states_the_contract(stub: OpenAIStub, planner: OpenAIPlanner) -> None:
    stub.reply(REPLY)
    planner.plan("count primes below 1e6")
    system = stub.chat_requests[0]["messages"][0]
    assert system["role"] == "system" and system["content"] == SYSTEM_PROMPT
    for phrase in (
        "`result`",
        'Parallel(n_jobs=-1, backend="aigc")',
        "delayed",
        "import aigc_magic",
        "few tasks per core",
        "never one task per tiny item",
        "every import",
        "environment variables",
        "network",
        "subprocess",
        "writing or deleting files",
        "```python",
    ):
        assert phrase in system["content"], phrase


def test_prompt_names_mentioned_variables_with_types_not_values(
    stub: OpenAIStub, planner: OpenAIPlanner
) -> None:
    def scale(x: float, factor: float = 98765.4321) -> float:
        return x * factor

    namespace = {
        "data": np.full((40, 3), 123456.5, dtype=np.float32),
        "scale": scale,
        "password": "hunter2-do-not-send",
        "names": ["alice-unique", "bob"],
        "unrelated": np.zeros(3),
        "_hidden": 1,
    }
    stub.reply(REPLY)
    planner.plan("apply scale to data, also count names and password", namespace)
    user = stub.chat_requests[0]["messages"][-1]["content"]
    assert "`data`: numpy.ndarray shape=(40, 3) dtype=float32" in user
    assert "`scale`: function scale(x: float, factor: float = ...) -> float" in user
    assert "`password`: str (19 characters)" in user
    assert "`names`: list of 2 items (items: str)" in user
    for value in ("123456", "98765", "hunter2", "alice-unique"):
        assert value not in json.dumps(stub.chat_requests[0])
    assert "unrelated" not in user and "_hidden" not in user


def test_chinese_prose_finds_variables_and_sets_the_language(
    stub: OpenAIStub, planner: OpenAIPlanner
) -> None:
    stub.reply("计算平均值。\n```python\nresult = sum(data) / len(data)\n```")
    plan = planner.plan("计算data的平均值", {"data": [1, 2, 3]})
    assert plan.language == "zh" and plan.summary == "计算平均值。"
    assert "`data`: list of 3 items" in stub.chat_requests[0]["messages"][-1]["content"]


def test_follow_up_carries_the_previous_turn_and_its_result(
    stub: OpenAIStub, planner: OpenAIPlanner
) -> None:
    stub.reply("Counts primes.\n```python\nresult = 78498\n```")
    first = planner.plan("count primes below 1e6")
    stub.reply("There are 78,498 primes below one million.")
    planner.answer(first, 78498)
    stub.reply("Again.\n```python\nresult = 664579\n```")
    planner.plan("now do it for 1e7", previous=first)
    messages = stub.chat_requests[-1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[1]["content"] == "count primes below 1e6"
    assert "result = 78498" in messages[2]["content"]
    assert "type: int; repr: 78498" in messages[3]["content"]
    assert messages[3]["content"].endswith("now do it for 1e7")


def test_json_mode_asks_for_and_reads_a_json_object(stub: OpenAIStub) -> None:
    planner = make_planner(stub, json_mode=True)
    stub.reply(json.dumps({"explanation": "Adds two.", "code": "result = 1 + 1"}))
    plan = planner.plan("one plus one")
    body = stub.chat_requests[0]
    assert body["response_format"] == {"type": "json_object"}
    assert "JSON" in body["messages"][0]["content"]
    assert plan.code == "result = 1 + 1\n" and plan.summary == "Adds two."
    stub.reply(json.dumps({"explanation": "Fixed.", "code": "result = 2"}))
    assert planner.repair(plan, "NameError", attempt=1).code == "result = 2\n"
    assert "JSON object" in stub.chat_requests[-1]["messages"][-1]["content"]


def test_code_extraction() -> None:
    assert (
        extract_code("Sure!\n```python\nresult = 1\n```\n```python\nresult = 2\n```")
        == "result = 1\n"
    )
    assert extract_code("```text\nnot code\n```\n```\nresult = 3\n```") == "result = 3\n"
    assert extract_code("```py\nresult = 4\n```") == "result = 4\n"
    assert extract_code("Here:\n```python\nresult = 5\nx = (") == "result = 5\nx = (\n"
    assert extract_code("result = 6") == "result = 6\n"
    assert extract_code("I cannot help with that.") is None
    assert extract_code("x = 1") is None  # parses, but never sets result
    assert extract_json_reply("not json ```python\nresult = 7\n```")[0] == "result = 7\n"
    assert extract_json_reply('{"code": "```python\\nresult = 8\\n```"}')[0] == "result = 8\n"


def test_describe_value_never_shows_contents() -> None:
    class Frame:  # a DataFrame-like object, as pandas shapes it
        def __init__(self) -> None:
            self.shape = (10, 2)
            self.columns = ["price", "name"]
            self.dtypes = {"price": "float64", "name": "object"}

    assert describe_value(Frame()).endswith(
        "Frame shape=(10, 2) columns=[price: float64, name: object]"
    )
    assert describe_value({"k": 1}) == "dict with 1 keys (keys: str)"
    assert describe_value(np) == "module numpy"
    assert describe_value(3.5) == "float"
    assert summarize_result(list(range(100_000))).startswith("type: list of 100000 items")
    assert len(summarize_result("x" * 10_000)) < 700


# -- repair -------------------------------------------------------------------------------


def test_syntax_error_raises_with_the_plan_and_repair_fixes_it(
    stub: OpenAIStub, planner: OpenAIPlanner
) -> None:
    stub.reply("Oops.\n```python\nresult = = 1\n```")
    with pytest.raises(LLMSyntaxError) as info:
        planner.plan("mean of data", {"data": np.arange(4)})
    error = info.value
    assert isinstance(error, LLMReplyError) and isinstance(error, PlanningError)
    assert "not valid Python" in str(error) and "repair" in str(error)
    assert error.plan.code == "result = = 1\n"
    assert "SyntaxError" in error.problem and "result = = 1" in error.problem
    stub.reply("Fixed.\n```python\nresult = 1\n```")
    fixed = planner.repair(error.plan, error.problem, attempt=1)
    assert fixed.code == "result = 1\n" and fixed.summary == "Fixed."
    assert any("attempt 1" in note for note in fixed.notes)
    messages = stub.chat_requests[-1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "`data`: numpy.ndarray" in messages[1]["content"]  # the original conversation
    assert "result = = 1" in messages[2]["content"]
    assert "attempt 1" in messages[3]["content"]
    assert "SyntaxError" in messages[3]["content"] and "Fix the code" in messages[3]["content"]


def test_repair_sends_a_runtime_traceback_and_chains_attempts(
    stub: OpenAIStub, planner: OpenAIPlanner
) -> None:
    stub.reply(REPLY)
    plan = planner.plan("mean of data")
    problem = (
        "Traceback (most recent call last):\n"
        + "  frame\n" * 2000
        + "NameError: name 'data' is not defined"
    )
    stub.reply("```python\nresult = 0\n```")
    second = planner.repair(plan, problem, attempt=1)
    stub.reply("```python\nresult = 1\n```")
    planner.repair(second, "UnsafeCodeError: line 1 reads os.environ", attempt=2)
    messages = stub.chat_requests[-1]["messages"]
    assert [m["role"] for m in messages] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert "NameError: name 'data' is not defined" in messages[3]["content"]
    assert "trimmed" in messages[3]["content"] and len(messages[3]["content"]) < 4500
    assert "os.environ" in messages[5]["content"] and "attempt 2" in messages[5]["content"]


def test_repair_of_a_plan_it_never_saw(stub: OpenAIStub, planner: OpenAIPlanner) -> None:
    plan = TaskPlan(prose="sum 1..10", code="result = sum(range(11)", source="llm")
    stub.reply("```python\nresult = sum(range(11))\n```")
    assert (
        planner.repair(plan, "SyntaxError: '(' was never closed", attempt=1).code
        == "result = sum(range(11))\n"
    )
    roles = [m["role"] for m in stub.chat_requests[-1]["messages"]]
    assert roles == ["system", "user", "assistant", "user"]


# -- answers ------------------------------------------------------------------------------


def test_answer_prompt_and_reply(stub: OpenAIStub, planner: OpenAIPlanner) -> None:
    plan = TaskPlan(prose="计算1到100的和", code="result = 5050", source="llm", language="zh")
    stub.reply("  1到100的和是5050。  ")
    seen: list[str] = []
    text = planner.answer(
        plan,
        5050,
        schedule="Ran serially: the task was tiny.",
        timings={"plan": 1.25, "run": 0.002},
        stream=seen.append,
    )
    assert text == "1到100的和是5050。" and "".join(seen).strip() == text
    body = stub.chat_requests[0]
    user = body["messages"][-1]["content"]
    assert "计算1到100的和" in user and "type: int; repr: 5050" in user
    assert "plan 1.25 s" in user and "Ran serially" in user and "Chinese" in user
    assert "one to three plain sentences" in body["messages"][0]["content"]
    assert body["max_tokens"] <= 300


def test_answer_trims_big_results_and_refuses_an_empty_reply(
    stub: OpenAIStub, planner: OpenAIPlanner
) -> None:
    plan = TaskPlan(prose="squares", code="result = ...", source="llm")
    stub.reply("   ")
    with pytest.raises(LLMReplyError, match="empty answer"):
        planner.answer(plan, np.arange(1_000_000) ** 2)
    user = stub.chat_requests[0]["messages"][-1]["content"]
    assert "shape=(1000000,)" in user and len(user) < 1200


# -- errors -------------------------------------------------------------------------------


def assert_clean(error: BaseException) -> None:
    """One line, no SDK exception attached, nothing chained."""
    assert "\n" not in str(error)
    assert error.__cause__ is None and error.__context__ is None


def test_401_names_the_key_variable(
    stub: OpenAIStub, planner: OpenAIPlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key-999999999")
    with pytest.raises(LLMAuthError) as info:
        planner.plan("x")
    assert "OPENAI_API_KEY" in str(info.value) and "getpass" in str(info.value)
    assert info.value.status == 401 and "9999" not in str(info.value)
    assert_clean(info.value)


def test_no_key_with_a_base_url_sends_a_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with OpenAIStub(api_key=PLACEHOLDER_KEY) as local:
        local.reply("```python\nresult = 2\n```")
        plan = OpenAIPlanner(LLMSettings(model="stub-model", base_url=local.base_url)).plan("2")
        assert plan.code == "result = 2\n" and local.requests[0].authorized


def test_not_configured_without_key_or_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(LLMNotConfiguredError) as info:
        OpenAIPlanner(LLMSettings()).plan("x")
    assert "OPENAI_API_KEY" in str(info.value) and "AskMagics.base_url" in str(info.value)
    assert isinstance(info.value, FALLBACK_ERRORS)


def test_unknown_model_lists_the_served_models(stub: OpenAIStub) -> None:
    stub.reply(REPLY)  # never used: the stub refuses the model first
    with pytest.raises(LLMModelNotFoundError) as info:
        make_planner(stub, model="stub-lrge").plan("x")
    message = str(info.value)
    assert "'stub-lrge'" in message
    assert '%config AskMagics.model = "stub-large"' in message  # the closest comes first
    assert "stub-model" in message and "other" in message
    assert info.value.models == ["other", "stub-large", "stub-model"]
    assert_clean(info.value)


def test_wrong_base_url_path_says_so(stub: OpenAIStub) -> None:
    planner = make_planner(stub, base_url=stub.base_url.removesuffix("/v1"))
    with pytest.raises(LLMError, match=r"404 Not Found.*/v1"):
        planner.plan("x")


def test_429_is_retried_then_succeeds(stub: OpenAIStub) -> None:
    stub.error(429, retry_after=0.01)
    stub.error(503, retry_after=0.01)
    stub.reply(REPLY)
    plan = make_planner(stub, max_retries=2).plan("mean of data")
    assert plan.code == CODE and len(stub.chat_requests) == 3


def test_429_after_retries(stub: OpenAIStub) -> None:
    for _ in range(2):
        stub.error(429, "Rate limit reached for requests", retry_after=0.01)
    with pytest.raises(LLMRateLimitError) as info:
        make_planner(stub, max_retries=1).plan("x")
    assert "HTTP 429" in str(info.value) and "after 1 retry" in str(info.value)
    assert "Rate limit reached" in str(info.value)
    assert len(stub.chat_requests) == 2
    assert_clean(info.value)


def test_5xx_after_retries(stub: OpenAIStub, planner: OpenAIPlanner) -> None:
    stub.error(502)
    with pytest.raises(LLMServerError, match="HTTP 502") as info:
        planner.plan("x")
    assert info.value.status == 502
    assert_clean(info.value)


def test_timeout_names_the_setting(stub: OpenAIStub) -> None:
    stub.reply(REPLY, delay=1.0)
    with pytest.raises(LLMTimeoutError) as info:
        make_planner(stub, timeout=0.2).plan("x")
    assert "0.2 s request timeout" in str(info.value)
    assert "%config AskMagics.timeout" in str(info.value)
    assert not isinstance(info.value, FALLBACK_ERRORS)
    assert_clean(info.value)


def test_connection_refused_is_a_fallback_error() -> None:
    settings = LLMSettings(model="m", base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=0)
    with pytest.raises(LLMUnreachableError) as info:
        OpenAIPlanner(settings).plan("x")
    assert "could not be reached" in str(info.value)
    assert str(settings.base_url) in str(info.value)
    assert isinstance(info.value, FALLBACK_ERRORS)
    assert_clean(info.value)


def test_dropped_connection_is_a_fallback_error(stub: OpenAIStub, planner: OpenAIPlanner) -> None:
    stub.drop()
    with pytest.raises(LLMUnreachableError, match="closed the connection"):
        planner.plan("x")


def test_reply_without_code(stub: OpenAIStub, planner: OpenAIPlanner) -> None:
    chatter = "I am sorry, but as a language model " + "I prefer prose. " * 40
    stub.reply(chatter)
    with pytest.raises(LLMReplyError) as info:
        planner.plan("x")
    assert not isinstance(info.value, LLMSyntaxError)
    assert "no Python code block" in str(info.value)
    assert info.value.reply == " ".join(chatter.split())[:200]
    assert info.value.reply in str(info.value)


def test_json_mode_rejected_hints_at_the_setting(stub: OpenAIStub) -> None:
    stub.error(400, "response_format json_object is not supported by this model")
    with pytest.raises(LLMError, match=r"HTTP 400.*AskMagics\.json_mode = False"):
        make_planner(stub, json_mode=True).plan("x")


def test_list_models_and_settings_from_the_environment(
    stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
    monkeypatch.setenv("AIGC_MAGIC_MODEL", "stub-large")
    planner = OpenAIPlanner()
    assert planner.list_models() == ["other", "stub-large", "stub-model"]
    assert repr(planner) == f"OpenAIPlanner(model='stub-large', base_url='{stub.base_url}')"
    assert (
        inspect.signature(planner.plan).parameters["stream"].kind is inspect.Parameter.KEYWORD_ONLY
    )


def test_openai_is_imported_lazily() -> None:
    code = (
        "import sys, aigc_magic.llm.openai, aigc_magic.testing, aigc_magic.llm.settings; "
        "print('openai' in sys.modules, 'httpx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- the key never leaks ------------------------------------------------------------------

SENTINEL = "sk-LEAK-SENTINEL-7f3a9c1e5b2dQzXw"  # ends in letters no hex address holds


def everything_about(error: BaseException) -> list[str]:
    """Every text an error can show, after checking that no SDK exception (which holds the
    request and its headers) hangs off it."""
    link: BaseException | None = error
    while link is not None:
        assert not type(link).__module__.startswith(("openai", "httpx2", "httpcore2"))
        assert not hasattr(link, "request") and not hasattr(link, "response")
        link = link.__cause__ or link.__context__
    texts = [str(error), repr(error), repr(error.args)]
    texts += traceback.format_exception(error)
    texts += list(traceback.TracebackException.from_exception(error, capture_locals=True).format())
    texts += [repr(v) for v in vars(error).values()]
    return texts


@pytest.mark.slow
def test_the_api_key_appears_nowhere(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL)
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []

    def expect(kind: type[BaseException], call: Callable[[], Any]) -> None:
        with pytest.raises(kind) as info:
            call()
        texts.extend(everything_about(info.value))

    with OpenAIStub(api_key=SENTINEL, models=["stub-model", "stub-large"]) as stub:
        settings = LLMSettings(
            model="stub-model", base_url=stub.base_url, max_retries=1, timeout=3.0, api_key_set=True
        )
        planner = OpenAIPlanner(settings)
        texts += [
            repr(planner),
            repr(settings),
            str(vars(planner)),
            describe_settings(*resolve_settings({"base_url": stub.base_url})),
        ]
        # successes, with a retry on the way
        stub.error(429, retry_after=0.01)
        stub.reply(REPLY)
        plan = planner.plan("mean of data", {"data": np.arange(3)}, stream=texts.append)
        stub.reply("```python\nresult = 1\n```")
        plan = planner.repair(plan, "NameError: x", attempt=1)
        stub.reply("It is one.")
        texts.append(planner.answer(plan, 1))
        texts += [repr(plan), repr(planner.list_models())]
        # every failure
        expect(
            LLMModelNotFoundError,
            lambda: OpenAIPlanner(LLMSettings(model="nope", base_url=stub.base_url)).plan("x"),
        )
        for _ in range(2):
            stub.error(429, retry_after=0.01)
        expect(LLMRateLimitError, lambda: planner.plan("x"))
        stub.error(500, retry_after=0.01)
        stub.error(500, f"internal error while checking key {SENTINEL}", retry_after=0.01)
        expect(LLMServerError, lambda: planner.plan("x"))
        stub.error(400, f"Bearer {SENTINEL} is malformed")
        expect(LLMError, lambda: planner.plan("x"))
        stub.reply(REPLY, delay=1.0)
        expect(
            LLMTimeoutError,
            lambda: OpenAIPlanner(
                LLMSettings(model="stub-model", base_url=stub.base_url, timeout=0.2, max_retries=0)
            ).plan("x"),
        )
        stub.drop()
        expect(
            LLMUnreachableError,
            lambda: OpenAIPlanner(
                LLMSettings(model="stub-model", base_url=stub.base_url, max_retries=0)
            ).plan("x"),
        )
        stub.reply("no code at all")
        expect(LLMReplyError, lambda: planner.plan("x"))
        stub.reply("```python\nresult = (\n```")
        expect(LLMSyntaxError, lambda: planner.plan("x"))
        # a wrong key: the server echoes it masked, as OpenAI does
        with OpenAIStub(api_key="sk-another-key-entirely") as other:
            expect(
                LLMAuthError,
                lambda: OpenAIPlanner(
                    LLMSettings(model="stub-model", base_url=other.base_url)
                ).plan("x"),
            )
            texts.append(json.dumps([r.headers for r in other.requests]))
        recorded = [repr(r) for r in stub.requests]
        texts += [*recorded, json.dumps(stub.chat_requests)]
    expect(
        LLMUnreachableError,
        lambda: OpenAIPlanner(
            LLMSettings(model="m", base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=0)
        ).plan("x"),
    )

    assert any(r.name.startswith(("openai", "httpx2", "httpcore2")) for r in caplog.records)
    out, err = capsys.readouterr()
    texts += [caplog.text, out, err]
    texts += [r.getMessage() for r in caplog.records]
    everything = "\n".join(texts)
    assert SENTINEL not in everything
    assert SENTINEL.removeprefix("sk-") not in everything
    assert "7f3a9c1e5b2dQzXw" not in everything and "QzXw" not in everything


def test_log_filter_redacts_a_key_logged_by_the_sdk(
    stub: OpenAIStub, planner: OpenAIPlanner, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stub.reply(REPLY)
    planner.plan("x")  # building the client installs the filter
    logging.getLogger("openai._base_client").debug("headers: Authorization: Bearer %s", KEY)
    logging.getLogger("httpx2").info("sent %s", {"api-key": KEY})
    logging.getLogger("httpx2").info("HTTP Request: POST https://me:pa55@host/v1 200")
    assert KEY not in caplog.text and "pa55" not in caplog.text
    assert "Bearer <redacted>" in caplog.text and "<redacted>" in caplog.messages[-2]
    assert caplog.messages[-1] == "HTTP Request: POST https://***@host/v1 200"
