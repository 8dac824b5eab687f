"""`aigc_magic.testing.OpenAIStub` speaks the OpenAI wire protocol: checked with the real SDK."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from aigc_magic.testing import OpenAIStub

KEY = "sk-stub-test-key-000111222333"
MESSAGES: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub(api_key=KEY, models=["stub-model", "stub-large"], chunk_size=5) as server:
        yield server


def client(stub: OpenAIStub, key: str = KEY, **kwargs: object) -> openai.OpenAI:
    options: dict = {"max_retries": 0, "timeout": 5.0, **kwargs}
    return openai.OpenAI(base_url=stub.base_url, api_key=key, **options)


def test_base_url_lifecycle_and_repr() -> None:
    stub = OpenAIStub()
    with pytest.raises(RuntimeError, match="not running"):
        _ = stub.base_url
    assert "stopped" in repr(stub)
    with stub:
        assert stub.base_url.startswith("http://127.0.0.1:")
        assert stub.base_url.endswith("/v1")
        port = int(stub.base_url.split(":")[2].split("/")[0])
        assert port > 0
        assert stub.base_url in repr(stub)
        with pytest.raises(RuntimeError, match="already running"):
            stub.start()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    stub.stop()  # stopping twice is harmless


def test_non_streaming_completion_parses_in_the_sdk(stub: OpenAIStub) -> None:
    stub.reply("Hello there, world.")
    with client(stub) as c:
        reply = c.chat.completions.create(model="stub-model", messages=MESSAGES)
    assert reply.object == "chat.completion"
    assert reply.model == "stub-model"
    assert reply.choices[0].message.role == "assistant"
    assert reply.choices[0].message.content == "Hello there, world."
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.total_tokens > 0
    assert stub.chat_requests[0]["messages"] == MESSAGES


def test_streaming_arrives_in_several_chunks_in_order(stub: OpenAIStub) -> None:
    text = "The quick brown fox jumps over the lazy dog."
    stub.reply(text, finish_reason="length")
    with client(stub) as c:
        stream = c.chat.completions.create(
            model="stub-model",
            messages=MESSAGES,
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
    pieces = [ch.choices[0].delta.content for ch in chunks if ch.choices]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(p for p in pieces if p) == text
    assert len([p for p in pieces if p]) == 9  # 44 characters, 5 per chunk
    assert [ch.choices[0].finish_reason for ch in chunks if ch.choices][-1] == "length"
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert all(ch.object == "chat.completion.chunk" for ch in chunks)


def test_chunk_delay_spreads_the_stream(stub: OpenAIStub) -> None:
    stub.reply("abcdefghij", chunk_size=2, chunk_delay=0.03)
    arrivals = []
    with client(stub) as c:
        stream = c.chat.completions.create(model="stub-model", messages=MESSAGES, stream=True)
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                arrivals.append(time.perf_counter())
    assert len(arrivals) == 5
    assert arrivals[-1] - arrivals[0] >= 0.1


def test_models_listing(stub: OpenAIStub) -> None:
    with client(stub) as c:
        assert [m.id for m in c.models.list()] == ["stub-model", "stub-large"]
    assert stub.requests[-1].method == "GET"
    assert stub.requests[-1].path == "/v1/models"


def test_wrong_or_missing_key_gets_401_with_the_key_masked(stub: OpenAIStub) -> None:
    wrong = "sk-wrong-0123456789-abcdefXYZ"
    with client(stub, key=wrong) as c, pytest.raises(openai.AuthenticationError) as info:
        c.models.list()
    assert info.value.status_code == 401
    assert info.value.code == "invalid_api_key"
    assert "Incorrect API key provided" in str(info.value)
    assert wrong not in str(info.value) and "fXYZ" in str(info.value)
    assert stub.requests[-1].authorized is False
    with client(stub) as c:
        c.models.list()
    assert stub.requests[-1].authorized is True


def test_requests_are_recorded_without_authorization(stub: OpenAIStub) -> None:
    stub.reply("ok")
    with client(stub) as c:
        c.chat.completions.create(model="stub-model", messages=MESSAGES, temperature=0.3)
    recorded = stub.requests[-1]
    assert recorded.path == "/v1/chat/completions"
    assert "authorization" not in recorded.headers
    assert KEY not in repr(recorded)
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.body["temperature"] == 0.3


def test_unknown_model_gets_404_model_not_found_and_keeps_the_queue(stub: OpenAIStub) -> None:
    stub.reply("still queued")
    with client(stub) as c, pytest.raises(openai.NotFoundError) as info:
        c.chat.completions.create(model="gpt-nope", messages=MESSAGES)
    assert info.value.code == "model_not_found"
    assert "gpt-nope" in str(info.value)
    assert stub.pending == 1


def test_429_with_retry_after_then_success(stub: OpenAIStub) -> None:
    stub.error(429, retry_after=0.01)
    stub.reply("second time lucky")
    started = time.perf_counter()
    with client(stub, max_retries=2) as c:
        reply = c.chat.completions.create(model="stub-model", messages=MESSAGES)
    assert reply.choices[0].message.content == "second time lucky"
    assert time.perf_counter() - started < 0.4  # retry-after-ms honoured, no 0.5 s backoff
    assert [r.headers["x-stainless-retry-count"] for r in stub.requests] == ["0", "1"]


def test_scripted_5xx_and_error_fields(stub: OpenAIStub) -> None:
    stub.error(503, "overloaded, try later", error_type="server_error", code="overloaded")
    with client(stub) as c, pytest.raises(openai.InternalServerError) as info:
        c.chat.completions.create(model="stub-model", messages=MESSAGES)
    assert info.value.status_code == 503
    assert info.value.body == {
        "message": "overloaded, try later",
        "type": "server_error",
        "param": None,
        "code": "overloaded",
    }
    with pytest.raises(ValueError, match="400-599"):
        stub.error(200)


def test_dropped_connection_and_delay(stub: OpenAIStub) -> None:
    stub.drop()
    with client(stub) as c, pytest.raises(openai.APIConnectionError):
        c.chat.completions.create(model="stub-model", messages=MESSAGES)
    stub.reply("too late", delay=1.0)
    with client(stub, timeout=0.15) as c, pytest.raises(openai.APITimeoutError):
        c.chat.completions.create(model="stub-model", messages=MESSAGES, stream=True)


def test_empty_queue_answers_500_that_is_not_retried(stub: OpenAIStub) -> None:
    with client(stub, max_retries=2) as c, pytest.raises(openai.InternalServerError) as info:
        c.chat.completions.create(model="stub-model", messages=MESSAGES)
    assert "no scripted reply" in str(info.value)
    assert len(stub.requests) == 1


def test_default_reply_and_clear() -> None:
    with OpenAIStub(default_reply="always this") as stub:
        with openai.OpenAI(base_url=stub.base_url, api_key="anything", max_retries=0) as c:
            for _ in range(2):
                reply = c.chat.completions.create(model="stub-model", messages=MESSAGES)
                assert reply.choices[0].message.content == "always this"
        assert all(r.authorized for r in stub.requests)  # no key expected: anything goes
        stub.reply("queued")
        stub.clear()
        assert stub.requests == [] and stub.pending == 0


def test_bad_requests(stub: OpenAIStub) -> None:
    with client(stub) as c:
        with pytest.raises(openai.BadRequestError, match="messages"):
            c.post("/chat/completions", body={"model": "stub-model"}, cast_to=object)
        with pytest.raises(openai.NotFoundError, match="Invalid URL"):
            c.post("/embeddings", body={"model": "stub-model", "input": "x"}, cast_to=object)
