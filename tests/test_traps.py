"""Traps for the offline planner: each must be answered exactly or refused, never guessed.

Ordinals versus bounds, "the first N" versus "below N", every number of the prose honoured,
every word accounted for, and the notebook's own names read as their values. Answers run
their real code through :func:`aigc_magic.ask`; SymPy (or plain Python) gives the truth.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sympy

import aigc_magic
from aigc_magic.errors import PlanningError
from aigc_magic.llm.offline import OfflinePlanner
from aigc_magic.llm.offline_help import AREAS


def ask(prose: str, namespace: dict[str, Any] | None = None) -> Any:
    return aigc_magic.ask(
        prose,
        namespace=namespace if namespace is not None else {},
        planner="offline",
        safety="strict",
    )


def refused(prose: str, namespace: dict[str, Any] | None = None) -> str:
    with pytest.raises(PlanningError) as info:
        aigc_magic.ask(
            prose,
            namespace=namespace if namespace is not None else {},
            planner="offline",
            run=False,
        )
    return str(info.value)


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("the 10001st prime number", int(sympy.prime(10001))),
        ("第100个质数", int(sympy.prime(100))),
        ("the first 30 primes", list(sympy.primerange(2, sympy.prime(30) + 1))),
        ("前30个质数", list(sympy.primerange(2, sympy.prime(30) + 1))),
        ("primes below 30", list(sympy.primerange(2, 30))),
        ("how many primes are there below 100", int(sympy.primepi(99))),
        ("is 2147483647 a prime?", True),
        ("is 1000001 prime", False),
    ],
)
def test_ordinals_counts_and_bounds(prose: str, expected: Any) -> None:
    assert ask(prose).value == expected


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("factorial of 52", int(sympy.factorial(52))),
        ("what is 2 to the power of 100", 2**100),
        ("2的64次方是多少", 2**64),
        ("gcd of 1071 and 462", int(sympy.igcd(1071, 462))),
        ("求4、6和10的最小公倍数", int(sympy.ilcm(4, 6, 10))),
        ("sum of the digits of 2**1000", sum(int(d) for d in str(2**1000))),
        ("斐波那契数列的第50项", int(sympy.fibonacci(50))),
        ("compute the first 30 Fibonacci numbers", [int(sympy.fibonacci(k)) for k in range(1, 31)]),
    ],
)
def test_exact_mathematics(prose: str, expected: Any) -> None:
    assert ask(prose).value == expected


def test_digits_of_pi_come_from_sympy() -> None:
    assert ask("compute pi to 50 digits").value == str(sympy.N(sympy.pi, 50))
    assert ask("圆周率的前50位小数").value == str(sympy.N(sympy.pi, 51))


def test_closed_form_sums_are_exact_and_fast() -> None:
    result = ask("sum of i**2 for i from 1 to 10**9")
    i = sympy.symbols("i", integer=True)
    assert result.value == int(sympy.summation(i**2, (i, 1, 10**9)))
    assert "summation" in result.plan.code and result.timings["run"] < 5.0
    assert ask("sum of i % 7 for i from 1 to 1000").value == sum(k % 7 for k in range(1, 1001))
    assert ask("sum of 2**k for k from 0 to 100").value == 2**101 - 1


@pytest.mark.parametrize(
    "prose",
    [
        "17 factorial divided by 15 factorial",  # two numbers, one factorial recipe
        "median of the first 100 primes",  # 'first N primes' plus a sum
        "what is the largest prime number",  # no bound: there is none
        "最大的质数是多少",
        "gcd of 12",  # one number is not enough
        "the 0th prime",
    ],
)
def test_refused_rather_than_guessed(prose: str) -> None:
    refused(prose)


def test_the_last_digits_of_a_power_are_its_remainder() -> None:
    # once refused; now the remainder by 10**10 (round 9), never 2**1000 itself
    assert ask("the last 10 digits of 2**1000").value == pow(2, 1000, 10**10)


def test_every_number_is_honoured() -> None:
    # 'the 10001st prime below 2 million' must not become 'the primes below 2 million'
    refused("the 10001st prime below 2 million")
    refused("factorial of 10 and 20")


def test_the_statistic_asked_for_is_the_one_computed() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    ns = {"values": values}
    assert ask("median of values", ns).value == float(sympy.Rational(7, 2))
    assert ask("what is the mean of values", ns).value == float(sympy.Rational(31, 8))
    assert ask("求values的最大值", ns).value == 9
    assert ask("values的中位数是多少", ns).value == 3.5


def test_notebook_names_in_plain_prose() -> None:
    ns: dict[str, Any] = {
        "limit": 5000,
        "values": [3, 1, 4],
        "data": [1, 2, 3],
        "f": lambda x: x * x,
    }
    result = ask("how many primes are there below limit?", ns)
    assert result.value == int(sympy.primepi(4999))
    assert result.plan.names == ("limit",)
    assert "limit" in result.explanation
    zh = ask("limit以内有多少个质数", ns)
    assert zh.value == int(sympy.primepi(5000)) and "limit" in zh.explanation
    mapped = ask("apply f to data and add up the results", ns)
    assert mapped.value == 14 and set(mapped.plan.names) == {"f", "data"}
    assert ask("the mean of values", ns).plan.names == ("values",)


def test_a_notebook_function_in_a_sum_is_the_terms() -> None:
    # (blind set 3, round 6: the closed-form sum dropped g and answered 1 + ... + 10 = 55)
    ns: dict[str, Any] = {"g": lambda n: n * (n + 1) // 2}
    for prose in (
        "I defined g, can you add up g(n) for n = 1 to 10",
        "sum of g(n) for n from 1 to 10",
    ):
        try:
            result = ask(prose, ns)
        except PlanningError:
            continue  # refused: never the sum of n
        assert result.value == 220, prose
    assert ask("sum of n**2 for n = 1 to 10", ns).value == 385


def test_a_name_inside_a_formula_stays_a_variable() -> None:
    ns = {"x": 3, "i": 7}
    assert ask("sum of i**2 for i from 1 to 10", ns).value == 385
    assert ask("is 97 prime", ns).plan.names == ()


def test_refusals_list_what_can_be_asked_by_area_in_the_prose_language() -> None:
    en = refused("tell me a joke")
    for area in AREAS:
        assert area.title_en in en and area.examples_en[0] in en
    zh = refused("讲个笑话")
    for area in AREAS:
        assert area.title_zh in zh and area.examples_zh[0] in zh


def test_the_readme_lists_every_area_of_the_help() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    section = readme.split("### What the offline planner understands", 1)[1].split("\n## ", 1)[0]
    for area in AREAS:
        assert f"**{area.title_en}**" in section, area.title_en


def test_every_help_example_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the tables the file examples name
    (tmp_path / "sales.csv").write_text("region,units,price\nnorth,3,2.5\nsouth,5,4.0\n")
    planner = OfflinePlanner()
    ns = {
        "n": 20,
        "limit": 5000,
        "values": [1.0, 2.0, 3.0],
        "samples": [1.0, 2.0, 3.0, 4.0],
        "data": [1, 2, 3],
        "f": abs,
        "xs": [1.0, 2.0, 3.0],
        "ys": [2.0, 1.0, 4.0],
    }
    for area in AREAS:
        for prose in area.examples_en + area.examples_zh:
            assert planner.plan(prose, ns).recipe, prose


def test_the_metric_asked_for_is_honoured_or_refused() -> None:
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_iris
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    X = StandardScaler().fit_transform(load_iris().data)
    truth = {
        k: silhouette_score(X, KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X))
        for k in range(2, 7)
    }
    best = max(truth, key=truth.__getitem__)
    # the silhouette asked for is the one computed, never the elbow's inertias
    result = ask("k-means on iris for k from 2 to 6 and pick the best by silhouette")
    assert result.value["silhouette"] == pytest.approx(truth)
    assert result.value["best_k"] == best and "inertia" not in str(result.value)
    assert "silhouette" in result.explanation
    assert ask("在iris数据集上做k均值聚类，k从2到6，用轮廓系数选最好的k").value == best
    digits = OfflinePlanner().plan(
        "k-means on digits for k from 2 to 10 and pick the best by silhouette"
    )
    assert digits.params["score"] == "silhouette" and digits.params["ks"] == list(range(2, 11))
    assert "silhouette_score" in digits.code and "inertia" not in digits.code
    refused("k-means on iris for k from 2 to 6, best k by the gap statistic")
    refused("silhouette of k-means on iris for k from 1 to 6")  # one cluster has no silhouette
    refused("k-means on iris for k from 2 to 6 by silhouette and davies-bouldin")
    assert ask("k-means elbow on iris").plan.recipe == "kmeans.elbow"


def test_rows_of_a_table_are_not_lines_of_text() -> None:
    refused("sales.csv有多少行")


def test_a_polynomial_integral_is_exact() -> None:
    x = sympy.symbols("x")
    assert ask("integrate x^2 from 0 to 3").value == sympy.integrate(x**2, (x, 0, 3))
    assert ask("计算x^2从0到1的积分").value == sympy.Rational(1, 3)


def test_simulations_run_their_real_code() -> None:
    heads = ask("simulate 100000 coin flips and count the heads")
    assert 49_000 <= heads.value <= 51_000  # 6 standard deviations either side
    assert "backend='aigc'" in heads.plan.code
    assert 6.97 <= ask("roll two dice 100000 times, what is the average total").value <= 7.03
    sixes = ask("掷骰子60000次，统计6点出现的次数").value
    assert 9_400 <= sixes <= 10_600
    assert 0.49 <= ask("sort one million random numbers and give me the median").value <= 0.51
    trace = ask("multiply two random 300x300 matrices and give the trace").value
    assert 300 * 300 / 4 * 0.95 <= trace <= 300 * 300 / 4 * 1.05


def test_matrices_written_out_are_exact() -> None:
    assert ask("determinant of [[4, 3], [6, 3]]").value == sympy.Matrix([[4, 3], [6, 3]]).det()
    assert sorted(ask("eigenvalues of [[2, 1], [1, 2]]").value) == [1, 3]
    refused("determinant of [[1, 2], [3]]")


def test_more_estimators_by_their_common_names() -> None:
    from sklearn.datasets import load_iris, load_wine
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.naive_bayes import GaussianNB
    from sklearn.tree import DecisionTreeClassifier

    X, y = load_iris(return_X_y=True)
    nb = ask("train a naive bayes on iris and report the accuracy with 10-fold cross validation")
    assert nb.value == pytest.approx(cross_val_score(GaussianNB(), X, y, cv=10).mean())
    tree = ask("tune max_depth of a decision tree on wine with 5-fold cv, max_depth in [2, 4, 6]")
    Xw, yw = load_wine(return_X_y=True)
    search = GridSearchCV(
        DecisionTreeClassifier(random_state=0), {"max_depth": [2, 4, 6]}, cv=5
    ).fit(Xw, yw)
    assert tree.value == search.best_params_


@pytest.mark.parametrize(
    "prose",
    [
        "plot sin(x) and cos(x) from 0 to 10",  # two functions, one drawn would be wrong
        "plot sin(x) from 0 to 10 with 500 points",  # a number the recipe does not use
        "plot sin(x)",  # no range
        "画一张正弦函数的图",  # no function written out, no range
        "plot a histogram of my data",  # no such variable
        "plot a histogram of 10000 samples",  # no distribution named
        "histogram of 10000 normal and uniform samples",  # two distributions
        "histogram of 10000 standard normal samples with mean 3",  # 'standard' contradicts
        "plot sin(x) from 10 to 0",  # an empty range
    ],
)
def test_plots_use_every_number_and_word_or_refuse(prose: str) -> None:
    refused(prose)


def test_a_histogram_reads_the_rate_not_the_sample_count() -> None:
    plan = OfflinePlanner().plan("draw a histogram of 5000 exponential samples with rate 2")
    assert plan.params["n"] == 5000 and plan.params["scale"] == 0.5
    zh = OfflinePlanner().plan("5000个速率为2的指数分布样本的直方图")
    assert zh.params["n"] == 5000 and zh.params["scale"] == 0.5


def test_symbolic_answers_are_exact() -> None:
    x = sympy.symbols("x")
    assert sorted(ask("solve x^2 - 7x + 12 = 0").value) == [3, 4]
    assert sorted(ask("解方程 x^2 - 5x + 6 = 0").value) == [2, 3]
    assert sorted(ask("solve x^2 + 1 = 0").value, key=str) == [-sympy.I, sympy.I]
    derivative = ask("derivative of x^3*sin(x)").value
    assert sympy.simplify(derivative - sympy.diff(x**3 * sympy.sin(x), x)) == 0
    zh = ask("求x^2*exp(x)的导数").value
    assert sympy.simplify(zh - sympy.diff(x**2 * sympy.exp(x), x)) == 0
    assert sympy.expand(ask("second derivative of x^4 - 3x^2").value) == 12 * x**2 - 6
    antiderivative = ask("indefinite integral of x*sin(x)").value
    assert sympy.simplify(sympy.diff(antiderivative, x) - x * sympy.sin(x)) == 0
    assert ask("sum of 1/k^2 for k from 1 to infinity").value == sympy.pi**2 / 6
    assert ask("sum of 1/k for k from 1 to infinity").value == sympy.oo
    assert "diverges" in ask("sum of 1/k for k from 1 to infinity").explanation
    assert ask("sum of 1/2**k for k from 0 to infinity").value == 2


@pytest.mark.parametrize(
    "prose",
    [
        "solve x^2 = 4 and x + y = 3",  # a system: two equations, two unknowns
        "solve x^2 - 5x + 6 = 0 for x > 2",  # a condition the recipe does not apply
        "solve x + y = 3",  # two unknowns
        "derivative of x^3 at x = 2",  # evaluated at a point: not what the recipe does
        "derivative of sin(x) and cos(x)",  # two expressions
        "sum of 1/k^2 for k from 1.5 to infinity",  # not a whole-number start
        "integral of x*sin(x) and x*cos(x)",
    ],
)
def test_symbolic_requests_outside_the_recipes_are_refused(prose: str) -> None:
    refused(prose)


def test_sample_moments_come_with_the_exact_ones() -> None:
    import numpy as np

    result = ask("mean and variance of 10000 exponential samples with rate 2")
    rng = np.random.default_rng(np.random.SeedSequence(0).spawn(1)[0])  # the plan's one chunk
    draws = rng.exponential(0.5, 10000)
    assert result.value == pytest.approx({"mean": draws.mean(), "variance": draws.var(ddof=1)})
    assert "exact 0.5" in result.explanation and "exact 0.25" in result.explanation
    chunked = ask("mean of 3000000 normal samples with mean 5 and std 3").value
    assert 4.99 < chunked < 5.01  # three chunks merged: still the mean of N(5, 9)
    zh = ask("生成10000个标准正态分布的样本，求均值和标准差")
    assert set(zh.value) == {"mean", "std"} and "精确值1" in zh.explanation


@pytest.mark.parametrize(
    "prose",
    [
        "mode of 10000 normal samples",  # a statistic the recipe does not compute
        "skewness of 10000 normal samples",
        "the 150th percentile of 10000 normal samples",  # no such quantile
        "mean of 10000 normal samples with mean 3 and variance 4",  # variance is no parameter
        "mean of 10000 samples with rate 2",  # no distribution named
        "mean of 10000 exponential samples with rate 2 and scale 3",  # rate and scale clash
        "mean of 10000 poisson samples",  # no lambda
        "variance of 10000 uniform samples between 5 and 1",  # an empty interval
        "mean of 10000 normal samples and 20000 uniform samples",
    ],
)
def test_moments_honour_every_number_and_word_or_refuse(prose: str) -> None:
    refused(prose)


def test_an_unnamed_table_is_the_one_file_with_that_column(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sales.csv").write_text("region,units,price\nnorth,10,2.5\nsouth,7,4.0\n")
    (tmp_path / "notes.csv").write_text("day,comment\nmon,ok\n")
    result = ask("the mean of the price column")
    assert result.value == 3.25 and result.plan.params["path"] == "sales.csv"
    assert any("sales.csv" in note for note in result.plan.notes)
    assert ask("price列的最大值").value == 4.0
    refused("the mean of the cost column")  # no table here has it
    assert ask("the mean of price", {"price": [1.0, 2.0]}).value == 1.5  # the notebook's own
    (tmp_path / "sales_2025.csv").write_text("region,price\neast,9.0\n")
    message = refused("the mean of the price column")
    assert "sales.csv" in message and "sales_2025.csv" in message


@pytest.mark.parametrize(
    "prose",
    [
        "cross-validate a random forest on the first 100 rows of wine",  # a subset: not done
        "cross-validate a random forest on wine and show the confusion matrix",
        "feature importances of a random forest on wine with 5-fold cv",
        "cross-validate a random forest on wine with 1000 samples",
        "5-fold cross-validation of an SVC on iris, then predict the first flower",
    ],
)
def test_machine_learning_asked_for_more_than_a_score_is_refused(prose: str) -> None:
    refused(prose)


def test_every_number_of_a_model_request_is_read() -> None:
    planner = OfflinePlanner()
    assert planner.plan("cross-validate a random forest with 100 trees on wine").params[
        "settings"
    ] == {"n_estimators": 100}
    assert planner.plan("grid search a random forest on wine with 100 or 300 trees").params[
        "grid"
    ] == {"n_estimators": [100, 300]}
    import numpy as np

    data = {"X": np.zeros((4, 2)), "y": np.array([0, 1, 0, 1])}
    gamma = planner.plan("用X和y对支持向量机调参，gamma取0.001和0.01", data)
    assert gamma.params["grid"] == {"gamma": [0.001, 0.01]}  # both values, not the first


@pytest.mark.parametrize(
    "prose",
    [
        "solve sin(x) = 0",  # infinitely many roots; solve() lists two
        "histogram of the primes below 100",  # a plot word the primes recipe would drop
        "silhouette and inertia of k-means on iris with k = 3",  # one score at a time
        "k-means elbow on iris with 3 clusters",
        "indefinite integral of x^2 from 0 to 1",  # contradictory
    ],
)
def test_a_word_or_number_a_recipe_would_drop_is_refused(prose: str) -> None:
    refused(prose)


def test_model_settings_in_words_are_honoured() -> None:
    planner = OfflinePlanner()
    raw = planner.plan("cross-validate an svm on wine without scaling")
    assert raw.params["scale"] is False and "StandardScaler" not in raw.code
    scaled = planner.plan("cross-validate a random forest on wine, standardize the features first")
    assert "StandardScaler" in scaled.code
    weighted = planner.plan("cross-validate a random forest on wine with class_weight=balanced")
    assert weighted.params["settings"] == {"class_weight": "balanced"}
    refused("cross-validate a random forest on wine with class_weight = on")  # unreadable
    refused("5-fold cross validation with shuffling of an svm on wine")  # not what cv=5 does


@pytest.mark.parametrize(
    "prose",
    [
        "cross-validate a random forest on wine using only the petal features",
        "只用前两个特征对wine做随机森林交叉验证",
        "cross-validate an svm on wine with MinMaxScaler",  # not the scaler the plan uses
    ],
)
def test_a_model_on_part_of_the_data_or_another_scaler_is_refused(prose: str) -> None:
    refused(prose)


def test_definite_integrals_of_elementary_functions_are_exact() -> None:
    x = sympy.symbols("x")
    assert ask("integrate sin(x) from 0 to pi").value == 2
    assert ask("integral of sin(x)^2 from 0 to 2pi").value == sympy.pi
    assert ask("integrate x*exp(-x) from 0 to inf").value == 1
    assert ask("integrate cos(x) between 0 and pi/2").value == 1
    exp2 = ask("integrate exp(2x) from 0 to 1")
    assert (
        exp2.value == sympy.integrate(sympy.exp(2 * x), (x, 0, 1)) and "exactly" in exp2.explanation
    )
    numeric = ask("integrate sin(x) from 0 to 1.5")  # a decimal bound: numeric, and says so
    assert (
        numeric.value == pytest.approx(1 - float(sympy.cos(1.5))) and "about" in numeric.explanation
    )


def test_integrands_sympy_could_hang_on_stay_numeric() -> None:
    slow = OfflinePlanner().plan("integrate x^20*sin(x)^20 from 0 to pi")  # minutes in SymPy
    assert not slow.params.get("exact") and "quad" in slow.code
    product = OfflinePlanner().plan("integrate x^3*sin(x)*cos(2x) from 0 to pi")
    assert not product.params.get("exact")


def test_no_closed_form_is_an_error_not_an_unevaluated_answer() -> None:
    with pytest.raises(aigc_magic.TaskError, match="no closed-form antiderivative"):
        ask("integrate exp(sin(x))")
    with pytest.raises(aigc_magic.TaskError, match="no closed form"):
        ask("sum of sin(k)/k^2 for k from 1 to infinity")
    refused("integrate exp(x)*sin(x)^4*cos(x)^3")  # seconds to minutes in SymPy


def test_traps_found_by_the_second_blind_set() -> None:
    """Three wrong answers and a crash of tests/data/heldout_newcomers_2.jsonl, run on the
    code as it was when that set was written (fixed after it, each now a trap)."""
    # a middle dot is a product: x·e^x, not e^x
    assert ask("计算 x·e^x 在 0 到 1 上的定积分").value == 1
    # a condition on the primes that no recipe applies is refused, not dropped
    assert "条件" in refused("10000以内个位数是7的质数有几个？")
    assert "condition" in refused("how many primes below 10000 end in 7")
    # "(default k)" is a remark, not a value of n_neighbors
    value = ask(
        "I'd like to try k-nearest neighbours (default k) on the wine dataset using the raw "
        "features with no scaling. What accuracy does 5-fold cross-validation give?"
    ).value
    assert 0.68 < value < 0.70
    # the model named is the model fitted, on the features as given; standardised only
    # when asked (round 6: blind set 3 computed a plain SVC for "an SVC on digits", as set 2
    # had; the planner's scaled SVC chose gamma 0.01 where the plain one chooses 0.001)
    ridge = aigc_magic.ask("5-fold cross-validation of ridge on diabetes", planner="offline")
    assert "standardised" not in ridge.explanation
    svc = aigc_magic.ask("5-fold cross-validation of an SVM on iris", planner="offline")
    assert "standardised" not in svc.explanation and "StandardScaler" not in svc.plan.code
    scaled = aigc_magic.ask(
        "5-fold cross-validation of an SVM on iris with standardised features", planner="offline"
    )
    assert "(features standardised)" in scaled.explanation
    assert "StandardScaler" in scaled.plan.code


def test_traps_found_while_widening_the_catalog() -> None:
    """Wrong answers the code gave before issue 18's widening, each now answered or refused."""
    # "the first 100 odd numbers" are 100 numbers, not the odd numbers below 100
    assert ask("sum of the first 100 odd numbers").value == 100**2
    assert ask("sum of the first 10 even numbers").value == 110
    assert ask("sum of odd numbers below 100").value == 2500
    # "the lcm of 1 to 20" is the lcm of every number from 1 to 20, not of 1 and 20
    assert ask("least common multiple of 1 to 20").value == 232792560
    assert ask("1到10的最小公倍数").value == 2520
    assert ask("lcm of 4 and 6").value == 12
    # a factorization is not the list of primes below the number
    assert ask("prime factorization of 360").value == {2: 3, 3: 2, 5: 1}
    assert ask("largest prime factor of 13195").value == 29
    assert ask("divisors of 28").value == [1, 2, 4, 7, 14, 28]
    assert "factorization" in refused("prime factors of 360")  # with repeats or without?
    assert "条件" in refused("100以内能整除1000的质数")
    assert "condition" in refused("primes below 100 that divide 1000")
    # a statistic of the first N primes is computed or refused, never the list or a bound
    assert ask("sum of the first 100 primes").value == sum(
        sympy.primerange(2, sympy.prime(100) + 1)
    )
    assert ask("前10个质数的和").value == 129
    assert ask("前10个斐波那契数的和").value == 143
    refused("mean of the primes below 100")
    refused("10000以内的质数的平均值")
    refused("square of the sum of 1 to 10")  # not the sum of the squares
    refused("1到100中能被3整除的数的和")  # not 5050
    # the digits of "100 的阶乘" are those of 100!, never of 100
    assert ask("计算 100 的阶乘的位数").value == 158
    assert ask("100 的阶乘的各位数字之和").value == 648
    assert ask("how many digits does 2**1000 have").value == 302
    # "is 2^31 - 1 prime" tests 2147483647, not the primes below 2^31
    assert ask("is 2^31 - 1 prime").value is True
    assert ask("2^89-1是质数吗").value is True
    # the trace of one random matrix is not the trace of a product of two
    one = ask("trace of a random 100x100 matrix").value
    assert 40 < one < 60
    product = ask("multiply two random 100x100 matrices and give the trace").value
    assert 2000 < product < 3000
    # 第95百分位 is the 95th percentile, never 9500
    assert 1.6 < ask("10000个标准正态样本的第95百分位数").value < 1.7
    # one k is one fit, scored as asked, on the features as given unless told to scale them
    raw = ask("run k-means with 3 clusters on the iris data and give me the silhouette score")
    assert 0.55 < raw.value < 0.56
    scaled = ask("k-means with 3 clusters on iris, standardize the features, silhouette")
    assert 0.45 < scaled.value < 0.47
    assert 0.72 < ask("对鸢尾花数据做k-means聚成3类，和真实类别比，调整兰德指数是多少").value < 0.74
    # "高斯朴素贝叶斯" and "调整兰德指数" name a model and a score, not a distribution
    assert 0.9 < ask("用高斯朴素贝叶斯在乳腺癌数据集上做10折交叉验证").value < 0.96
    # the 2 of R^2 names the score
    assert 0.45 < ask("linear regression on diabetes, mean R^2 over 5-fold cv").value < 0.51
    # exact answers are plain Python numbers, so 2 == 2.0 holds for a reader's check
    assert ask("eigenvalues of [[2, 0], [0, 3]]").value == [2.0, 3.0]
    assert ask("determinant of [[1, 2], [3, 4]]").value == -2.0


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("52 choose 5", 2598960),
        ("how many ways to choose 5 cards from 52", 2598960),
        ("从10个人里选3个人有多少种选法", 120),
        ("C(20, 10)", 184756),
        ("how many ways can 8 people sit in a row", 40320),
        ("number of permutations of 10 taken 3", 720),
        ("5个人排成一排有多少种排法", 120),
    ],
)
def test_combinations_and_permutations(prose: str, expected: int) -> None:
    assert ask(prose).value == expected


