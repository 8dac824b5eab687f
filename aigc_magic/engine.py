"""The engine behind ``%%ask``, the sidebar and :func:`ask`: plan, check, run, explain.

::

    prose ─► planner.plan ─► safety.check ─► exec in the user's namespace ─► planner.answer
                                  │                 (ScheduleRecorder listens
                                  └─ findings: ask   to the grid's events)
                                     for consent

The task's code runs in the user's namespace, so what it defines stays available. If it
raises, every top-level name it assigned is put back as it was: a failed task never takes
the user's variables with it.
"""

from __future__ import annotations

import ast
import itertools
import linecache
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .errors import PlanningError, TaskError, UnsafeCodeError
from .grid.record import Schedule, ScheduleRecorder
from .llm import get_planner
from .llm.plan import TaskPlan

ANSWER_MIMETYPE = "application/vnd.aigc-magic.answer+json"
PLANNER_CHOICES = ("auto", "offline")
SAFETY_MODES = ("strict", "ask", "off")
MAX_PROSE_CHARS = 20_000

_MISSING = object()
_run_counter = itertools.count(1)
_previous_plans: dict[int, TaskPlan] = {}  # id(namespace) -> last plan, for follow-ups
_MAX_REMEMBERED = 64


@dataclass
class AskResult:
    """The outcome of one ask: the plan, the value, and the answer in words.

    Attributes
    ----------
    value : Any
        The task's result (``result`` in the code): the list of primes, a count, an estimate…
    plan : TaskPlan
        What the planner decided; ``plan.code`` is the code that ran.
    explanation : str
        The answer in words, in the prose's language, including how the work was split.
    schedule : Schedule or None
        Where the work ran, or None when the code made no ``backend="aigc"`` call.
    timings : dict
        Seconds spent planning, checking, running, explaining, and in total.
    ran : bool
        False for ``run=False`` (plan only).
    notices : list of str
        Things the user should know (which planner answered, workers lost and retried).
    """

    plan: TaskPlan
    value: Any = None
    explanation: str = ""
    schedule: Schedule | None = None
    timings: dict[str, float] = field(default_factory=dict)
    ran: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        """The generated code."""
        return self.plan.code

    @property
    def prose(self) -> str:
        """The prose that was asked."""
        return self.plan.prose

    @property
    def language(self) -> str:
        """The prose's language, ``"en"`` or ``"zh"``."""
        return self.plan.language

    def __repr__(self) -> str:
        from .ui.text import describe_value

        state = f"value={describe_value(self.value)}" if self.ran else "not run"
        return f"<AskResult recipe={self.plan.recipe!r} source={self.plan.source!r} {state}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        from .ui.text import render_text

        p.text(repr(self) if cycle else render_text(self))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from .ui.html import render_html
        from .ui.text import render_text

        return {"text/plain": render_text(self), "text/html": render_html(self),
                ANSWER_MIMETYPE: self.to_json()}

    def to_json(self) -> dict[str, Any]:
        """A JSON-able summary: what notebooks store and the demo and the sidebar read."""
        from .ui.text import describe_value, short_repr

        schedule = self.schedule
        return {
            "prose": self.prose, "language": self.language, "summary": self.plan.summary,
            "source": self.plan.source, "recipe": self.plan.recipe, "ran": self.ran,
            "explanation": self.explanation,
            "value_type": describe_value(self.value, self.language) if self.ran else None,
            "value_repr": short_repr(self.value) if self.ran else None,
            "schedule": None if schedule is None else {
                "arm": schedule.arm, "n_workers": schedule.n_workers,
                "n_tasks": schedule.n_tasks, "n_calls": schedule.n_calls,
                "reason": schedule.reason},
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "notices": list(self.notices),
        }


