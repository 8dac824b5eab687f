"""The answer card: rich values, the schedule line, both languages, and no widgets outside a
notebook."""

from __future__ import annotations

import base64
import subprocess
import sys
from typing import Any

from aigc_magic.grid.arms import Arm, Decision, Probe
from aigc_magic.grid.record import Schedule
from aigc_magic.ui.html import figure_png, render_html, value_html
from aigc_magic.ui.render import WIDGET_MIMETYPE, mimebundle
from aigc_magic.ui.text import render_text, schedule_line

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Q"
    "DwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class Figure:
    """Quacks like a matplotlib Figure."""

    def savefig(self, buffer: Any, format: str = "png", **kwargs: Any) -> None:
        assert format == "png"
        buffer.write(PNG)


class Axes:
    """Quacks like a matplotlib Axes."""

    figure = Figure()

    def plot(self) -> None:
        pass


class Frame:
    """Quacks like a pandas DataFrame."""

    shape = (2, 2)

    def _repr_html_(self) -> str:
        return "<table class='dataframe'><tr><td>1</td><td>2</td></tr></table>"


def test_values_render_richly() -> None:
    primes = value_html(list(range(1229)), "en")
    assert "(1229 items)" in primes and "list of 1229 items" in primes
    assert "list，共1229项" in value_html(list(range(1229)), "zh")
    assert "<table class='dataframe'>" in value_html(Frame())
    assert 'src="data:image/png;base64,' in value_html(Figure())
    assert figure_png(Axes()) == PNG
    assert figure_png(Figure) is None and figure_png("text") is None
    assert "&lt;script&gt;" in value_html("<script>alert(1)</script>")


def test_broken_reprs_fall_back_to_a_short_repr() -> None:
    class Broken:
        def _repr_html_(self) -> str:
            raise RuntimeError("no")

        def __repr__(self) -> str:
            return "Broken()"

    assert "Broken()" in value_html(Broken())


def test_schedule_line_in_both_languages() -> None:
    decision = Decision(Arm("loky", 2, 4, 1), probe=Probe(0.25, 0.0))
    schedule = Schedule(
        arm="loky",
        n_workers=2,
        n_tasks=8,
        n_calls=1,
        decision=decision,
        n_batches=2,
        batch_range=(4, 4),
    )
    assert schedule_line(schedule) == (
        "loky × 2 · 8 tasks · 2 loky processes, 2 batches of 4: items take ~0.25 s of pure Python"
    )
    assert schedule_line(schedule, "zh") == (
        "loky × 2 · 8个任务 · 2个loky进程，分2批、每批4个任务：每个任务约0.25秒的纯Python计算"
    )


def test_ask_result_card_in_a_terminal(ip: Any) -> None:
    ip.run_cell("r = %ask 计算10000以内的所有质数")
    result = ip.user_ns["r"]
    bundle = mimebundle(result)
    assert WIDGET_MIMETYPE not in bundle  # no kernel, no widgets
    html = render_html(result)
    assert "1229" in html and "运行方式" in html and "代码" in html and 'lang="zh"' in html
    text = render_text(result)
    assert "运行方式:" in text and "(1229 items)" in text


def test_rendering_outside_a_notebook_never_imports_widgets() -> None:
    code = (
        "import sys, aigc_magic\n"
        "r = aigc_magic.ask('how many primes below 100', namespace={})\n"
        "r._repr_mimebundle_(); repr(r)\n"
        "print('ipywidgets' in sys.modules, 'anywidget' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == "False False"
