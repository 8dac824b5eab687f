"""The progress panel in notebooks: ipywidgets showing the calls of one cell as they run.

::

    aigc · loky × 2 · running   [██████████░░░░░░░░░░]  5/8 · 62%   [■ Stop]
    12.3 tasks/s · elapsed 0.42 s · left 0.25 s
    ● loky-101 3 ▇▇▇▇   ○ loky-102 2 ▇▇▇

Imported on the first call in a notebook, never by ``%load_ext``. One panel per cell: later
calls of the same cell reuse it (``call 2``), so a loop of calls does not flood the output.

The stop button. A click is a ``comm_msg`` on the shell channel, and a busy kernel handles
shell messages only after the cell, so an ordinary ``on_click`` callback would fire after the
run it was meant to stop. ipykernel ≥ 7.4 reads every incoming comm message on its
shell-channel thread first, to route it (``Comm._reply_subshell_for``); the button's comm gets
a router that recognises the click there, at once, and stops the call as the kernel's
interrupt does: a ``KeyboardInterrupt`` in the main thread (``_thread.interrupt_main``), on
which joblib aborts the call and the backend kills or cancels its workers. The message then
goes on its usual way. Where that hook is missing (older ipykernel, other kernels) the button
is not shown and the panel says to interrupt the kernel instead.
"""

from __future__ import annotations

import sys
import threading
from html import escape
from typing import Any

import ipywidgets as w
from IPython.display import display

from ..grid import explain
from ..grid.events import RunStarted
from .snapshot import Hub, Snapshot, format_rate
from .text import LABELS
from .textprogress import progress_line

__all__ = ["MAX_WORKERS_SHOWN", "ProgressPanel", "route_clicks", "widget_view", "workers_html"]

MAX_WORKERS_SHOWN = 16
_BAR_STYLE = {
    "running": "",
    "stopping": "warning",
    "done": "success",
    "stopped": "warning",
    "failed": "danger",
}
_MUTED = "color:var(--jp-ui-font-color2,#666);font-size:0.9em;line-height:1.5"
_STRIPES = (
    "<style>.aigc-indeterminate .progress-bar{background-image:linear-gradient(45deg,"
    "rgba(255,255,255,.4) 25%,transparent 25%,transparent 50%,rgba(255,255,255,.4) 50%,"
    "rgba(255,255,255,.4) 75%,transparent 75%,transparent);background-size:16px 16px;"
    "animation:aigc-stripes 1s linear infinite;opacity:.6}"
    "@keyframes aigc-stripes{from{background-position:16px 0}to{background-position:0 0}}"
    "</style>"
)

_panels: dict[str, ProgressPanel] = {}  # the current cell's panel, by its request's msg_id
_panels_lock = threading.Lock()


def widget_view(started: RunStarted, language: str, hub: Hub) -> ProgressPanel:
    """The panel for a call starting now: the cell's panel if it is free, else a new one."""
    key = _cell_key(hub.shell)
    with _panels_lock:
        panel = _panels.get(key) if key else None
        if panel is None or panel.busy or panel.language != language:
            panel = ProgressPanel(language, hub)
            _panels.clear()  # panels of earlier cells are finished: forget them
            if key:
                _panels[key] = panel
            fresh = True
        else:
            fresh = False
        panel.begin(started)
    if fresh:
        panel.show()
    return panel


