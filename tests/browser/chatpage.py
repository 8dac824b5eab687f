"""Steps a person takes in Lab with the sidebar chat, shared by the sidebar's browser tests."""

from __future__ import annotations

import json
import re
import time
import urllib.request
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
    """Open ``name`` in Lab and wait until it is the notebook on show, with an idle kernel."""
    page.set_default_timeout(TIMEOUT)
    page.goto(lab.open_url(name))
    wait_idle(page, lab, name)


# the tab on show in the main area, and the status of the notebook on show
_SHOWN = """name => {
  const tab = document.querySelector(
    '#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel');
  const indicator = document.querySelector(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  return tab !== null && tab.textContent === name.split('/').pop()
    && indicator !== null && indicator.dataset.status === 'idle';
}"""


def _has_kernel(lab: Any, path: str) -> bool:
    url = f"{lab.url}/api/sessions?token={lab.token}"
    with urllib.request.urlopen(url, timeout=10) as reply:
        sessions = json.load(reply)
    return any(s["path"] == path and s.get("kernel") for s in sessions)


def wait_idle(page: Any, lab: Any, name: str) -> None:
    """Wait until ``name`` is the notebook on show and its kernel is started and idle.

    The status shown alone is not enough: a page load first restores the workspace's last
    notebook (idle already) and opens the one in the address a moment later, and a notebook
    shows "idle" before its kernel has started. Its session on the server tells the latter
    apart: Lab gives the session the notebook's path only once the kernel has started.
    """
    deadline = time.monotonic() + TIMEOUT / 1000
    while not _has_kernel(lab, name):
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} has no kernel after {TIMEOUT / 1000:.0f} s")
        time.sleep(0.2)
    page.wait_for_function(_SHOWN, arg=name)


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


# the statuses the notebook on show goes through from now on
_WATCH_STATUS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const seen = [];
  const note = () => {
    const status = panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
    if (status && seen[seen.length - 1] !== status) {
      seen.push(status);
    }
  };
  new MutationObserver(note).observe(panel, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-status']
  });
  return seen;
}"""


def restart_kernel(page: Any) -> None:
    """Kernel → Restart Kernel…, Restart; wait until the kernel restarted and is idle again
    (the status may still read "idle" for a moment after the click)."""
    seen = page.evaluate_handle(_WATCH_STATUS)
    menu(page, "Kernel", re.compile(r"^Restart Kernel…$"))
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(
        "seen => seen.includes('restarting') && seen[seen.length - 1] === 'idle'", arg=seen
    )


def change_kernel(page: Any, display_name: str) -> None:
    """Kernel → Change Kernel…, pick ``display_name``, Select."""
    menu(page, "Kernel", re.compile(r"^Change Kernel…$"))
    dialog = page.locator(".jp-Dialog")
    dialog.locator("select").select_option(label=display_name)
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached")
