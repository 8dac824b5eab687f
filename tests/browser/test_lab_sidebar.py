"""The sidebar chat in a real JupyterLab, driven in Chromium: ask, watch, insert, run, follow up.

Uses the ``lab``, ``page`` and ``artifacts`` fixtures of ``tests/browser/conftest.py``. The
screenshots land in ``tests/artifacts/lab-sidebar-*.png``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "sidebar.ipynb"
PRIMES = "计算10000以内的所有质数"
FOLLOW_UP = "对primes里的每个元素调用f，求和"
SUM_OF_SQUARED_PRIMES = "37546387960"  # sum(p * p for p in primes below 10001)
TIMEOUT = 90_000  # ms: the first question starts loky workers


def _notebook(root: Path) -> None:
    cell = {"cell_type": "markdown", "metadata": {}, "source": "A notebook the chat works in."}
    (root / NOTEBOOK).write_text(
        json.dumps(
            {
                "cells": [cell],
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


def _extension_is_installed(lab: Any) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{lab.url}/lab/api/extensions?token={lab.token}") as reply:
        names = [ext["name"] for ext in json.load(reply)]
    if "aigc-magic" not in names:
        pytest.fail(
            "the aigc-magic labextension is not installed: `pip install -e .` builds "
            "it (see `jupyter labextension list`)"
        )


def _ask(page: Any, prose: str) -> Any:
    box = page.locator(".aigc-chat-textarea")
    box.click()
    box.fill(prose)
    box.press("Enter")
    turn = page.locator(".aigc-chat-log:visible .aigc-chat-turn").last
    turn.locator(".aigc-chat-question").filter(has_text=prose).wait_for()
    return turn


def _cells(page: Any) -> Any:
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


def test_ask_insert_run_and_follow_up(page: Any, lab: Any, artifacts: Path) -> None:
    _extension_is_installed(lab)
    _notebook(lab.root)
    page.set_default_timeout(TIMEOUT)
    page.goto(lab.open_url(NOTEBOOK))
    page.locator(".jp-Notebook").wait_for()
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()

    # the icon opens the panel; it targets the notebook's kernel
    page.locator(".jp-SideBar.jp-mod-left [data-id='aigc-magic-chat']").click()
    header = page.locator(".aigc-chat-header")
    header.filter(has_text=NOTEBOOK).wait_for()

    # Shift+Enter breaks the line and does not send
    box = page.locator(".aigc-chat-textarea")
    box.click()
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    assert box.input_value() == "first line\nsecond line"
    assert page.locator(".aigc-chat-log:visible .aigc-chat-turn").count() == 0
    box.fill("")

    # the question: the progress widget and the answer render inside the chat
    turn = _ask(page, PRIMES)
    turn.locator(".aigc-chat-outputs .widget-hprogress .progress-bar").wait_for()
    answer = turn.locator(".aigc-chat-answer")
    answer.filter(has_text="1229").wait_for()
    assert "9973" in answer.inner_text()
    assert "(1229 items)" in turn.locator(".aigc-chat-value").inner_text()
    assert "_aigc_all_primes" in turn.locator(".aigc-chat-code").inner_text()
    page.screenshot(path=str(artifacts / "lab-sidebar-answer.png"))

    # insert the code as a cell below, then run it in the notebook
    turn.locator("button.aigc-chat-insert").click()
    # (CodeMirror renders only the lines in view: look for the first ones)
    _cells(page).nth(1).locator(".jp-InputArea").filter(has_text="import aigc_magic").wait_for()
    assert _cells(page).count() == 2
    turn.locator("button.aigc-chat-run").click()
    ran = _cells(page).nth(2)
    ran.locator(".jp-InputPrompt").filter(has_text="[1]").wait_for()
    assert "import aigc_magic" in ran.locator(".jp-InputArea").inner_text()
    page.screenshot(path=str(artifacts / "lab-sidebar-run-in-notebook.png"))

    # a cell of the user's own makes names from the result; the chat sees them
    ran.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type("primes = result; f = lambda x: x * x; len(primes)")
    page.keyboard.press("Shift+Enter")
    own = _cells(page).nth(3)
    own.locator(".jp-OutputArea-output").filter(has_text="1229").wait_for()

    follow = _ask(page, FOLLOW_UP)
    follow.locator(".aigc-chat-value").filter(has_text=SUM_OF_SQUARED_PRIMES).wait_for()
    assert follow.locator(".aigc-chat-error").count() == 0
    page.screenshot(path=str(artifacts / "lab-sidebar-follow-up.png"))


def test_a_question_it_cannot_plan_is_answered_plainly(
    page: Any, lab: Any, artifacts: Path
) -> None:
    _extension_is_installed(lab)
    page.set_default_timeout(TIMEOUT)
    # a fresh workspace: no notebook open, so the chat starts a kernel of its own
    page.goto(f"{lab.url}/lab/workspaces/no-notebook?reset&token={lab.token}")
    page.locator(".jp-SideBar.jp-mod-left [data-id='aigc-magic-chat']").click()
    turn = _ask(page, "please write a sonnet about autumn")
    page.locator(".aigc-chat-header").filter(has_text="own kernel").wait_for()
    error = turn.locator(".aigc-chat-error")
    error.filter(has_text="list the primes below 10000").wait_for()
    assert "Traceback" not in error.inner_text()
    page.screenshot(path=str(artifacts / "lab-sidebar-error.png"))
