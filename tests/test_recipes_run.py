"""Every recipe's code runs alone in a fresh namespace and matches a plain serial computation.

The code runs through real loky workers (the backend the plans name), so these tests also
check that the chunked helpers pickle and that chunk results come back in order.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aigc_magic.llm.offline import OfflinePlanner
from aigc_magic.llm.plan import TaskPlan


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner()


def run(plan: TaskPlan, namespace: dict[str, Any] | None = None) -> Any:
    ns: dict[str, Any] = dict(namespace or {})
    exec(compile(plan.code, "<aigc>", "exec"), ns)
    return ns["result"]


def serial_primes(lo: int, hi: int) -> list[int]:
    """Primes in [lo, hi) by trial division."""
    return [p for p in range(max(lo, 2), hi) if all(p % d for d in range(2, math.isqrt(p) + 1))]


def collatz_length(n: int) -> int:
    length = 1
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        length += 1
    return length


# --------------------------------------------------------------------------- primes


def test_primes_list(planner: OfflinePlanner) -> None:
    result = run(planner.plan("计算10000以内的所有质数"))
    assert result == serial_primes(2, 10001)
    assert len(result) == 1229 and result[-1] == 9973
    assert all(type(p) is int for p in result[:5])
    assert run(planner.plan("primes up to 97"))[-1] == 97
    assert run(planner.plan("primes below 97"))[-1] == 89
    assert run(planner.plan("primes between 100 and 200")) == serial_primes(100, 201)
    assert run(planner.plan("list the primes below 2")) == []


def test_primes_count_sum_largest(planner: OfflinePlanner) -> None:
    assert run(planner.plan("how many primes are there below 100000")) == 9592
    assert run(planner.plan("sum of all primes below 10000")) == sum(serial_primes(2, 10000))
    assert run(planner.plan("largest prime below 1e6")) == 999983
    assert run(planner.plan("largest prime up to 7919")) == 7919
    assert run(planner.plan("最大的质数，小于2")) is None


def test_twin_primes(planner: OfflinePlanner) -> None:
    primes = set(serial_primes(2, 1000))
    expected = [(p, p + 2) for p in sorted(primes) if p + 2 in primes]
    assert run(planner.plan("list the twin primes below 1000")) == expected
    assert run(planner.plan("how many twin primes are there below 1000")) == len(expected)


# --------------------------------------------------------------------------- series, integrals


def test_sums_and_means(planner: OfflinePlanner) -> None:
    assert run(planner.plan("sum of i**2 for i from 1 to 1000")) == 333833500
    assert run(planner.plan("1到100的平方和")) == 338350
    assert run(planner.plan("sum of odd numbers from 1 to 99")) == 2500
    assert run(planner.plan("sum of k**3 for k in range(0, 50)")) == sum(k**3 for k in range(50))
    value = run(planner.plan("sum of 1/k^2 for k = 1 to 100000"))
    assert value == pytest.approx(math.fsum(1 / k**2 for k in range(1, 100001)), rel=1e-12)
    mean = run(planner.plan("mean of sqrt(x) for x in 1..1e4"))
    assert mean == pytest.approx(math.fsum(math.sqrt(x) for x in range(1, 10001)) / 10000)
    assert run(planner.plan("average of i**2 for i from 1 to 10")) == pytest.approx(38.5)


def test_integrals(planner: OfflinePlanner) -> None:
    assert run(planner.plan("integrate sin(x) from 0 to pi")) == pytest.approx(2.0, abs=1e-10)
    assert run(planner.plan("求x**2在0到1上的积分")) == pytest.approx(1 / 3, abs=1e-12)
    gauss = run(planner.plan("integrate exp(-x^2) from -inf to inf"))
    assert gauss == pytest.approx(math.sqrt(math.pi), rel=1e-8)


# --------------------------------------------------------------------------- simulations


def test_monte_carlo_pi(planner: OfflinePlanner) -> None:
    value = run(planner.plan("estimate pi by monte carlo with 10^5 samples"))
    assert isinstance(value, float)
    assert abs(value - math.pi) < 0.05
    assert value == run(planner.plan("estimate pi by monte carlo with 10^5 samples"))  # seeded


def test_collatz(planner: OfflinePlanner) -> None:
    start, length = run(planner.plan("longest collatz chain below 10000"))
    expected = max(range(1, 10000), key=lambda n: (collatz_length(n), -n))
    assert (start, length) == (expected, collatz_length(expected)) == (6171, 262)


def test_mandelbrot(planner: OfflinePlanner) -> None:
    counts = run(planner.plan("mandelbrot set 60x40 with max_iter 30"))
    assert counts.shape == (40, 60)
    xs, ys = np.linspace(-2.0, 1.0, 60), np.linspace(-1.5, 1.5, 40)
    for row in (0, 13, 20, 39):
        for col in (0, 17, 40, 59):
            c, z, k = complex(xs[col], ys[row]), 0j, 0
            while k < 30:
                z = z * z + c
                if abs(z) > 2:
                    break
                k += 1
            assert counts[row, col] == k


# --------------------------------------------------------------------------- the user's code


def _f(x: float) -> float:
    return (x * 37) % 101


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("apply f to 1..100 and take the max", max(_f(x) for x in range(1, 101))),
        ("apply f to 1..100 and take the min", min(_f(x) for x in range(1, 101))),
        ("对1到100逐个调用f，求和", sum(_f(x) for x in range(1, 101))),
        ("对data里的每个元素调用f，求平均", sum(_f(x) for x in range(5, 40)) / 35),
        ("map f over data and return the list", [_f(x) for x in range(5, 40)]),
        ("which x in 1..100 maximizes f", max(range(1, 101), key=_f)),
    ],
)
def test_map_reduce(planner: OfflinePlanner, prose: str, expected: Any) -> None:
    namespace = {"f": _f, "data": list(range(5, 40))}
    assert run(planner.plan(prose, namespace), namespace) == pytest.approx(expected)


def test_map_over_an_array(planner: OfflinePlanner) -> None:
    namespace = {"f": _f, "xs": np.arange(20.0)}
    result = run(planner.plan("apply f to every element of xs and sum", namespace), namespace)
    assert result == pytest.approx(sum(_f(x) for x in range(20)))


def test_bootstrap(planner: OfflinePlanner) -> None:
    samples = np.random.default_rng(1).normal(5.0, 1.0, size=200)
    namespace = {"samples": samples}
    plan = planner.plan("bootstrap a 95% CI for the mean of samples, 2000 resamples", namespace)
    low, high = run(plan, namespace)
    assert low < samples.mean() < high
    assert high - low == pytest.approx(2 * 1.96 * samples.std() / math.sqrt(200), rel=0.25)
    assert run(plan, namespace) == (low, high)


def test_file_counts(planner: OfflinePlanner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one two three\nfour\n", "utf-8")
    (tmp_path / "b.txt").write_text("五 六\n七\n八\n", "utf-8")
    (tmp_path / "c.md").write_text("ignored\n", "utf-8")
    pattern = f"{tmp_path.as_posix()}/*.txt"
    words = run(planner.plan(f"count the words in {pattern}"))
    assert words == {str(tmp_path / "a.txt"): 4, str(tmp_path / "b.txt"): 4}
    lines = run(planner.plan(f"统计{pattern}的行数"))
    assert sorted(lines.values()) == [2, 3]
    assert (tmp_path / "a.txt").read_text("utf-8") == "one two three\nfour\n"


# --------------------------------------------------------------------------- scikit-learn


@pytest.mark.slow
def test_grid_search_matches_a_serial_search(planner: OfflinePlanner) -> None:
    from sklearn.datasets import load_iris
    from sklearn.model_selection import GridSearchCV
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    plan = planner.plan("grid search KNN on iris with n_neighbors in [1, 5, 15], 3-fold")
    best = run(plan)
    X, y = load_iris(return_X_y=True)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), KNeighborsClassifier()),
        {"kneighborsclassifier__n_neighbors": [1, 5, 15]},
        cv=3,
    ).fit(X, y)
    assert best == {"n_neighbors": search.best_params_["kneighborsclassifier__n_neighbors"]}


@pytest.mark.slow
def test_grid_search_on_the_users_data(planner: OfflinePlanner) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 4))
    y = (X[:, 0] > 0).astype(int)
    namespace = {"X": X, "y": y}
    best = run(
        planner.plan("tune a random forest on X and y with max_depth in [2, None]", namespace),
        namespace,
    )
    assert set(best) == {"max_depth"} and best["max_depth"] in (2, None)


@pytest.mark.slow
def test_cross_validation_matches_serial(planner: OfflinePlanner) -> None:
    from sklearn.datasets import load_wine
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    prose = (
        "3-fold cross-validation of logistic regression with C=0.5 on standardised wine features"
    )
    score = run(planner.plan(prose))
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000, C=0.5))
    assert isinstance(score, float)
    assert score == pytest.approx(cross_val_score(model, X, y, cv=3).mean())


@pytest.mark.slow
def test_kmeans_elbow(planner: OfflinePlanner) -> None:
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_iris
    from sklearn.preprocessing import StandardScaler

    result = run(planner.plan("k-means elbow on iris for k from 1 to 6"))
    X = StandardScaler().fit_transform(load_iris().data)
    expected = {
        k: KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_ for k in range(1, 7)
    }
    assert result["inertias"] == pytest.approx(expected)
    assert result["elbow"] in (2, 3)
