"""What the engine says to the user, in the prose's language: notices and refusals.

Each function turns the facts of one step (which planner answered, a failed attempt, a
refusal by the safety policy) into a sentence in English and Chinese, or into the error that
carries it. The engine decides; this module only words.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._lang import in_language as _msg
from .errors import PlanningError, TaskError, UnsafeCodeError
from .llm import Planner
from .llm.plan import TaskPlan
from .llm.settings import LLMSettings
from .safety import Finding, format_findings

#: What goes back to the model when its code sets no ``result`` (models often print it).
NO_RESULT_PROBLEM = (
    "The code never assigns the variable `result`, so the task would give no "
    "answer (printing it is not enough). Keep the computation and assign the "
    "final answer to `result` at the top level."
)


def planner_notice(plan: TaskPlan, planner: Planner, settings: LLMSettings | None = None) -> str:
    """Who planned: the offline planner (and why) or the LLM."""
    if plan.source == "offline":
        chosen = settings is not None and settings.planner == "offline"
        why = (
            "planner = 'offline'"
            if chosen
            else _msg(plan.language, "no LLM is configured", "未配置大语言模型")
        )
        return _msg(
            plan.language,
            f"Planned by the embedded offline planner (recipe {plan.recipe}); {why}.",
            f"由内置离线规划器生成（配方 {plan.recipe}）；{why}。",
        )
    return _msg(
        plan.language, f"Planned by the LLM: {planner!r}.", f"由大语言模型生成：{planner!r}。"
    )


def found_server_notice(language: str, base_url: str, model: str) -> str:
    """No LLM was configured, and a server found on the loopback answered."""
    return _msg(
        language,
        f"No LLM was configured; a local server was {base_url} and its model {model!r} answered.",
        f"未配置大语言模型；在本机发现了服务器（{base_url}），由其模型 {model!r} 回答。",
    )


def offline_took_over(reason: str, language: str) -> str:
    """The LLM could not be reached (``reason``) and the offline planner answered."""
    return (
        reason
        + " "
        + _msg(
            language, "The embedded offline planner answered instead.", "已改由内置离线规划器回答。"
        )
    )


def repair_notice(attempt: int, problem: str, language: str) -> str:
    """Attempt ``attempt`` failed with ``problem`` (its last line is shown); a repair follows."""
    last_line = problem.strip().splitlines()[-1] if problem.strip() else problem
    return _msg(
        language,
        f"Attempt {attempt} failed ({last_line}); asking the LLM to repair it.",
        f"第{attempt}次尝试失败（{last_line}）；正在请大语言模型修复。",
    )


def taken_from_notice(taken_from: str, language: str) -> str:
    """Where the answer was taken from when the code set no ``result``."""
    if taken_from == "expression":
        return _msg(
            language,
            "The code set no `result`: the answer is the value of its last expression.",
            "代码没有设置 `result`：答案取自其最后一个表达式的值。",
        )
    return _msg(
        language,
        f"The code set no `result`: the answer is the value of "
        f"`{taken_from}`, the variable it computed.",
        f"代码没有设置 `result`：答案取自它计算出的变量 `{taken_from}`。",
    )


def template_answer_notice(error: Exception, language: str) -> str:
    """The LLM failed to explain the result (``error``); a template did."""
    return f"{error} " + _msg(
        language, "The answer below comes from a template.", "以下回答由模板生成。"
    )


def interrupted_line(
    language: str, elapsed: float, done: int, total: int | None, arm: str | None
) -> str:
    """How far an interrupted run got, and that nothing was lost."""
    of = f" of {total}" if total is not None else ""
    of_zh = f"（共{total}个）" if total is not None else ""
    where = f" on the {arm} arm" if arm else ""
    return _msg(
        language,
        f"aigc: interrupted after {elapsed:.1f} s; {done}{of} tasks had finished{where}. "
        "The workers were stopped and your variables are as they were.",
        f"aigc：运行{elapsed:.1f}秒后被中断；已完成{done}个任务{of_zh}。"
        "工作进程已停止，你的变量保持原样。",
    )


def invalid_python(plan: TaskPlan, syntax: str) -> PlanningError:
    """The planner's code does not compile and no repair is left."""
    return PlanningError(
        _msg(
            plan.language,
            f"The {plan.source} planner produced code that is not valid Python ({syntax}); "
            "nothing ran. Rephrase the task and ask again.",
            f"{plan.source} 规划器生成的代码不是合法的 Python（{syntax}），没有运行任何代码。"
            "请换个说法再问一次。",
        ),
        code=plan.code,
    )


def needs_consent(
    plan: TaskPlan, findings: Sequence[Finding], mode: str, planner: Planner
) -> UnsafeCodeError:
    """The code breaks the safety policy: refused (``"strict"``) or held for consent."""
    report = format_findings(findings, plan.language)
    if mode == "strict":
        next_step = _msg(
            plan.language,
            'Safety mode is "strict", so it will not run; to allow consent, '
            'set %config AskMagics.safety = "ask".',
            '当前安全模式为 "strict"，因此不会运行；若要允许确认后运行，请设置 '
            '%config AskMagics.safety = "ask"。',
        )
    else:
        next_step = _msg(
            plan.language,
            "Nothing ran. Read the code; to run it anyway type `%ask run`, or "
            "pass --yes (yes=True in ask()).",
            "没有运行任何代码。请先阅读代码；确认要运行请输入 `%ask run`，"
            "或加上 --yes（ask() 中用 yes=True）。",
        )
    return UnsafeCodeError(
        f"{report}\n{next_step}",
        findings=list(findings),
        code=plan.code,
        plan=plan,
        planner=planner,
    )


def gave_up(tries: int, error: TaskError, plan: TaskPlan) -> TaskError:
    """The code still raised after ``tries`` attempts."""
    return TaskError(
        _msg(
            plan.language,
            f"The code still failed after {tries} attempts: {error}",
            f"尝试{tries}次后代码仍然失败：{error}",
        ),
        code=plan.code,
    )


def fix_needs_an_llm(language: str) -> PlanningError:
    """``%ask fix`` was typed and no LLM is configured or found."""
    return PlanningError(
        _msg(
            language,
            "%ask fix sends the failed cell and its traceback to an LLM, and none is "
            "configured. Set OPENAI_API_KEY in the environment that starts Jupyter, or point "
            'at a server with %config AskMagics.base_url = "http://127.0.0.1:11434/v1" (a '
            "local Ollama or llama.cpp server is found by itself), then run %ask fix again.",
            "%ask fix 需要把失败的单元格和错误信息发给大语言模型，但尚未配置。请在启动 Jupyter 的"
            "环境中设置 OPENAI_API_KEY，或设置 %config AskMagics.base_url = "
            '"http://127.0.0.1:11434/v1"（本机的 Ollama 或 llama.cpp 服务会被自动发现），'
            "然后再运行 %ask fix。",
        )
    )