@pytest.mark.parametrize(
    "prose",
    [
        "how many ways can 8 people sit around a round table",  # circular: (n-1)!
        "how many ways to choose 5 cards from 52 with replacement",
        "how many ways to arrange the letters of the word MISSISSIPPI",
        "roll two dice 1000 times, how many doubles",  # no recipe counts doubles
        "flip 2 coins 1000 times and count heads",  # heads of which coin?
        "random walk of 100 steps, how far is the farthest point",
        "sort scores from largest to smallest and give the mean",
        "how many different cities are in orders.csv",
        "histogram of the primes below 100",
    ],
)
def test_counting_and_simulation_requests_outside_the_recipes_are_refused(prose: str) -> None:
    refused(prose, {"scores": [1, 2, 3]})


def test_notebook_names_of_one_letter_and_sequences() -> None:
    assert ask("compute n factorial please", {"n": 20}).value == 2432902008176640000
    assert ask("find the gcd of a and b", {"a": 84, "b": 36}).value == 12
    assert ask("列出 m 的所有因数", {"m": 36}).value == [1, 2, 3, 4, 6, 9, 12, 18, 36]
    assert ask("第 k 个质数", {"k": 10}).value == 29
    assert ask("N 以内所有素数的和", {"N": 30}).value == 129
    assert ask("is n a prime number", {"n": 20}).value is False
    nums = {"nums": [42, 7, 19, 3]}
    assert ask("把 nums 从小到大排个序", nums).value == [3, 7, 19, 42]
    assert ask("sort nums in descending order", nums).value == [42, 19, 7, 3]
    assert ask("把列表 nums 排序后取中位数", nums).value == 13.0
    assert ask("how many elements are in nums", nums).value == 4
    assert ask("what's the highest score in scores?", {"scores": [71, 93, 88]}).value == 93
    # a statistic of part of a notebook list is refused, never taken over 1..N
    refused("average of the first 3 values in data", {"data": [3, 8, 12, 5]})
    # "a" is an article unless it follows a word that takes a value ("of a")
    assert ask("is 97 a prime", {"a": 5}).value is True


