"""Run generated code in the user's namespace, and put things back if it fails.

The code runs in the namespace itself, so what it defines stays available. If it raises, or
ends without an answer, every top-level name it assigned is restored to what it was (or
removed): a failed task never takes the user's variables with it. The code is registered
with :mod:`linecache`, so tracebacks show its lines.

It runs under ``joblib.parallel_config(backend="aigc")``, so every joblib call it makes
(``Parallel(n_jobs=-1)``, scikit-learn's ``n_jobs``) runs on the grid unless the code names
another backend or sets its own ``parallel_config``. A namespace whose ``__name__`` is
``"__main__"`` stands in for the ``__main__`` module while the code runs (a notebook's
namespace already is it), so ``if __name__ == "__main__":`` guards run and
``multiprocessing`` finds the code's functions.

The answer is ``result``. Code that never assigns it (models often ``print`` the answer) is
refused before it runs unless ``infer_result`` is set: the engine first asks the planner to
repair it, and only when no repair is left does it run such code and take the value of its
final bare expression, or of the one name the final ``print`` shows, or of the one new
top-level variable; :class:`RunOutcome` says which.

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
import sys
import threading
import traceback
import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from ._lang import in_language as _msg
from .errors import TaskError, TaskTimeoutError
from .llm.plan import TaskPlan

if TYPE_CHECKING:
    from joblib import parallel_config

__all__ = [
    "FILENAME_PREFIX",
    "RUNNING_PLAN",
    "RunOutcome",
    "assigned_names",
    "assigns_result",
    "deadline",
    "execute",
    "trimmed_traceback",
]

FILENAME_PREFIX = "<aigc-magic"
_MISSING = object()
_LAST_VALUE = "_aigc_last_expression_value"
_counter = itertools.count(1)

#: The plan whose code is running in this thread (the progress views read it).
RUNNING_PLAN: ContextVar[TaskPlan | None] = ContextVar("aigc_running_plan", default=None)


@dataclass(frozen=True)
class RunOutcome:
    """What a run gave: ``value``, and where it came from when the code set no ``result``.

    Attributes
    ----------
    value : Any
        The answer.
    taken_from : str or None
        None when the code assigned ``result``; else ``"expression"`` (its final bare
        expression) or the name of the variable whose value was taken.
    """

    value: Any
    taken_from: str | None = None


def assigns_result(code: str) -> bool:
    """Whether ``code`` (valid Python) assigns ``result`` at its top level."""
    return "result" in assigned_names(ast.parse(code))


class _NamespaceModule(types.ModuleType):
    """Stands in for ``sys.modules["__main__"]`` while code runs in a plain namespace, so
    that pickle (multiprocessing) finds the functions the code defines there."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        super().__init__("__main__")
        self._aigc_namespace = namespace

    def __getattr__(self, name: str) -> Any:
        try:
            return self._aigc_namespace[name]
        except KeyError:
            raise AttributeError(name) from None


@contextmanager
def _as_main(namespace: dict[str, Any]) -> Iterator[None]:
    main = sys.modules.get("__main__")
    if namespace.get("__name__") != "__main__" or getattr(main, "__dict__", None) is namespace:
        yield
        return
    sys.modules["__main__"] = _NamespaceModule(namespace)
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _on_the_grid() -> parallel_config:
    """``parallel_config(backend="aigc")``; joblib is imported here, not at load."""
    from joblib import parallel_config

    return parallel_config(backend="aigc")


