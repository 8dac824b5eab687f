"""The sidebar chat a person keeps open, in a real JupyterLab driven in Chromium.

One test per promise of issue 19: the conversation of each notebook survives a reload and a
kernel restart and can be cleared; the header follows the notebook's kernel (and says when it
lacks aigc-magic); replies stream token by token and Stop interrupts planning, streaming and
running; the panel widens and remembers it, code wraps and long results fold; the panel speaks
Chinese when Lab does; the header names the planner and links to ``%ask config``; ``@cell``
asks about the active cell; Up recalls and Escape clears. The LLM is ``llm``, an OpenAIStub.
Screenshots land in ``tests/artifacts/lab-sidebar-*.png``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .chatpage import (
    CHAT,
    ask,
    cells,
    change_kernel,
    finished,
    header,
    last_turn,
    open_chat,
    open_notebook,
    restart_kernel,
    run_cell,
    select_cell,
    turns,
    wait_header,
    wait_idle,
    write_notebook,
)
from .conftest import NO_AIGC_DISPLAY, STUB_KEY, Lab, llm_cell

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PRIMES = "计算10000以内的所有质数"
OFFLINE = "Answers: the offline planner"


def _code(body: str) -> str:
    return f"```python\n{body}\n```"


def _workspaces(lab: Lab) -> str:
    """Every saved workspace (JupyterLab's state database lives in them), as text."""
    with urllib.request.urlopen(f"{lab.url}/lab/api/workspaces?token={lab.token}") as reply:
        return reply.read().decode()


def _stored_turns(lab: Lab, path: str) -> list[Any]:
    for workspace in json.loads(_workspaces(lab))["workspaces"]["values"]:
        stored = workspace["data"].get(f"aigc-magic:conversation:{path}")
        if stored:
            return list(stored["turns"])
    return []


def _wait_stored(lab: Lab, path: str, count: int) -> None:
    """Wait until the server's workspace holds ``count`` turns of ``path`` (Lab saves the
    workspace a moment after its state database changes)."""
    deadline = time.monotonic() + 10
    while len(_stored_turns(lab, path)) != count:
        assert time.monotonic() < deadline, (path, _stored_turns(lab, path))
        time.sleep(0.3)


def test_the_conversation_survives_a_reload_and_a_kernel_restart(
    page: Any, lab: Lab, artifacts: Path
) -> None:
    write_notebook(lab.root / "keep.ipynb", [])
    open_notebook(page, lab, "keep.ipynb")
    open_chat(page)
    wait_header(page, "keep.ipynb · Python 3 (ipykernel) · idle", OFFLINE)
    turn = ask(page, PRIMES)
    turn.locator(".aigc-chat-outputs .widget-hprogress .progress-bar").wait_for()
    turn.locator(".aigc-chat-answer").filter(has_text="1229").wait_for()
    finished(turn)
    _wait_stored(lab, "keep.ipynb", 1)

    page.reload()
    wait_idle(page, lab, "keep.ipynb")
    open_chat(page)
    restored = last_turn(page, PRIMES)
    restored.locator(".aigc-chat-answer").filter(has_text="1229").wait_for()
    # the progress widget is gone with its page: the text it showed last stands in for it
    snapshot = restored.locator(".aigc-chat-outputs").inner_text()
    assert "Widget as last shown" in snapshot and "1229" in restored.inner_text()
    page.screenshot(path=str(artifacts / "lab-sidebar-restored.png"))

    restart_kernel(page)
    wait_header(page, "keep.ipynb · Python 3 (ipykernel) · idle", OFFLINE)
    assert turns(page).count() == 1
    assert "1229" in last_turn(page, PRIMES).inner_text()

    page.locator(f"{CHAT} .aigc-chat-clear").click()
    # (the logs of the other notebooks open in the workspace keep their turns, hidden)
    turns(page).first.wait_for(state="detached")
    _wait_stored(lab, "keep.ipynb", 0)
    page.reload()
    wait_idle(page, lab, "keep.ipynb")
    open_chat(page)
    wait_header(page, OFFLINE)
    assert turns(page).count() == 0
    assert _stored_turns(lab, "keep.ipynb") == []


def test_the_header_follows_the_notebook_and_its_kernel(
    page: Any, lab: Lab, artifacts: Path
) -> None:
    write_notebook(lab.root / "follow.ipynb", [])
    write_notebook(lab.root / "other.ipynb", [])
    open_notebook(page, lab, "follow.ipynb")
    open_chat(page)
    wait_header(page, "follow.ipynb · Python 3 (ipykernel) · idle", OFFLINE)

    # after a reload the header picks the kernel up again by itself
    page.reload()
    wait_idle(page, lab, "follow.ipynb")
    open_chat(page)
    wait_header(page, "follow.ipynb · Python 3 (ipykernel) · idle", OFFLINE)
    assert "No Kernel" not in header(page).inner_text()

    # a kernel without aigc-magic: the header says so and gives the line to run
    change_kernel(page, NO_AIGC_DISPLAY)
    warning = page.locator(f"{CHAT} .aigc-chat-warning")
    warning.filter(has_text="%pip install aigc-magic").wait_for()
    wait_header(page, f"follow.ipynb · {NO_AIGC_DISPLAY}")
    page.screenshot(path=str(artifacts / "lab-sidebar-no-aigc.png"))
    turn = ask(page, PRIMES)
    turn.locator(".aigc-chat-error").filter(has_text="%pip install aigc-magic").wait_for()

    change_kernel(page, "Python 3 (ipykernel)")
    wait_header(page, "follow.ipynb · Python 3 (ipykernel) · idle", OFFLINE)
    assert warning.is_hidden()

    # another notebook: the header and the conversation follow the active one
    _wait_stored(lab, "follow.ipynb", 1)
    page.goto(lab.open_url("other.ipynb"))
    wait_idle(page, lab, "other.ipynb")
    open_chat(page)
    wait_header(page, "other.ipynb · Python 3 (ipykernel) · idle")
    assert turns(page).count() == 0
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="follow.ipynb").click()
    wait_header(page, "follow.ipynb · Python 3 (ipykernel)")
    turns(page).first.wait_for()
    assert turns(page).count() == 1