def ask(prose: str, *, namespace: MutableMapping[str, Any] | None = None, run: bool = True,
        planner: str = "auto", safety: str = "ask", yes: bool = False,
        previous: TaskPlan | None = None) -> AskResult:
    """Plan, check, run and explain a compute task written in prose.

    Parameters
    ----------
    prose : str
        The task, in English or Chinese: ``"计算10000以内的所有质数"``.
    namespace : dict, optional
        Where the code runs and where prose may find names (``f``, ``X``, ``y``). Defaults to
        the running IPython shell's user namespace, or a fresh dict outside IPython.
    run : bool
        False plans and checks only; the code is in ``result.code``.
    planner : str
        Which registered planner turns prose into code (``aigc_magic.llm.PLANNERS``).
        ``"auto"`` uses the embedded offline planner when no LLM is configured.
    safety : {"strict", "ask", "off"}
        What to do with code that breaks the safety policy: never run it, run it only with
        consent (``yes=True``), or run it anyway.
    yes : bool
        Consent to run code that has safety findings (``safety="ask"``).
    previous : TaskPlan, optional
        The plan a follow-up ("now do it for 1e7") refers to; defaults to the last plan
        made for the same namespace.

    Returns
    -------
    AskResult

    Raises
    ------
    PlanningError
        The prose could not be turned into a task.
    UnsafeCodeError
        The code broke the safety policy and was not run.
    TaskError
        The code ran and raised; its exception is ``__cause__`` and the namespace is intact.
    """
    started = time.perf_counter()
    _check_option("safety", safety, SAFETY_MODES)
    prose = _clean_prose(prose)
    if namespace is None:
        namespace = _default_namespace()
    if previous is None:
        previous = _previous_plans.get(id(namespace))

    timings: dict[str, float] = {}
    brain = get_planner(_resolve_planner(planner))
    plan = brain.plan(prose, namespace, previous=previous)
    timings["plan"] = time.perf_counter() - started
    _remember(namespace, plan)

    notices = [_planner_notice(plan)]
    result = AskResult(plan=plan, timings=timings, notices=notices)
    check_started = time.perf_counter()
    _enforce_safety(plan, safety, yes)
    timings["check"] = time.perf_counter() - check_started
    if not run:
        timings["total"] = time.perf_counter() - started
        return result

    _run_and_explain(result, brain, namespace)
    timings["total"] = time.perf_counter() - started
    return result


def run_plan(plan: TaskPlan, *, namespace: MutableMapping[str, Any] | None = None
             ) -> AskResult:
    """Run a plan the user has consented to (``%ask run``), then explain it."""
    started = time.perf_counter()
    if namespace is None:
        namespace = _default_namespace()
    result = AskResult(plan=plan, notices=[_planner_notice(plan)])
    _run_and_explain(result, get_planner(plan.source), namespace)
    result.timings["total"] = time.perf_counter() - started
    return result


def _run_and_explain(result: AskResult, brain: Any,
                     namespace: MutableMapping[str, Any]) -> None:
    plan, timings = result.plan, result.timings
    run_started = time.perf_counter()
    with ScheduleRecorder() as recorder:
        result.value = execute(plan, namespace)
    timings["run"] = time.perf_counter() - run_started
    result.ran = True
    result.schedule = recorder.schedule()
    result.notices.extend(recorder.incidents)
    explain_started = time.perf_counter()
    how = result.schedule.describe(plan.language) if result.schedule else None
    result.explanation = brain.answer(plan, result.value, schedule=how, timings=timings)
    timings["explain"] = time.perf_counter() - explain_started


def execute(plan: TaskPlan, namespace: MutableMapping[str, Any]) -> Any:
    """Run ``plan.code`` in ``namespace`` and return its ``result``.

    The code is registered with :mod:`linecache` so tracebacks show its lines. If it raises,
    or finishes without setting ``result``, every top-level name it assigns is restored.
    """
    filename = f"<aigc-magic {plan.recipe or plan.source} #{next(_run_counter)}>"
    tree = ast.parse(plan.code, filename)
    saved = {name: namespace.get(name, _MISSING) for name in _assigned_names(tree)}
    saved.setdefault("result", namespace.get("result", _MISSING))
    namespace["result"] = _MISSING
    linecache.cache[filename] = (len(plan.code), None, plan.code.splitlines(True), filename)
    try:
        exec(compile(tree, filename, "exec"), namespace)  # the code passed the safety policy
        value = namespace["result"]
        if value is _MISSING:
            raise TaskError(_msg(plan.language,
                                 "The task's code finished without setting `result`, so "
                                 "there is no answer; read the code with `r.code`.",
                                 "任务代码运行结束，但没有给 `result` 赋值，因此没有答案；"
                                 "可以用 `r.code` 查看代码。"), code=plan.code)
    except BaseException as exc:
        _restore(namespace, saved)
        if isinstance(exc, (TaskError, KeyboardInterrupt, SystemExit)) or not isinstance(
                exc, Exception):
            raise
        raise TaskError(_msg(
            plan.language,
            f"The task's code raised {type(exc).__name__}: {exc}. Your variables are as they "
            "were; the code is in `.code` of the error, fix it and run it as a cell.",
            f"任务代码抛出了 {type(exc).__name__}：{exc}。你的变量保持原样；代码在错误对象的 "
            "`.code` 中，修改后可作为单元格运行。"), code=plan.code) from exc
    return value


