"""The engine behind ``%%ask``, the sidebar and :func:`ask`: plan, check, run, explain.

:func:`ask` makes the first plan, then checks it (compiler, safety policy, ``result``), runs
it on the grid and has the planner explain the result. A problem on the way goes back to the
planner as a repair (:class:`~aigc_magic._repairs.Repairs`, shared with :func:`fix`), at most
``max_repairs`` times; what is still wrong then is raised. The first plan comes from
:mod:`aigc_magic._planning`. ``docs/architecture.md`` draws the flow.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

from ._inputs import (
    PLANNER_CHOICES,
    SAFETY_MODES,
    check_option,
    check_setting_names,
    clean_prose,
    default_namespace,
    fresh_namespace,
)
from ._lang import detect_language
from ._lang import in_language as _msg
from ._notices import (
    NO_RESULT_PROBLEM,
    fix_needs_an_llm,
    found_server_notice,
    gave_up,
    interrupted_line,
    invalid_python,
    needs_consent,
    planner_notice,
    taken_from_notice,
    template_answer_notice,
)
from ._planning import first_plan, llm_planner
from ._repairs import Repairs
from .errors import LLMError, TaskError
from .grid.record import ScheduleRecorder
from .llm import Planner, Stream, get_planner
from .llm.plan import TaskPlan
from .llm.settings import (
    LLMSettings,
    found_on_loopback,
    llm_configured,
    resolve_settings,
    with_local_server,
)
from .llm.usage import recording
from .result import AskResult
from .runner import assigns_result, execute, trimmed_traceback
from .safety import Finding, format_findings
from .safety import check as check_policy

__all__ = [
    "PLANNER_CHOICES",
    "SAFETY_MODES",
    "AskResult",
    "ask",
    "fix",
    "fresh_namespace",
    "run_plan",
]

_P = ParamSpec("_P")

#: id(namespace) -> (that namespace, its last plan), for follow-ups. The namespace is held
#: so that its id cannot be reused by another dict while the entry lives (a script's
#: ``ask(namespace={...})`` made a fresh dict each time, which could inherit a dead one's
#: plan as its "previous").
_previous_plans: dict[int, tuple[dict[str, Any], TaskPlan]] = {}
_MAX_REMEMBERED = 64


@dataclass(frozen=True)
class _Job:
    """How one ask checks and runs its plan."""

    settings: LLMSettings
    namespace: dict[str, Any]
    safety: str
    yes: bool
    stream: Stream | None
    run: bool = True
    run_timeout: float | None = None
    need_result: bool = True  # a cell repaired by fix() needs no ``result``

    @property
    def consented(self) -> bool:
        """Code with safety findings may run."""
        return self.safety == "off" or (self.safety == "ask" and self.yes)


def _recorded(make: Callable[_P, AskResult]) -> Callable[_P, AskResult]:
    """Collect the LLM requests that ``make`` sends into the result's ``requests``."""

    @functools.wraps(make)
    def recorded(*args: _P.args, **kwargs: _P.kwargs) -> AskResult:
        with recording() as log:
            result = make(*args, **kwargs)
        result.requests = log
        return result

    return recorded


@_recorded
def ask(
    prose: str,
    *,
    namespace: dict[str, Any] | None = None,
    run: bool = True,
    safety: str = "ask",
    yes: bool = False,
    previous: TaskPlan | None = None,
    stream: Stream | None = None,
    config: dict[str, Any] | None = None,
    run_timeout: float | None = None,
    **options: Any,
) -> AskResult:
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
    check_option("safety", safety, SAFETY_MODES)
    check_setting_names(options)
    settings, sources = with_local_server(*resolve_settings(options, config))
    prose = clean_prose(prose)
    namespace = default_namespace() if namespace is None else namespace
    if previous is None:
        kept = _previous_plans.get(id(namespace))
        previous = kept[1] if kept is not None and kept[0] is namespace else None

    first = first_plan(prose, namespace, previous, settings, stream)
    if first.plan.source != "offline" and found_on_loopback(sources):
        first.notices.append(
            found_server_notice(first.plan.language, sources["base_url"], settings.model)
        )
    result = AskResult(plan=first.plan, notices=first.notices)
    result.timings["plan"] = time.perf_counter() - started
    job = _Job(settings, namespace, safety, yes, stream, run=run, run_timeout=run_timeout)
    _check_and_run(result, first.planner, first.problem, job)
    result.timings["total"] = time.perf_counter() - started
    return result


@_recorded
def fix(
    code: str,
    problem: str,
    *,
    namespace: dict[str, Any] | None = None,
    stream: Stream | None = None,
    config: dict[str, Any] | None = None,
    safety: str = "ask",
    yes: bool = False,
    run_timeout: float | None = None,
    **options: Any,
) -> AskResult:
    """Have the LLM repair a cell that failed (``%ask fix``), then check and run the fix.

    ``code`` is the cell's source and ``problem`` its trimmed traceback. The repaired code
    passes the safety policy and runs on the grid like any ask (a cell needs no ``result``:
    its answer is inferred); the result's ``code`` is the cell to insert.

    Raises
    ------
    PlanningError
        No LLM is configured (or found on the loopback): the message says how to connect one.
    """
    started = time.perf_counter()
    check_option("safety", safety, SAFETY_MODES)
    settings, _ = with_local_server(*resolve_settings(options, config))
    language = detect_language(code)
    if settings.planner == "offline" or not llm_configured(settings):
        raise fix_needs_an_llm(language)
    job = _Job(
        settings,
        default_namespace() if namespace is None else namespace,
        safety,
        yes,
        stream,
        run_timeout=run_timeout,
        need_result=False,
    )
    planner = llm_planner(settings)
    failed = TaskPlan(
        prose=_msg(
            language,
            "Fix this notebook cell so that it runs.",
            "修复这个笔记本单元格，使其能够运行。",
        ),
        code=code,
        source="llm",
        language=language,
    )
    result = AskResult(plan=failed, notices=[planner_notice(failed, planner, settings)])
    first = Repairs(planner, result, 1, stream)  # the cell's repair is not one of max_repairs
    first.attempt(problem)
    result.timings["plan"] = time.perf_counter() - started
    _check_and_run(result, planner, first.problem, job)
    result.timings["total"] = time.perf_counter() - started
    return result


