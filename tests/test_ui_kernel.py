"""The notebook UI in a real ipykernel: widget models in executed notebooks, the stop button
and the kernel's interrupt in the middle of a run."""

from __future__ import annotations

import contextlib
import json
import queue
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.manager import KernelManager, start_new_kernel
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

WIDGET = "application/vnd.jupyter.widget-view+json"
ANSWER = "application/vnd.aigc-magic.answer+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _execute(cells: list[str], tmp_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    return nb


def _models(nb: nbformat.NotebookNode) -> dict[str, dict[str, Any]]:
    state: dict[str, dict[str, Any]] = nb.metadata.widgets[WIDGET_STATE]["state"]
    return state


def _views(cell: nbformat.NotebookNode) -> list[str]:
    return [o["data"][WIDGET]["model_id"] for o in cell.outputs if WIDGET in o.get("data", {})]


def _tree(models: dict[str, dict[str, Any]], model_id: str) -> Iterator[dict[str, Any]]:
    """The model and every model below it (children, and the children's children)."""
    model = models[model_id]
    yield model
    for child in model["state"].get("children", []):
        yield from _tree(models, child.removeprefix("IPY_MODEL_"))


def test_ask_shows_progress_then_the_card(tmp_path: Path) -> None:
    nb = _execute(
        [
            "%load_ext aigc_magic",
            "%%ask\n计算10000以内的所有质数",
            "r = _\n%ask --no-run how many primes below 100",
        ],
        tmp_path,
    )
    models = _models(nb)
    progress_id, card_id = _views(nb.cells[1])  # the panel first, then the answer

    panel = list(_tree(models, progress_id))
    bars = [m["state"] for m in panel if m["model_name"] == "IntProgressModel"]
    assert len(bars) == 1 and bars[0]["value"] == bars[0]["max"] > 0
    assert bars[0]["bar_style"] == "success"
    assert any("完成" in m["state"].get("value", "") for m in panel)  # Chinese prose
    shown = next(o for o in nb.cells[1].outputs if _views_of(o) == [progress_id])
    assert shown["data"]["text/plain"].startswith("aigc ▕████████████████████▏ 100%")

    card = list(_tree(models, card_id))
    texts = " ".join(m["state"].get("value", "") for m in card)
    assert "1229" in texts and "9973" in texts and "(1229 items)" in texts
    assert "运行方式" in texts  # how it ran, in the prose's language
    assert any(kind in texts for kind in ("sequential ×", "threads ×", "loky ×"))
    code = next(m["state"] for m in card if m["model_name"] == "AnyModel")
    assert "Parallel" in code["code"] and code["labels"]["insert"] == "插入为新单元格"
    assert code["anchor"] == card_id
    result = next(o for o in nb.cells[1].outputs if ANSWER in o.get("data", {}))
    assert "aigc-answer" in result["data"]["text/html"]  # the static card stays, for nbconvert

    plan_only = list(_tree(models, _views(nb.cells[2])[0]))  # --no-run: code, no value
    assert any("Planned, not run" in m["state"].get("value", "") for m in plan_only)
    assert any(m["model_name"] == "AnyModel" for m in plan_only)


def _views_of(output: dict[str, Any]) -> list[str]:
    data = output.get("data", {})
    return [data[WIDGET]["model_id"]] if WIDGET in data else []


def test_any_aigc_call_gets_a_panel_unless_switched_off(tmp_path: Path) -> None:
    call = (
        "from joblib import Parallel, delayed\n"
        "out = Parallel(n_jobs=2, backend='aigc')(delayed(abs)(i) for i in range(50))"
    )
    nb = _execute(
        [
            "%load_ext aigc_magic",
            call,
            f"{call}\n{call}",  # two calls in one cell share one panel
            "%config AskMagics.progress = False",
            call,
        ],
        tmp_path,
    )
    models = _models(nb)
    (single,) = _views(nb.cells[1])
    bar = next(m["state"] for m in _tree(models, single) if m["model_name"] == "IntProgressModel")
    assert bar["value"] == bar["max"] == 50
    (shared,) = _views(nb.cells[2])
    assert any("call 2" in m["state"].get("value", "") for m in _tree(models, shared))
    assert _views(nb.cells[4]) == []
    assert "VBox(" not in json.dumps(nb.cells[1].outputs)  # no widget repr as text


