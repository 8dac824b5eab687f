"""Plots from prose: the figure is the answer, drawn from the numbers the prose gives, and
the card carries it as ``image/png``.

The figures' data are read back from the matplotlib artists and compared with NumPy's own
values; the card test runs ``%ask`` in a real IPython shell and decodes the PNG from the
display data IPython's formatter produces.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

import aigc_magic
from aigc_magic.errors import PlanningError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def ask(prose: str, namespace: dict[str, Any] | None = None) -> Any:
    return aigc_magic.ask(
        prose, namespace=namespace if namespace is not None else {}, planner="offline"
    )


def refused(prose: str, namespace: dict[str, Any] | None = None) -> str:
    with pytest.raises(PlanningError) as info:
        aigc_magic.ask(prose, namespace=namespace or {}, planner="offline", run=False)
    return str(info.value)


def test_a_function_over_a_range() -> None:
    from matplotlib.figure import Figure

    result = ask("plot sin(x) from 0 to 2*pi")
    assert isinstance(result.value, Figure)
    (line,) = result.value.axes[0].lines
    x, y = line.get_xdata(), line.get_ydata()
    assert x[0] == 0 and x[-1] == pytest.approx(2 * np.pi) and len(x) == 1000
    np.testing.assert_allclose(y, np.sin(x))
    assert "sin(x)" in result.explanation
    zh = ask("画出x^2在-5到5之间的图像")
    (line,) = zh.value.axes[0].lines
    assert line.get_xdata()[0] == -5 and line.get_xdata()[-1] == 5
    np.testing.assert_allclose(line.get_ydata(), line.get_xdata() ** 2)
    assert "图像" in zh.explanation


def test_a_histogram_of_samples_honours_count_and_parameters() -> None:
    result = ask("histogram of 20000 samples from a normal distribution with mean 3 and std 2")
    ax = result.value.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 20000 and len(heights) == 50
    centres = np.array([p.get_x() + p.get_width() / 2 for p in ax.patches])
    mean = float((centres * heights).sum() / 20000)
    assert 2.9 < mean < 3.1  # the histogram of N(3, 2^2), not of N(0, 1)
    uniform = ask("画一个直方图，10000个均匀分布的随机数").value.axes[0]
    assert sum(p.get_height() for p in uniform.patches) == 10000
    assert min(p.get_x() for p in uniform.patches) >= 0.0
    poisson = ask("plot a histogram of 20000 poisson samples with lambda 4").value.axes[0]
    assert all(p.get_width() == 1.0 for p in poisson.patches)  # one bar per integer value


def test_a_notebook_variable() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    line = ask("把values画成折线图", {"values": values})
    assert list(line.value.axes[0].lines[0].get_ydata()) == values
    assert line.plan.names == ("values",)
    hist = ask("histogram of values", {"values": values}).value.axes[0]
    assert sum(p.get_height() for p in hist.patches) == len(values)
    bars = ask("bar chart of values", {"values": values}).value.axes[0]
    assert [p.get_height() for p in bars.patches] == values


def test_the_card_shows_the_figure_as_png_in_a_real_shell(ip) -> None:
    out = ip.run_cell("%ask plot sin(x) from 0 to 10")
    data, _ = ip.display_formatter.format(out.result)
    png = base64.b64decode(data["image/png"])
    assert png.startswith(PNG_MAGIC) and len(png) > 5000
    assert "data:image/png;base64," in data["text/html"]
    primes = ip.run_cell("%ask how many primes below 100")
    assert "image/png" not in ip.display_formatter.format(primes.result)[0]


def test_plots_leave_pyplot_and_its_backend_alone() -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    before = plt.get_fignums()
    result = ask("plot a histogram of 10000 normal samples")
    assert plt.get_fignums() == before  # nothing left open for a backend to show twice
    assert matplotlib.get_backend() == backend
    assert "pyplot" not in result.plan.code and "matplotlib.use" not in result.plan.code


def test_without_matplotlib_the_refusal_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # find_spec now reports it absent
    message = refused("plot sin(x) from 0 to 10")
    assert "pip install matplotlib" in message
    assert "pip install matplotlib" in refused("画一个直方图，10000个正态分布的样本")


def test_planning_a_plot_imports_no_matplotlib() -> None:
    code = (
        "import sys; "
        "from aigc_magic.llm.offline import OfflinePlanner; "
        "OfflinePlanner().plan('plot sin(x) from 0 to 10'); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_number_of_bins_is_honoured() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    hist = ask("histogram of values with 3 bins", {"values": values}).value.axes[0]
    assert len(hist.patches) == 3
    zh = ask("画一个直方图，10000个正态分布的样本，分成20组").value.axes[0]
    assert len(zh.patches) == 20
