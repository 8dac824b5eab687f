"""Which scikit-learn estimator the prose names, which of its parameters, and which score.

A model is named by a common name in English or Chinese (:data:`COMMON`: "decision tree",
"决策树", "ridge", "gradient boosting"...) or by its class name ("GradientBoostingRegressor"),
which is looked up in :func:`sklearn.utils.all_estimators` (imported only then). A common
name with a classifier and a regressor takes the one that fits the target (class labels or
continuous values); a regressor asked for by name on class labels is refused unless the
prose says to treat them as numbers ("as a regression"), a classifier on a continuous target
always. Parameters are the estimator's own (``get_params()``) or their everyday names
(depth, trees, k, learning rate, 深度, 树); a parameter the estimator does not have is
refused with the closest real names. A score asked for is used or refused, never replaced.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import re
from dataclasses import dataclass
from typing import Any

from .._lazy import lazy
from ._base import (
    FLAGS,
    Context,
    identifiers,
)
from ._guard import Refuse

__all__ = [
    "COMMON",
    "DATASETS",
    "WORD_VALUES",
    "Common",
    "Estimator",
    "aliases",
    "find_estimator",
    "model_words",
    "resolve",
]


@dataclass(frozen=True)
class Common:
    """A model's everyday name and the classes it stands for."""

    key: str
    pattern: str
    classifier: str | None
    regressor: str | None
    module: str
    name_en: str
    name_zh: str
    grid: dict[str, list[Any]]


