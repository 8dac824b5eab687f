"""The view shown when the safety policy holds code back and asks for consent.

In a notebook it is a widget: the findings, the code, and a "Run anyway" button that runs the
held-back plan (the same as typing ``%ask run``; whichever comes first runs it, once). In a
terminal or a log it is text that says to type ``%ask run``. Nothing has run before consent.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

_LABELS = {
    "en": {"title": "Held back by the safety policy: nothing ran.", "code": "The code",
           "run": "Run anyway", "ran": "Ran after consent."},
    "zh": {"title": "安全策略拦下了这段代码：尚未运行任何代码。", "code": "代码",
           "run": "仍然运行", "ran": "已在确认后运行。"},
}


class ConsentRequest:
    """Shows the refused code, the findings, and how to run it anyway.

    Parameters
    ----------
    error : UnsafeCodeError
        The refusal, with its findings, code and plan.
    run : callable, optional
        Runs the held-back plan and returns its AskResult (the magic passes its ``%ask run``);
        without it, or outside a notebook, no button is offered.
    """

    def __init__(self, error: Any, run: Callable[[], Any] | None = None) -> None:
        self.error = error
        self._run = run

    @property
    def language(self) -> str:
        plan = getattr(self.error, "plan", None)
        return getattr(plan, "language", "en")

    def __repr__(self) -> str:
        return f"<ConsentRequest findings={len(self.error.findings)}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        code = "\n".join("    " + line for line in self.error.code.rstrip().splitlines())
        p.text(f"{self.error}\n{code}")

    def _repr_html_(self) -> str:
        labels = _LABELS.get(self.language, _LABELS["en"])
        return ('<div class="aigc-consent" style="border:1px solid #d9822b;border-radius:6px;'
                f'padding:8px 12px"><b>{escape(labels["title"])}</b>'
                f'<pre style="white-space:pre-wrap">{escape(str(self.error))}</pre>'
                f'<details open><summary>{escape(labels["code"])}</summary>'
                f"<pre>{escape(self.error.code)}</pre></details></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from IPython import get_ipython

        from .stream import in_notebook

        bundle: dict[str, Any] = {"text/plain": self._text(), "text/html": self._repr_html_()}
        if self._run is not None and in_notebook(get_ipython()):
            view = "application/vnd.jupyter.widget-view+json"
            bundle[view] = self.widget()._repr_mimebundle_()[view]  # text stays ours
        return bundle

    def _text(self) -> str:
        code = "\n".join("    " + line for line in self.error.code.rstrip().splitlines())
        return f"{self.error}\n{code}"

    def widget(self) -> Any:
        """The consent widget: findings, code, a "Run anyway" button and where it answers."""
        import ipywidgets as widgets
        from IPython.display import display

        labels = _LABELS.get(self.language, _LABELS["en"])
        button = widgets.Button(description=labels["run"], button_style="warning",
                                icon="play", tooltip="%ask run")
        output = widgets.Output()

        def on_click(_: Any) -> None:
            button.disabled = True
            assert self._run is not None
            with output:  # an error raised here is shown in the output, not lost
                result = self._run()
                display(result)
                button.description = labels["ran"]

        button.on_click(on_click)
        view = widgets.VBox([widgets.HTML(self._repr_html_()), button, output])
        view.add_class("aigc-consent-widget")
        return view
