"""The newcomers' held-out set: 100 requests written blind before the recipes they test.

``tests/data/heldout_newcomers.jsonl`` was committed before any of the recipes it exercises
(see ``git log`` of that file): half English, half Chinese, over exact mathematics, primes,
notebook names, simulations, machine learning, CSV/Excel files and plots, 20 of them out of
scope. Every answered request runs its real code through :func:`aigc_magic.ask`; the value
is checked against the expectation written with the request. A refusal of an in-scope
request costs coverage, never correctness; a wrong value or an accepted out-of-scope request
fails the test.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import aigc_magic
from aigc_magic.errors import PlanningError

DATA = Path(__file__).parent / "data"


def _cases(name: str) -> list[dict[str, Any]]:
    text = (DATA / name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


CASES = _cases("heldout_newcomers.jsonl")
#: A second set, written blind in round 5 by someone who never read the planner (its
#: expectations computed independently): measured on the code of that day it gave 55 right,
#: 4 wrong, 41 refused, 0 out of scope accepted; the four wrong ones are traps now
#: (tests/test_traps.py), so this set too has stopped being blind. Its refusals were then
#: read to widen the catalog (issue 18: 58 right before, 98 after).
#: A third, written blind in round 6 (tests/data/heldout_newcomers_3.jsonl, committed before
#: that round's planner work): on the code before that work 60 right, 5 wrong, 35 refused;
#: after it, measured once, 75 right, 2 wrong ("add up g(n)" dropped the notebook's g; "an
#: SVC" was fitted on standardised features), 23 refused, 0 out of scope accepted. The two
#: are traps now (tests/test_traps.py): 77 right, 23 refused. Its 23 refusals were then
#: read to widen the catalog by kind (misspellings, a standard deck, matrices, one call of a
#: notebook function, held-out test scores, Chinese column names, scatter plots, trailing
#: zeros; traps in tests/test_traps_newcomers.py): 100 right, so it is no longer blind either.
#: A fourth (tests/data/heldout_newcomers_4.jsonl), measured blind: 85 right, 1 wrong ("sort
#: prices from high to low" came back ascending), 14 refused, 0 out of scope accepted. The
#: wrong one is a trap now, and its refusals were read to widen the catalog by kind
#: (combinations with an order clause, infinite sums "come out to", a stated Fibonacci
#: convention, the next prime, items of a list by type, sample vs population deviation, the
#: middle of an odd sample, one end of a spectrum, repeated coin throws, random matrix
#: entries, |x| of random walks, samples counted as 抽样N次, rows "not counting the header", "this
#: csv"; traps in tests/test_traps_newcomers.py): 100 right after, no longer blind either.
#: A fifth (tests/data/heldout_newcomers_5.jsonl, committed before the round-8 planner work
#: was merged, by someone who never read the planner), measured once on the merged code: 80
#: right, 1 wrong ("请把50到100之间的素数从大到小列出来" came back ascending), 19 refused, 0 out of
#: scope accepted. The wrong one is a trap now (a prime listing honours the order asked):
#: 81 right. Its 19 refusals were then read to widen the catalog by kind (remainders of
#: powers, factorials in expressions, binomial samples, Chinese column glosses, "which X
#: has the largest total Y", a training score, one random matrix times its transpose, the
#: mean distance of random points, requests restated with "i.e."; traps in
#: tests/test_traps_files6.py, test_traps_math6.py, test_traps_round9.py): 100 right after.
#: A sixth (tests/data/heldout_newcomers_6.jsonl, committed before that widening was
#: merged, by someone who never read the planner), measured once on the merged code: 80
#: right, 2 wrong ("the average of the final position squared" of random walks came back
#: as the mean position; "integrate g from 0 to 2" integrated the variable g, not the
#: notebook's function), 18 refused, 0 out of scope accepted. The two wrong ones are traps
#: now (tests/test_traps_round9.py): 82 right. Its refusals were then read to widen the
#: catalog by kind (two notebook lists: a correlation, one plotted against the other; 所有根;
#: 讲顺序; 汇总; a trailing ～; traps in tests/test_traps_round10.py): 88 right, no longer blind.
#: A seventh (tests/data/heldout_newcomers_7.jsonl, committed before that widening was
#: committed, by someone who never read the planner), measured once on the widened code: 75
#: right, 2 wrong (x^2 * e^x integrated as a float where the exact value was asked; a grid
#: search answered with a setting given one value as if searched), 1 task that failed (a
#: stated random_state repeated beside the model's default one), 22 refused, 0 out of scope
#: accepted. The three are traps now (tests/test_traps_round10.py): 77 right, 23 refused
#: (a Monte Carlo integral with 十万 points is refused now, its number being unusable).
#: Its refusals were then read too (the birthday problem, tosses until the first head, a
#: walk's distance from 0, 那种, 组成一个小组, "normal dist"): 83 right, no longer blind;
#: set 6 went to 90 with the same work.
SETS = {
    "heldout_newcomers.jsonl": 85,
    "heldout_newcomers_2.jsonl": 98,
    "heldout_newcomers_3.jsonl": 100,
    "heldout_newcomers_4.jsonl": 100,
    "heldout_newcomers_5.jsonl": 100,
    "heldout_newcomers_6.jsonl": 90,
    "heldout_newcomers_7.jsonl": 83,
}


def _close(a: Any, b: Any, rel: float = 1e-9) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """numpy scalars and arrays, pandas Series and tuples as plain Python values."""
    if hasattr(value, "to_dict"):
        return {str(k): _plain(v) for k, v in value.to_dict().items()}
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def check(expect: dict[str, Any], value: Any) -> bool:
    """Whether ``value`` meets one expectation of the data file."""
    if "figure" in expect:
        from matplotlib.figure import Figure

        return isinstance(value, Figure) and any(
            ax.lines or ax.patches or ax.collections for ax in value.axes
        )
    if "sympy_equal" in expect:
        import sympy

        want = sympy.sympify(expect["sympy_equal"])
        got = value
        if isinstance(want, (list, tuple)):
            return (
                isinstance(got, (list, tuple))
                and len(got) == len(want)
                and all(
                    sympy.simplify(sympy.sympify(g) - w) == 0
                    for g, w in zip(sorted(got, key=str), sorted(want, key=str), strict=True)
                )
            )
        return sympy.simplify(sympy.sympify(got) - want) == 0
    value = _plain(value)
    if "equal" in expect:
        want = expect["equal"]
        if isinstance(want, bool):
            return isinstance(value, bool) and value == want
        if (
            isinstance(want, int)
            and not isinstance(value, bool)
            and isinstance(value, (int, float))
        ):
            return value == want and (isinstance(value, int) or abs(want) < 2**53)
        return bool(value == want)
    if "one_of" in expect:
        return any(check({"equal": w}, value) for w in expect["one_of"])
    if "approx" in expect:
        return _close(value, expect["approx"], expect.get("rel", 1e-9))
    if "between" in expect:
        lo, hi = expect["between"]
        return isinstance(value, (int, float)) and not isinstance(value, bool) and lo <= value <= hi
    if "startswith" in expect:
        shown = str(value)
        return shown.startswith(expect["startswith"]) and len(shown) >= expect["min_len"]
    if "dict_approx" in expect:
        want = expect["dict_approx"]
        return (
            isinstance(value, dict)
            and set(value) == set(want)
            and all(_close(value[k], v) for k, v in want.items())
        )
    if "dict_between" in expect:
        want = expect["dict_between"]
        return isinstance(value, dict) and all(
            k in value and lo <= value[k] <= hi for k, (lo, hi) in want.items()
        )
    if "best_params_in" in expect:
        params = value.get("best_params", value) if isinstance(value, dict) else None
        return (
            isinstance(params, dict)
            and set(params) == set(expect["best_params_in"])
            and all(params[k] in allowed for k, allowed in expect["best_params_in"].items())
        )
    raise AssertionError(f"unknown expectation {expect}")


def _namespace(case: dict[str, Any]) -> dict[str, Any]:
    namespace: dict[str, Any] = dict(case.get("namespace", {}))
    for source in case.get("functions", {}).values():
        exec(compile(source, "<held-out>", "exec"), namespace)  # the case's own function
    namespace.pop("__builtins__", None)
    return namespace


def _write_files(case: dict[str, Any], folder: Path) -> None:
    for name, content in case.get("files", {}).items():
        (folder / name).write_text(content, "utf-8")
    for name, columns in case.get("excel", {}).items():
        pd = pytest.importorskip("pandas")
        pytest.importorskip("openpyxl")
        pd.DataFrame(columns).to_excel(folder / name, index=False)


def outcome(case: dict[str, Any], folder: Path) -> tuple[str, str]:
    """``("right" | "wrong" | "refused" | "accepted", detail)`` for one case."""
    _write_files(case, folder)
    try:
        result = aigc_magic.ask(
            case["prose"],
            namespace=_namespace(case),
            planner="offline",
            safety="strict",
            previous=None,
        )
    except PlanningError as exc:
        return ("right" if case["expect"] == "refuse" else "refused", str(exc).splitlines()[0])
    if case["expect"] == "refuse":
        return "accepted", str(result.plan.recipe)
    ok = check(case["expect"], result.value)
    return ("right" if ok else "wrong"), f"{result.plan.recipe}: {str(result.value)[:120]}"


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_set_is_what_the_issue_asks(name: str) -> None:
    cases = _cases(name)
    assert len(cases) == 100
    assert sum(c["lang"] == "en" for c in cases) == 50
    assert sum(c["expect"] == "refuse" for c in cases) == 20
    assert {c["area"] for c in cases} >= {
        "exact",
        "primes",
        "names",
        "sim",
        "ml",
        "files",
        "plot",
        "oos",
    }


def test_the_checker_can_fail() -> None:
    assert not check({"equal": 541}, 547)
    assert not check({"equal": True}, 1)
    assert not check({"between": [0.49, 0.51]}, 0.6)
    assert not check({"sympy_equal": "[2, 3]"}, [2])
    assert not check({"startswith": "3.14159", "min_len": 10}, "3.14159")
    assert not check({"best_params_in": {"max_depth": [2, 4]}}, {"max_depth": 3})
    assert check({"dict_approx": {"a": 1.0}}, {"a": 1.0})


def tally_set(name: str, folder: Path) -> dict[str, list[str]]:
    """Every case of the data file ``name`` by its :func:`outcome`, each run in a folder of
    its own under ``folder``: ``{"right": [...], "wrong": [...], ...}`` of case lines."""
    tally: dict[str, list[str]] = {"right": [], "wrong": [], "refused": [], "accepted": []}
    for number, case in enumerate(_cases(name)):
        here = folder / f"case{number}"
        here.mkdir()
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(here)
            kind, detail = outcome(case, here)
        tally[kind].append(f"{case['prose']!r} -> {detail}")
    return tally


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETS))
def test_newcomers_held_out(in_folder: Path, name: str) -> None:
    tally = tally_set(name, in_folder)
    counts = {k: len(v) for k, v in tally.items()}
    print(f"newcomers held-out ({name}): {counts}")
    for kind in ("wrong", "accepted", "refused"):
        for line in tally[kind]:
            print(f"  {kind}: {line}")
    assert tally["wrong"] == [], tally["wrong"]
    assert tally["accepted"] == [], tally["accepted"]
    assert counts["right"] >= SETS[name], counts
