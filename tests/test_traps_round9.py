"""Traps for round 9: the two wrong answers of the sixth blind set, and the kinds around them.

Measured blind (tests/data/heldout_newcomers_6.jsonl), the planner answered two requests
wrongly: "the average of the final position squared" of random walks came back as the
mean final position, and "integrate g from 0 to 2" with the notebook's ``g`` integrated
the variable g (∫ g dg = 2) instead of the function. Reading a notebook function as a
variable was wrong in other recipes too ("sum g from 1 to 10" gave 55, "plot g" drew the
identity, "integrate g(x)" listed g's values), and "the accuracy on the training data"
was answered with a cross-validated score. Each of these is answered right or refused.
"""

from __future__ import annotations

from typing import Any

import pytest

import aigc_magic
from aigc_magic.errors import PlanningError


def cube(x: float) -> float:
    return x**3


def ask(prose: str, **namespace: Any) -> Any:
    return aigc_magic.ask(prose, namespace=namespace, planner="offline", safety="strict")


def refused(prose: str, **namespace: Any) -> str:
    with pytest.raises(PlanningError) as info:
        ask(prose, **namespace)
    return str(info.value)


# --------------------------------------------------------------------------- random walks


@pytest.mark.parametrize(
    "prose",
    [
        "simulate 5000 random walks, each 100 steps of +1 or -1. what's the average of the "
        "final position squared?",
        "mean of the square of the final position of 5000 random walks of 100 steps",
    ],
)
def test_the_squared_end_point_is_squared(prose: str) -> None:
    # E[S_100^2] = 100; over 5000 walks the standard error is about 2
    assert 88 <= ask(prose).value <= 112


def test_the_mean_end_point_stays_the_mean() -> None:
    assert abs(ask("1000 random walks of 100 steps, average final position").value) < 2


# --------------------------------------------------------------------------- notebook functions


@pytest.mark.parametrize(
    "prose", ["integrate g from 0 to 2", "integrate g(x) from 0 to 2", "求g从0到2的积分"]
)
def test_a_notebook_function_is_integrated_as_itself(prose: str) -> None:
    result = ask(prose, g=cube)
    assert result.value == pytest.approx(4.0)
    assert "g" in result.plan.names  # the card says which names it used


@pytest.mark.parametrize(
    "prose",
    [
        "integrate 2*g(x) from 0 to 2",  # a formula around it: not guessed
        "integrate g from 0 to 2 and h from 0 to 1",
        "plot g from 0 to 2",  # never the identity
    ],
)
def test_a_notebook_function_is_never_a_variable(prose: str) -> None:
    refused(prose, g=cube, h=cube)


def test_a_sum_over_a_notebook_function_is_its_values_or_refused() -> None:
    try:
        value = ask("sum g from 1 to 10", g=cube).value
    except PlanningError:
        return
    assert value == sum(k**3 for k in range(1, 11))  # never 55


def test_applying_a_function_is_no_integral() -> None:
    from aigc_magic.llm.recipes._base import Context
    from aigc_magic.llm.recipes._guard import NotMine
    from aigc_magic.llm.recipes.mapping import _extract

    with pytest.raises(NotMine):
        _extract(Context("integrate g(x) from 0 to 2", "en", namespace={"g": cube}))


# --------------------------------------------------------------------------- training scores

XY = {
    "X": [[0, 0], [1, 1], [2, 2], [3, 3], [10, 10], [11, 11], [12, 12], [13, 13]],
    "y": [0, 0, 0, 0, 1, 1, 1, 1],
}


@pytest.mark.parametrize(
    "prose",
    [
        "fit a logistic regression on X and y and tell me the accuracy on the training data",
        "用X和y训练逻辑回归，训练集准确率是多少",
    ],
)
def test_the_training_score_is_fitted_and_scored_on_the_same_data(prose: str) -> None:
    result = ask(prose, **XY)
    assert result.plan.recipe == "ml.train_score"
    assert result.value == 1.0  # two separated clusters: every training point right


def test_the_training_score_matches_scikit_learn() -> None:
    from sklearn.datasets import load_wine
    from sklearn.tree import DecisionTreeClassifier

    X, y = load_wine(return_X_y=True)
    want = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y).score(X, y)
    got = ask("training accuracy of a decision tree on wine with max_depth=2").value
    assert got == pytest.approx(want)
    assert want < 1.0  # a shallow tree: the check can fail


@pytest.mark.parametrize(
    "prose",
    [
        "5-fold cv accuracy of knn on iris on the training data",
        "train a random forest on wine, training and test accuracy",
    ],
)
def test_two_protocols_at_once_are_refused(prose: str) -> None:
    refused(prose)


def test_a_fifty_fifty_split_is_half_the_data() -> None:
    result = ask("train logistic regression on breast cancer, test accuracy with a 50/50 split")
    assert result.plan.params["test_size"] == 0.5


# --------------------------------------------------------------------------- restatements


def test_a_restated_request_is_answered_when_both_readings_agree() -> None:
    result = ask("last 3 digits of 3^200 — i.e. 3^200 mod 1000")
    assert result.value == pow(3, 200, 1000)
    assert ask("7的222次方除以11的余数，也就是7^222 mod 11").value == pow(7, 222, 11)


def test_a_restated_request_that_disagrees_is_refused() -> None:
    assert "two different things" in refused("last 3 digits of 7^5, i.e. 7^5 mod 100")


# --------------------------------------------------------------------------- simulations


def test_one_random_matrix_times_its_transpose() -> None:
    result = ask(
        "make a random 50x50 matrix of standard normals, multiply it by its own transpose "
        "and give me the trace"
    )
    assert "Aᵀ" in result.plan.summary
    assert 2100 <= result.value <= 2900  # the sum of 2500 squared normals: 2500 ± 71


@pytest.mark.parametrize(
    "prose, low, high",
    [
        (
            "蒙特卡洛模拟：单位正方形里随机取两个点，它们之间的平均距离是多少？模拟10万次",
            0.516,
            0.527,
        ),
        ("mean distance between two random points in the unit cube, 200000 trials", 0.655, 0.668),
        ("monte carlo: average distance between 2 random points on [0, 1]", 0.331, 0.336),
        ("expected distance between two random points in the unit disk", 0.902, 0.909),
    ],
)
def test_the_mean_distance_of_two_random_points(prose: str, low: float, high: float) -> None:
    assert low <= ask(prose).value <= high  # exact: 0.5214, 0.6617, 1/3, 128/(45π)


@pytest.mark.parametrize(
    "prose",
    [
        "average distance between 3 random points in the unit square",
        "average distance between two random points on [0, 2]",
        "distance between two random points in the unit square",  # no statistic asked
    ],
)
def test_other_random_point_questions_are_refused(prose: str) -> None:
    refused(prose)


def test_normally_distributed_samples_are_normal_samples() -> None:
    pytest.importorskip("matplotlib")
    figure = ask("can u draw a histogram of 1000 normally distributed random numbers").value
    assert figure.axes[0].patches
    assert 0.45 <= ask("median of 10000 uniformly distributed random numbers").value <= 0.55
