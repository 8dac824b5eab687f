"""The magic in a real ipykernel, driven through nbclient as a notebook would be."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ANSWER = "application/vnd.aigc-magic.answer+json"
ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(cells: list[str], tmp_path: Path, allow_errors: bool = False) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(
        o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.outputs
    )


def test_canonical_example_in_a_real_kernel(tmp_path: Path) -> None:
    nb = _run(
        ["%load_ext aigc_magic", "%%ask\n计算10000以内的所有质数", "len(result), result[-1]"],
        tmp_path,
    )
    answers = [o["data"][ANSWER] for o in nb.cells[1].outputs if ANSWER in o.get("data", {})]
    assert len(answers) == 1
    answer = answers[0]
    assert answer["language"] == "zh" and answer["recipe"] == "primes.list"
    assert "1229" in answer["explanation"] and "9973" in answer["explanation"]
    html = next(o["data"]["text/html"] for o in nb.cells[1].outputs if ANSWER in o["data"])
    assert "aigc-answer" in html and "Parallel" in html  # the card shows the code
    assert _text(nb.cells[2]) == "(1229, 9973)"


def test_a_failed_ask_keeps_the_kernel_and_variables(tmp_path: Path) -> None:
    nb = _run(
        [
            "%load_ext aigc_magic",
            "x = 40",
            "%ask please write a sonnet about autumn",
            "%ask how many primes below {x}",
            "x, result",
        ],
        tmp_path,
        allow_errors=True,
    )
    # a UsageError: one readable message on stderr, no traceback
    shown = _text(nb.cells[2])
    assert shown.startswith("UsageError: ") and "Traceback" not in shown
    assert "list the primes below 10000" in shown and "OPENAI_BASE_URL" in shown
    assert _text(nb.cells[4]) == "(40, 12)"


def test_llm_consent_in_a_real_kernel_and_no_key_in_the_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from aigc_magic.testing import OpenAIStub

    key = "sk-kernel-sentinel-QzXwVu"
    with OpenAIStub(api_key=key) as stub:
        monkeypatch.setenv("OPENAI_API_KEY", key)
        monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
        monkeypatch.setenv("AIGC_MAGIC_MODEL", "stub-model")
        stub.reply("```python\nimport subprocess\nresult = 2\n```")
        stub.reply("The answer is two.")
        nb = _run(
            [
                "%load_ext aigc_magic",
                "%config AskMagics.max_repairs = 0",
                "%ask give me two",
                "%ask run",
                "result",
            ],
            tmp_path,
        )
    streamed, consent = nb.cells[2].outputs  # the LLM's reply as it came, then the request
    assert "import subprocess" in streamed["data"]["text/markdown"]
    held = consent["data"]
    assert "application/vnd.jupyter.widget-view+json" in held  # the "Run anyway" button
    assert "[process]" in held["text/plain"] and "%ask run" in held["text/plain"]
    answer = next(o["data"][ANSWER] for o in nb.cells[3].outputs if ANSWER in o.get("data", {}))
    assert answer["source"] == "llm" and answer["explanation"] == "The answer is two."
    assert _text(nb.cells[4]) == "2"
    saved = json.dumps(nb)
    assert key not in saved and key[-6:] not in saved