COMMON = (
    Common(
        "svc",
        r"\bsvc\b|\bsvr\b|\bsvm\b|support vector|支持向量",
        "SVC",
        "SVR",
        "sklearn.svm",
        "an SVM",
        "支持向量机",
        {"C": [0.1, 1, 10, 100], "gamma": ["scale", 0.01, 0.001]},
    ),
    Common(
        "rf",
        r"random\s*forests?|\brf\b|随机森林",
        "RandomForestClassifier",
        "RandomForestRegressor",
        "sklearn.ensemble",
        "a random forest",
        "随机森林",
        {"n_estimators": [100, 300], "max_depth": [None, 10, 20]},
    ),
    Common(
        "logreg",
        r"logistic|logreg|逻辑回归|对数几率",
        "LogisticRegression",
        None,
        "sklearn.linear_model",
        "logistic regression",
        "逻辑回归",
        {"C": [0.01, 0.1, 1, 10, 100]},
    ),
    Common(
        "knn",
        r"knn|k-nn|nearest[ -]neighbou?rs?|k近邻|k-近邻|最近邻|近邻",
        "KNeighborsClassifier",
        "KNeighborsRegressor",
        "sklearn.neighbors",
        "KNN",
        "KNN",
        {"n_neighbors": [1, 3, 5, 7, 9, 11], "weights": ["uniform", "distance"]},
    ),
    Common(
        "tree",
        r"decision\s*trees?|\bcart\b|决策树",
        "DecisionTreeClassifier",
        "DecisionTreeRegressor",
        "sklearn.tree",
        "a decision tree",
        "决策树",
        {"max_depth": [None, 2, 4, 8, 16]},
    ),
    Common(
        "hgb",
        r"hist(?:ogram)?[- ]?(?:based\s+)?gradient[- ]?boost\w*|\blightgbm\b|直方图梯度提升",
        "HistGradientBoostingClassifier",
        "HistGradientBoostingRegressor",
        "sklearn.ensemble",
        "histogram gradient boosting",
        "直方图梯度提升",
        {"learning_rate": [0.05, 0.1], "max_leaf_nodes": [15, 31]},
    ),
    Common(
        "gb",
        r"gradient[- ]?boost\w*|\bgbdt\b|\bgbm\b|\bgbrt\b|梯度提升",
        "GradientBoostingClassifier",
        "GradientBoostingRegressor",
        "sklearn.ensemble",
        "gradient boosting",
        "梯度提升",
        {"n_estimators": [100, 200], "learning_rate": [0.05, 0.1]},
    ),
    Common(
        "et",
        r"extra[- ]?trees|extremely randomi[sz]ed trees|极端随机树|极限树",
        "ExtraTreesClassifier",
        "ExtraTreesRegressor",
        "sklearn.ensemble",
        "extra trees",
        "极端随机树",
        {"n_estimators": [100, 300], "max_depth": [None, 10, 20]},
    ),
    Common(
        "ada",
        r"ada\s*boost\w*",
        "AdaBoostClassifier",
        "AdaBoostRegressor",
        "sklearn.ensemble",
        "AdaBoost",
        "AdaBoost",
        {"n_estimators": [50, 100, 200], "learning_rate": [0.1, 1.0]},
    ),
    Common(
        "nb",
        r"naive\s*bayes|gaussiannb|朴素贝叶斯",
        "GaussianNB",
        None,
        "sklearn.naive_bayes",
        "naive Bayes",
        "朴素贝叶斯",
        {"var_smoothing": [1e-9, 1e-8]},
    ),
    Common(
        "mlp",
        r"\bmlp\b|neural\s*net\w*|multi-?layer perceptron|神经网络|多层感知机",
        "MLPClassifier",
        "MLPRegressor",
        "sklearn.neural_network",
        "a neural network (MLP)",
        "神经网络（MLP）",
        {"alpha": [0.0001, 0.001, 0.01]},
    ),
    Common(
        "ridge",
        r"\bridge\b|岭回归",
        "RidgeClassifier",
        "Ridge",
        "sklearn.linear_model",
        "ridge",
        "岭回归",
        {"alpha": [0.01, 0.1, 1, 10, 100]},
    ),
    Common(
        "lasso",
        r"\blasso\b|套索回归",
        None,
        "Lasso",
        "sklearn.linear_model",
        "lasso",
        "Lasso回归",
        {"alpha": [0.001, 0.01, 0.1, 1]},
    ),
    Common(
        "enet",
        r"elastic[- ]?net|弹性网",
        None,
        "ElasticNet",
        "sklearn.linear_model",
        "elastic net",
        "弹性网络",
        {"alpha": [0.001, 0.01, 0.1, 1], "l1_ratio": [0.2, 0.5, 0.8]},
    ),
    Common(
        "linreg",
        r"linear regression|ordinary least squares|\bols\b|线性回归|最小二乘",
        None,
        "LinearRegression",
        "sklearn.linear_model",
        "linear regression",
        "线性回归",
        {},
    ),
    Common(
        "lda",
        r"\blda\b|linear discriminant|线性判别",
        "LinearDiscriminantAnalysis",
        None,
        "sklearn.discriminant_analysis",
        "linear discriminant analysis",
        "线性判别分析",
        {"solver": ["svd", "lsqr"]},
    ),
    Common(
        "sgd",
        r"\bsgd\b|stochastic gradient descent|随机梯度下降",
        "SGDClassifier",
        "SGDRegressor",
        "sklearn.linear_model",
        "SGD",
        "随机梯度下降",
        {"alpha": [0.0001, 0.001, 0.01]},
    ),
    Common(
        "perceptron",
        r"(?<!layer )\bperceptron\b|(?<!多层)感知机",
        "Perceptron",
        None,
        "sklearn.linear_model",
        "a perceptron",
        "感知机",
        {"alpha": [0.0001, 0.001]},
    ),
)

#: Bundled data sets (they load offline): the pattern, the kind of target, classes (0: none).
DATASETS = {
    "digits": (r"digits?|手写数字", "classifier", 10),
    "iris": (r"iris|鸢尾", "classifier", 3),
    "wine": (r"wine|葡萄酒|红酒", "classifier", 3),
    "breast_cancer": (r"breast[ _-]?cancer|cancer|乳腺癌", "classifier", 2),
    "diabetes": (r"diabetes|糖尿病", "regressor", 0),
}

