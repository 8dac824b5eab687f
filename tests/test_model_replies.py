"""Replies written the way chat models write them, through the local OpenAI-compatible server.

gpt-4o-mini, Qwen and Llama answer with prose first, often a ``bash`` block (``pip install``)
before the ``python`` one, and a markdown remark after it; their code calls
``Parallel(n_jobs=-1)`` or scikit-learn's ``n_jobs`` without naming a backend, prints its
answer instead of setting ``result``, and guards ``multiprocessing`` with
``if __name__ == "__main__":``. Each case must still run on the grid and answer.
"""

from __future__ import annotations

import textwrap

import pytest

from aigc_magic import ask
from aigc_magic.testing import OpenAIStub


def model_reply(code: str, *, pip: str | None = "joblib numpy") -> str:
    """A reply shaped like a chat model's: prose, a bash block, the python block, a remark."""
    parts = ["Sure! Here's how you can do that in parallel with joblib.\n"]
    if pip:
        parts.append(
            f"First make sure the packages are installed:\n\n```bash\npip install {pip}\n```\n"
        )
    parts.append(f"Then run:\n\n```python\n{textwrap.dedent(code).strip()}\n```\n")
    parts.append(
        "\n**How it works:** the work is split across all your CPU cores "
        "(`n_jobs=-1`), and the partial results are combined at the end.\n"
    )
    return "\n".join(parts)


@pytest.fixture
def llm(llm_server):
    return llm_server(default_reply="Done: the answer is above.")


@pytest.mark.slow
def test_plain_parallel_without_a_backend_runs_on_the_grid(llm: OpenAIStub) -> None:
    llm.reply(
        model_reply("""
        from joblib import Parallel, delayed

        def count_primes(lo, hi):
            return sum(all(n % d for d in range(2, int(n ** 0.5) + 1))
                       for n in range(max(lo, 2), hi))

        chunks = [(i, i + 2500) for i in range(0, 20000, 2500)]
        result = sum(Parallel(n_jobs=-1)(delayed(count_primes)(lo, hi) for lo, hi in chunks))
    """)
    )
    r = ask("count the primes below 20000 in parallel", namespace={})
    assert r.value == 2262
    assert r.schedule is not None and r.schedule.n_tasks == 8  # it ran on the grid


@pytest.mark.slow
def test_scikit_learn_n_jobs_runs_on_the_grid(llm: OpenAIStub) -> None:
    llm.reply(
        model_reply(
            """
        from sklearn.datasets import load_iris
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC

        X, y = load_iris(return_X_y=True)
        grid = {"C": [0.1, 1, 10], "gamma": ["scale", 0.1]}
        search = GridSearchCV(SVC(), grid, cv=5, n_jobs=-1).fit(X, y)
        result = search.best_params_
        print("Best parameters:", result)
    """,
            pip="scikit-learn",
        )
    )
    r = ask("tune an SVC on iris with a grid search", namespace={})
    assert set(r.value) == {"C", "gamma"}
    assert r.schedule is not None and r.schedule.n_tasks >= 30  # 6 candidates × 5 folds


def test_an_explicit_backend_in_the_code_still_wins(llm: OpenAIStub) -> None:
    llm.reply(
        model_reply("""
        from joblib import Parallel, delayed
        result = Parallel(n_jobs=2, backend="threading")(delayed(abs)(-i) for i in range(6))
    """)
    )
    r = ask("absolute values of 0 to -5", namespace={})
    assert r.value == list(range(6)) and r.schedule is None


def test_printed_answer_goes_back_to_the_model_for_repair(llm: OpenAIStub) -> None:
    printed = """
        import random
        random.seed(0)
        n = 20000
        inside = sum(random.random() ** 2 + random.random() ** 2 <= 1 for _ in range(n))
        pi_estimate = 4 * inside / n
        print("Estimated pi:", pi_estimate)
    """
    llm.reply(model_reply(printed, pip=None))
    llm.reply(
        model_reply(
            printed.replace('print("Estimated pi:", pi_estimate)', "result = pi_estimate"), pip=None
        )
    )
    r = ask("estimate pi by Monte Carlo", namespace={}, max_repairs=2)
    assert 3.0 < r.value < 3.3 and len(r.attempts) == 1 and r.taken_from is None
    repair = str(llm.chat_requests[1]["messages"])
    assert "never assigns the variable `result`" in repair and "pi_estimate" in repair


def test_printed_answer_is_taken_when_no_repair_is_left(llm: OpenAIStub) -> None:
    llm.reply(
        model_reply(
            """
        import math
        total = math.factorial(20)
        print("20! =", total)
    """,
            pip=None,
        )
    )
    r = ask("what is 20 factorial", namespace={}, max_repairs=0)
    assert r.value == 2432902008176640000 and r.taken_from == "total"
    assert any("`total`" in notice for notice in r.notices)


def test_a_main_guarded_process_pool_runs_through_ask(llm: OpenAIStub) -> None:
    llm.reply(
        model_reply(
            """
        import multiprocessing as mp

        def square(x):
            return x * x

        if __name__ == "__main__":
            with mp.get_context("fork").Pool(2) as pool:
                result = sum(pool.map(square, range(100)))
    """,
            pip=None,
        )
    )
    r = ask("sum of squares below 100 with a process pool", namespace=None)
    assert r.value == 328350