@pytest.mark.parametrize(
    "prose",
    [
        "flip a coin 1000 times, count heads and tails",
        "roll a die 600 times, count the sixes and the average",
        "integrate x^2 from 0 to 1 and from 1 to 2",
        "sum of i from 1 to 10 and of i^2 from 1 to 10",
        "grid search C in [1,10] for svc on iris and report the test accuracy",
        "histogram and line plot of data",
        "eigenvalues of two random 3x3 matrices",  # of each: not of their product
        "12和18的最大公约数和最小公倍数",
        "100以内所有质数的个数和总和",
        "how many primes below 100 and what is their sum",
    ],
)
def test_two_questions_in_one_are_refused_not_half_answered(prose: str) -> None:
    """Found by probing: each was answered with one of its two answers."""
    refused(prose, {"data": [3, 8, 12, 5]})


def test_an_integer_over_pythons_digit_limit_is_answered_and_shown() -> None:
    import math

    result = ask("factorial of 20000")
    assert result.value == math.factorial(20000)
    assert "77338 digits" in result.explanation
    assert "text/html" in result._repr_mimebundle_()


@pytest.mark.parametrize(
    "prose",
    [
        "collatz sequence of 27",  # not the longest chain below 27
        "how many steps does 27 take to reach 1 in collatz",
        "estimate pi with monte carlo, 10^6 samples, and give the error",
    ],
)
def test_simulations_asked_for_something_else_are_refused(prose: str) -> None:
    refused(prose)
