"""The offline planner: matching, rejection, follow-ups, namespace names and answers."""

from __future__ import annotations

import ast
import contextlib
import json
import math
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aigc_magic.errors import PlanningError
from aigc_magic.llm import offline
from aigc_magic.llm._numbers import mask_numbers
from aigc_magic.llm.offline import OfflinePlanner, recipes_catalog
from aigc_magic.llm.plan import TaskPlan
from aigc_magic.llm.recipes import Recipe, _codegen

DATA = Path(__file__).parent / "data"


def _f(x: float) -> float:
    return (x * 37) % 101


def _g(x: float) -> float:
    return x * x - 3 * x


def _namespace() -> dict[str, Any]:
    rng = np.random.default_rng(0)
    return {
        "f": _f,
        "g": _g,
        "data": [3, 1, 4, 1, 5, 9, 2, 6],
        "xs": np.arange(10.0),
        "samples": rng.normal(size=100),
        "heights": [1.70, 1.80, 1.65, 1.90],
        "X": rng.normal(size=(50, 3)),
        "y": np.arange(50) % 2,
        "M": [[2, 1], [1, 3]],
        "A": [[1, 2], [3, 4]],
        "B": np.array([[5, 6], [7, 8]]),
        "area": _area,
    }


def _area(r: float) -> float:
    return math.pi * r * r


def _load(name: str) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()
    ]


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, float) or isinstance(got, float):
        try:
            return math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    if isinstance(want, str) and isinstance(got, str):
        return got.replace(" ", "") == want.replace(" ", "")
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _same(got[k], v) for k, v in want.items())
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_same(a, b) for a, b in zip(got, want, strict=True))
        )
    return bool(got == want)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner()


def _norm(text: str) -> str:
    return " ".join(mask_numbers(text).lower().split())


# --------------------------------------------------------------------------- held-out sets


def test_held_out_sets_are_big_enough_and_cover_every_recipe() -> None:
    cases = _load("paraphrases.jsonl")
    zh = [c for c in cases if re.search(r"[\u4e00-\u9fff]", c["prose"])]
    assert len(cases) >= 150
    assert 0.4 <= len(zh) / len(cases) <= 0.6
    # the recipes of issue 18 (exact.*, ...) are measured by heldout_newcomers.jsonl instead
    covered = {c["recipe"] for c in cases}
    assert covered <= {r.id for r in recipes_catalog()}
    assert len(covered) == 17
    assert len(_load("out_of_scope.jsonl")) >= 60


def test_held_out_phrasings_are_not_catalog_phrasings(planner: OfflinePlanner) -> None:
    catalog = {_norm(p) for _, p in planner.phrasings()} | {
        _norm(p) for p in offline.NEGATIVE_EXAMPLES
    }
    overlap = [
        c["prose"]
        for c in _load("paraphrases.jsonl") + _load("out_of_scope.jsonl")
        if _norm(c["prose"]) in catalog
    ]
    assert overlap == []


def test_held_out_accuracy_and_false_accepts(planner: OfflinePlanner) -> None:
    cases = _load("paraphrases.jsonl")
    wrong = []
    for case in cases:
        namespace = _namespace() if case.get("namespace") else {}
        try:
            plan = planner.plan(case["prose"], namespace)
        except PlanningError as exc:
            wrong.append((case["prose"], "refused", str(exc).splitlines()[0]))
            continue
        if plan.recipe != case["recipe"] or not all(
            k in plan.params and _same(plan.params[k], v) for k, v in case["params"].items()
        ):
            wrong.append((case["prose"], plan.recipe, plan.params))
    accuracy = 1 - len(wrong) / len(cases)
    accepted = []
    negatives = _load("out_of_scope.jsonl")
    for case in negatives:
        try:
            plan = planner.plan(case["prose"], {})
        except PlanningError:
            continue
        accepted.append((case["prose"], plan.recipe))
    false_accept = len(accepted) / len(negatives)
    print(
        f"accuracy {accuracy:.3f} ({len(cases) - len(wrong)}/{len(cases)}), false-accept "
        f"{false_accept:.3f} ({len(accepted)}/{len(negatives)}), threshold "
        f"{planner.threshold:.3f}"
    )
    for item in wrong:
        print("  wrong:", item)
    assert accuracy >= 0.95, wrong
    assert accepted == []


# --------------------------------------------------------------------------- the model


def test_catalog_has_every_family_with_phrasings_in_both_languages() -> None:
    recipes = recipes_catalog()
    ids = [r.id for r in recipes]
    assert len(ids) == len(set(ids)) >= 17
    for family in (
        "primes",
        "series",
        "montecarlo",
        "collatz",
        "map",
        "ml",
        "integrate",
        "stats",
        "files",
        "mandelbrot",
        "kmeans",
    ):
        assert any(i.startswith(family + ".") for i in ids), family
    for recipe in recipes:
        assert len(recipe.examples_en) >= 5 and len(recipe.examples_zh) >= 5, recipe.id
        assert recipe.anchored(recipe.demo), recipe.id


