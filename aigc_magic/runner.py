"""Run generated code in the user's namespace, and put things back if it fails.

The code runs in the namespace itself, so what it defines stays available. If it raises, or
ends without setting ``result``, every top-level name it assigned is restored to what it was
(or removed): a failed task never takes the user's variables with it. The code is registered
with :mod:`linecache`, so tracebacks show its lines.

A run may have a deadline: ``SIGALRM`` raises a private ``BaseException`` in the main thread
when time is up, so task code that catches ``Exception`` cannot swallow it and joblib, which
aborts on any ``BaseException``, stops its workers. (Off the main thread, or where
``signal.setitimer`` does not exist, there is no deadline; the kernel's interrupt still works.)
"""

from __future__ import annotations

import ast
import itertools
import linecache
import signal
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ._lang import in_language as _msg
from .errors import TaskError, TaskTimeoutError
from .llm.plan import TaskPlan

FILENAME_PREFIX = "<aigc-magic"
_MISSING = object()
_counter = itertools.count(1)


class _Deadline(BaseException):
    """Time is up (raised by SIGALRM in the main thread)."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`_Deadline` in the main thread after ``seconds``; yield whether it can."""
    usable = (bool(seconds) and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield False
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Deadline()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def execute(plan: TaskPlan, namespace: dict[str, Any], *, timeout: float | None = None) -> Any:
    """Run ``plan.code`` in ``namespace`` and return its ``result``.

    Parameters
    ----------
    timeout : float, optional
        Seconds the run may take; past that it is stopped with its workers.

    Raises
    ------
    TaskError
        The code raised (its exception is ``__cause__``) or set no ``result``; the names it
        assigned are restored. ``KeyboardInterrupt`` propagates unchanged, after the restore.
    TaskTimeoutError
        The run outlived ``timeout``; the names it assigned are restored.
    """
    filename = f"{FILENAME_PREFIX} {plan.recipe or plan.source} #{next(_counter)}>"
    tree = ast.parse(plan.code, filename)
    assigned = assigned_names(tree)
    if "result" not in assigned:  # checked before running: the prose may use `result` as input
        raise TaskError(_msg(plan.language,
                             "The task's code never assigns `result`, so it would give no "
                             "answer; nothing ran. Read the code with `r.code`.",
                             "任务代码从不给 `result` 赋值，因此不会有答案；没有运行任何代码。"
                             "可以用 `r.code` 查看代码。"), code=plan.code)
    saved = {name: namespace.get(name, _MISSING) for name in assigned}
    linecache.cache[filename] = (len(plan.code), None, plan.code.splitlines(True), filename)
    try:
        with deadline(timeout):
            exec(compile(tree, filename, "exec"), namespace)  # it passed the safety policy
        value = namespace.get("result", _MISSING)
        if value is _MISSING:
            raise TaskError(_msg(plan.language,
                                 "The task's code finished without a `result`, so there is no "
                                 "answer; read the code with `r.code`.",
                                 "任务代码运行结束，但没有留下 `result`，因此没有答案；"
                                 "可以用 `r.code` 查看代码。"), code=plan.code)
    except _Deadline:
        _restore(namespace, saved)
        raise TaskTimeoutError(_msg(
            plan.language,
            f"The task ran longer than run_timeout={timeout:g} s and was stopped, with its "
            "workers; your variables are as they were. Ask for less work, or allow more time: "
            f"%config AskMagics.run_timeout = {2 * (timeout or 0):g}",
            f"任务运行超过 run_timeout={timeout:g} 秒，已连同其工作进程一起停止；你的变量保持原样。"
            f"请减少工作量，或放宽时间：%config AskMagics.run_timeout = {2 * (timeout or 0):g}"),
            code=plan.code) from None
    except BaseException as exc:
        _restore(namespace, saved)
        if isinstance(exc, TaskError) or not isinstance(exc, Exception):
            raise
        raise TaskError(_msg(
            plan.language,
            f"The task's code raised {type(exc).__name__}: {exc}. Your variables are as they "
            "were; the code is in `.code` of the error, fix it and run it as a cell.",
            f"任务代码抛出了 {type(exc).__name__}：{exc}。你的变量保持原样；代码在错误对象的 "
            "`.code` 中，修改后可作为单元格运行。"), code=plan.code) from exc
    return value


def trimmed_traceback(error: BaseException, limit: int = 20) -> str:
    """The traceback of a task's failure from its first generated-code frame on.

    Frames of the engine are dropped; what is left is what the code's author (a person or an
    LLM asked to repair it) needs: the generated lines and the libraries they called.
    """
    cause = error.__cause__ if isinstance(error, TaskError) and error.__cause__ else error
    frames = traceback.extract_tb(cause.__traceback__)
    first = next((i for i, f in enumerate(frames) if f.filename.startswith(FILENAME_PREFIX)),
                 0)
    lines = traceback.format_list(frames[first:])
    lines += traceback.format_exception_only(type(cause), cause)
    text = "".join(lines).rstrip().splitlines()
    if len(text) > limit:
        text = [*text[:4], "  …", *text[-(limit - 5):]]
    return "Traceback (most recent call last):\n" + "\n".join(text)


def assigned_names(tree: ast.Module) -> set[str]:
    """Top-level names a module assigns, defines or imports (not names local to a scope)."""
    names: set[str] = set()
    scopes = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(child.name)
            elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in child.names)
            elif not isinstance(child, scopes):
                visit(child)

    visit(tree)
    return names


def _restore(namespace: dict[str, Any], saved: dict[str, Any]) -> None:
    for name, old in saved.items():
        if old is _MISSING:
            namespace.pop(name, None)
        else:
            namespace[name] = old