def test_replies_stream_and_stop_interrupts_planning_streaming_and_running(
    page: Any, lab: Lab, llm: Any, artifacts: Path
) -> None:
    write_notebook(lab.root / "stream.ipynb", [llm_cell(llm)])
    open_notebook(page, lab, "stream.ipynb")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    open_chat(page)
    run_cell(page, 0)
    port = llm.base_url.split(":")[2].split("/")[0]
    wait_header(page, f"Answers: stub-model at 127.0.0.1:{port}")

    # token by token: the streamed text grows while the reply is coming
    words = " ".join(f"step{i}" for i in range(40))
    llm.reply(
        f"Summing squares, {words}.\n" + _code("result = sum(i * i for i in range(10))"),
        chunk_size=6,
        chunk_delay=0.08,
    )
    llm.reply("The sum of the first ten squares is 285.")
    turn = ask(page, "sum of the squares of 0..9")
    tokens = turn.locator(".aigc-chat-tokens")
    lengths: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and turn.locator(".aigc-chat-answer").count() == 0:
        lengths.append(len(tokens.text_content() or ""))
        time.sleep(0.15)
    growth = sorted(set(n for n in lengths if n > 0))
    assert len(growth) >= 4, lengths
    turn.locator(".aigc-chat-value").filter(has_text="285").wait_for()
    page.screenshot(path=str(artifacts / "lab-sidebar-streamed.png"))

    stop = page.locator(f"{CHAT} .aigc-chat-stop")

    def stopped(turn: Any) -> None:
        turn.locator(".aigc-chat-error[data-error='KeyboardInterrupt']").wait_for(timeout=15_000)
        finished(turn)
        assert stop.is_hidden()

    # planning: the LLM has not answered yet
    llm.reply(_code("result = 1"), delay=30)
    turn = ask(page, "one, slowly")
    turn.locator(".aigc-chat-status").filter(has_text="Planning").wait_for()
    time.sleep(0.5)
    stop.click()
    stopped(turn)

    # streaming: the reply is halfway
    llm.reply("Working: " + "tick " * 300 + _code("result = 2"), chunk_size=5, chunk_delay=0.1)
    turn = ask(page, "two, slowly")
    page.wait_for_function(
        "el => el.textContent.length > 20", arg=turn.locator(".aigc-chat-tokens").element_handle()
    )
    stop.click()
    stopped(turn)

    # running: the grid is busy with the task
    llm.reply(
        _code(
            "import time\nfrom joblib import Parallel, delayed\n"
            "result = len(Parallel(n_jobs=2)(delayed(time.sleep)(0.1) "
            "for _ in range(400)))"
        )
    )
    turn = ask(page, "sleep a while on the grid")
    turn.locator(".aigc-chat-outputs .widget-hprogress").wait_for()
    time.sleep(1)
    stop.click()
    stopped(turn)

    # and the kernel answers the next question
    llm.reply(_code("result = 6 * 7"))
    llm.reply("Six times seven is 42.")
    turn = ask(page, "six times seven")
    turn.locator(".aigc-chat-value").filter(has_text="42").wait_for()
    wait_idle(page, lab, "stream.ipynb")

    # the key is nowhere the panel, the state database or the logs can show it
    assert STUB_KEY not in page.locator(CHAT).inner_text()
    assert STUB_KEY not in _workspaces(lab)
    assert STUB_KEY not in lab.log.read_text(errors="replace")
    assert not any(STUB_KEY in line for line in console)