def _assigned_names(tree: ast.Module) -> set[str]:
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


def _restore(namespace: MutableMapping[str, Any], saved: dict[str, Any]) -> None:
    for name, old in saved.items():
        if old is _MISSING:
            namespace.pop(name, None)
        else:
            namespace[name] = old


def _enforce_safety(plan: TaskPlan, mode: str, yes: bool) -> None:
    from . import safety

    try:
        findings = safety.check(plan.code)
    except SyntaxError as exc:
        raise PlanningError(_msg(
            plan.language,
            f"The {plan.source} planner produced code that is not valid Python "
            f"(line {exc.lineno}: {exc.msg}); nothing ran. Rephrase the task and ask again.",
            f"{plan.source} 规划器生成的代码不是合法的 Python（第{exc.lineno}行：{exc.msg}），"
            "没有运行任何代码。请换个说法再问一次。")) from None
    if not findings or mode == "off" or (mode == "ask" and yes):
        return
    report = safety.format_findings(findings, plan.language)
    if mode == "strict":
        next_step = _msg(plan.language,
                         'Safety mode is "strict", so it will not run; to allow consent, '
                         'set %config AskMagics.safety = "ask".',
                         '当前安全模式为 "strict"，因此不会运行；若要允许确认后运行，请设置 '
                         '%config AskMagics.safety = "ask"。')
    else:
        next_step = _msg(plan.language,
                         "Nothing ran. Read the code; to run it anyway type `%ask run`, or "
                         "pass --yes (yes=True in ask()).",
                         "没有运行任何代码。请先阅读代码；确认要运行请输入 `%ask run`，"
                         "或加上 --yes（ask() 中用 yes=True）。")
    raise UnsafeCodeError(f"{report}\n{next_step}", findings=findings, code=plan.code,
                          plan=plan)


def _clean_prose(prose: Any) -> str:
    if isinstance(prose, bytes):
        try:
            prose = prose.decode("utf-8")
        except UnicodeDecodeError:
            raise PlanningError("The prose is binary data, not text. Type the task in words, "
                                'e.g. %ask how many primes below 1e6') from None
    if not isinstance(prose, str):
        raise PlanningError(f"ask() takes the task as a string of prose, not "
                            f"{type(prose).__name__}; e.g. ask('how many primes below 1e6').")
    if len(prose) > MAX_PROSE_CHARS:
        raise PlanningError(f"The prose is {len(prose):,} characters long; a task fits in "
                            f"{MAX_PROSE_CHARS:,}. Describe the task in a few sentences and "
                            "pass the data as a variable (e.g. `data`) that the prose names.")
    printable = sum(ch.isprintable() or ch.isspace() for ch in prose)
    if prose and printable < 0.9 * len(prose):
        raise PlanningError("The prose looks like binary data, not text. Type the task in "
                            "words, e.g. %ask how many primes below 1e6")
    return prose.strip()


def _resolve_planner(name: str) -> str:
    """``"auto"`` means the offline planner until an LLM is configured."""
    return "offline" if name == "auto" else name


def _check_option(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        import difflib

        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise PlanningError(f"{name}={value!r} is not one of {', '.join(choices)}.{hint} "
                            f'Set it with %config AskMagics.{name} = "{choices[0]}".')


def _default_namespace() -> MutableMapping[str, Any]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return {}
    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _remember(namespace: MutableMapping[str, Any], plan: TaskPlan) -> None:
    _previous_plans.pop(id(namespace), None)
    _previous_plans[id(namespace)] = plan
    while len(_previous_plans) > _MAX_REMEMBERED:
        _previous_plans.pop(next(iter(_previous_plans)))


def _planner_notice(plan: TaskPlan) -> str:
    if plan.source == "offline":
        return _msg(plan.language,
                    f"Planned by the embedded offline planner (recipe {plan.recipe}); no LLM "
                    "is configured.",
                    f"由内置离线规划器生成（配方 {plan.recipe}）；未配置大语言模型。")
    return _msg(plan.language, f"Planned by the {plan.source} planner.",
                f"由 {plan.source} 规划器生成。")


def _msg(language: str, en: str, zh: str) -> str:
    return zh if language == "zh" else en
