"""Cost and contents in sight: every request's tokens (``r.usage``, ``r.requests``, the
card, ``%ask config``) and exactly what was sent (``r.messages``), through the local server.
"""

from __future__ import annotations

import pytest

from aigc_magic import ask
from aigc_magic.llm.usage import kernel_total
from aigc_magic.ui.text import render_text

CODE = "Here it is:\n\n```python\nresult = sum(range(101))\n```\n\nThat's Gauss's sum."


@pytest.fixture
def llm(llm_server):
    return llm_server


def test_every_request_reports_its_tokens_and_what_it_sent(llm) -> None:
    stub = llm()
    stub.reply("```python\nresult = sum(range(101)) / 0\n```")
    stub.reply(CODE)
    stub.reply("The sum of 0 to 100 is 5050.")
    before = kernel_total()
    r = ask("add the numbers from 0 to 100", namespace={})
    assert r.value == 5050
    assert [q.purpose for q in r.requests] == ["plan", "repair", "answer"]
    # r.messages is exactly what the server received, request by request
    assert r.messages == [request["messages"] for request in stub.chat_requests]
    assert all(
        request.get("stream_options") == {"include_usage": True} for request in stub.chat_requests
    )
    for sent, request in zip(r.messages, r.requests, strict=True):
        prompt = "".join(m["content"] for m in sent)
        assert request.prompt_tokens == len(prompt) // 4  # the stub's own count
        assert request.completion_tokens and request.completion_tokens > 0
    assert r.usage.requests == 3 and r.usage.total_tokens == sum(
        q.prompt_tokens + q.completion_tokens for q in r.requests
    )
    card = render_text(r)
    assert "LLM tokens (prompt + completion): plan " in card and "answer " in card
    assert f"({r.usage.total_tokens:,} in all)" in card
    after = kernel_total()
    assert after.requests - before.requests == 3
    assert after.total_tokens - before.total_tokens == r.usage.total_tokens


def test_a_server_that_counts_nothing_is_tolerated(llm, ip) -> None:
    stub = llm(send_usage=False)
    stub.reply(CODE)
    stub.reply("5050.")
    r = ask("add the numbers from 0 to 100", namespace={})
    assert r.value == 5050 and r.usage.unknown == 2 and r.usage.total_tokens == 0
    assert "plan not counted" in render_text(r)
    shown = str(ip.run_line_magic("ask", "config"))
    assert "LLM use in this kernel:" in shown and "uncounted by the server" in shown


def test_offline_asks_send_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    r = ask("how many primes below 100", namespace={}, planner="offline")
    assert r.requests == [] and r.messages == [] and r.usage.requests == 0
    assert "LLM tokens" not in render_text(r)
