"""Steps a person takes in Lab with the sidebar chat, shared by the sidebar's browser tests."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

TIMEOUT = 90_000  # ms: the first question of a kernel starts loky workers
CHAT = "#aigc-magic-chat"


def write_notebook(path: Path, cells: list[str], kernel: str = "python3") -> None:
    """A notebook of code cells (a markdown cell when ``cells`` is empty)."""
    body: list[dict[str, Any]] = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"c{i}",
            "metadata": {},
            "outputs": [],
            "source": source,
        }
        for i, source in enumerate(cells)
    ]
    if not body:
        body = [
            {
                "cell_type": "markdown",
                "id": "m0",
                "metadata": {},
                "source": "A notebook the chat works in.",
            }
        ]
    path.write_text(
        json.dumps(
            {
                "cells": body,
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {
                    "kernelspec": {"name": kernel, "display_name": "Python 3", "language": "python"}
                },
            }
        )
    )


def open_notebook(page: Any, lab: Any, name: str) -> None:
    """Open ``name`` in Lab and wait for its kernel to be idle."""
    page.set_default_timeout(TIMEOUT)
    page.goto(lab.open_url(name))
    wait_idle(page)


def wait_idle(page: Any) -> None:
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").wait_for()
    page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']"
    ).wait_for()


def open_chat(page: Any) -> Any:
    """Show the chat panel (a reload may have restored it open already)."""
    panel = page.locator(CHAT)
    if not panel.is_visible():
        page.locator(".jp-SideBar.jp-mod-left [data-id='aigc-magic-chat']").click()
    panel.wait_for()
    return panel


def header(page: Any) -> Any:
    return page.locator(f"{CHAT} .aigc-chat-header")


def wait_header(page: Any, *texts: str) -> None:
    for text in texts:
        header(page).filter(has_text=text).wait_for()


def ask(page: Any, prose: str) -> Any:
    """Type ``prose`` in the chat, press Enter; return its turn."""
    box = page.locator(f"{CHAT} .aigc-chat-textarea")
    box.click()
    box.fill(prose)
    box.press("Enter")
    return last_turn(page, prose)


def last_turn(page: Any, prose: str) -> Any:
    turn = page.locator(f"{CHAT} .aigc-chat-log:visible .aigc-chat-turn").last
    turn.locator(".aigc-chat-question").filter(has_text=prose).wait_for()
    return turn


def turns(page: Any) -> Any:
    return page.locator(f"{CHAT} .aigc-chat-log:visible .aigc-chat-turn")


def finished(turn: Any) -> None:
    """Wait until the turn's request ended."""
    turn.page.wait_for_function(
        "el => !el.classList.contains('aigc-chat-busy')", arg=turn.element_handle()
    )


def cells(page: Any) -> Any:
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


def run_cell(page: Any, index: int) -> None:
    """Click into cell ``index``, press Shift+Enter and wait until it has run."""
    cell = cells(page).nth(index)
    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    for _ in range(3):
        cell.locator(".jp-InputArea-editor").click()
        page.wait_for_selector(".jp-Notebook .jp-Cell.jp-mod-active .cm-focused", timeout=5_000)
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(
                "([el, before]) => /\\[[0-9]+\\]/.test(el.textContent) && "
                "el.textContent !== before",
                arg=[prompt.element_handle(), before],
                timeout=20_000,
            )
            return
        except Exception:  # the keystroke came before the editor was ready: again
            continue
    raise AssertionError(f"cell {index} did not run")


def select_cell(page: Any, index: int) -> None:
    """Make cell ``index`` the active cell (click its prompt area, as a person would)."""
    cells(page).nth(index).locator(".jp-InputPrompt").click()
    page.wait_for_function(
        "i => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')[i]"
        ".classList.contains('jp-mod-active')",
        arg=index,
    )


def menu(page: Any, top: str, item: str | re.Pattern[str]) -> None:
    """Click ``top`` in the menu bar, then ``item`` in its menu."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def restart_kernel(page: Any) -> None:
    menu(page, "Kernel", re.compile(r"^Restart Kernel…$"))
    page.locator(".jp-Dialog .jp-mod-accept").click()
    wait_idle(page)


def change_kernel(page: Any, display_name: str) -> None:
    """Kernel → Change Kernel…, pick ``display_name``, Select."""
    menu(page, "Kernel", re.compile(r"^Change Kernel…$"))
    dialog = page.locator(".jp-Dialog")
    dialog.locator("select").select_option(label=display_name)
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached")
