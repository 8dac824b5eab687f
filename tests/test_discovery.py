"""Local models with no configuration: the OpenAI-compatible stub on Ollama's own port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from aigc_magic import ask
from aigc_magic.llm import discover
from aigc_magic.testing import OpenAIStub


@pytest.fixture
def nothing_configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AIGC_MAGIC_MODEL", discover.ENV_VAR):
        monkeypatch.delenv(var, raising=False)
    discover.forget()
    yield
    discover.forget()  # later tests search again, and find nothing


def _free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the stub binds it
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture
def ollama(nothing_configured: None) -> Iterator[OpenAIStub]:
    name, url = discover.CANDIDATES[0]
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    assert _free(port), f"port {port} ({name}'s) is taken on this machine: stop that server"
    with OpenAIStub(
        models=("nomic-embed-text", "llama3.1:8b"), port=port, default_reply="The sum is 385."
    ) as stub:
        yield stub


def test_a_local_server_answers_with_no_configuration(ollama: OpenAIStub, ip) -> None:
    ollama.reply(
        "Here you go:\n\n```python\nresult = sum(i * i for i in range(1, 11))\n```\n"
        "\nThis adds the squares."
    )
    r = ask("sum of the squares from 1 to 10", namespace={})
    assert r.plan.source == "llm" and r.value == 385
    assert ollama.chat_requests[0]["model"] == "llama3.1:8b"  # the first chat model listed
    assert any("found on the loopback (Ollama)" in notice for notice in r.notices)
    shown = str(ip.run_line_magic("ask", "config"))
    assert "found on the loopback (Ollama)" in shown and "llama3.1:8b" in shown


def test_nothing_listening_means_the_offline_planner(nothing_configured: None) -> None:
    started = time.perf_counter()
    r = ask("how many primes below 1000", namespace={})
    assert r.plan.source == "offline" and r.value == 168
    assert time.perf_counter() - started < 5  # the search itself is measured below
    assert discover.local_server() is None  # remembered: no second search


def test_a_server_that_never_answers_costs_at_most_the_budget() -> None:
    with socket.socket() as silent:  # accepts connections, never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        accepted: list[socket.socket] = []
        threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        started = time.perf_counter()
        found = discover.search((("silent", url),), budget=0.2)
        took = time.perf_counter() - started
        for conn in accepted:
            conn.close()
    assert found is None and took < 0.3