def test_the_panel_widens_remembers_it_wraps_code_and_folds_long_results(
    page: Any, lab: Lab, llm: Any, artifacts: Path
) -> None:
    write_notebook(lab.root / "wide.ipynb", [llm_cell(llm)])
    open_notebook(page, lab, "wide.ipynb")
    panel = open_chat(page)
    run_cell(page, 0)
    wait_header(page, "stub-model")

    before = panel.bounding_box()["width"]
    handle = page.locator(".lm-SplitPanel-handle:visible").first
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 250, y, steps=8)
    page.mouse.up()
    wider = panel.bounding_box()["width"]
    assert wider > before + 200, (before, wider)

    long_line = "values = [" + ", ".join(str(i) for i in range(120)) + "]"
    body = "\n".join(
        [long_line]
        + [f"x{i} = {i}" for i in range(30)]
        + ["for v in range(200):\n    print('line', v)", "result = sum(values)"]
    )
    llm.reply(_code(body))
    llm.reply("The sum is 7140.")
    turn = ask(page, "sum the values and print lines")
    turn.locator(".aigc-chat-value").filter(has_text="7140").wait_for()
    finished(turn)
    code = turn.locator(".aigc-chat-code pre").first
    fits = code.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert fits, "the code block scrolls sideways"
    # the long code and the 200 printed lines fold, each behind its own toggle
    assert turn.locator(".aigc-chat-code .aigc-chat-folded").count() == 1
    page.wait_for_function(
        "el => el.classList.contains('aigc-chat-folded')",
        arg=turn.locator(".aigc-chat-outputs").element_handle(),
    )
    toggle = turn.locator(".aigc-chat-code .aigc-chat-fold-toggle")
    assert "Show all" in toggle.inner_text()
    page.screenshot(path=str(artifacts / "lab-sidebar-wide.png"))
    toggle.click()
    assert turn.locator(".aigc-chat-code .aigc-chat-folded").count() == 0

    # the width is part of the workspace: a reload keeps it
    time.sleep(1.5)  # the workspace is saved a moment after the layout changes
    page.reload()
    wait_idle(page, lab, "wide.ipynb")
    panel = open_chat(page)
    assert abs(panel.bounding_box()["width"] - wider) < 12, (wider, panel.bounding_box())


def test_the_panel_speaks_chinese_when_lab_does(page: Any, lab: Lab, artifacts: Path) -> None:
    settings = lab.settings / "@jupyterlab" / "translation-extension"
    settings.mkdir(parents=True, exist_ok=True)
    chosen = settings / "plugin.jupyterlab-settings"
    chosen.write_text(json.dumps({"locale": "zh_CN"}))
    try:
        write_notebook(lab.root / "zh.ipynb", [])
        open_notebook(page, lab, "zh.ipynb")
        open_chat(page)
        wait_header(page, "回答者：内置离线规划器", "zh.ipynb · Python 3 (ipykernel) · 空闲")
        assert page.locator(f"{CHAT} .aigc-chat-send").inner_text() == "发送"
        assert "提问" in page.locator(f"{CHAT} .aigc-chat-textarea").get_attribute("placeholder")
        turn = ask(page, PRIMES)
        turn.locator(".aigc-chat-answer").filter(has_text="1229").wait_for()
        finished(turn)
        assert turn.locator("button.aigc-chat-insert").inner_text() == "插入为下方的单元格"
        assert turn.locator("button.aigc-chat-run").inner_text() == "在笔记本中运行"
        text = page.locator(CHAT).inner_text()
        for english in ("Insert as a cell below", "Run in the notebook", "Answers:", "Send"):
            assert english not in text
        page.screenshot(path=str(artifacts / "lab-sidebar-zh.png"))
    finally:
        chosen.unlink()


