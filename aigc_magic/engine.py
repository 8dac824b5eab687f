"""The engine behind ``%%ask``, the sidebar and :func:`ask`: plan, check, run, explain.

::

    prose ─► planner.plan ─► safety.check ─► runner.execute ─► planner.answer ─► AskResult
               │   ▲             │               │               (ScheduleRecorder listens
               │   └── repair ◄──┴── problem ◄───┘                to the grid's events)
               │       (LLM only, up to max_repairs: code that does not compile, breaks
               │        the policy, sets no `result`, or raises goes back with the reason
               │        or its trimmed traceback)
               └─ auto: the LLM when one is configured; the offline planner otherwise,
                  or when the endpoint cannot be reached (saying so)

Findings that survive the repairs wait for consent (safety mode ``"ask"``) or are refused
(``"strict"``); nothing runs before.
"""

from __future__ import annotations

import difflib
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._lang import in_language as _msg
from .errors import PlanningError, SettingsError, TaskError, UnsafeCodeError
from .grid.record import Schedule, ScheduleRecorder
from .llm import Planner, get_planner
from .llm.plan import TaskPlan
from .llm.settings import (
    SETTING_NAMES,
    LLMSettings,
    found_on_loopback,
    llm_configured,
    resolve_settings,
    with_local_server,
)
from .llm.usage import Request, Usage, recording
from .llm.usage import total as total_usage
from .runner import assigns_result, execute, trimmed_traceback

ANSWER_MIMETYPE = "application/vnd.aigc-magic.answer+json"
PLANNER_CHOICES = ("auto", "offline", "llm")
SAFETY_MODES = ("strict", "ask", "off")
MAX_PROSE_CHARS = 20_000
ENGINE_OPTIONS = ("namespace", "run", "safety", "yes", "previous", "stream", "config",
                  "run_timeout")

Stream = Callable[[str], None]

#: What goes back to the model when its code sets no ``result`` (models often print it).
NO_RESULT_PROBLEM = ("The code never assigns the variable `result`, so the task would give no "
                     "answer (printing it is not enough). Keep the computation and assign the "
                     "final answer to `result` at the top level.")