class ProgressPanel:
    """The widgets of one cell's progress; a :class:`~.progress.View` for one call at a time."""

    def __init__(self, language: str, hub: Hub) -> None:
        self.language = language
        self.labels = LABELS.get(language, LABELS["en"])
        self.hub = hub
        self.busy = False
        self.call_number = 0
        self._call_id = 0
        self._lock = threading.RLock()
        self._handle: Any = None
        self.title = w.HTML()
        self.bar = w.IntProgress(
            value=0,
            min=0,
            max=1,
            _dom_classes=["aigc-progress-bar"],
            layout=w.Layout(flex="1 1 auto", width="auto"),
        )
        self.count = w.HTML()
        self.stop_button = w.Button(
            description=self.labels["stop"],
            icon="stop",
            tooltip=self.labels["stop"],
            _dom_classes=["aigc-stop"],
            layout=w.Layout(width="auto"),
        )
        self.stats = w.HTML()
        self.workers = w.HTML()
        self.stoppable = route_clicks(self.stop_button, self._on_stop)
        head = [self.title, self.bar, self.count]
        if self.stoppable:
            head.append(self.stop_button)
        self.box = w.VBox(
            [
                w.HBox(head, layout=w.Layout(align_items="center", width="100%")),
                self.stats,
                self.workers,
            ],
            layout=w.Layout(width="100%", max_width="900px"),
            _dom_classes=["aigc-progress"],
        )
        self._text = ""

    def begin(self, started: RunStarted) -> None:
        """Take on a new call (the first, or a later one of the same cell)."""
        with self._lock:
            self.busy = True
            self.call_number += 1
            self._call_id = started.call_id
            self.stop_button.disabled = False
            self.stop_button.description = self.labels["stop"]
            self.stop_button.layout.display = None
            self.bar.value = 0
            self.bar.bar_style = ""
            empty = Snapshot(
                call_id=started.call_id,
                arm=started.arm,
                n_workers=started.n_workers,
                decision=started.decision,
                n_done=0,
                n_tasks=started.n_tasks,
                elapsed=0.0,
                rate=0.0,
                eta=None,
                workers=(),
                state="running",
                call_number=self.call_number,
            )
            self._draw(empty)
            self._text = progress_line(empty, self.language)

    def show(self) -> None:
        """Display the panel in the current cell's output."""
        self._handle = display(_Shown(self.box, self._text), display_id=True)

    def render(self, snapshot: Snapshot) -> None:
        """Draw an intermediate state (ticker thread)."""
        with self._lock:
            if self.busy and snapshot.call_id == self._call_id:
                self._draw(snapshot)

    def finish(self, snapshot: Snapshot) -> None:
        """Draw the final state, hide the stop button, and leave a text form for logs."""
        with self._lock:
            self._draw(snapshot)
            self.stop_button.layout.display = "none"
            self.busy = False
            self._text = progress_line(snapshot, self.language)
            if self._handle is not None:
                self._handle.update(_Shown(self.box, self._text))

    def _draw(self, snap: Snapshot) -> None:
        labels = self.labels
        if snap.n_tasks is not None:
            self.bar.max = max(1, snap.n_tasks)
            self.bar.value = min(snap.n_done, self.bar.max)
            self.bar.remove_class("aigc-indeterminate")
        else:  # a generator's length is known only when joblib has consumed it: stripes
            self.bar.max = self.bar.value = 1
            self.bar.add_class("aigc-indeterminate")
        self.bar.bar_style = _BAR_STYLE.get(snap.state, "")
        state = "" if snap.state == "running" else f" · {labels[snap.state]}"
        call = f" · {labels['call']} {snap.call_number}" if snap.call_number > 1 else ""
        why = "" if snap.decision is None else explain.reason(snap.decision, language=self.language)
        self.title.value = (
            f'{_STRIPES}<span title="{escape(why)}"><b>aigc</b> · '
            f"{escape(snap.arm)} × {snap.n_workers}{call}{state}</span>"
        )
        share = snap.fraction
        total = snap.n_tasks if snap.n_tasks is not None else "?"
        percent = f" · {share * 100:.0f}%" if share is not None else ""
        self.count.value = f"<code>{snap.n_done}/{total}</code>{percent}"
        parts = [
            f"{format_rate(snap.rate)} {labels['per_second']}",
            f"{labels['elapsed']} {explain.format_seconds(snap.elapsed)}",
        ]
        if snap.eta is not None:
            parts.append(f"{labels['eta']} {explain.format_seconds(snap.eta)}")
        if not self.stoppable and not snap.finished:
            parts.append(labels["stop_hint"])
        long = (
            explain.long_call(snap.expected, snap.decision, self.language)
            if snap.expected is not None and not snap.finished
            else None
        )
        incidents = "".join(f"<div>⚠ {escape(line)}</div>" for line in snap.incidents)
        if long is not None:
            incidents = f"<div>⏳ {escape(long)}</div>" + incidents
        self.stats.value = f'<div style="{_MUTED}">{" · ".join(parts)}</div>{incidents}'
        self.workers.value = workers_html(snap, labels)

    def _on_stop(self) -> None:
        """A click, seen on the kernel's shell-channel thread while the call runs."""
        with self._lock:
            call_id = self._call_id if self.busy else 0
        if call_id and self.hub.stop(call_id):
            with self._lock:
                self.stop_button.disabled = True
                self.stop_button.description = self.labels["stopping"]


class _Shown:
    """The panel as displayed: its widget view, with a text form for logs and nbconvert."""

    def __init__(self, box: w.Widget, text: str) -> None:
        self.box, self.text = box, text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = self.box._repr_mimebundle_()
        if self.text:
            bundle["text/plain"] = self.text
        return bundle


def workers_html(snap: Snapshot, labels: dict[str, str]) -> str:
    """Each worker: a dot (green while busy), its name, its tasks, a bar of its share."""
    if not snap.workers:
        return ""
    most = max(count for _, count, _ in snap.workers) or 1
    cells = []
    for name, count, busy in snap.workers[:MAX_WORKERS_SHOWN]:
        dot = "var(--jp-success-color1,#4caf50)" if busy else "var(--jp-ui-font-color3,#aaa)"
        width = max(2, round(48 * count / most))
        cells.append(
            f'<span class="aigc-worker" style="margin-right:12px;white-space:nowrap">'
            f'<span style="color:{dot}">●</span> {escape(name)} <code>{count}</code> '
            f'<span style="display:inline-block;width:{width}px;height:6px;'
            f'background:var(--jp-brand-color1,#2196f3);opacity:0.6"></span></span>'
        )
    more = len(snap.workers) - MAX_WORKERS_SHOWN
    if more > 0:
        cells.append(f"<span>+{more}</span>")
    return (
        f'<div style="{_MUTED}">{labels["workers"]}: {len(snap.workers)} · {"".join(cells)}</div>'
    )


def route_clicks(button: w.Button, on_click: Any) -> bool:
    """Call ``on_click()`` the moment a click on ``button`` reaches the kernel, even while a
    cell runs. Returns False where the kernel offers no way to do that (see the module
    docstring); the caller then shows no button."""
    comm = getattr(button, "comm", None)
    route = getattr(comm, "_reply_subshell_for", None)
    kernel = getattr(comm, "kernel", None)
    if route is None or getattr(kernel, "shell_channel_thread", None) is None:
        return False

    def routed(data: Any, default: Any) -> Any:
        try:
            content = data.get("content") if isinstance(data, dict) else None
            if (
                isinstance(content, dict)
                and data.get("method") == "custom"
                and content.get("event") == "click"
            ):
                on_click()
        except Exception as exc:  # never lose the message: the kernel drops it on error
            print(f"aigc-magic: the stop button failed: {exc!r}", file=sys.__stderr__)
        return route(data, default)

    comm._reply_subshell_for = routed  # type: ignore[union-attr]
    return True


def _cell_key(shell: Any) -> str:
    """The msg_id of the request the kernel is running (one per cell execution)."""
    header = getattr(shell, "parent_header", None) or {}
    return str(header.get("header", {}).get("msg_id", ""))