#: Everyday names of parameters (the estimator's own names always count too).
_ALIASES = {
    "C": r"(?<![a-z0-9_])c(?![a-z0-9_])",
    "gamma": r"gamma|γ",
    "kernel": r"kernel|核函数|核",
    "n_estimators": r"n_estimators|estimators|trees|树的数量|棵树|树",
    "max_depth": r"max_depth|depth|深度",
    "n_neighbors": r"n_neighbors|neighbou?rs|(?<![a-z0-9_])k(?![a-z0-9_])|邻居数?|近邻数",
    "weights": r"weights|权重",
    "learning_rate": r"learning_rate|learning rate|学习率",
    "alpha": r"(?<![a-z0-9_])alpha(?![a-z0-9_])|α|正则化强度|正则化系数",
    "min_samples_leaf": r"min_samples_leaf|samples per leaf|叶子最少样本数",
    "max_leaf_nodes": r"max_leaf_nodes|leaf nodes|叶子节点数",
}
#: Words that stand for themselves as values of a parameter.
WORD_VALUES = {
    "kernel": r"linear|rbf|poly|sigmoid",
    "weights": r"uniform|distance",
    "gamma": r"scale|auto",
    "criterion": r"gini|entropy|log_loss|squared_error|absolute_error|friedman_mse",
    "solver": r"svd|lsqr|eigen|lbfgs|liblinear|newton-cg|sag|saga|adam",
    "penalty": r"l1|l2|elasticnet",
}
_CLASS_SUFFIX = lazy(
    r"(?:classifier|regressor|regression|nb|svc|svr|cv|net|lasso|lars|ridge|perceptron|"
    r"analysis|centroid|propagation|spreading|chain)$",
    re.IGNORECASE,
)
_SEARCHERS = {"gridsearchcv", "randomizedsearchcv", "halvinggridsearchcv", "halvingrandomsearchcv"}
#: Models fitted on standardised features unless the prose says otherwise: those that
#: measure distances or descend gradients (the answer says so). Ridge, lasso and plain least
#: squares are fitted on the features as given: scaling them changes which alpha is best,
#: which no one asked for.
_SCALED_MODULES = ("svm", "neighbors", "neural_network")
_SCALED_CLASSES = ("LogisticRegression", "SGDClassifier", "SGDRegressor", "Perceptron")


@dataclass(frozen=True)
class Estimator:
    """The estimator a plan fits.

    Attributes
    ----------
    key : str
        The common name's key (``"svc"``, ``"tree"``) or the class name.
    cls, module : str
        ``from module import cls`` (the public module).
    kind : str
        ``"classifier"`` or ``"regressor"``.
    params : tuple of str
        The names ``get_params()`` lists.
    """

    key: str
    cls: str
    module: str
    kind: str
    scale: bool
    init: str
    params: tuple[str, ...]
    grid: dict[str, list[Any]]
    name_en: str
    name_zh: str

    @property
    def step(self) -> str:
        return self.cls.lower()


def _class_names(ctx: Context) -> list[str]:
    """Identifiers written as class names (``GradientBoostingRegressor``, ``svr``...)."""
    names = []
    for name in identifiers(ctx.text):
        m = _CLASS_SUFFIX.search(name)
        if (
            m is not None
            and m.start() > 0
            and name not in ctx.namespace
            and name.lower() not in _SEARCHERS
        ):
            names.append(name)
    return names


def _all_estimators() -> dict[str, type]:
    from sklearn.utils import all_estimators

    return {name: cls for name, cls in all_estimators(type_filter=["classifier", "regressor"])}


def find_estimator(ctx: Context) -> tuple[Common | None, str | None]:
    """The common name or the class name the prose gives (or the previous plan's model).

    Raises
    ------
    NeedMore
        When a class-like name is not a scikit-learn classifier or regressor.
    """
    table = {c for common in COMMON for c in (common.classifier, common.regressor) if c}
    for name in _class_names(ctx):
        if name in table:
            return None, name
        known = _all_estimators()
        exact = next((k for k in known if k.lower() == name.lower()), None)
        if exact is not None:
            return None, exact
        close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
        hint_en = f" Did you mean {', '.join(close)}?" if close else ""
        hint_zh = f"您是不是指 {'、'.join(close)}？" if close else ""
        raise Refuse(
            f"scikit-learn has no classifier or regressor named {name}.{hint_en}",
            f"scikit-learn里没有名为{name}的分类器或回归器。{hint_zh}",
        )
    for common in COMMON:
        if ctx.has(common.pattern):
            return common, None
    key = ctx.prev("model")
    if key is not None:
        previous = next((c for c in COMMON if c.key == key), None)
        return (previous, None) if previous else (None, key)
    return None, None


_AS_REGRESSION = (
    r"\bas (?:a )?regression|\bas numbers|\bas (?:a )?continuous|\bregress (?:the )?labels|"
    r"当作回归|当成回归|作为回归|当作数值|当成数值"
)


