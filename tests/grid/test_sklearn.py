"""scikit-learn under ``parallel_config(backend="aigc")`` gives the default backend's answers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from aigc_magic.grid.backend import last_run

SEARCHES = {
    "svc": (SVC(), {"C": [0.1, 1, 10], "gamma": ["scale", 0.1]}),
    # KNN asks joblib.effective_n_jobs(None) inside every fit, on the worker
    "knn": (KNeighborsClassifier(), {"n_neighbors": [1, 5, 15]}),
}


@pytest.fixture(scope="module", params=sorted(SEARCHES))
def search_and_reference(
    request: pytest.FixtureRequest,
) -> tuple[GridSearchCV, GridSearchCV, Any, Any]:
    X, y = load_iris(return_X_y=True)
    estimator, grid = SEARCHES[request.param]
    search = GridSearchCV(estimator, grid, cv=3, n_jobs=-1, error_score="raise")
    reference = clone(search).fit(X, y)  # joblib's default backend
    return search, reference, X, y


def assert_same(got: GridSearchCV, want: GridSearchCV) -> None:
    assert got.best_params_ == want.best_params_
    for key in (
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        *(f"split{i}_test_score" for i in range(3)),
    ):
        np.testing.assert_allclose(got.cv_results_[key], want.cv_results_[key])
    assert list(got.cv_results_["params"]) == list(want.cv_results_["params"])


@pytest.mark.slow
def test_grid_search_locally(search_and_reference: Any) -> None:
    search, reference, X, y = search_and_reference
    with parallel_config(backend="aigc"):
        got = clone(search).fit(X, y)
    assert_same(got, reference)
    assert last_run().arm in ("sequential", "threads", "loky") and last_run().ok


@pytest.mark.slow
def test_grid_search_on_dask(search_and_reference: Any, dask_client: Any) -> None:
    search, reference, X, y = search_and_reference
    with parallel_config(backend="aigc"):
        got = clone(search).fit(X, y)
    assert_same(got, reference)
    assert last_run().arm == "dask" and last_run().ok