def test_threshold_comes_from_leave_one_out_and_fit_is_fast() -> None:
    saved = offline._fitted
    offline._fitted = None
    try:
        start = time.perf_counter()
        fitted = offline._fit()
        elapsed = time.perf_counter() - start
    finally:
        offline._fitted = saved
    print(
        f"fit {elapsed * 1000:.0f} ms, threshold {fitted.threshold:.3f}, leave-one-out "
        f"accuracy {fitted.loo_accuracy:.3f}"
    )
    assert elapsed < 1.0
    assert 0.0 < fitted.threshold < 1.0
    assert offline._fit() is offline._fit()  # cached per process


def test_importing_the_planner_imports_no_heavy_library() -> None:
    code = (
        "import sys; from aigc_magic.llm.offline import OfflinePlanner; OfflinePlanner(); "
        "print(sorted(m for m in ('sklearn', 'numpy', 'joblib', 'scipy', 'sympy', 'pandas', "
        "'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_planning_the_canonical_prose_imports_no_heavy_library() -> None:
    code = (
        "import sys; from aigc_magic.llm.offline import OfflinePlanner; "
        "OfflinePlanner().plan('计算10000以内的所有质数'); "
        "print(sorted(m for m in ('sklearn', 'scipy', 'sympy', 'pandas', 'matplotlib') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- plans


def test_canonical_chinese_plan(planner: OfflinePlanner) -> None:
    plan = planner.plan("计算10000以内的所有质数")
    assert isinstance(plan, TaskPlan)
    assert (plan.source, plan.recipe, plan.language) == ("offline", "primes.list", "zh")
    assert plan.params["n"] == 10000 and plan.params["inclusive"] is True
    assert plan.summary == "列出10000以内的所有质数"
    assert 0 < plan.score <= 1
    assert any("包含" in note for note in plan.notes)


def test_canonical_english_plan(planner: OfflinePlanner) -> None:
    plan = planner.plan("list the primes below 10000")
    assert (plan.recipe, plan.language, plan.summary) == (
        "primes.list",
        "en",
        "List the primes below 10000",
    )
    assert plan.params["inclusive"] is False
    assert "the upper bound 10000 is excluded" in plan.notes
    assert planner.plan("primes up to 100").params["inclusive"] is True


def test_defaults_are_noted(planner: OfflinePlanner) -> None:
    plan = planner.plan("estimate pi by monte carlo")
    assert plan.params["n"] == 1_000_000
    assert any("1,000,000" in note for note in plan.notes)
    grid = planner.plan("grid search a random forest on wine")
    assert grid.params["grid"] == {"n_estimators": [100, 300], "max_depth": [None, 10, 20]}
    assert any("default grid" in note for note in grid.notes)


@pytest.mark.parametrize(
    "prose",
    [
        "",
        "   \n ",
        "write a poem about the moon",
        "what's the weather in Paris?",
        "tell me a joke",
        "hi!",
        "what is a prime number?",
        "list the primes",
        "the first primes",
    ],
)
def test_refusals_in_english_say_what_to_ask_and_how_to_configure(
    planner: OfflinePlanner, prose: str
) -> None:
    with pytest.raises(PlanningError) as info:
        planner.plan(prose)
    message = str(info.value)
    assert "The offline planner can plan" in message
    assert '%config AskMagics.base_url = "http://localhost:11434/v1"' in message
    assert "OPENAI_BASE_URL" in message and "OPENAI_API_KEY" in message


@pytest.mark.parametrize("prose", ["给我写首诗", "今天天气怎么样", "什么是质数", "讲个笑话"])
def test_refusals_in_chinese_are_in_chinese(planner: OfflinePlanner, prose: str) -> None:
    with pytest.raises(PlanningError) as info:
        planner.plan(prose)
    message = str(info.value)
    assert "离线规划器能处理" in message and "OPENAI_BASE_URL" in message
    assert "%config AskMagics.base_url" in message


@pytest.mark.parametrize(
    "prose",
    [
        "delete all files",
        "删除所有文件",
        "rm -rf /",
        "format my disk",
        "kill all processes",
        "count the words in *.txt and then remove the files",
        "把*.log文件的行数统计完后清空它们",
    ],
)
def test_destructive_requests_are_refused_even_when_they_mention_files(
    planner: OfflinePlanner, prose: str
) -> None:
    with pytest.raises(PlanningError, match=r"delete|删除"):
        planner.plan(prose)


def test_missing_function_is_named_with_close_matches(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match=r"'f' is not defined.*Did you mean ff\?"):
        planner.plan("apply f to 1..10 and take the max", {"ff": abs, "data": [1, 2]})
    with pytest.raises(PlanningError, match="'f' is not defined"):
        planner.plan("apply f to 1..10 and take the max", {})
    with pytest.raises(PlanningError, match=r"data.*date"):
        planner.plan("对data里的每个元素调用f，求和", {"f": abs, "date": [1, 2, 3]})


def test_names_count_only_with_a_fitting_type(planner: OfflinePlanner) -> None:
    namespace = {"f": 3, "g": abs}
    with pytest.raises(PlanningError, match="function"):
        planner.plan("apply f to 1..10 and take the max", namespace)
    plan = planner.plan("apply g to 1..10 and take the max", namespace)
    assert plan.params["func"] == "g"
    with pytest.raises(PlanningError, match="samples"):
        planner.plan("bootstrap a 95% CI for the mean of sample", {"samples": [1.0, 2.0, 3.0]})


def test_user_data_in_the_namespace(planner: OfflinePlanner) -> None:
    plan = planner.plan("对data里的每个元素调用f，求和", _namespace())
    assert plan.params == {"func": "f", "items": "data", "reduction": "sum"}
    assert "_aigc_map_reduce(f, data, sum)" in plan.code
    search = planner.plan("grid search an SVC on X and y", _namespace())
    assert (search.params["X"], search.params["y"]) == ("X", "y")
    with pytest.raises(PlanningError, match="'X' is not defined"):
        planner.plan("grid search an SVC on X and y", {})


@pytest.mark.parametrize(
    ("first", "follow", "recipe", "params"),
    [
        ("list the primes below 10000", "now do it for 1e7", "primes.list", {"n": 10_000_000}),
        (
            "list the primes below 10000",
            "what about below 50000?",
            "primes.list",
            {"n": 50000, "inclusive": False},
        ),
        ("计算10000以内的所有质数", "再算到一百万", "primes.list", {"n": 1_000_000}),
        (
            "计算10000以内的所有质数",
            "换成100万以内",
            "primes.list",
            {"n": 1_000_000, "inclusive": True},
        ),
        (
            "list the primes below 10000",
            "and how many are there below 1e6?",
            "primes.count",
            {"n": 1_000_000},
        ),
        (
            "sum of i**2 for i from 1 to 1000",
            "now up to 1e6",
            "series.sum",
            {"expr": "i ** 2", "stop": 1_000_000},
        ),
        (
            "grid search an SVC on digits with C in [0.1, 1, 10]",
            "now try it on the wine data",
            "ml.grid_search",
            {"dataset": "wine", "grid": {"C": [0.1, 1, 10]}},
        ),
        (
            "estimate pi with 1e6 samples",
            "再用1亿个样本算一次",
            "montecarlo.pi",
            {"n": 100_000_000},
        ),
    ],
)
def test_follow_ups_reuse_the_previous_recipe(
    planner: OfflinePlanner, first: str, follow: str, recipe: str, params: dict[str, Any]
) -> None:
    previous = planner.plan(first)
    plan = planner.plan(follow, previous=previous)
    assert plan.recipe == recipe
    assert all(_same(plan.params[k], v) for k, v in params.items()), plan.params


def test_a_follow_up_that_changes_nothing_is_refused(planner: OfflinePlanner) -> None:
    previous = planner.plan("list the primes below 10000")
    with pytest.raises(PlanningError):
        planner.plan("now tell me a joke", previous=previous)
    with pytest.raises(PlanningError, match="delete"):
        planner.plan("now delete them", previous=previous)
    fresh = planner.plan("integrate x**2 from 0 to 1", previous=previous)
    assert fresh.recipe == "integrate.quad"


# --------------------------------------------------------------------------- answers


def test_answers_for_the_canonical_primes_example(planner: OfflinePlanner) -> None:
    primes = [p for p in range(2, 10000) if all(p % d for d in range(2, int(p**0.5) + 1))]
    en = planner.plan("list the primes below 10000")
    assert (
        planner.answer(en, primes)
        == "There are 1229 primes below 10000; the largest is 9973 and the smallest 2."
    )
    zh = planner.plan("计算10000以内的所有质数")
    assert planner.answer(zh, primes) == "10000以内共有1229个质数，最大的是9973。"
    schedule = "The work ran as 8 chunks on 2 loky workers."
    assert planner.answer(en, primes, schedule=schedule).endswith(schedule)
    schedule_zh = "分成8块在2个进程上运行。"
    assert planner.answer(zh, primes, schedule=schedule_zh).endswith(schedule_zh)
    assert "1.50 s" in planner.answer(en, primes, timings={"run": 1.5})


def test_answer_survives_unexpected_values(in_tables: None, planner: OfflinePlanner) -> None:
    plan = planner.plan("how many primes are there below 1e6")
    for value in (None, "oops", object(), {"a": 1}, [1, 2], float("nan")):
        assert isinstance(planner.answer(plan, value), str)
    for _, example in planner.examples():
        assert isinstance(planner.answer(example, object()), str)


def test_answers_in_both_languages_for_every_recipe(planner: OfflinePlanner) -> None:
    squares = planner.plan("1到100的平方和")
    assert planner.answer(squares, 338350) == "i从1到100时，i ** 2的和为338350。"
    assert planner.answer(planner.plan("longest collatz chain below 10000"), (6171, 262)) == (
        "For starts below 10000, the longest Collatz chain starts at 6171 and has 262 terms."
    )


# --------------------------------------------------------------------------- emitted code

_BANNED_CALLS = {"eval", "exec", "compile", "__import__", "getattr", "setattr", "input"}
_BANNED_MODULES = {"os", "subprocess", "socket", "urllib", "http", "ctypes", "shutil", "requests"}


@pytest.fixture
def in_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tests/data/tables, where the table recipes' example files (sales.csv) are."""
    monkeypatch.chdir(DATA / "tables")


def planner_recipe(planner: OfflinePlanner, recipe_id: str) -> Recipe:
    return next(r for r in planner.recipes if r.id == recipe_id)


def test_examples_cover_every_recipe_with_safe_readable_code(
    in_tables: None, planner: OfflinePlanner
) -> None:
    seen = []
    for recipe_id, plan in planner.examples():
        seen.append(recipe_id)
        tree = ast.parse(plan.code)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                assert not {n.split(".")[0] for n in names} & _BANNED_MODULES, recipe_id
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in _BANNED_CALLS, recipe_id
                if node.func.id == "open":
                    assert isinstance(node.args[1], ast.Constant) and node.args[1].value == "r"
            if isinstance(node, ast.FunctionDef) and node in tree.body:
                assert node.name.startswith("_aigc_"), (recipe_id, node.name)
        targets = [
            t.id
            for n in tree.body
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name)
        ]
        assert targets == ["result"], (recipe_id, targets)
        if not planner_recipe(planner, recipe_id).grid:
            continue  # one exact library call (a factorial, a gcd): nothing to split
        assert (
            "Parallel(n_jobs=-1, backend='aigc')" in plan.code
            or "parallel_config(backend='aigc')" in plan.code
        ), recipe_id
        assert 'import aigc_magic  # registers the "aigc" joblib backend' in plan.code
    assert seen == [r.id for r in recipes_catalog()]


def test_one_constant_names_the_joblib_backend(
    in_tables: None, planner: OfflinePlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_codegen, "JOBLIB_BACKEND", "aigc")
    for recipe_id, plan in planner.examples():
        assert "'loky'" not in plan.code
        assert "backend='aigc'" in plan.code or not planner_recipe(planner, recipe_id).grid


def test_every_catalog_phrasing_plans_to_its_own_recipe(
    in_tables: None, planner: OfflinePlanner
) -> None:
    namespace = {
        **_namespace(),
        "score": _f,
        "measurements": [1.0, 2.0, 3.0],
        "x": [1.0, 2.0],
        "ys": np.arange(10.0) ** 2,  # beside xs: two lists taken together (pairs.py)
        "values": [3, 1, 4, 1, 5],
        # lists of anything, for counting items by kind (describe.kinds)
        "words": ["apple", "fig"],
        "mixed": ["a", 1, 2.5],
        "names": ["Ann", "Bo"],
        "flags": [True, False],
    }
    wrong = []
    for recipe_id, phrasing in planner.phrasings():
        try:
            got = planner.plan(phrasing, namespace).recipe
        except PlanningError as exc:
            got = str(exc).splitlines()[0]
        if got != recipe_id:
            wrong.append((recipe_id, phrasing, got))
    assert wrong == [], "\n".join(map(str, wrong))


def test_truncated_prose_plans_or_refuses_but_never_crashes(planner: OfflinePlanner) -> None:
    for case in _load("paraphrases.jsonl"):
        prose = case["prose"]
        for cut in (len(prose) // 3, len(prose) // 2, 2 * len(prose) // 3):
            with contextlib.suppress(PlanningError):
                planner.plan(prose[:cut], _namespace())


def test_repeating_a_standalone_request_is_planned_again(planner: OfflinePlanner) -> None:
    previous = planner.plan("list the primes below 10000")
    again = planner.plan("list the primes below 10000", previous=previous)
    assert again.params == previous.params
