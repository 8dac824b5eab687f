"""Traps for the kinds of request the third blind set refused: each answered exactly or refused.

Misspelt words, a standard deck, matrices written out, from the notebook or named (an
identity), a written list, one call of a notebook function, a held-out test score, "try"
grids, Chinese column names, plots over -π..π and scatter plots, trailing zeros of n!. Every
number and word of the prose is honoured, or the request is refused. Answers run their real
code through :func:`aigc_magic.ask`; SymPy or plain Python gives the truth.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import sympy

import aigc_magic
from aigc_magic.errors import PlanningError
from aigc_magic.llm.offline import OfflinePlanner


def ask(prose: str, namespace: dict[str, Any] | None = None) -> Any:
    return aigc_magic.ask(
        prose, namespace=namespace if namespace is not None else {}, planner="offline"
    )


def plan(prose: str, namespace: dict[str, Any] | None = None) -> Any:
    return OfflinePlanner().plan(prose, namespace if namespace is not None else {})


def refused(prose: str, namespace: dict[str, Any] | None = None) -> str:
    with pytest.raises(PlanningError) as info:
        plan(prose, namespace)
    return str(info.value)


def _f(x: float) -> float:
    return x**2 + 3 * x + 1


def _area(r: float) -> float:
    return math.pi * r * r


def _g(a: float, b: float) -> float:
    return a * b


@pytest.mark.parametrize(
    "prose, namespace, expected",
    [
        ("Caluclate the sum of the digits of 2^1000", {}, 1366),
        ("waht is the factorail of 20", {}, math.factorial(20)),
        ("hwo many primes are there below 100", {}, 25),
        ("how many primes are below limt", {"limt": 1000}, 168),  # a name, never corrected
        ("how many ways to choose 5 cards from a standard 52 card deck", {}, math.comb(52, 5)),
        ("how many 13 card hands from a standard deck", {}, math.comb(52, 13)),
        ("从一副扑克牌中抽5张有多少种组合", {}, math.comb(52, 5)),  # 一副 is no number 1
        ("a 和 b 的最小公倍数是多少", {"a": 36, "b": 60}, 180),
        ("100的阶乘末尾有几个0？", {}, 24),
        ("模拟掷骰子6000次，6出现了几次", {}, None),  # the face is 6, the rolls 6000
        ("quick question: is 561 prime?", {}, False),  # never the primes below 561
        ("so, is 561 a prime number or not", {}, False),
        ("how many trailing zeros does 1000! have", {}, 249),
    ],
)
def test_exact_answers(prose: str, namespace: dict[str, Any], expected: Any) -> None:
    result = ask(prose, namespace)
    if expected is None:  # a simulation: its reading is checked, not its random value
        assert (result.plan.params["n"], result.plan.params["face"]) == (6000, 6)
        assert 0 < result.value < 6000
    else:
        assert result.value == expected


def test_a_misspelling_is_read_and_noted() -> None:
    p = plan("Caluclate the sum of the digits of 2^1000")
    assert p.recipe == "exact.digitsum"
    assert any("Caluclate" in note for note in p.notes)


def test_a_column_name_is_never_a_misspelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # "stock" is one letter from "stack", a word of the planner
    (tmp_path / "inventory.csv").write_text("item,stock,price\nA,34,2.5\nB,7,9.0\n", "utf-8")
    assert ask("inventory.csv 中 stock 这一列的最小值").value == 7
    assert ask("the mean of the stock column in the csv").value == 20.5
    assert not any("stack" in note for note in plan("the max stock in inventory.csv").notes)


@pytest.mark.parametrize(
    "prose, key, expected",
    [
        ("what is the meidan of data", "stat", "median"),
        ("the averge of data", "stat", "mean"),
        ("test recal of an svm on breast cancer", "scoring", "recall"),  # never "real"
    ],
)
def test_a_misspelt_statistic_is_the_one_meant(prose: str, key: str, expected: str) -> None:
    assert plan(prose, {"data": [3, 1, 2]}).params[key] == expected


def test_sample_parameters_after_the_count_are_read() -> None:
    prose = (
        "draw 1e5 samples from a normal distribution with mean 5 and sd 2 and give me the "
        "sample mean"
    )
    p = plan(prose)
    assert (p.params["n"], p.params["loc"], p.params["scale"]) == (100_000, 5.0, 2.0)
    assert p.params["stats"] == ["mean"]


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("算一下矩阵 M 的行列式", sympy.Matrix([[2, 1], [1, 3]]).det()),
        ("trace of the 10x10 identity matrix", 10),
        ("3阶单位矩阵的行列式", 1),
        ("矩阵 [[1,2],[3,4]] 乘以 [[5,6],[7,8]] 等于多少", [[19, 22], [43, 50]]),
        ("multiply M by A", [[5, 8], [10, 14]]),
        ("A times M", [[4, 7], [10, 15]]),  # the order as written
        ("rank of [[1, 2], [2, 4]]", 1),
        ("M 的转置", [[2, 1], [1, 3]]),
        ("eigenvalues of [[2, 1], [1, 2]]", [1, 3]),
    ],
)
def test_matrices(prose: str, expected: Any) -> None:
    namespace = {"M": [[2, 1], [1, 3]], "A": [[1, 2], [3, 4]]}
    assert ask(prose, namespace).value == expected


@pytest.mark.parametrize(
    "prose",
    [
        "determinant of [[1, 2], [3, 4]] plus 5",
        "trace of matrix M and A",
        "determinant of [[1, 2, 3], [4, 5, 6]]",
        "multiply [[1, 2, 3]] by [[1, 2], [3, 4]]",
        "determinant of the 10x12 identity matrix",
        "the determinant and the trace of M",
    ],
)
def test_matrix_requests_a_recipe_would_misread_are_refused(prose: str) -> None:
    refused(prose, {"M": [[2, 1], [1, 3]], "A": [[1, 2], [3, 4]]})


def test_written_lists_and_parity() -> None:
    nums = {"nums": [12, 7, 3, 18, 25, 4, 9]}
    assert ask("把 [5, 3, 8, 1, 9, 2] 从小到大排序").value == [1, 2, 3, 5, 8, 9]
    assert ask("nums 里面有几个偶数", nums).value == 3
    assert ask("how many odd numbers are in nums", nums).value == 4
    refused("sum of the even numbers in nums", nums)  # never the sum of them all
    refused("the mean of [1, 2, 3] and 4")


def test_one_call_of_a_notebook_function() -> None:
    namespace = {"f": _f, "area": _area, "g": _g}
    assert ask("evaluate f at 7", namespace).value == 71
    assert ask("what is f(3)", namespace).value == 19
    assert ask("g(2, 5)", namespace).value == 10
    assert ask("用 area 函数算一下半径为3时的面积", namespace).value == pytest.approx(9 * math.pi)
    for prose in (
        "f(3) plus 1",
        "用 area 函数算一下半径为3时的周长再加1",
        "evaluate g at 2 and 5",  # which is which: refused, not guessed
        "is f(2) prime",  # never the primes below 2
        "derivative of f at 3",
    ):
        refused(prose, namespace)


def test_a_held_out_score_honours_the_split() -> None:
    p = plan("train a random forest on wine with a 70/30 split, test accuracy")
    assert (p.recipe, p.params["test_size"], p.params["seed"]) == ("ml.holdout", 0.3, 0)
    p = plan("test accuracy of KNN on iris with test_size 0.2 and random_state 42")
    assert (p.params["test_size"], p.params["seed"]) == (0.2, 42)
    p = plan("逻辑回归在乳腺癌数据上按8:2划分训练集和测试集，测试准确率")
    assert p.params["test_size"] == 0.2
    value = ask("在手写数字数据集上训练一个支持向量机，测试集准确率多少").value
    assert 0.95 <= value <= 1.0


@pytest.mark.parametrize(
    "prose",
    [
        "test accuracy of svm on iris with 10-fold cross validation",
        "train an svm on iris and show the confusion matrix on the test set",
        "test accuracy of svm on iris with a 50/30 split",
        "test accuracy of svm on iris with test size 0.3 and 7",
        "train a random forest on wine and give me train and test accuracy",  # two scores
        "随机森林在wine上训练集和测试集的准确率",
    ],
)
def test_held_out_requests_a_recipe_would_misread_are_refused(prose: str) -> None:
    refused(prose)


def test_a_training_score_is_fitted_and_scored_on_the_same_data() -> None:
    # once refused (no recipe scored on the training data); never a cross-validated score
    from sklearn.datasets import load_iris
    from sklearn.svm import SVC

    X, y = load_iris(return_X_y=True)
    result = ask("train accuracy of svm on iris")
    assert result.plan.recipe == "ml.train_score"
    assert result.value == SVC().fit(X, y).score(X, y)


def test_a_score_with_no_protocol_is_cross_validated_and_says_so() -> None:
    p = plan("朴素贝叶斯分类鸢尾花，准确率多少")
    assert (p.recipe, p.params["estimator"], p.params["cv"]) == ("ml.score", "GaussianNB", 5)
    assert any("交叉验证" in note for note in p.notes)


def test_try_values_are_the_grid_and_folds_stay_folds() -> None:
    p = plan("tune C for LogisticRegression on iris, try 0.001 0.01 0.1 1 10")
    assert p.params["grid"] == {"C": [0.001, 0.01, 0.1, 1, 10]}
    p = plan("tune C for an svm on iris, try 1 10 and 5-fold")
    assert (p.params["grid"], p.params["cv"]) == ({"C": [1, 10]}, 5)


def test_tables_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "orders.csv").write_text(
        "日期,金额\n2024-01-03,199.5\n2024-01-05,88.0\n2024-01-09,320.25\n", "utf-8"
    )
    assert ask("orders.csv 里 金额 这一列加起来是多少").value == pytest.approx(607.75)
    assert ask("orders.csv 一共有多少行数据").value == 3
    assert ask("orders.csv 有几列").value == 2
    assert ask("hwo many rows are in orders.csv").value == 3
    refused("orders.csv 有几列，金额加起来是多少")


def test_plots_over_pi_and_scatter_plots() -> None:
    pytest.importorskip("matplotlib")
    p = plan("画一下 cos(x) 在 -π 到 π 之间的图像")
    assert (p.params["a"], p.params["b"]) == (-math.pi, math.pi)
    fig = ask("画一个散点图，x 是 1 到 10，y 是 x 的平方").value
    (points,) = fig.axes[0].collections
    assert points.get_offsets().tolist() == [[x, x * x] for x in range(1, 11)]
    refused("scatter plot of x^2 for x from 0.5 to 3")


@pytest.mark.parametrize(
    "prose",
    [
        "trailing zeros of 2^100",
        "how many zeros at the end of 25! plus 3",
        "100的阶乘末尾有几个0，再乘以2",
    ],
)
def test_trailing_zeros_outside_the_recipe_are_refused(prose: str) -> None:
    refused(prose)


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("what is 123 * 456", 123 * 456),
        ("compute 2**10 - 1", 1023),
        ("(3 + 4) * 5", 35),
        ("17 mod 5", 2),
        ("2的10次方减1", 1023),
        ("3的平方加4的平方", 25),
        ("100除以8等于多少", 12.5),
        ("what's 7/3", 7 / 3),
        ("2^100 mod 7", pow(2, 100, 7)),
    ],
)
def test_plain_arithmetic_is_exact(prose: str, expected: Any) -> None:
    assert ask(prose).value == expected


@pytest.mark.parametrize(
    "prose",
    ["1/0", "3 + 4, 10", "3 + 4 people", "2**100000 + 1", "what day of the week is 2024-1-3"],
)
def test_arithmetic_uses_every_number_and_word_or_refuses(prose: str) -> None:
    refused(prose)


def test_a_notebook_dataframe_is_a_table() -> None:
    pd = pytest.importorskip("pandas")
    namespace = {"df": pd.DataFrame({"price": [1.0, 2.0, 6.0], "city": ["a", "b", "a"]})}
    result = ask("df 里 price 的平均值", namespace)
    assert result.value == 3.0 and "df" in result.plan.names
    assert ask("average price by city in df", namespace).value == {"a": 3.5, "b": 2.0}
    assert ask("how many rows does df have", namespace).value == 3
    refused("mean of the cost column of df", namespace)  # no such column: never another
    namespace["other"] = namespace["df"]
    refused("sum of price in df and other", namespace)


@pytest.mark.parametrize(
    "prose",
    [
        "search the web for the accuracy of svm on iris",  # never a grid search
        "email me the 100th prime",
        "download the iris dataset and give svm accuracy",
        "帮我上网查一下iris上svm的准确率",
        "把100以内的质数发邮件给我",
    ],
)
def test_what_needs_the_network_is_refused(prose: str) -> None:
    assert "network" in refused(prose) or "联网" in refused(prose)


def test_a_grid_search_is_no_web_search() -> None:
    assert plan("用KNN在digits数据集上网格搜索n_neighbors取1到5").recipe == "ml.grid_search"


# --------------------------------------------------------------------------- the fourth set

_PRICES = {"prices": [3.5, 12.0, 7.25, 1.99, 9.0]}
_HIGH_TO_LOW = [12.0, 9.0, 7.25, 3.5, 1.99]


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("sort prices from high to low", _HIGH_TO_LOW),  # set 4 answered it ascending
        ("sort prices from highest to lowest", _HIGH_TO_LOW),
        ("sort prices, largest first", _HIGH_TO_LOW),  # never "the largest"
        ("sort prices from low to high", sorted(_HIGH_TO_LOW)),
        ("把 prices 由高到低排序", _HIGH_TO_LOW),
        ("prices 按从大到小排列", _HIGH_TO_LOW),
        ("prices 升序排序", sorted(_HIGH_TO_LOW)),
    ],
)
def test_a_sort_honours_its_direction(prose: str, expected: list[float]) -> None:
    assert ask(prose, dict(_PRICES)).value == expected


@pytest.mark.parametrize(
    "prose",
    [
        "sort prices descending, smallest first",  # both directions
        "sort prices high",  # an end of the order with no direction
        "sort prices in descending order and take the first",  # one place, not the list
        "把 prices 从大到小排序后取第一个",
        "sort prices by absolute value",  # a key the recipe does not sort by
        "把 prices 按绝对值从小到大排序",
    ],
)
def test_a_sort_the_recipe_cannot_honour_is_refused(prose: str) -> None:
    refused(prose, dict(_PRICES))


@pytest.mark.parametrize(
    "prose, expected",
    [
        (
            "how many ways are there to pick 6 numbers out of 49? (lottery, order doesnt matter)",
            math.comb(49, 6),
        ),
        ("lotto: choose 6 numbers from 49 in any order", math.comb(49, 6)),
        ("从49个号码中选6个，不计顺序，有多少种", math.comb(49, 6)),
        ("what does the sum of 1/n^2 for n = 1 to infinity come out to", sympy.pi**2 / 6),
        ("sum of 1/n^2 for n from 1 to infinity numerically", float(sympy.pi**2 / 6)),
        ("斐波那契数列第50项是多少？（F1=F2=1）", 12586269025),
        ("the 10th fibonacci number where F(0)=F(1)=1", 89),  # a shifted convention
        ("the 50th fibonacci number with F0=0, F1=1", 12586269025),
        ("the smallest prime bigger than a million", 1000003),
        ("比一百万大的最小质数是哪个", 1000003),
        ("不小于13的最小质数", 13),  # at least: 13 itself
        ("大于13的最小素数", 17),
        ("13之后的第一个质数", 17),  # never the 1st prime
        ("next prime after 10**20", sympy.nextprime(10**20)),
    ],
)
def test_counts_series_fibonacci_and_next_primes(prose: str, expected: Any) -> None:
    assert ask(prose).value == expected


@pytest.mark.parametrize(
    "prose",
    [
        "how many ways to pick 6 of 49 in order",  # order matters: a permutation
        "从49个数里选6个，考虑顺序，有多少种",
        "arrange 3 of 10 books, order doesn't matter",  # a combination
        "the 10th fibonacci number with F1=1, F2=3",  # no shift of the Fibonacci numbers
        "斐波那契数列前10项（F0=F1=1）",
        "the largest prime above 100",  # there is none
        "smallest prime below 100",
        "100以上最小的质数",  # 以上: is 100 counted?
        "smallest prime bigger than 2.5",
    ],
)
def test_counts_series_fibonacci_and_primes_the_recipes_cannot_honour(prose: str) -> None:
    refused(prose)


_HEIGHTS = {"heights": [160, 172, 168, 181, 175, 158, 169]}


@pytest.mark.parametrize(
    "prose, ddof",
    [
        ("sample standard deviation of heights please (n-1 in the denominator)", 1),
        ("std of heights using bessel's correction", 1),
        ("heights 的样本标准差（分母为n-1）", 1),
        ("population std of heights", 0),
        ("heights 的标准差，分母用 n", 0),
        ("std of heights", 0),  # NumPy's default, and the note says so
    ],
)
def test_the_standard_deviation_asked_for(prose: str, ddof: int) -> None:
    import numpy as np

    assert ask(prose, dict(_HEIGHTS)).value == np.std(_HEIGHTS["heights"], ddof=ddof)


def test_the_variance_asked_for() -> None:
    import numpy as np

    value = ask("heights 的无偏方差", dict(_HEIGHTS)).value
    assert value == np.var(_HEIGHTS["heights"], ddof=1)
    assert ask("what is the first prime after 100?").value == 101


@pytest.mark.parametrize(
    "prose",
    [
        "sample std of heights divided by n",  # both statistics
        "sample variance of heights, ddof=0",
        "std of heights with n-2 in the denominator",
        "heights 的样本方差，分母为 n",
    ],
)
def test_a_standard_deviation_the_recipe_cannot_honour_is_refused(prose: str) -> None:
    refused(prose, dict(_HEIGHTS))


@pytest.mark.parametrize(
    "prose, params, low, high",
    [
        (
            "同时抛三枚硬币，重复10万次，三枚都是正面的概率大概是多少？",
            {"n": 100_000, "coins": 3, "measure": "fraction"},
            0.119,
            0.131,
        ),
        (
            "toss 3 coins at once, repeat 100000 times, probability all heads",
            {"n": 100_000, "coins": 3},
            0.119,
            0.131,
        ),  # the 3 is the coins, never the throws
        (
            "泊松分布 λ=4，抽样 10 万次，样本方差是多少",
            {"n": 100_000, "lam": 4.0, "stats": ["variance"]},
            3.88,
            4.12,
        ),
        (
            "模拟 5000 次随机游走，每次走 1000 步，每步 +1 或 -1，终点位置绝对值的平均是多少",
            {"walks": 5000, "steps": 1000, "stat": "mean_abs"},
            23.8,
            26.7,
        ),
        (
            "mean distance from the origin of 1000 random walks of 100 steps",
            {"walks": 1000, "steps": 100, "stat": "mean_abs"},
            6.0,
            10.0,
        ),  # |x|, never x
        (
            "两个 100x100 的随机矩阵（0到1均匀分布）相乘，结果矩阵所有元素的平均值是多少",
            {"size": 100, "what": "mean", "product": True},
            23.8,
            26.2,
        ),
        (
            "mean of the entries of a random 100x100 matrix",
            {"size": 100, "what": "mean", "product": False},
            0.45,
            0.55,
        ),
        (
            "sort 1001 random numbers from uniform(0,1) and tell me the middle one",
            {"n": 1001, "stats": ["median"]},
            0.42,
            0.58,
        ),
        ("生成1001个均匀分布随机数，排序后中间那个数是多少", {"n": 1001}, 0.42, 0.58),
    ],
)
def test_simulations_of_the_fourth_set(
    prose: str, params: dict[str, Any], low: float, high: float
) -> None:
    result = ask(prose)
    assert {k: result.plan.params[k] for k in params} == params
    assert low <= result.value <= high


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("largest eigenvalue of the matrix [[2,1],[1,2]]?", 3),
        ("smallest eigenvalue of [[2,1],[1,2]]", 1),
        ("矩阵 [[2,1],[1,2]] 的最大特征值", 3),
    ],
)
def test_one_end_of_the_spectrum(prose: str, expected: int) -> None:
    assert ask(prose).value == expected


@pytest.mark.parametrize(
    "prose",
    [
        "largest and smallest eigenvalue of [[2,1],[1,2]]",
        "the largest eigenvalue in absolute value of [[2,1],[1,2]]",
        "sort 1000 random numbers and tell me the middle one",  # two middle ones
        "泊松分布 λ=4，抽样 10 万次，总体方差是多少",  # the samples' variance uses n - 1
        "两个 100x100 的随机矩阵（0到1均匀分布）相乘，结果矩阵所有元素的中位数",
        "5000 random walks of 1000 steps, mean absolute final position after 500 steps",
        "random walk of 100 steps, how far is the farthest point",
    ],
)
def test_simulations_and_spectra_the_recipes_cannot_honour(prose: str) -> None:
    refused(prose)


def test_complex_eigenvalues_have_no_largest() -> None:
    with pytest.raises(aigc_magic.TaskError):
        ask("largest eigenvalue of [[0,-1],[1,0]]")


_MIXED = {
    "words": ["apple", "banana", "cherry", "date", "elderberry", "fig", "grape"],
    "mixed": ["a", 1, 2.5, True, "b", 3],
}


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("how many strings are in my list words?", 7),
        ("words 里有几个字符串", 7),
        ("mixed 中有多少个整数", 2),  # True is no integer
        ("how many numbers are in mixed", 3),
        ("count the floats in mixed", 1),
        ("how many items are in mixed", 6),
    ],
)
def test_items_of_a_notebook_list_by_kind(prose: str, expected: int) -> None:
    assert ask(prose, dict(_MIXED)).value == expected


@pytest.mark.parametrize(
    "prose",
    [
        "how many strings longer than 3 are in words",
        "how many unique strings in words",
        "how many strings and integers are in mixed",
        "how many strings are in words and mixed",
        "words 里有几个不同的字符串",
    ],
)
def test_a_count_by_kind_with_a_condition_is_refused(prose: str) -> None:
    refused(prose, dict(_MIXED))


def test_rows_of_a_table_and_its_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text("name,age\np1,34\np2,27\np3,45\n", "utf-8")
    assert ask("统计一下 people.csv 一共有多少行数据（不算表头）").value == 3
    assert ask("how many rows are in people.csv, not counting the header").value == 3
    assert ask("帮我看下这个csv里 age 列的中位数").value == 34  # the only table here
    assert ask("how many rows are in the csv").value == 3
    for prose in (
        "people.csv 有多少行（包括表头）",  # the header is never a row
        "how many rows in people.csv including the header",
        "people.csv 一共有多少行数据（不算表头），再加1",
    ):
        refused(prose)
    message = refused("people.csv 一共有多少行数据（不算表头），再加1")
    assert "暂不读取" not in message  # the table recipes do read tables


def test_the_only_table_is_the_one_meant_only_when_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.csv").write_text("x\n1\n", "utf-8")
    (tmp_path / "b.csv").write_text("y\n1\n2\n", "utf-8")
    refused("how many rows are in the csv")  # which one?


# --------------------------------------------------------------------------- never wrong, hardened

_NS = {
    "heights": [160, 172, 168, 181, 175, 158, 169],
    "prices": [3.5, 12.0, 7.25, 1.99, 9.0],
    "words": ["apple", "banana", "fig"],
}


@pytest.mark.parametrize(
    "prose",
    [
        # a number the recipe would ignore
        "how many ways to pick 6 out of 49, excluding the number 7",
        "从49个数中选6个（不考虑顺序），不含数字7",
        "the 50th fibonacci number, F1=F2=1, mod 1000",
        "斐波那契数列第50项除以7的余数",
        "the smallest prime bigger than 1000, not counting 1009",
        "泊松分布 λ=4，抽样 10 万次，样本方差，不算前100个",
        "how many rows are in orders.csv excluding the first 5",
        "从大到小排序 prices 的前3个",
        "sum of 1/n^2 for n = 1 to infinity times 6",
        "1/n^2 从 n=1 到无穷的和，保留3位小数",
        # an ordinal is no bound
        "比一百万大的第二个质数",
        "the prime after the 100th prime",
        "第100个比1000大的质数",
        "the second largest eigenvalue of [[2,1,0],[1,2,0],[0,0,5]]",
        # a statistic swapped for another
        "std of heights with n-1 in the denominator, population",
        "sample variance of heights (n-1), and the mean",
        "1001个标准正态分布样本的总体标准差",  # the recipe's variance uses n - 1
        "同时抛三枚硬币，重复10万次，恰好两枚正面的概率",
        "同时抛三枚硬币，重复10万次，至少一枚正面的概率",
        "5000次随机游走，每次1000步，终点位置的最大值",
        "sum of the eigenvalues of a random 5x5 matrix",
        "两个 100x100 的随机矩阵相乘，结果矩阵所有元素的平均值，不算对角线",
        # "excluding" / 不算 clauses the recipe cannot apply
        "std of heights excluding the first one",
        "how many strings are in words excluding 'fig'",
        "orders.csv 一共有多少行（不算表头和最后一行）",
        "把 prices 从高到低排序，去掉最大的",
        "pick 6 out of 49 with replacement, order doesnt matter",
        "prices 里有几个小数",  # is 12.0 a decimal? people differ
    ],
)
def test_numbers_statistics_ordinals_and_exclusions_are_honoured_or_refused(
    prose: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "orders.csv").write_text("id,total\n1,2.5\n2,3\n3,4\n", "utf-8")
    refused(prose, dict(_NS))


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("比10万大的最小质数", 100003),  # units: 10万, 1e6, one hundred thousand, 2^20
        ("the smallest prime bigger than one hundred thousand", 100003),
        ("比1e6大的最小质数", 1000003),
        ("smallest prime greater than 2^20", sympy.nextprime(2**20)),
        ("smallest prime greater than or equal to 97", 97),  # a bound that includes
        ("大于等于100的最小质数", 101),
        ("sum of 1/n^2 for n = 2 to infinity", sympy.pi**2 / 6 - 1),
        ("10个人里选3个，顺序无关，有几种选法", 120),
        ("the 10th fibonacci number if F1=1 and F2=1", 55),
    ],
)
def test_units_bounds_and_conventions_are_read_exactly(prose: str, expected: Any) -> None:
    assert ask(prose).value == expected


def test_an_undefined_term_is_no_divergent_sum() -> None:
    with pytest.raises(aigc_magic.TaskError):
        ask("sum of 1/n^2 for n = 0 to infinity")  # 1/0, never "diverges (zoo)"


def test_the_samples_count_reads_chinese_units() -> None:
    p = plan("泊松分布 λ=4，抽样 10.5 万次，样本方差")
    assert (p.params["n"], p.params["lam"]) == (105_000, 4.0)


def test_a_sort_question_ending_in_duoshao_is_no_direction() -> None:
    assert ask("把 prices 排序后是多少", dict(_PRICES)).value == sorted(_HIGH_TO_LOW)
    assert ask("把 prices 从多到少排序", dict(_PRICES)).value == _HIGH_TO_LOW
    refused("prices 按大小排序", dict(_PRICES))  # by size, but which way?


@pytest.mark.parametrize(
    "prose, expected",
    [
        # set 5's one wrong answer (measured blind): the order asked for was dropped
        ("请把50到100之间的素数从大到小列出来，谢谢！", [97, 89, 83, 79, 73, 71, 67, 61, 59, 53]),
        ("列出30以内的质数，降序", [29, 23, 19, 17, 13, 11, 7, 5, 3, 2]),
        ("列出30以内的质数，从小到大", [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]),
        ("list the primes below 20 in descending order", [19, 17, 13, 11, 7, 5, 3, 2]),
        ("list the twin primes below 20, largest first", [(17, 19), (11, 13), (5, 7), (3, 5)]),
    ],
)
def test_a_prime_listing_honours_the_order_asked(prose: str, expected: Any) -> None:
    assert ask(prose).value == expected


def test_a_prime_listing_in_both_orders_is_refused() -> None:
    assert "both" in refused("list the primes below 50 in ascending and descending order")