def test_the_header_names_the_planner_and_links_to_ask_config(
    page: Any, lab: Lab, llm: Any
) -> None:
    write_notebook(lab.root / "config.ipynb", ["%load_ext aigc_magic", llm_cell(llm)])
    open_notebook(page, lab, "config.ipynb")
    open_chat(page)
    wait_header(page, OFFLINE)
    run_cell(page, 0)
    select_cell(page, 0)
    page.locator(f"{CHAT} .aigc-chat-config").click()
    shown = cells(page).nth(1)
    shown.locator(".jp-OutputArea-output").filter(has_text="LLM settings").wait_for()
    assert "the embedded offline planner answers" in shown.inner_text()

    run_cell(page, 2)  # the environment now names an endpoint
    port = llm.base_url.split(":")[2].split("/")[0]
    wait_header(page, f"Answers: stub-model at 127.0.0.1:{port}")
    assert STUB_KEY not in header(page).inner_text()


def test_ask_about_the_active_cell(page: Any, lab: Lab, llm: Any, artifacts: Path) -> None:
    failing = "values = []\nmean = sum(values) / len(values)"
    write_notebook(lab.root / "cell.ipynb", [failing, llm_cell(llm)])
    open_notebook(page, lab, "cell.ipynb")
    open_chat(page)
    run_cell(page, 0)
    cells(page).nth(0).locator(".jp-OutputArea-output").filter(
        has_text="ZeroDivisionError"
    ).wait_for()

    # offline: a plain message that this needs an LLM
    select_cell(page, 0)
    turn = ask(page, "@cell fix this")
    error = turn.locator(".aigc-chat-error[data-error='NeedsLLM']")
    error.filter(has_text="needs an LLM").wait_for()
    assert "OPENAI_API_KEY" in error.inner_text()

    # with an LLM: the button attaches the cell; its code and error reach the model
    run_cell(page, 1)
    wait_header(page, "stub-model")
    select_cell(page, 0)
    llm.clear()
    llm.reply(
        _code("values = []\nmean = sum(values) / len(values) if values else 0.0\nresult = mean")
    )
    llm.reply("An empty list has no mean; the fixed cell gives 0.0 for it.")
    page.locator(f"{CHAT} .aigc-chat-attach").click()
    box = page.locator(f"{CHAT} .aigc-chat-textarea")
    assert box.input_value().startswith("@cell")
    box.type("fix this")
    box.press("Enter")
    turn = last_turn(page, "fix this")
    turn.locator(".aigc-chat-attached").filter(has_text="ZeroDivisionError").wait_for()
    turn.locator(".aigc-chat-value").filter(has_text="0.0").wait_for()
    prompt = json.dumps(llm.chat_requests[0]["messages"])
    assert "sum(values) / len(values)" in prompt and "ZeroDivisionError" in prompt
    page.screenshot(path=str(artifacts / "lab-sidebar-cell.png"))


def test_up_recalls_earlier_prompts_and_escape_clears(page: Any, lab: Lab) -> None:
    write_notebook(lab.root / "keys.ipynb", [])
    open_notebook(page, lab, "keys.ipynb")
    open_chat(page)
    for prose in ("please write a sonnet", "please write a haiku"):
        finished(ask(page, prose))
    box = page.locator(f"{CHAT} .aigc-chat-textarea")
    box.click()
    box.type("half a thought")
    box.press("ArrowUp")
    assert box.input_value() == "please write a haiku"
    box.press("ArrowUp")
    assert box.input_value() == "please write a sonnet"
    box.press("ArrowDown")
    assert box.input_value() == "please write a haiku"
    box.press("ArrowDown")
    assert box.input_value() == "half a thought"
    box.press("Escape")
    assert box.input_value() == ""
    assert re.search(r"please write a (sonnet|haiku)", page.locator(CHAT).inner_text())
