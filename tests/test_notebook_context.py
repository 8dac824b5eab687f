"""Notebook context on the LLM path: prose that points at earlier cells, and ``%ask fix``.

Through a real IPython shell (cells stored in its history) and the local OpenAI-compatible
server; replies are shaped like a chat model's.
"""

from __future__ import annotations

import json

import pytest
from IPython.core.error import UsageError

from aigc_magic.llm import discover
from aigc_magic.testing import OpenAIStub


@pytest.fixture
def llm(llm_server):
    return llm_server(default_reply="Done.")


def reply(code: str) -> str:
    return (
        f"Sure, here is the code:\n\n```python\n{code}\n```\n\n"
        "It reuses what your notebook already has."
    )


def cells(ip, *sources: str) -> None:
    for source in sources:
        ip.run_cell(source, store_history=True)


def test_prose_naming_cells_sends_the_names_and_types_they_made(ip, llm: OpenAIStub) -> None:
    cells(
        ip,
        "import numpy as np",
        "grid = np.zeros((3, 4)) + 987654321",
        "grid.shape",
        "scale = 123456789",
    )
    llm.reply(reply("result = float(grid.sum()) * 2"))
    r = ip.run_line_magic("ask", "double the sum of the array from In[2]")
    assert r.value == 2 * 12 * 987654321
    sent = json.dumps(llm.chat_requests[0]["messages"])
    assert "In[2] assigned `grid`" in sent and "ndarray" in sent
    assert "987654321" not in sent  # types, never values
    llm.reply(reply("result = scale + 1"))
    ip.run_line_magic("ask", "add one to the number from the last cell")
    sent = json.dumps(llm.chat_requests[-2]["messages"])  # [-1] is the answer request
    assert "assigned `scale`: int" in sent and "123456789" not in sent
    llm.reply(reply("result = Out[3][0]"))
    ip.run_line_magic("ask", "the first number of Out[3]")
    assert "Out[3] is tuple" in json.dumps(llm.chat_requests[-2]["messages"])


def test_ask_fix_repairs_the_failed_cell_runs_it_and_offers_it(ip, llm: OpenAIStub) -> None:
    cells(ip, "values = [4, 8, 15, 16, 23, 42]")
    with pytest.raises(ZeroDivisionError):
        cells(ip, "mean = sum(values) / len(values[10:])")
    llm.reply(reply("mean = sum(values) / len(values)"))
    r = ip.run_line_magic("ask", "fix")
    request = json.dumps(llm.chat_requests[0]["messages"])
    assert "len(values[10:])" in request and "ZeroDivisionError" in request
    assert r.value == 18.0 and r.taken_from == "mean" and ip.user_ns["mean"] == 18.0
    assert ip.rl_next_input == r.code  # the repaired cell, to insert below


def test_ask_fix_offline_says_it_needs_an_llm(ip, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(discover.ENV_VAR, "0")
    with pytest.raises(ZeroDivisionError):
        cells(ip, "1 / 0")
    with pytest.raises(UsageError, match="none is configured") as info:
        ip.run_line_magic("ask", "fix")
    assert "OPENAI_API_KEY" in str(info.value) and "base_url" in str(info.value)


def test_ask_fix_with_nothing_failed_says_what_to_do(ip) -> None:
    with pytest.raises(UsageError, match="No cell has failed"):
        ip.run_line_magic("ask", "fix")
