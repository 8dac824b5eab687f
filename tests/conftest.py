"""Shared fixtures: a real IPython shell with the extension loaded."""

from __future__ import annotations

import atexit
import gc
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

# What the scheduler learns in tests stays in a throwaway folder (kernels started by the
# tests inherit it), never in the user's Jupyter data directory.
os.environ.setdefault("AIGC_MAGIC_STATE_DIR", tempfile.mkdtemp(prefix="aigc-magic-state-"))


class TestingShell(InteractiveShell):
    """A real InteractiveShell whose ``run_cell`` raises the cell's error (jupysql's idea)."""

    def run_cell(self, raw_cell: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        result = super().run_cell(raw_cell, *args, **kwargs)
        result.raise_error()
        return result


@pytest.fixture
def ip() -> Iterator[TestingShell]:
    """A fresh shell with ``%load_ext aigc_magic`` done.

    IPython makes its user module ``sys.modules["__main__"]``; the real one comes back
    afterwards, so later tests that spawn processes (which read ``__main__.__spec__``) work.
    """
    main = sys.modules["__main__"]
    gc.freeze()  # %reset's gc.collect() then scans only what the test made
    shell = TestingShell.instance()
    shell.run_cell("%load_ext aigc_magic")
    yield shell
    shell.run_cell("%reset -f")
    gc.unfreeze()
    TestingShell.clear_instance()
    atexit.unregister(shell.atexit_operations)  # it would reset (and gc) once more at exit
    sys.modules["__main__"] = main


class ScriptedPlanner:
    """A planner that returns whatever code the test scripts: for paths the offline planner
    never takes (unsafe code, code that raises, code that forgets ``result``)."""

    source = "scripted"

    def __init__(self) -> None:
        self.code = "result = 42\n"
        self.calls: list[str] = []

    def plan(
        self, prose: str, namespace: Any = None, *, previous: Any = None, stream: Any = None
    ) -> Any:
        from aigc_magic._lang import detect_language
        from aigc_magic.llm.plan import TaskPlan

        self.calls.append(prose)
        return TaskPlan(
            prose=prose,
            code=self.code,
            source=self.source,
            recipe=None,
            language=detect_language(prose),
            summary=prose,
        )

    def repair(self, plan: Any, problem: str, *, attempt: int, stream: Any = None) -> None:
        """Like the offline planner, it cannot repair code."""
        return None

    def answer(
        self,
        plan: Any,
        value: Any,
        *,
        schedule: Any = None,
        timings: Any = None,
        stream: Any = None,
    ) -> str:
        return f"The answer is {value!r}."


@pytest.fixture
def scripted() -> Iterator[ScriptedPlanner]:
    """Stand a ScriptedPlanner in for the offline planner (no LLM is configured in tests)."""
    from aigc_magic.llm import use_planner

    planner = ScriptedPlanner()
    with use_planner("offline", planner):
        yield planner


LLM_TEST_KEY = "sk-suite-test-5d8a3f0eQwZx"  # ends in letters no hex address holds


@pytest.fixture
def llm_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``start(**options)``: an :class:`~aigc_magic.testing.OpenAIStub` that the LLM
    planner is pointed at (key, base URL and model in the environment); stopped after."""
    from aigc_magic.testing import OpenAIStub

    started: list[OpenAIStub] = []

    def start(**options: Any) -> OpenAIStub:
        stub = OpenAIStub(api_key=LLM_TEST_KEY, **options).start()
        monkeypatch.setenv("OPENAI_API_KEY", LLM_TEST_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
        monkeypatch.setenv("AIGC_MAGIC_MODEL", "stub-model")
        started.append(stub)
        return stub

    yield start
    for stub in started:
        stub.stop()