class _Deadline(BaseException):
    """Time is up (raised by SIGALRM in the main thread)."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`_Deadline` in the main thread after ``seconds``; yield whether it can."""
    usable = (
        bool(seconds)
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield False
        return

    def on_alarm(signum: int, frame: types.FrameType | None) -> None:
        raise _Deadline()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def execute(
    plan: TaskPlan,
    namespace: dict[str, Any],
    *,
    timeout: float | None = None,
    infer_result: bool = False,
) -> RunOutcome:
    """Run ``plan.code`` in ``namespace`` on the grid and return its answer.

    Parameters
    ----------
    timeout : float, optional
        Seconds the run may take; past that it is stopped with its workers.
    infer_result : bool
        Run code that never assigns ``result`` and take its answer as the module docstring
        says; False refuses such code before it runs.

    Raises
    ------
    TaskError
        The code raised (its exception is ``__cause__``) or gave no answer; the names it
        assigned are restored. ``KeyboardInterrupt`` propagates unchanged, after the restore.
    TaskTimeoutError
        The run outlived ``timeout``; the names it assigned are restored.
    """
    filename = f"{FILENAME_PREFIX} {plan.recipe or plan.source} #{next(_counter)}>"
    tree = ast.parse(plan.code, filename)
    assigned = assigned_names(tree)
    inferring = "result" not in assigned
    if inferring and not infer_result:
        # checked before running: the prose may use `result` as input
        raise TaskError(
            _msg(
                plan.language,
                "The task's code never assigns `result`, so it would give no "
                "answer; nothing ran. Read the code with `r.code`.",
                "任务代码从不给 `result` 赋值，因此不会有答案；没有运行任何代码。"
                "可以用 `r.code` 查看代码。",
            ),
            code=plan.code,
        )
    if inferring:
        tree = _keep_last_expression(tree)
    saved = {name: namespace.get(name, _MISSING) for name in assigned | {_LAST_VALUE}}
    linecache.cache[filename] = (len(plan.code), None, plan.code.splitlines(True), filename)
    token = RUNNING_PLAN.set(plan)
    try:
        with deadline(timeout), _as_main(namespace), _on_the_grid():
            exec(compile(tree, filename, "exec"), namespace)  # it passed the safety policy
        outcome = (
            _answer(plan, tree, namespace, saved)
            if inferring
            else RunOutcome(namespace.get("result", _MISSING))
        )
        if outcome.value is _MISSING:
            raise TaskError(
                _msg(
                    plan.language,
                    "The task's code finished without a `result`, so there is no "
                    "answer; read the code with `r.code`.",
                    "任务代码运行结束，但没有留下 `result`，因此没有答案；"
                    "可以用 `r.code` 查看代码。",
                ),
                code=plan.code,
            )
    except _Deadline:
        _restore(namespace, saved)
        raise TaskTimeoutError(
            _msg(
                plan.language,
                f"The task ran longer than run_timeout={timeout:g} s and was stopped, with its "
                "workers; your variables are as they were. Ask for less work, or allow more time: "
                f"%config AskMagics.run_timeout = {2 * (timeout or 0):g}",
                f"任务运行超过 run_timeout={timeout:g} 秒，已连同其工作进程一起停止；"
                "你的变量保持原样。"
                f"请减少工作量，或放宽时间：%config AskMagics.run_timeout = {2 * (timeout or 0):g}",
            ),
            code=plan.code,
        ) from None
    except BaseException as exc:
        _restore(namespace, saved)
        if isinstance(exc, TaskError) or not isinstance(exc, Exception):
            raise
        raise TaskError(
            _msg(
                plan.language,
                f"The task's code raised {type(exc).__name__}: {exc}. Your variables are as they "
                "were; the code is in `.code` of the error, fix it and run it as a cell.",
                f"任务代码抛出了 {type(exc).__name__}：{exc}。你的变量保持原样；代码在错误对象的 "
                "`.code` 中，修改后可作为单元格运行。",
            ),
            code=plan.code,
        ) from exc
    finally:
        RUNNING_PLAN.reset(token)
    return outcome


def _keep_last_expression(tree: ast.Module) -> ast.Module:
    """Store the value of a final bare expression (not a ``print``) in ``_LAST_VALUE``."""
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr) or _is_print(last.value):
        return tree
    store = ast.Assign(targets=[ast.Name(_LAST_VALUE, ast.Store())], value=last.value)
    body = [*tree.body[:-1], ast.copy_location(store, last)]
    return ast.fix_missing_locations(ast.Module(body=body, type_ignores=tree.type_ignores))


def _is_print(node: ast.expr) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    )


def _answer(
    plan: TaskPlan, tree: ast.Module, namespace: dict[str, Any], saved: dict[str, Any]
) -> RunOutcome:
    """The answer of code that set no ``result``, or a TaskError saying why there is none."""
    value = namespace.pop(_LAST_VALUE, _MISSING)
    if value is not _MISSING and value is not None:
        return RunOutcome(value, "expression")
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and _is_print(last.value):
        shown = [a.id for a in last.value.args if isinstance(a, ast.Name)]
        if len(shown) == 1 and shown[0] in namespace:
            return RunOutcome(namespace[shown[0]], shown[0])
    new = sorted(
        name
        for name, old in saved.items()
        if old is _MISSING
        and name != _LAST_VALUE
        and not name.startswith("_")
        and name in namespace
        and not _is_code(namespace[name])
    )
    if len(new) == 1:
        return RunOutcome(namespace[new[0]], new[0])
    found = ", ".join(f"`{n}`" for n in new) or _msg(plan.language, "none", "无")
    raise TaskError(
        _msg(
            plan.language,
            f"The task's code set no `result`, and no single value stands out as the answer "
            f"(new variables: {found}); nothing was kept. Run the code as a cell (`r.code` of "
            "the error) and pick the answer, or ask again naming what to compute.",
            f"任务代码没有设置 `result`，也看不出哪个值是答案（新变量：{found}）；未保留任何结果。"
            "可以把代码（错误对象的 `.code`）作为单元格运行后自行选取，或换个说法再问。",
        ),
        code=plan.code,
    )


def _is_code(value: Any) -> bool:
    return isinstance(value, (types.ModuleType, types.FunctionType, type))


def trimmed_traceback(error: BaseException, limit: int = 20) -> str:
    """The traceback of a task's failure from its first generated-code frame on.

    Frames of the engine are dropped; what is left is what the code's author (a person or an
    LLM asked to repair it) needs: the generated lines and the libraries they called.
    """
    cause = error.__cause__ if isinstance(error, TaskError) and error.__cause__ else error
    frames = traceback.extract_tb(cause.__traceback__)
    first = next((i for i, f in enumerate(frames) if f.filename.startswith(FILENAME_PREFIX)), 0)
    lines = traceback.format_list(frames[first:])
    lines += traceback.format_exception_only(type(cause), cause)
    text = "".join(lines).rstrip().splitlines()
    if len(text) > limit:
        text = [*text[:4], "  …", *text[-(limit - 5) :]]
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
