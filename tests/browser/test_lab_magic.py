"""``%%ask`` in a real JupyterLab, seen through Chromium: progress, the card, its buttons.

One notebook, run cell by cell as a person would (click, Shift+Enter):

1. ``%%ask 计算10000以内的所有质数``: the progress bar reaches 100%, the card says 1229,
   and the screenshot goes to ``tests/artifacts/lab_ask_primes.png``;
2. the card's buttons: "插入为新单元格" adds a cell holding the code under the card's cell,
   "复制" puts the code on the clipboard;
3. a long ``Parallel(backend="aigc")`` call: its panel's stop button ends it mid-run.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import Lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELLS = [
    "%load_ext aigc_magic",
    "%%ask\n计算10000以内的所有质数",
    "import time\nfrom joblib import Parallel, delayed\n"
    "with __import__('joblib').parallel_config(backend='aigc', arm='threads'):\n"
    "    slow = Parallel(n_jobs=2, batch_size=1)([delayed(time.sleep)(0.1) for _ in range(300)])",
]


def _notebook(path: Path) -> None:
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"cell-{i}",
            "metadata": {},
            "outputs": [],
            "source": source,
        }
        for i, source in enumerate(CELLS)
    ]
    path.write_text(
        json.dumps(
            {
                "cells": cells,
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {
                    "kernelspec": {
                        "name": "python3",
                        "display_name": "Python 3",
                        "language": "python",
                    }
                },
            }
        )
    )


def _run_cell(page: Any, index: int) -> None:
    """Click into cell ``index`` and press Shift+Enter until its prompt shows it ran."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    prompt = cell.locator(".jp-InputPrompt")
    for _ in range(3):
        cell.locator(".jp-InputArea-editor").click()
        page.wait_for_selector(".jp-Notebook .jp-Cell.jp-mod-active .cm-focused", timeout=5_000)
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(
                "el => /\\[[*0-9]+\\]/.test(el.textContent)",
                arg=prompt.element_handle(),
                timeout=3_000,
            )
            return
        except Exception:  # the keystroke came before the editor was ready: again
            continue
    raise AssertionError(f"cell {index} did not start running")


def _ran(page: Any, index: int, timeout: float = 45_000) -> None:
    """Wait until cell ``index`` has finished (its prompt shows a number)."""
    prompt = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputPrompt")
    page.wait_for_function(
        "el => /\\[[0-9]+\\]/.test(el.textContent)", arg=prompt.element_handle(), timeout=timeout
    )


def _width(bar: Any) -> float:
    style = bar.get_attribute("style") or ""
    match = re.search(r"width:\s*([\d.]+)%", style)
    return float(match.group(1)) if match else -1.0


def test_ask_primes_in_lab(lab: Lab, page: Any, artifacts: Path) -> None:
    started = time.monotonic()
    _notebook(lab.root / "primes.ipynb")
    page.goto(lab.open_url("primes.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=30_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=30_000)

    _run_cell(page, 0)
    _ran(page, 0)
    _run_cell(page, 1)
    card = page.locator(".jp-Cell").nth(1).locator(".aigc-card")
    card.wait_for(timeout=45_000)
    assert "1229" in card.locator(".aigc-explanation").inner_text()
    bar = page.locator(".jp-Cell").nth(1).locator(".aigc-progress .progress-bar")
    page.wait_for_function(
        "el => el.style.width === '100%'", arg=bar.element_handle(), timeout=10_000
    )
    assert _width(bar) == 100.0
    assert "完成" in page.locator(".jp-Cell").nth(1).locator(".aigc-progress").inner_text()
    page.locator(".jp-Cell").nth(1).scroll_into_view_if_needed()
    page.locator(".jp-Cell").nth(1).screenshot(path=str(artifacts / "lab_ask_primes.png"))

    # "Copy": the code lands on the clipboard.
    card.locator("button.aigc-copy").click()
    page.wait_for_function(
        "() => navigator.clipboard.readText().then(t => t.includes('_aigc_all_primes'))",
        timeout=5_000,
    )
    assert "已复制" in card.locator(".aigc-code-status").inner_text()

    # "Insert as new cell": a code cell with the code, right under the card's cell.
    cells_before = page.locator(".jp-Notebook .jp-Cell").count()
    card.locator("button.aigc-insert").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length === {cells_before + 1}",
        timeout=5_000,
    )
    inserted = page.locator(".jp-Notebook .jp-Cell").nth(2)
    assert "import aigc_magic" in inserted.locator(".jp-InputArea-editor").inner_text()
    assert "已插入" in card.locator(".aigc-code-status").inner_text()

    # The stop button ends a 15-second call within moments.
    _run_cell(page, 3)
    panel = page.locator(".jp-Cell").nth(3).locator(".aigc-progress")
    stop = panel.locator(".aigc-stop")
    stop.wait_for(timeout=20_000)
    page.wait_for_function(
        "el => parseFloat(el.style.width) > 0",
        arg=panel.locator(".progress-bar").element_handle(),
        timeout=10_000,
    )
    clicked = time.monotonic()
    stop.click()
    error = (
        page.locator(".jp-Cell")
        .nth(3)
        .locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    )
    error.wait_for(timeout=10_000)
    assert "KeyboardInterrupt" in error.inner_text()
    assert time.monotonic() - clicked < 5
    assert "stopped" in panel.inner_text()
    assert _width(panel.locator(".progress-bar")) < 100
    print(f"browser test: {time.monotonic() - started:.1f} s in Lab")
