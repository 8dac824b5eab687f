"""Any scikit-learn estimator a person names, on data that fits it, scored as asked.

Plans are checked for the class they chose; answers run their real code and are compared with
scikit-learn called directly. Every refusal here is a request a looser planner would have
answered wrongly (a regressor on class labels, a metric replaced by accuracy, a misspelt
parameter silently dropped).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import aigc_magic
from aigc_magic.errors import PlanningError
from aigc_magic.llm.offline import OfflinePlanner


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner()


def ask(prose: str, namespace: dict[str, Any] | None = None) -> Any:
    return aigc_magic.ask(prose, namespace=namespace or {}, planner="offline", safety="strict")


def refused(planner: OfflinePlanner, prose: str, namespace: dict[str, Any] | None = None) -> str:
    with pytest.raises(PlanningError) as info:
        planner.plan(prose, namespace or {})
    return str(info.value)


@pytest.mark.parametrize(
    "prose, estimator",
    [
        ("cross-validate a decision tree on wine", "DecisionTreeClassifier"),
        ("在diabetes数据集上对决策树做5折交叉验证", "DecisionTreeRegressor"),
        ("cross-validate gradient boosting on diabetes", "GradientBoostingRegressor"),
        ("5-fold cv of ridge on breast cancer", "RidgeClassifier"),
        ("5-fold cv of ridge on diabetes", "Ridge"),
        ("岭回归在diabetes上的交叉验证", "Ridge"),
        ("cross-validate an ExtraTreesRegressor on diabetes", "ExtraTreesRegressor"),
        (
            "cross validate a HistGradientBoostingClassifier on iris",
            "HistGradientBoostingClassifier",
        ),
        ("cross-validate a linearsvc on wine", "LinearSVC"),
        (
            "grid search a GradientBoostingClassifier on iris with n_estimators in [50, 100]",
            "GradientBoostingClassifier",
        ),
        ("在iris上用神经网络做交叉验证", "MLPClassifier"),
    ],
)
def test_models_by_common_or_class_name(
    planner: OfflinePlanner, prose: str, estimator: str
) -> None:
    plan = planner.plan(prose)
    assert plan.params["estimator"] == estimator
    assert f"import {estimator}\n" in plan.code and "n_jobs=-1" in plan.code


def test_the_target_decides_classifier_or_regressor(planner: OfflinePlanner) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    continuous = {"X": X, "y": X[:, 0] * 2.5 + rng.normal(size=60)}
    labels = {"X": X, "y": (X[:, 0] > 0).astype(int)}
    assert (
        planner.plan("cross-validate a random forest on X and y", continuous).params["estimator"]
        == "RandomForestRegressor"
    )
    assert (
        planner.plan("cross-validate a random forest on X and y", labels).params["estimator"]
        == "RandomForestClassifier"
    )


def test_a_regression_score_runs_and_errors_come_out_positive() -> None:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Lasso, Ridge
    from sklearn.model_selection import cross_val_score

    X, y = load_diabetes(return_X_y=True)
    r2 = ask("5-fold cross-validation of ridge on diabetes, r2")
    truth = cross_val_score(Ridge(), X, y, cv=5, scoring="r2")  # (unscaled: see _estimators)
    assert r2.value == pytest.approx(truth.mean()) and "R²" in r2.explanation
    mse = ask("5-fold cross validation of lasso on diabetes, mean squared error")
    truth = cross_val_score(Lasso(), X, y, cv=5, scoring="neg_mean_squared_error")
    assert mse.value == pytest.approx(-truth.mean()) and mse.value > 0
    assert "mean squared error" in mse.explanation


def test_a_grid_given_in_prose_is_searched_on_the_grid() -> None:
    from sklearn.datasets import load_wine
    from sklearn.model_selection import GridSearchCV
    from sklearn.tree import DecisionTreeClassifier

    result = ask("tune max_depth of a decision tree on wine with 5-fold cv, max_depth in 2,4,8")
    X, y = load_wine(return_X_y=True)
    search = GridSearchCV(
        DecisionTreeClassifier(random_state=0), {"max_depth": [2, 4, 8]}, cv=5
    ).fit(X, y)
    assert result.value == search.best_params_
    assert "GridSearchCV(" in result.plan.code and "n_jobs=-1" in result.plan.code
    default = OfflinePlanner().plan("tune max_depth of a decision tree on wine with 5-fold cv")
    assert default.recipe == "ml.grid_search" and default.params["grid"] == {
        "max_depth": [None, 2, 4, 8, 16]
    }


def test_f1_is_binary_on_two_classes_and_macro_on_more(planner: OfflinePlanner) -> None:
    assert (
        planner.plan("cross-validate a random forest on breast cancer, f1").params["scoring"]
        == "f1"
    )
    wine = planner.plan("cross-validate a random forest on wine, f1")
    assert wine.params["scoring"] == "f1_macro" and any("macro" in n for n in wine.notes)


@pytest.mark.parametrize(
    "prose, says",
    [
        ("ridge regression on breast cancer with 5-fold cv", "as a regression"),
        ("cross validate a RandomForestRegressor on iris", "class labels"),
        ("5-fold cross-validation of logistic regression on diabetes", "continuous"),
        ("cross-validate a random forest on wine, matthews correlation", "not report another"),
        ("cross-validate a random forest on wine with r2", "r2"),
        ("5-fold cv of ridge on diabetes, accuracy", "accuracy"),
        ("cross-validate a random forest on wine, accuracy and f1", "one score"),
        ("tune max_deep of a decision tree on wine, max_deep in [2, 4]", "max_depth"),
        ("cross-validate a FooBarClassifier on wine", "FooBarClassifier"),
        ("5-fold cross-validation of a VotingClassifier on iris", "estimators"),
        ("grid search linear regression on diabetes", "which parameters"),
    ],
)
def test_refused_rather_than_substituted(planner: OfflinePlanner, prose: str, says: str) -> None:
    assert says.lower() in refused(planner, prose).lower()


def test_a_regression_on_labels_when_asked_for(planner: OfflinePlanner) -> None:
    plan = planner.plan("linear regression on digits with 5-fold cv, as a regression")
    assert plan.params["estimator"] == "LinearRegression"
    assert any("as numbers" in note for note in plan.notes)
