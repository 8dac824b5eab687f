"""`%ask` and `%%ask` through a real InteractiveShell."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.error import UsageError

from aigc_magic.errors import UnsafeCodeError
from aigc_magic.magics import _split_options, interpolate


def test_cell_magic_canonical_example(ip) -> None:
    out = ip.run_cell("%%ask\n计算10000以内的所有质数\n")
    answer = out.result
    assert len(answer.value) == 1229 and answer.value[-1] == 9973
    assert len(ip.user_ns["result"]) == 1229
    assert "1229" in answer.explanation


def test_line_magic_returns_the_result(ip) -> None:
    ip.run_cell("r = %ask how many primes below 1e6")
    assert ip.user_ns["r"].value == 78498


def test_output_option_stores_the_result(ip) -> None:
    ip.run_cell("%ask -o est estimate pi with 100000 samples")
    assert abs(ip.user_ns["est"].value - 3.1416) < 0.05


def test_no_run_shows_code_only(ip) -> None:
    out = ip.run_cell("%ask --no-run how many primes below 1e6")
    assert not out.result.ran and "result" not in ip.user_ns


def test_braces_interpolate_once_from_the_namespace(ip) -> None:
    ip.user_ns["n"] = 500
    out = ip.run_cell("%ask how many primes below {n}")
    assert out.result.value == 95 and out.result.prose == "how many primes below 500"


def test_apostrophes_and_dollars_do_not_break_parsing(ip) -> None:
    out = ip.run_cell("%ask what's the number of primes below 100? costs $x nothing")
    assert out.result.value == 25


def test_out_of_scope_is_a_usage_error_without_traceback(ip) -> None:
    with pytest.raises(UsageError, match="OPENAI_BASE_URL"):
        ip.run_cell("%ask tell me a joke about cats")


def test_empty_ask_says_what_to_type(ip) -> None:
    with pytest.raises(UsageError, match="Type a task"):
        ip.run_cell("%ask")


def test_run_without_pending_plan(ip) -> None:
    with pytest.raises(UsageError, match="No plan is waiting"):
        ip.run_cell("%ask run")


def test_consent_then_run(ip, scripted, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    scripted.code = f"open({str(sentinel)!r}, 'w').write('ran')\nresult = 7\n"
    out = ip.run_cell("%ask do the thing")
    assert type(out.result).__name__ == "ConsentRequest" and not sentinel.exists()
    assert ip.run_cell("%ask run").result.value == 7
    assert sentinel.read_text() == "ran"
    with pytest.raises(UsageError, match="No plan is waiting"):
        ip.run_cell("%ask run")


def test_failed_task_keeps_the_kernel_and_variables(ip, scripted) -> None:
    ip.user_ns["data"] = [1, 2, 3]
    scripted.code = "data = None\nresult = 1 / 0\n"
    with pytest.raises(Exception, match="ZeroDivisionError"):
        ip.run_cell("%ask divide")
    assert ip.user_ns["data"] == [1, 2, 3]
    assert ip.run_cell("len(data)").result == 3


def test_help_is_the_docstring(ip) -> None:
    doc = ip.find_cell_magic("ask").__doc__
    assert "--no-run" in doc and "计算10000以内的所有质数" in doc


@pytest.mark.parametrize(
    "line, options, prose",
    [
        ("how many primes", [], "how many primes"),
        ("-o r --yes how many", ["-o", "r", "--yes"], "how many"),
        ("--no-run  -x is prose", ["--no-run"], "-x is prose"),
        ("", [], ""),
    ],
)
def test_split_options(line: str, options: list[str], prose: str) -> None:
    assert _split_options(line) == (options, prose)


def test_interpolate_only_short_scalars() -> None:
    ns = {"n": 10, "name": "iris", "big": list(range(100)), "flag": True}
    assert (
        interpolate("{n} {name} {big} {flag} {missing} {}", ns)
        == "10 iris {big} {flag} {missing} {}"
    )


def test_consent_button_runs_the_held_back_plan_once(ip, scripted, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    scripted.code = f"open({str(sentinel)!r}, 'w').write('ran')\nresult = 7\n"
    request = ip.run_cell("%ask do the thing").result
    view = request.widget()
    button = next(w for w in view.children if type(w).__name__ == "Button")
    assert button.description == "Run anyway" and not sentinel.exists()
    button.click()
    assert sentinel.read_text() == "ran" and ip.user_ns["result"] == 7
    assert button.disabled and button.description == "Ran after consent."
    with pytest.raises(UsageError, match="No plan is waiting"):  # consumed: `%ask run` knows
        ip.run_cell("%ask run")


def test_consent_speaks_chinese_for_chinese_prose(ip, scripted) -> None:
    scripted.code = "import subprocess\nresult = 1\n"
    request = ip.run_cell("%ask 运行一个命令").result
    assert "仍然运行" in str(
        [w.description for w in request.widget().children if hasattr(w, "description")]
    )
    assert "没有运行任何代码" in request._repr_mimebundle_()["text/plain"]


def test_streamed_reply_ends_its_terminal_line() -> None:
    import io
    from contextlib import redirect_stdout

    from aigc_magic.ui.stream import StreamWriter

    out = io.StringIO()
    with redirect_stdout(out):
        writer = StreamWriter(None)
        writer("```python\nresult = 1\n")
        writer("```")
        writer.close()
        writer.close()  # closing twice adds nothing
    assert out.getvalue() == "```python\nresult = 1\n```\n"


def test_a_held_plan_runs_once_and_the_newest_refusal_wins(scripted) -> None:
    from aigc_magic import ask
    from aigc_magic.ui.consent import HeldPlans

    held = HeldPlans(capacity=1)
    for value in (1, 2):
        scripted.code = f"import subprocess\nresult = {value}\n"
        with pytest.raises(UnsafeCodeError) as info:
            ask("anything", namespace={})
        held.hold(info.value)
    plan = held.take()
    assert plan is not None and plan.run({}).value == 2
    assert held.take() is None  # taken once
