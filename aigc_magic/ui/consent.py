"""Consent: the plans the safety policy held back, and the view that asks to run one.

:class:`HeldPlans` keeps each refused plan with the planner that wrote it until the user
consents (``%ask run``, the "Run anyway" button, the sidebar's run request); the magic and
the sidebar chat both use it, and each held plan runs once. :class:`ConsentRequest` is the
view: in a notebook a widget (the findings, the code and a "Run anyway" button), in a
terminal or a log text that says to type ``%ask run``. Nothing has run before consent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from ..errors import UnsafeCodeError

if TYPE_CHECKING:
    import ipywidgets
    from IPython.lib.pretty import PrettyPrinter

    from ..llm import Planner
    from ..llm.plan import TaskPlan
    from ..result import AskResult

__all__ = ["ConsentRequest", "HeldPlan", "HeldPlans"]

_LABELS = {
    "en": {
        "title": "Held back by the safety policy: nothing ran.",
        "code": "The code",
        "run": "Run anyway",
        "ran": "Ran after consent.",
    },
    "zh": {
        "title": "安全策略拦下了这段代码：尚未运行任何代码。",
        "code": "代码",
        "run": "仍然运行",
        "ran": "已在确认后运行。",
    },
}


@dataclass(frozen=True)
class HeldPlan:
    """A plan the safety policy held back, and the planner that explains it once it ran."""

    plan: TaskPlan
    planner: Planner | None

    def run(self, namespace: dict[str, Any], run_timeout: float | None = None) -> AskResult:
        """Run the plan now that the user consented; return its result, explained."""
        from ..engine import run_plan

        return run_plan(
            self.plan, namespace=namespace, planner=self.planner, run_timeout=run_timeout
        )


class HeldPlans:
    """Plans awaiting consent by key, oldest dropped past ``capacity``; each is taken once.

    The magic holds one (``%ask run`` runs the newest refusal); the sidebar one per question.
    """

    def __init__(self, capacity: int = 1) -> None:
        self._capacity = capacity
        self._held: dict[str, HeldPlan] = {}

    def hold(self, error: UnsafeCodeError, key: str = "") -> HeldPlan:
        """Keep the plan ``error`` refused, under ``key``, until :meth:`take`."""
        if error.plan is None:
            raise ValueError("This refusal carries no plan to run on consent.")
        held = HeldPlan(error.plan, error.planner)
        self._held.pop(key, None)
        self._held[key] = held
        while len(self._held) > self._capacity:
            self._held.pop(next(iter(self._held)))
        return held

    def take(self, key: str = "") -> HeldPlan | None:
        """The plan held under ``key``, no longer held; None when there is none."""
        return self._held.pop(key, None)


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

    def __init__(self, error: UnsafeCodeError, run: Callable[[], AskResult] | None = None) -> None:
        self.error = error
        self._run = run

    @property
    def language(self) -> str:
        """The refused plan's language, ``"en"`` or ``"zh"``."""
        return self.error.plan.language if self.error.plan is not None else "en"

    def __repr__(self) -> str:
        return f"<ConsentRequest findings={len(self.error.findings)}>"

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:
        p.text(self._text())

    def _repr_html_(self) -> str:
        labels = _LABELS.get(self.language, _LABELS["en"])
        return (
            '<div class="aigc-consent" style="border:1px solid #d9822b;border-radius:6px;'
            f'padding:8px 12px"><b>{escape(labels["title"])}</b>'
            f'<pre style="white-space:pre-wrap">{escape(str(self.error))}</pre>'
            f"<details open><summary>{escape(labels['code'])}</summary>"
            f"<pre>{escape(self.error.code)}</pre></details></div>"
        )

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, Any]:
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

    def widget(self) -> ipywidgets.VBox:
        """The consent widget: findings, code, a "Run anyway" button and where it answers."""
        import ipywidgets as widgets
        from IPython.display import display

        labels = _LABELS.get(self.language, _LABELS["en"])
        button = widgets.Button(
            description=labels["run"], button_style="warning", icon="play", tooltip="%ask run"
        )
        output = widgets.Output()

        def on_click(_: ipywidgets.Button) -> None:
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