def _asked_kind(ctx: Context, common: Common | None) -> str | None:
    """ "classifier" or "regressor" when the prose says which, beyond the model's own name."""
    rest = ctx.lower
    if common is not None:
        rest = re.sub(common.pattern, " ", rest, flags=FLAGS)
    if re.search(r"regressor|regression|as numbers|回归器|回归|数值目标", rest, FLAGS):
        return "regressor"
    if re.search(r"classifier|classification|分类器|分类", rest, FLAGS):
        return "classifier"
    return None


def resolve(ctx: Context, common: Common | None, cls_name: str | None, target: str) -> Estimator:
    """The estimator for the named model and the data's target (``classifier``/``regressor``).

    Raises
    ------
    NeedMore
        When the model does not fit the target, or needs a base estimator.
    """
    asked = _asked_kind(ctx, common) if cls_name is None else None
    as_regression = ctx.has(_AS_REGRESSION)
    if cls_name is None:
        assert common is not None
        kind = asked or target
        cls_name = common.classifier if kind == "classifier" else common.regressor
        if cls_name is None:  # the model exists in one kind only
            cls_name = common.regressor or common.classifier
        assert cls_name is not None
        module = common.module
    else:
        module = ""
    cls = _load(cls_name, module)
    from sklearn.base import is_classifier, is_regressor

    required = [
        p.name
        for p in inspect.signature(cls).parameters.values()
        if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if required:
        raise Refuse(
            f"{cls_name} needs {', '.join(required)} (another estimator inside it); "
            "ask for a model that stands alone",
            f"{cls_name}需要参数{', '.join(required)}（内部的另一个模型）；请换一个独立的模型",
        )
    instance = cls()
    kind = (
        "classifier" if is_classifier(instance) else "regressor" if is_regressor(instance) else ""
    )
    if kind == "classifier" and target == "regressor":
        raise Refuse(
            f"{cls_name} is a classifier and this target is continuous; name a regressor",
            f"{cls_name}是分类器，而这个目标是连续值；请换一个回归模型",
        )
    if kind == "regressor" and target == "classifier" and not as_regression:
        raise Refuse(
            f"{cls_name} is a regressor and this target holds class labels; name a "
            "classifier, or say 'as a regression' to fit the labels as numbers",
            f"{cls_name}是回归模型，而这个目标是类别标签；请换一个分类器，"
            "或写明“当作回归”把标签当数值来拟合",
        )
    params = tuple(instance.get_params())
    public = _public_module(cls)
    scale = cls_name in _SCALED_CLASSES or any(
        f".{m}" in public or public.endswith(m) for m in _SCALED_MODULES
    )
    init = ["random_state=0"] if "random_state" in params else []
    if cls_name == "LogisticRegression":
        init.append("max_iter=5000")
    if cls_name.startswith("MLP"):
        init.append("max_iter=2000")
    if common is not None and common.key == "nb":
        scale = False
    return Estimator(
        key=common.key if common is not None else cls_name,
        cls=cls_name,
        module=public,
        kind=kind,
        scale=scale,
        init=", ".join(init),
        params=params,
        grid={k: v for k, v in (common.grid if common else {}).items() if k in params},
        name_en=common.name_en if common is not None else cls_name,
        name_zh=common.name_zh if common is not None else cls_name,
    )


def _load(cls_name: str, module: str) -> type:
    if module:
        found: type = getattr(importlib.import_module(module), cls_name)
        return found
    return _all_estimators()[cls_name]


def _public_module(cls: type) -> str:
    """The shortest ``sklearn.x`` module that exports the class."""
    parts = cls.__module__.split(".")
    for end in range(2, len(parts) + 1):
        name = ".".join(parts[:end])
        if getattr(importlib.import_module(name), cls.__name__, None) is cls:
            return name
    return cls.__module__


def aliases(estimator: Estimator) -> dict[str, str]:
    """For each parameter of the estimator, the pattern that names it in prose."""
    found = {}
    for name in estimator.params:
        if name in _ALIASES:
            found[name] = _ALIASES[name]
        elif "_" in name or len(name) > 3:
            found[name] = rf"(?<![a-z0-9_]){re.escape(name.lower())}(?![a-z0-9_])"
    return found


def model_words() -> str:
    """A pattern for every common model name, and generic model words."""
    names = "|".join(c.pattern for c in COMMON)
    return names + r"|classifier|regressor|estimator|model|分类器|回归器|模型"
