"""The `aigc-magic` command line, run as a real subprocess."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aigc_magic", *args], capture_output=True, text=True, timeout=240
    )


def test_ask_prints_code_answer_and_explanation() -> None:
    out = _cli("ask", "how many primes below 10000")
    assert out.returncode == 0, out.stderr
    assert "Parallel" in out.stdout  # the code
    assert "1229" in out.stdout  # the answer
    assert "offline planner" in out.stdout
    assert "100%" in out.stderr and "aigc" in out.stderr  # the text progress bar
    assert "VBox" not in out.stdout + out.stderr  # no widget reprs outside notebooks


def test_ask_refuses_out_of_scope_prose_with_exit_2() -> None:
    out = _cli("ask", "what's the weather in Paris tomorrow")
    assert out.returncode == 2
    assert "OPENAI_BASE_URL" in out.stderr and out.stdout == ""


@pytest.mark.slow
def test_demo_without_a_notebook_says_where_to_run_it(tmp_path) -> None:
    out = _cli("demo", str(tmp_path / "missing.ipynb"))
    assert out.returncode == 2 and "no notebook at" in out.stderr


@pytest.mark.slow
def test_a_main_guarded_process_pool_runs_from_the_command_line(llm_server) -> None:
    # the CLI's namespace is named __main__, as a script's: the guard's body runs
    stub = llm_server(default_reply="The sum is 328350.")
    stub.reply(
        "Use a process pool:\n\n```python\nimport multiprocessing as mp\n\n"
        "def square(x):\n    return x * x\n\nif __name__ == '__main__':\n"
        "    with mp.get_context('fork').Pool(2) as pool:\n"
        "        result = sum(pool.map(square, range(100)))\n```\n\nDone in parallel."
    )
    out = _cli("ask", "sum of squares below 100 with a process pool")
    assert out.returncode == 0, out.stderr
    assert "Value (int): 328350" in out.stdout
