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
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "")
                   for o in cell.outputs)


def test_canonical_example_in_a_real_kernel(tmp_path: Path) -> None:
    nb = _run(["%load_ext aigc_magic",
               "%%ask\n计算10000以内的所有质数",
               "len(result), result[-1]"], tmp_path)
    answers = [o["data"][ANSWER] for o in nb.cells[1].outputs if ANSWER in o.get("data", {})]
    assert len(answers) == 1
    answer = answers[0]
    assert answer["language"] == "zh" and answer["recipe"] == "primes.list"
    assert "1229" in answer["explanation"] and "9973" in answer["explanation"]
    html = next(o["data"]["text/html"] for o in nb.cells[1].outputs if ANSWER in o["data"])
    assert "aigc-answer" in html and "Parallel" in html  # the card shows the code
    assert _text(nb.cells[2]) == "(1229, 9973)"


def test_a_failed_ask_keeps_the_kernel_and_variables(tmp_path: Path) -> None:
    nb = _run(["%load_ext aigc_magic",
               "x = 40",
               "%ask please write a sonnet about autumn",
               "%ask how many primes below {x}",
               "x, result"], tmp_path, allow_errors=True)
    # a UsageError: one readable message on stderr, no traceback
    shown = _text(nb.cells[2])
    assert shown.startswith("UsageError: ") and "Traceback" not in shown
    assert "list the primes below 10000" in shown and "OPENAI_BASE_URL" in shown
    assert _text(nb.cells[4]) == "(40, 12)"
