"""The sidebar's Python side: the header's probe, "ask about the active cell", the catalogue.

The probe and the cell go through :func:`aigc_magic.chat.describe` and
:func:`aigc_magic.chat.handle` in a real IPython shell; the cell's prompt reaches a real
OpenAI-wire server (:class:`~aigc_magic.testing.OpenAIStub`). The Chinese catalogue is checked
against every ``trans.__('…')`` message in ``labextension/src``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from aigc_magic import chat
from aigc_magic.sidebar.cell import with_cell
from aigc_magic.sidebar.info import endpoint_host, kernel_info

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "labextension" / "src"
CATALOGUE = ROOT / "aigc_magic" / "sidebar" / "locale" / "zh_CN" / "LC_MESSAGES" / "aigc_magic.json"
FAILED_CELL = {
    "code": "total = sum(values) / len(values)",
    "error": {
        "ename": "ZeroDivisionError",
        "evalue": "division by zero",
        "traceback": "ZeroDivisionError: division by zero",
    },
    "output": "",
}


@pytest.fixture(autouse=True)
def _no_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGC_MAGIC_DISCOVER", "0")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AIGC_MAGIC_MODEL"):
        monkeypatch.delenv(name, raising=False)


def test_endpoint_host_keeps_only_the_host_and_port() -> None:
    assert endpoint_host("https://me:secret@example.org/v1?api-key=k") == "example.org"
    assert endpoint_host("http://127.0.0.1:11434/v1") == "127.0.0.1:11434"
    assert endpoint_host("http://[::1]:8080/v1") == "[::1]:8080"
    assert endpoint_host(None) == "api.openai.com"


LLM_TEST_KEY = "sk-sidebar-test-7c1e9b2aQwZx"  # a key only this test uses


def test_the_probe_says_offline_then_the_model_and_host_never_the_key(
    ip: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = chat.describe()._repr_json_()
    assert info["planner"] == "offline" and info["model"] is None
    monkeypatch.setenv("OPENAI_API_KEY", LLM_TEST_KEY)
    ip.run_cell('%config AskMagics.base_url = "http://user:pw@127.0.0.1:9/v1"')
    ip.run_cell('%config AskMagics.model = "tiny"')
    info = chat.describe()._repr_json_()
    assert (info["planner"], info["model"], info["host"]) == ("llm", "tiny", "127.0.0.1:9")
    assert LLM_TEST_KEY not in json.dumps(info) and "pw" not in json.dumps(info)


def test_the_probe_reads_config_without_loading_the_extension(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from traitlets.config import Config

    shell = SimpleNamespace(
        config=Config({"AskMagics": {"planner": "llm", "base_url": "http://10.0.0.2:8000/v1"}}),
        magics_manager=SimpleNamespace(registry={}),
    )  # as if %load_ext never ran
    monkeypatch.setattr(chat, "_shell", lambda: shell)
    info = chat.describe()._repr_json_()
    assert (info["planner"], info["host"], info["source"]) == ("llm", "10.0.0.2:8000", "%config")
    assert kernel_info({"planner": "offline"})["planner"] == "offline"


def test_the_probe_expression_is_what_the_sidebar_evaluates(ip: Any) -> None:
    from aigc_magic._protocol import PROBE_EXPRESSION

    result = ip.user_expressions({"aigc": PROBE_EXPRESSION})["aigc"]
    assert result["status"] == "ok"
    assert result["data"]["application/json"]["kind"] == "hello"


def test_asking_about_a_cell_offline_says_it_needs_an_llm(ip: Any) -> None:
    replies: list[Any] = []
    chat.handle(
        {"kind": "ask", "id": "c1", "prose": "fix this", "cell": FAILED_CELL},
        publish=replies.append,
    )
    error = next(r for r in replies if r["kind"] == "error")
    assert error["error"] == "NeedsLLM" and "OPENAI_API_KEY" in error["message"]
    replies.clear()
    chat.handle(
        {"kind": "ask", "id": "c2", "prose": "修复这个", "cell": FAILED_CELL},
        publish=replies.append,
    )
    assert "大语言模型" in next(r for r in replies if r["kind"] == "error")["message"]


@pytest.mark.slow
def test_asking_about_a_cell_sends_its_code_and_error_to_the_llm(ip: Any, llm_server: Any) -> None:
    stub = llm_server()
    stub.reply(
        "```python\nvalues = [1, 2, 3]\nresult = sum(values) / len(values) if values else 0\n```"
    )
    stub.reply("The mean is 2.0; an empty list now gives 0.")
    ip.user_ns["values"], ip.user_ns["n"] = [], 3
    replies: list[Any] = []
    cell = {**FAILED_CELL, "code": FAILED_CELL["code"] + "  # {n}"}
    chat.handle(
        {"kind": "ask", "id": "c1", "prose": "fix this for {n} values", "cell": cell},
        publish=replies.append,
    )
    answer = next(r for r in replies if r["kind"] == "answer")["answer"]
    assert answer["value_repr"] == "2.0"
    prompt = json.dumps(stub.chat_requests[0]["messages"])
    assert "sum(values) / len(values)" in prompt and "ZeroDivisionError" in prompt
    assert "fix this for 3 values" in prompt  # the prose is interpolated,
    assert "# {n}" in prompt  # the cell's code is not


def test_with_cell_fences_code_that_holds_fences() -> None:
    cell = {"code": "s = '''\n```\n'''", "error": None, "output": "some output"}
    text = with_cell("explain this output", cell, "en")  # type: ignore[arg-type]
    assert "````python" in text and "Its output:" in text and "some output" in text


def _messages() -> set[str]:
    found: set[str] = set()
    pattern = re.compile(r"trans\.__\(\s*(?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\")")
    for path in SOURCES.glob("*.ts"):
        for single, double in pattern.findall(path.read_text(encoding="utf-8")):
            found.add((single or double).replace("\\'", "'").replace('\\"', '"'))
    return found


def test_the_chinese_catalogue_translates_every_message_of_the_panel() -> None:
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert catalogue[""]["domain"] == "aigc_magic"
    messages = _messages()
    assert len(messages) > 40
    missing = sorted(messages - set(catalogue))
    assert not missing, f"add these to {CATALOGUE.name}: {missing}"
    for msgid in messages:
        translated = catalogue[msgid][0]
        assert re.findall(r"%\d", translated) == re.findall(r"%\d", msgid) or sorted(
            re.findall(r"%\d", translated)
        ) == sorted(re.findall(r"%\d", msgid)), msgid


def test_jupyterlab_serves_the_catalogue_through_the_entry_point() -> None:
    translation_utils = pytest.importorskip("jupyterlab_server.translation_utils")
    data, message = translation_utils.get_installed_packages_locale("zh_CN")
    assert not message.strip(), message
    assert data["aigc_magic"]["Send"] == ["发送"]