class Kernel:
    """A kernel driven message by message, to act in the middle of a cell."""

    def __init__(self) -> None:
        self.manager: KernelManager
        self.manager, self.client = start_new_kernel(kernel_name="python3")
        self.models: dict[str, dict[str, Any]] = {}  # comm_id -> latest state

    def run(self, code: str, timeout: float = 60) -> dict[str, Any]:
        reply: dict[str, Any] = self.client.execute_interactive(
            code, timeout=timeout, output_hook=self._watch
        )
        return reply

    def start(self, code: str) -> str:
        msg_id: str = self.client.execute(code)
        return msg_id

    def pump(self, until: Any, timeout: float = 60) -> None:
        """Read IOPub until ``until()`` holds."""
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting on the kernel")
            with contextlib.suppress(queue.Empty):
                self._watch(self.client.get_iopub_msg(timeout=0.1))

    def reply(self, msg_id: str, timeout: float = 30) -> dict[str, Any]:
        """The execute_reply of ``msg_id``, once every output of that cell was read."""
        self._idle = False
        self._waiting = msg_id
        self.pump(lambda: self._idle, timeout)
        while True:
            msg: dict[str, Any] = self.client.get_shell_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    _idle = False
    _waiting = ""

    def _watch(self, msg: dict[str, Any]) -> None:
        content = msg["content"]
        if (
            msg["msg_type"] == "status"
            and content["execution_state"] == "idle"
            and msg["parent_header"].get("msg_id") == self._waiting
        ):
            self._idle = True
        if msg["msg_type"] == "comm_open":
            self.models[content["comm_id"]] = dict(content["data"].get("state", {}))
        elif msg["msg_type"] == "comm_msg" and content["data"].get("method") == "update":
            self.models.setdefault(content["comm_id"], {}).update(content["data"]["state"])

    def find(self, dom_class: str) -> tuple[str, dict[str, Any]] | None:
        for comm_id, state in reversed(self.models.items()):
            if dom_class in state.get("_dom_classes", []):
                return comm_id, state
        return None

    def click(self, comm_id: str) -> None:
        msg = self.client.session.msg(
            "comm_msg",
            {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}},
        )
        self.client.shell_channel.send(msg)

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture
def kernel(tmp_path: Path) -> Iterator[Kernel]:
    k = Kernel()
    k.run(f"%load_ext aigc_magic\nimport os\nos.chdir({str(tmp_path)!r})")
    yield k
    k.close()


# 200 tasks of 0.1 s on 2 loky workers: 10 s if nothing stops it. Each task appends its
# index to a file when it finishes, so the test sees whether workers go on after the stop.
LONG_CALL = """
import time
from joblib import Parallel, delayed, parallel_config

def task(i):
    time.sleep(0.1)
    with open("done.txt", "a") as f:
        f.write(f"{i}\\n")
    return i

with parallel_config(backend="aigc", arm="loky"):
    out = Parallel(n_jobs=2, batch_size=1)([delayed(task)(i) for i in range(200)])
"""


def _running(kernel: Kernel, tmp_path: Path) -> None:
    """Wait until the long call has visibly started: its bar moved, tasks finished."""
    kernel.pump(
        lambda: (
            (found := kernel.find("aigc-progress-bar")) is not None
            and found[1].get("value", 0) >= 4
        ),
        timeout=60,
    )
    assert (tmp_path / "done.txt").exists()


def _stopped_cleanly(kernel: Kernel, reply: dict[str, Any], tmp_path: Path, since: float) -> None:
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - since < 5  # not the 10 s the call would take
    finished = len((tmp_path / "done.txt").read_text().split())
    time.sleep(1.0)  # the loky workers were killed: nothing finishes after the stop
    assert len((tmp_path / "done.txt").read_text().split()) == finished < 200
    _, bar = kernel.find("aigc-progress-bar") or ("", {})
    assert bar["bar_style"] == "warning" and bar["value"] < bar["max"] == 200
    titles = [
        str(s.get("value")) for s in kernel.models.values() if "<b>aigc</b>" in str(s.get("value"))
    ]
    assert "stopped" in titles[-1]
    after = kernel.run(
        "print(sum(Parallel(n_jobs=2, backend='aigc')(delayed(abs)(i) for i in range(10))))"
    )
    assert after["content"]["status"] == "ok"  # the kernel and the grid work on


def test_stop_button_interrupts_the_run_mid_way(kernel: Kernel, tmp_path: Path) -> None:
    msg_id = kernel.start(LONG_CALL)
    _running(kernel, tmp_path)
    button, state = kernel.find("aigc-stop") or ("", {})
    assert button and state["description"] == "Stop"
    clicked = time.monotonic()
    kernel.click(button)
    reply = kernel.reply(msg_id)
    _stopped_cleanly(kernel, reply, tmp_path, clicked)


def test_kernel_interrupt_stops_the_workers_too(kernel: Kernel, tmp_path: Path) -> None:
    msg_id = kernel.start(LONG_CALL)
    _running(kernel, tmp_path)
    interrupted = time.monotonic()
    kernel.manager.interrupt_kernel()
    reply = kernel.reply(msg_id)
    _stopped_cleanly(kernel, reply, tmp_path, interrupted)