_previous_plans: dict[int, TaskPlan] = {}  # id(namespace) -> last plan, for follow-ups
_llm_planners: dict[LLMSettings, Planner] = {}  # one per settings: it remembers conversations
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
        Things the user should know (which planner answered, repairs, workers lost).
    attempts : list of (code, problem)
        Earlier codes that failed and why, oldest first (LLM repairs); empty when the first
        code worked.
    taken_from : str or None
        None when the code set ``result``; else where the answer was taken from when no
        repair was left: ``"expression"`` (the code's final expression) or a variable's name.
    requests : list of Request
        Every chat request the ask sent to the LLM (none offline): its purpose, the
        messages exactly as sent (after redaction) and its tokens.
    """

    plan: TaskPlan
    value: Any = None
    explanation: str = ""
    schedule: Schedule | None = None
    timings: dict[str, float] = field(default_factory=dict)
    ran: bool = False
    notices: list[str] = field(default_factory=list)
    attempts: list[tuple[str, str]] = field(default_factory=list)
    taken_from: str | None = None
    requests: list[Request] = field(default_factory=list)

    @property
    def messages(self) -> list[list[dict[str, str]]]:
        """What left the kernel for the model: each request's messages, as sent."""
        return [list(request.messages) for request in self.requests]

    @property
    def usage(self) -> Usage:
        """The prompt and completion tokens of all the ask's requests (per request:
        ``requests``)."""
        return total_usage(self.requests)

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
        from .ui.render import mimebundle

        return mimebundle(self)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able summary: what notebooks store and the demo and the sidebar read."""
        from .ui.text import describe_value, short_repr

        schedule = self.schedule
        return {
            "prose": self.prose, "language": self.language, "summary": self.plan.summary,
            "source": self.plan.source, "recipe": self.plan.recipe, "ran": self.ran,
            "explanation": self.explanation, "code": self.code,
            "value_type": describe_value(self.value, self.language) if self.ran else None,
            "value_repr": short_repr(self.value) if self.ran else None,
            "schedule": None if schedule is None else {
                "arm": schedule.arm, "n_workers": schedule.n_workers,
                "n_tasks": schedule.n_tasks, "n_calls": schedule.n_calls,
                "reason": schedule.reason_as_run},
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "notices": list(self.notices),
            "attempts": len(self.attempts),
            "taken_from": self.taken_from,
            "usage": {"prompt_tokens": self.usage.prompt_tokens,
                      "completion_tokens": self.usage.completion_tokens,
                      "requests": self.usage.requests},
        }


def _recorded(make: Callable[..., AskResult]) -> Callable[..., AskResult]:
    """Collect the LLM requests that ``make`` sends into the result's ``requests``."""

    @functools.wraps(make)
    def recorded(*args: Any, **kwargs: Any) -> AskResult:
        with recording() as log:
            result = make(*args, **kwargs)
        result.requests = log
        return result

    return recorded


@_recorded
def ask(prose: str, *, namespace: dict[str, Any] | None = None, run: bool = True,
        safety: str = "ask", yes: bool = False, previous: TaskPlan | None = None,
        stream: Stream | None = None, config: dict[str, Any] | None = None,
        run_timeout: float | None = None, **options: Any) -> AskResult:
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
    safety : {"strict", "ask", "off"}
        Code that breaks the safety policy: never run it, run it only with consent
        (``yes=True``), or run it anyway.
    yes : bool
        Consent to run code that has safety findings (``safety="ask"``).
    previous : TaskPlan, optional
        The plan a follow-up ("now do it for 1e7") refers to; defaults to the last plan
        made for the same namespace.
    stream : callable, optional
        Called with each piece of an LLM's reply as it arrives, and with a line for each
        failed attempt.
    config : dict, optional
        ``%config AskMagics`` values the user set (the magic passes them); lower precedence
        than ``options``.
    run_timeout : float, optional
        Seconds the task's code may run; past that it is stopped with its workers and
        :class:`~aigc_magic.errors.TaskTimeoutError` is raised. None (default): no limit.
    **options
        LLM settings by name: ``planner`` (``"auto"``, ``"offline"``, ``"llm"``), ``model``,
        ``base_url``, ``temperature``, ``max_repairs``, ``timeout``, ``json_mode``,
        ``max_retries``. The API key is read from ``OPENAI_API_KEY`` only.

    Returns
    -------
    AskResult

    Raises
    ------
    PlanningError
        The prose could not be turned into a task (an ``LLMError`` when the LLM failed).
    UnsafeCodeError
        The code broke the safety policy and was not run.
    TaskError
        The code ran and raised; its exception is ``__cause__`` and the namespace is intact.
    """
    started = time.perf_counter()
    _check_option("safety", safety, SAFETY_MODES)
    unknown = sorted(set(options) - set(SETTING_NAMES))
    if unknown:
        close = difflib.get_close_matches(unknown[0], SETTING_NAMES + ENGINE_OPTIONS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise TypeError(f"ask() got an unknown option {unknown[0]!r}.{hint} Options: "
                        f"{', '.join(ENGINE_OPTIONS + SETTING_NAMES)}.")
    settings, sources = with_local_server(*resolve_settings(options, config))
    prose = _clean_prose(prose)
    if namespace is None:
        namespace = _default_namespace()
    if previous is None:
        previous = _previous_plans.get(id(namespace))

    brain, plan, problem, notices = _plan(prose, namespace, previous, settings, stream)
    if plan.source != "offline" and found_on_loopback(sources):
        notices.append(_msg(plan.language,
                            f"No LLM was configured; a local server was {sources['base_url']} "
                            f"and its model {settings.model!r} answered.",
                            f"未配置大语言模型；在本机发现了服务器（{sources['base_url']}），"
                            f"由其模型 {settings.model!r} 回答。"))
    result = AskResult(plan=plan, notices=notices)
    result.timings["plan"] = time.perf_counter() - started
    _check_and_run(result, brain, problem, namespace, settings=settings, run=run,
                   safety=safety, yes=yes, stream=stream, run_timeout=run_timeout)
    result.timings["total"] = time.perf_counter() - started
    return result


@_recorded
def fix(code: str, problem: str, *, namespace: dict[str, Any] | None = None,
        stream: Stream | None = None, config: dict[str, Any] | None = None,
        safety: str = "ask", yes: bool = False, run_timeout: float | None = None,
        **options: Any) -> AskResult:
    """Have the LLM repair a cell that failed (``%ask fix``), then check and run the fix.

    ``code`` is the cell's source and ``problem`` its trimmed traceback. The repaired code
    passes the safety policy and runs on the grid like any ask (a cell needs no ``result``:
    its answer is inferred); the result's ``code`` is the cell to insert.

    Raises
    ------
    PlanningError
        No LLM is configured (or found on the loopback): the message says how to connect one.
    """
    from ._lang import detect_language

    started = time.perf_counter()
    _check_option("safety", safety, SAFETY_MODES)
    settings, _ = with_local_server(*resolve_settings(options, config))
    language = detect_language(code)
    if settings.planner == "offline" or not llm_configured(settings):
        raise PlanningError(_msg(
            language,
            "%ask fix sends the failed cell and its traceback to an LLM, and none is "
            "configured. Set OPENAI_API_KEY in the environment that starts Jupyter, or point "
            'at a server with %config AskMagics.base_url = "http://127.0.0.1:11434/v1" (a '
            "local Ollama or llama.cpp server is found by itself), then run %ask fix again.",
            "%ask fix 需要把失败的单元格和错误信息发给大语言模型，但尚未配置。请在启动 Jupyter 的"
            "环境中设置 OPENAI_API_KEY，或设置 %config AskMagics.base_url = "
            '"http://127.0.0.1:11434/v1"（本机的 Ollama 或 llama.cpp 服务会被自动发现），'
            "然后再运行 %ask fix。"))
    if namespace is None:
        namespace = _default_namespace()
    brain = _llm_planner(settings)
    failed = TaskPlan(prose=_msg(language, "Fix this notebook cell so that it runs.",
                                 "修复这个笔记本单元格，使其能够运行。"),
                      code=code, source="llm", language=language)
    result = AskResult(plan=failed, notices=[_planner_notice(failed, brain, settings)])
    left = _repair(brain, result, problem, stream)  # a compile problem of the fix, if any
    result.timings["plan"] = time.perf_counter() - started
    _check_and_run(result, brain, left, namespace, settings=settings, run=True,
                   safety=safety, yes=yes, stream=stream, run_timeout=run_timeout,
                   need_result=False)
    result.timings["total"] = time.perf_counter() - started
    return result


def _check_and_run(result: AskResult, brain: Any, problem: str | None,
                   namespace: dict[str, Any], *, settings: LLMSettings, run: bool,
                   safety: str, yes: bool, stream: Stream | None, run_timeout: float | None,
                   need_result: bool = True) -> None:
    """Check ``result.plan``, repair what the planner can, run it, and explain it."""
    repairs_left = settings.max_repairs if hasattr(brain, "repair") else 0
    consented = safety == "off" or (safety == "ask" and yes)
    while True:
        check_started = time.perf_counter()
        syntax, findings = _static_check(result.plan)
        result.timings["check"] = time.perf_counter() - check_started
        if problem is None and (syntax or (findings and not consented)):
            problem = syntax or _findings_text(findings, result.plan.language)
        if problem is None and need_result and repairs_left > 0 and \
                not assigns_result(result.plan.code):
            problem = NO_RESULT_PROBLEM
        if problem is not None and repairs_left > 0:
            problem = _repair(brain, result, problem, stream)
            repairs_left -= 1
            continue
        if syntax:
            raise _invalid_python(result, syntax)
        if findings and not consented:
            raise _needs_consent(result, findings, safety, brain)
        _remember(namespace, result.plan)
        if not run:
            return
        try:
            _run_and_explain(result, brain, namespace, stream, run_timeout)
            return
        except TaskError as exc:
            if repairs_left <= 0 or exc.__cause__ is None:
                if result.attempts:
                    raise _gave_up(result, exc) from exc.__cause__
                raise
            problem = trimmed_traceback(exc)


@_recorded
def run_plan(plan: TaskPlan, *, namespace: dict[str, Any] | None = None,
             planner: Planner | None = None, run_timeout: float | None = None) -> AskResult:
    """Run a plan the user has consented to (``%ask run``), then explain it."""
    started = time.perf_counter()
    if namespace is None:
        namespace = _default_namespace()
    brain = planner if planner is not None else get_planner("offline")
    result = AskResult(plan=plan, notices=[_planner_notice(plan, brain)])
    _run_and_explain(result, brain, namespace, None, run_timeout)
    result.timings["total"] = time.perf_counter() - started
    return result


def _plan(prose: str, namespace: dict[str, Any], previous: TaskPlan | None,
          settings: LLMSettings, stream: Stream | None
          ) -> tuple[Planner, TaskPlan, str | None, list[str]]:
    """Choose the planner and make the first plan; returns a compile problem to repair."""
    from .llm.openai import FALLBACK_ERRORS, LLMSyntaxError

    offline = get_planner("offline")
    use_llm = settings.planner == "llm" or (settings.planner == "auto"
                                            and llm_configured(settings))
    if not use_llm:
        plan = offline.plan(prose, namespace, previous=previous)
        return offline, plan, None, [_planner_notice(plan, offline, settings)]
    brain = _llm_planner(settings)
    try:
        plan = brain.plan(prose, namespace, previous=previous, stream=stream)
    except LLMSyntaxError as exc:
        return brain, exc.plan, exc.problem, [_planner_notice(exc.plan, brain, settings)]
    except FALLBACK_ERRORS as exc:
        if settings.planner == "llm":
            raise
        reason = str(exc)
    else:
        return brain, plan, None, [_planner_notice(plan, brain, settings)]
    try:  # outside the except block: the LLM's error is not chained to this one
        plan = offline.plan(prose, namespace, previous=previous)
    except PlanningError as offline_error:
        raise PlanningError(f"{offline_error}\n({reason})") from None
    taking_over = _msg(plan.language, "The embedded offline planner answered instead.",
                       "已改由内置离线规划器回答。")
    return offline, plan, None, [f"{reason} {taking_over}"]


def _llm_planner(settings: LLMSettings) -> Planner:
    if settings not in _llm_planners:
        from .llm.openai import OpenAIPlanner

        while len(_llm_planners) >= 8:
            _llm_planners.pop(next(iter(_llm_planners)))
        _llm_planners[settings] = OpenAIPlanner(settings)
    return _llm_planners[settings]


def _repair(brain: Any, result: AskResult, problem: str, stream: Stream | None) -> str | None:
    """Ask the planner to fix the code; record the failed attempt; return a new compile
    problem, if the repaired code has one."""
    from .llm.openai import LLMSyntaxError

    attempt = len(result.attempts) + 1
    result.attempts.append((result.plan.code, problem))
    last_line = problem.strip().splitlines()[-1] if problem.strip() else problem
    line = _msg(result.language,
                f"Attempt {attempt} failed ({last_line}); asking the LLM to repair it.",
                f"第{attempt}次尝试失败（{last_line}）；正在请大语言模型修复。")
    result.notices.append(line)
    if stream is not None:
        stream(f"\n\n— {line}\n\n")
    try:
        result.plan = brain.repair(result.plan, problem, attempt=attempt, stream=stream)
    except LLMSyntaxError as exc:
        result.plan = exc.plan
        return exc.problem
    return None


def _run_and_explain(result: AskResult, brain: Any, namespace: dict[str, Any],
                     stream: Stream | None, run_timeout: float | None) -> None:
    from .llm.openai import LLMError

    plan, timings = result.plan, result.timings
    run_started = time.perf_counter()
    with ScheduleRecorder() as recorder:
        try:
            # code without `result` reaches here only when no repair is left: infer it
            outcome = execute(plan, namespace, timeout=run_timeout, infer_result=True)
        except KeyboardInterrupt:
            _report_interrupt(plan.language, recorder, time.perf_counter() - run_started)
            raise
    timings["run"] = time.perf_counter() - run_started
    result.value, result.taken_from, result.ran = outcome.value, outcome.taken_from, True
    if outcome.taken_from is not None:
        result.notices.append(_taken_from_notice(outcome.taken_from, plan.language))
    result.schedule = recorder.schedule()
    result.notices.extend(recorder.incidents)
    explain_started = time.perf_counter()
    how = result.schedule.describe(plan.language) if result.schedule else None
    try:
        result.explanation = brain.answer(plan, result.value, schedule=how, timings=timings,
                                          stream=stream)
    except LLMError as exc:
        result.notices.append(f"{exc} " + _msg(plan.language,
                                              "The answer below comes from a template.",
                                              "以下回答由模板生成。"))
        result.explanation = get_planner("offline").answer(plan, result.value, schedule=how,
                                                           timings=timings)
    timings["explain"] = time.perf_counter() - explain_started


def _taken_from_notice(taken_from: str, language: str) -> str:
    if taken_from == "expression":
        return _msg(language, "The code set no `result`: the answer is the value of its last "
                              "expression.",
                    "代码没有设置 `result`：答案取自其最后一个表达式的值。")
    return _msg(language, f"The code set no `result`: the answer is the value of "
                          f"`{taken_from}`, the variable it computed.",
                f"代码没有设置 `result`：答案取自它计算出的变量 `{taken_from}`。")


def _report_interrupt(language: str, recorder: ScheduleRecorder, elapsed: float) -> None:
    """One line on stderr: how far the interrupted run got, and that nothing was lost."""
    import sys

    done, total, arm = recorder.progress()
    of = f" of {total}" if total is not None else ""
    of_zh = f"（共{total}个）" if total is not None else ""
    where = f" on the {arm} arm" if arm else ""
    print(_msg(language,
               f"aigc: interrupted after {elapsed:.1f} s; {done}{of} tasks had finished{where}. "
               "The workers were stopped and your variables are as they were.",
               f"aigc：运行{elapsed:.1f}秒后被中断；已完成{done}个任务{of_zh}。"
               "工作进程已停止，你的变量保持原样。"), file=sys.stderr)


def _static_check(plan: TaskPlan) -> tuple[str | None, list[Any]]:
    """Return (the compile problem or None, the safety findings)."""
    from . import safety

    try:
        return None, safety.check(plan.code)
    except SyntaxError as exc:
        return f"SyntaxError: {exc.msg} (line {exc.lineno})", []


def _findings_text(findings: list[Any], language: str) -> str:
    from . import safety

    return safety.format_findings(findings, language)


def _invalid_python(result: AskResult, syntax: str) -> PlanningError:
    plan = result.plan
    error = PlanningError(_msg(
        plan.language,
        f"The {plan.source} planner produced code that is not valid Python ({syntax}); "
        "nothing ran. Rephrase the task and ask again.",
        f"{plan.source} 规划器生成的代码不是合法的 Python（{syntax}），没有运行任何代码。"
        "请换个说法再问一次。"))
    error.code = plan.code  # type: ignore[attr-defined]
    return error


def _needs_consent(result: AskResult, findings: list[Any], mode: str,
                   brain: Any) -> UnsafeCodeError:
    plan = result.plan
    report = _findings_text(findings, plan.language)
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
    error = UnsafeCodeError(f"{report}\n{next_step}", findings=findings, code=plan.code,
                            plan=plan)
    error.planner = brain  # type: ignore[attr-defined]
    return error


def _gave_up(result: AskResult, error: TaskError) -> TaskError:
    tries = len(result.attempts) + 1
    return TaskError(_msg(
        result.language,
        f"The code still failed after {tries} attempts: {error}",
        f"尝试{tries}次后代码仍然失败：{error}"), code=result.plan.code)


def _clean_prose(prose: Any) -> str:
    if isinstance(prose, bytes):
        try:
            prose = prose.decode("utf-8")
        except UnicodeDecodeError:
            raise PlanningError("The prose is binary data, not text. Type the task in words, "
                                "e.g. %ask how many primes below 1e6") from None
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


def _check_option(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SettingsError(f"{name}={value!r} is not one of {', '.join(choices)}.{hint} "
                            f'Set it with %config AskMagics.{name} = "{choices[0]}".')


def _default_namespace() -> dict[str, Any]:
    """The IPython user namespace, else a fresh one named ``__main__``, as a notebook's."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else fresh_namespace()


def fresh_namespace() -> dict[str, Any]:
    """A new namespace for a task run outside IPython: ``__name__`` is ``"__main__"``, so
    ``if __name__ == "__main__":`` guards run as in a notebook or a script."""
    return {"__name__": "__main__"}


def _remember(namespace: dict[str, Any], plan: TaskPlan) -> None:
    _previous_plans.pop(id(namespace), None)
    _previous_plans[id(namespace)] = plan
    while len(_previous_plans) > _MAX_REMEMBERED:
        _previous_plans.pop(next(iter(_previous_plans)))


def _planner_notice(plan: TaskPlan, brain: Any, settings: LLMSettings | None = None) -> str:
    if plan.source == "offline":
        chosen = settings is not None and settings.planner == "offline"
        why = "planner = 'offline'" if chosen else _msg(plan.language, "no LLM is configured",
                                                        "未配置大语言模型")
        return _msg(plan.language,
                    f"Planned by the embedded offline planner (recipe {plan.recipe}); {why}.",
                    f"由内置离线规划器生成（配方 {plan.recipe}）；{why}。")
    return _msg(plan.language, f"Planned by the LLM: {brain!r}.",
                f"由大语言模型生成：{brain!r}。")