@_recorded
def run_plan(
    plan: TaskPlan,
    *,
    namespace: dict[str, Any] | None = None,
    planner: Planner | None = None,
    run_timeout: float | None = None,
) -> AskResult:
    """Run a plan the user has consented to (``%ask run``), then explain it."""
    started = time.perf_counter()
    namespace = default_namespace() if namespace is None else namespace
    brain = planner if planner is not None else get_planner("offline")
    result = AskResult(plan=plan, notices=[planner_notice(plan, brain)])
    _run(result, namespace, run_timeout)
    _explain(result, brain, None)
    result.timings["total"] = time.perf_counter() - started
    return result


# -- the steps ---------------------------------------------------------------------------


def _check_and_run(result: AskResult, planner: Planner, problem: str | None, job: _Job) -> None:
    """Check, run and explain ``result.plan``; code that raises goes back for a repair."""
    repairs = Repairs(planner, result, job.settings.max_repairs, job.stream)
    while True:
        _check(result, problem, repairs, job)
        _remember(job.namespace, result.plan)
        if not job.run:
            return
        try:
            _run(result, job.namespace, job.run_timeout)
        except TaskError as exc:
            if exc.__cause__ is None or not repairs.attempt(trimmed_traceback(exc)):
                if result.attempts:
                    tries = len(result.attempts) + 1
                    raise gave_up(tries, exc, result.plan) from exc.__cause__
                raise
            problem = repairs.problem
        else:
            _explain(result, planner, job.stream)
            return


def _check(result: AskResult, problem: str | None, repairs: Repairs, job: _Job) -> None:
    """Check ``result.plan`` (it compiles, passes the safety policy, sets ``result``); have
    the planner repair what fails while repairs are left; raise what is still wrong."""
    while True:
        started = time.perf_counter()
        syntax, findings = _static_check(result.plan)
        result.timings["check"] = time.perf_counter() - started
        refused = bool(findings) and not job.consented
        if problem is None and (syntax or refused):
            problem = syntax or format_findings(findings, result.language)
        if (
            problem is None
            and job.need_result
            and repairs.left > 0
            and not assigns_result(result.plan.code)
        ):
            problem = NO_RESULT_PROBLEM
        if problem is None or not repairs.attempt(problem):
            break
        problem = repairs.problem
    if syntax:
        raise invalid_python(result.plan, syntax)
    if refused:
        raise needs_consent(result.plan, findings, job.safety, repairs.planner)


def _run(result: AskResult, namespace: dict[str, Any], run_timeout: float | None) -> None:
    """Run the plan's code on the grid; record its value and where the work ran."""
    plan, timings = result.plan, result.timings
    started = time.perf_counter()
    with ScheduleRecorder() as recorder:
        try:
            # code without `result` reaches here only when no repair is left: infer it
            outcome = execute(plan, namespace, timeout=run_timeout, infer_result=True)
        except KeyboardInterrupt:
            done, total, arm = recorder.progress()
            print(
                interrupted_line(plan.language, time.perf_counter() - started, done, total, arm),
                file=sys.stderr,
            )
            raise
    timings["run"] = time.perf_counter() - started
    result.value, result.taken_from, result.ran = outcome.value, outcome.taken_from, True
    if outcome.taken_from is not None:
        result.notices.append(taken_from_notice(outcome.taken_from, plan.language))
    result.schedule = recorder.schedule()
    result.notices.extend(recorder.incidents)


def _explain(result: AskResult, planner: Planner, stream: Stream | None) -> None:
    """The answer in words: the planner's, or a template's when the LLM fails."""
    plan, timings = result.plan, result.timings
    started = time.perf_counter()
    how = result.schedule.describe(plan.language) if result.schedule else None
    try:
        result.explanation = planner.answer(
            plan, result.value, schedule=how, timings=timings, stream=stream
        )
    except LLMError as exc:
        result.notices.append(template_answer_notice(exc, plan.language))
        result.explanation = get_planner("offline").answer(
            plan, result.value, schedule=how, timings=timings
        )
    timings["explain"] = time.perf_counter() - started


# -- helpers -----------------------------------------------------------------------------


def _static_check(plan: TaskPlan) -> tuple[str | None, list[Finding]]:
    """Return (the compile problem or None, the safety findings)."""
    try:
        return None, check_policy(plan.code)
    except SyntaxError as exc:
        return f"SyntaxError: {exc.msg} (line {exc.lineno})", []


def _remember(namespace: dict[str, Any], plan: TaskPlan) -> None:
    """Keep ``plan`` as the namespace's last, for a follow-up's ``previous``."""
    _previous_plans.pop(id(namespace), None)
    _previous_plans[id(namespace)] = (namespace, plan)
    while len(_previous_plans) > _MAX_REMEMBERED:
        _previous_plans.pop(next(iter(_previous_plans)))
