"""`ask()` end to end on the offline planner, and the engine's guarantees."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import pytest

import aigc_magic
from aigc_magic import PlanningError, TaskError, UnsafeCodeError, ask
from aigc_magic.errors import SettingsError


def test_canonical_primes_in_chinese() -> None:
    r = ask("计算10000以内的所有质数", namespace={})
    assert r.ran and isinstance(r.value, list)
    assert len(r.value) == 1229 and r.value[0] == 2 and r.value[-1] == 9973
    assert r.plan.source == "offline" and r.plan.recipe == "primes.list"
    assert r.plan.params["n"] == 10000
    assert r.language == "zh"
    assert "1229" in r.explanation and "9973" in r.explanation
    assert any("离线" in notice for notice in r.notices)  # says the offline planner answered
    assert set(r.timings) >= {"plan", "check", "run", "explain", "total"}
    assert "Parallel" in r.code and "result" in r.code
    # ran on the grid, in several tasks, and says how the work was split
    assert r.schedule is not None and r.schedule.n_tasks > 1  # the arm is the scheduler's call
    assert f"工作被分成{r.schedule.n_tasks}个任务" in r.explanation


def test_code_runs_alone_in_a_fresh_interpreter() -> None:
    import subprocess
    import sys

    code = ask("how many primes below 1e5", namespace={}, run=False).code
    out = subprocess.run(
        [sys.executable, "-c", code + "\nprint(result)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip() == "9592", out.stderr


def test_count_is_an_int_and_english() -> None:
    r = ask("how many primes below 1e6", namespace={})
    assert r.value == 78498 and isinstance(r.value, int)
    assert r.language == "en" and "78498" in r.explanation.replace(",", "")
    assert any("offline planner" in notice for notice in r.notices)


def test_task_runs_in_the_namespace() -> None:
    ns: dict = {"keep": "me"}
    r = ask("list the primes under 30", namespace=ns)
    assert ns["result"] == r.value == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert ns["keep"] == "me"


def test_run_false_plans_only() -> None:
    ns: dict = {}
    r = ask("how many primes below 1e6", namespace=ns, run=False)
    assert not r.ran and r.value is None and "result" not in ns
    assert "Parallel" in r.code


def test_renders_in_terminals_and_notebooks() -> None:
    r = ask("how many primes below 100", namespace={})
    bundle = r._repr_mimebundle_()
    assert "25" in bundle["text/plain"] and "Parallel" in bundle["text/plain"]
    assert "aigc-answer" in bundle["text/html"] and "25" in bundle["text/html"]
    assert bundle["application/vnd.aigc-magic.answer+json"]["value_repr"] == "25"
    assert "recipe='primes.count'" in repr(r)


def test_follow_up_reuses_the_previous_task() -> None:
    ns: dict = {}
    ask("how many primes below 1000", namespace=ns)
    r = ask("now do it for 1e5", namespace=ns)
    assert r.plan.recipe == "primes.count" and r.value == 9592


def test_a_failing_task_restores_every_name_it_assigned(scripted) -> None:
    scripted.code = "x = 1\nresult = 2\ndef helper():\n    return 3\nraise ValueError('boom')\n"
    ns: dict = {"x": 0, "result": "mine"}
    with pytest.raises(TaskError, match="ValueError: boom") as info:
        ask("anything", namespace=ns)
    assert ns["x"] == 0 and ns["result"] == "mine" and "helper" not in ns
    assert isinstance(info.value.__cause__, ValueError)
    assert info.value.code == scripted.code
    # the traceback shows the generated code's own line
    shown = "".join(traceback.format_exception(info.value.__cause__))
    assert "raise ValueError('boom')" in shown


def test_code_that_sets_no_result_answers_with_its_one_new_variable(scripted) -> None:
    # nothing can repair it (the scripted planner cannot repair code): the one value it made
    scripted.code = "import math\ny = math.sqrt(16)\n"
    ns: dict = {}
    r = ask("anything", namespace=ns)
    assert r.value == 4.0 and r.taken_from == "y" and ns["y"] == 4.0
    assert any("`y`" in notice for notice in r.notices)
    assert "result" not in ns


def test_code_that_prints_its_answer_answers_with_what_it_printed(scripted) -> None:
    scripted.code = (
        "import random\nrandom.seed(1)\nn = 2000\n"
        "inside = sum(random.random()**2 + random.random()**2 <= 1 "
        "for _ in range(n))\npi_estimate = 4 * inside / n\n"
        "print('Estimated pi:', pi_estimate)\n"
    )
    r = ask("estimate pi", namespace={})
    assert r.taken_from == "pi_estimate" and 2.9 < r.value < 3.4


def test_code_ending_in_an_expression_answers_with_its_value(scripted) -> None:
    scripted.code = "xs = [3, 1, 2]\nsorted(xs)\n"
    r = ask("anything", namespace={})
    assert r.value == [1, 2, 3] and r.taken_from == "expression"


def test_code_with_no_single_answer_is_an_error_and_keeps_nothing(scripted) -> None:
    scripted.code = "keep = 0\na = 1\nb = 2\n"
    ns: dict = {"keep": "mine"}
    with pytest.raises(TaskError, match="no single value stands out") as info:
        ask("anything", namespace=ns)
    assert "`a`, `b`" in str(info.value)
    assert {k: v for k, v in ns.items() if k != "__builtins__"} == {"keep": "mine"}


def test_a_namespace_made_by_ask_runs_main_guards(scripted) -> None:
    scripted.code = (
        "import multiprocessing\n\n"
        "def cube(x):\n    return x ** 3\n\n"
        "if __name__ == '__main__':\n"
        "    with multiprocessing.get_context('fork').Pool(2) as pool:\n"
        "        result = sum(pool.map(cube, range(10)))\n"
    )
    r = ask("sum of cubes below 10 with a process pool")
    assert r.value == sum(x**3 for x in range(10))


def test_unsafe_code_needs_consent(scripted, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    scripted.code = f"open({str(sentinel)!r}, 'w').write('ran')\nresult = 1\n"
    with pytest.raises(UnsafeCodeError) as info:
        ask("anything", namespace={})
    assert not sentinel.exists()
    assert info.value.findings and info.value.plan is not None
    assert "%ask run" in str(info.value)
    with pytest.raises(UnsafeCodeError, match="strict"):
        ask("anything", namespace={}, safety="strict", yes=True)
    assert not sentinel.exists()
    assert ask("anything", namespace={}, yes=True).value == 1
    assert sentinel.read_text() == "ran"


def test_invalid_python_from_a_planner_is_reported(scripted) -> None:
    scripted.code = "result = (1,\n"
    with pytest.raises(PlanningError, match="not valid Python"):
        ask("anything", namespace={})


@pytest.mark.parametrize(
    "prose, message",
    [
        ("", "nothing to plan.*can plan compute tasks such as"),
        ("   \n\t ", "nothing to plan.*can plan compute tasks such as"),
        ("x" * 1_000_000, "1,000,000 characters"),
        (b"\x00\xff\xfe\x01" * 50, "binary"),
        ("\x00\x01\x02\x03" * 50, "binary"),
        (12345, "string of prose"),
    ],
)
def test_bad_prose_gets_a_clear_message(prose: object, message: str) -> None:
    with pytest.raises(PlanningError, match=re.compile(message, re.S)):
        ask(prose, namespace={})  # type: ignore[arg-type]


def test_unknown_options_suggest_the_right_name() -> None:
    with pytest.raises(SettingsError, match="did you mean 'offline'"):
        ask("how many primes below 100", namespace={}, planner="ofline")
    with pytest.raises(SettingsError, match="Did you mean 'strict'"):
        ask("how many primes below 100", namespace={}, safety="strickt")
    with pytest.raises(TypeError, match="Did you mean 'model'"):
        ask("how many primes below 100", namespace={}, modle="x")


def test_out_of_scope_prose_is_refused_with_what_can_be_asked() -> None:
    with pytest.raises(PlanningError) as info:
        ask("write me a poem about the sea", namespace={})
    message = str(info.value)
    assert "primes" in message and "OPENAI_BASE_URL" in message


def test_ask_is_exported_lazily() -> None:
    assert aigc_magic.ask is ask or aigc_magic.ask.__module__ == "aigc_magic"


def test_prose_may_use_result_as_input() -> None:
    ns = {"result": [1, 2, 3], "f": lambda x: x * x}
    r = ask("对result里的每个元素调用f，求和", namespace=ns)
    assert r.value == 14 and ns["result"] == 14


def test_code_that_deletes_result_is_an_error_and_restores_it(scripted) -> None:
    scripted.code = "result = 1\ndel result\n"
    ns = {"result": "mine"}
    with pytest.raises(TaskError, match="without a `result`"):
        ask("anything", namespace=ns)
    assert ns["result"] == "mine"


def test_a_registered_planner_is_found_by_name_and_use_planner_restores(scripted) -> None:
    from aigc_magic.llm import get_planner, register_planner, use_planner
    from aigc_magic.llm.offline import OfflinePlanner

    offline = get_planner("offline")  # the scripted planner stands in for it here
    register_planner("mine", "aigc_magic.llm.offline:OfflinePlanner")
    try:
        assert isinstance(get_planner("mine"), OfflinePlanner)
        with use_planner("mine", offline):
            assert get_planner("mine") is offline
        assert isinstance(get_planner("mine"), OfflinePlanner)
    finally:
        from aigc_magic.llm import PLANNERS

        PLANNERS.pop("mine")
    with pytest.raises(PlanningError, match="Unknown planner 'mine'"):
        get_planner("mine")


def test_every_error_says_which_code_it_is_about(scripted) -> None:
    scripted.code = "import subprocess\nresult = 1\n"
    with pytest.raises(UnsafeCodeError) as refused:
        ask("anything", namespace={})
    assert refused.value.code == scripted.code and refused.value.planner is scripted
    assert SettingsError("x").code is None and PlanningError("x").code is None


def test_a_fresh_namespace_never_inherits_a_dead_ones_follow_up() -> None:
    """``ask(namespace={...})`` in a loop: a fresh dict may get a dead one's id()."""
    walk = (  # no number of steps: refused alone, and never a follow-up of a dead namespace's
        "Do a random walk where each step is +1 or -1 with equal chance. Where does it end up?"
    )
    reused = 0
    for _ in range(20):
        ns = {"f": abs, "data": [1, -2, 3]}
        assert aigc_magic.ask("apply f to data and take the max", namespace=ns).value == 3
        old = id(ns)
        del ns
        fresh: dict[str, object] = {}  # (the freed dict's memory comes back first)
        reused += id(fresh) == old
        with pytest.raises(PlanningError):
            aigc_magic.ask(walk, namespace=fresh, planner="offline")
    assert reused == 0  # the namespace a plan is remembered for is kept alive with it
