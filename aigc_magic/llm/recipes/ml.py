"""scikit-learn: grid search, cross-validation and the k-means elbow.

Data is one of the bundled sets (digits, iris, wine, breast_cancer: they load offline) or the
user's own ``X`` / ``y``. Models: SVC, RandomForestClassifier, LogisticRegression and
KNeighborsClassifier, with a StandardScaler in front of the three that need scaled features.
Grids come from lists written in the prose (``C in [0.1, 1, 10]``, ``C取0.1、1、10``) or from
sensible defaults, which the plan notes. scikit-learn parallelises with ``n_jobs=-1`` inside a
``parallel_config`` block naming the planner's joblib backend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .._numbers import find_lists, find_numbers, find_range, parse_number, prepare
from ._base import (
    Context,
    NeedMore,
    Params,
    Recipe,
    intended_words,
    is_labels,
    is_matrix,
    missing_name,
    names_of,
    text,
)
from ._codegen import fmt, render
from ._guard import Refuse

__all__ = ["RECIPES"]


@dataclass(frozen=True)
class _Model:
    key: str
    pattern: str
    cls: str
    module: str
    scale: bool
    init: str
    params: dict[str, str]
    grid: dict[str, list[Any]]

    @property
    def step(self) -> str:
        return self.cls.lower()


def _alias(word: str) -> str:
    return rf"(?<![a-z0-9_]){word}(?![a-z0-9_])"


_MODELS = [
    _Model(
        "svc",
        r"\bsvc\b|\bsvm\b|support vector|支持向量",
        "SVC",
        "sklearn.svm",
        True,
        "",
        {"C": _alias("c"), "gamma": r"gamma|γ", "kernel": r"kernel|核函数|核"},
        {"C": [0.1, 1, 10, 100], "gamma": ["scale", 0.01, 0.001]},
    ),
    _Model(
        "rf",
        r"random\s*forest|\brf\b|随机森林",
        "RandomForestClassifier",
        "sklearn.ensemble",
        False,
        "random_state=0",
        {
            "n_estimators": r"n_estimators|estimators|trees|树的数量|棵树|树",
            "max_depth": r"max_depth|depth|深度",
        },
        {"n_estimators": [100, 300], "max_depth": [None, 10, 20]},
    ),
    _Model(
        "logreg",
        r"logistic|logreg|逻辑回归|对数几率",
        "LogisticRegression",
        "sklearn.linear_model",
        True,
        "max_iter=5000",
        {"C": _alias("c")},
        {"C": [0.01, 0.1, 1, 10, 100]},
    ),
    _Model(
        "knn",
        r"knn|k-nn|nearest[ -]neighbou?rs?|k近邻|k-近邻|最近邻|近邻",
        "KNeighborsClassifier",
        "sklearn.neighbors",
        True,
        "",
        {
            "n_neighbors": r"n_neighbors|neighbou?rs|" + _alias("k") + r"|邻居数?|近邻数",
            "weights": r"weights|权重",
        },
        {"n_neighbors": [1, 3, 5, 7, 9, 11], "weights": ["uniform", "distance"]},
    ),
    _Model(
        "tree",
        r"decision\s*trees?|\bcart\b|决策树",
        "DecisionTreeClassifier",
        "sklearn.tree",
        False,
        "random_state=0",
        {"max_depth": r"max_depth|depth|深度", "min_samples_leaf": r"min_samples_leaf"},
        {"max_depth": [None, 2, 4, 8, 16]},
    ),
    _Model(
        "gb",
        r"gradient\s*boost\w*|\bgbdt\b|\bgbm\b|梯度提升",
        "GradientBoostingClassifier",
        "sklearn.ensemble",
        False,
        "random_state=0",
        {
            "n_estimators": r"n_estimators|estimators|trees|树",
            "learning_rate": r"learning_rate|learning rate|学习率",
            "max_depth": r"max_depth|depth|深度",
        },
        {"n_estimators": [100, 200], "learning_rate": [0.05, 0.1]},
    ),
    _Model(
        "nb",
        r"naive\s*bayes|gaussiannb|朴素贝叶斯",
        "GaussianNB",
        "sklearn.naive_bayes",
        False,
        "",
        {"var_smoothing": r"var_smoothing"},
        {"var_smoothing": [1e-9, 1e-8]},
    ),
]
_WORD_VALUES = {
    "kernel": r"linear|rbf|poly|sigmoid",
    "weights": r"uniform|distance",
    "gamma": r"scale|auto",
}
_DATASETS = {
    "digits": r"digits?|手写数字",
    "iris": r"iris|鸢尾",
    "wine": r"wine|葡萄酒|红酒",
    "breast_cancer": r"breast[ _-]?cancer|cancer|乳腺癌",
}
_SCORING = [
    ("f1_macro", r"\bf1|f-score|f分数"),
    ("roc_auc", r"\bauc\b|roc"),
    ("balanced_accuracy", r"balanced accuracy|平衡准确率"),
]
_LEAD = re.compile(
    r"^\s*(?:(?:=|:|∈|in|among|of|from|over|values?|options?|choices?|are|is|"
    r"being|try|trying|取值|取|为|是|候选值?|分别|设为|设置为|可选|试试|试|尝试|用|选)"
    r"\s*)*",
    re.IGNORECASE,
)
_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_DATA_WORDS = [
    rf"\b(?:on|with|using|for|to|fit)\s+(?:my\s+|the\s+)?{_NAME}\s*(?:,|and|&)\s*"
    rf"{_NAME}",
    rf"(?:用|在|对|基于|拿)\s*{_NAME}\s*(?:,|和|与|、)\s*{_NAME}",
    rf"\b(?:on|with|using|to|fit)\s+(?:my\s+|the\s+)?{_NAME}\b(?!\s*(?:,|and|&))",
]
_DATA_STOP = {
    "the",
    "a",
    "an",
    "my",
    "data",
    "dataset",
    "digits",
    "iris",
    "wine",
    "svc",
    "svm",
    "knn",
    "rf",
    "it",
    "this",
    "cv",
    "c",
    "gamma",
    "kernel",
    "cancer",
    "breast",
    "random",
    "logistic",
    "folds",
    "fold",
    "default",
    "defaults",
    "grid",
    "k",
    "sklearn",
    "scikit",
    "features",
    "labels",
    "all",
    "cores",
    "accuracy",
}


# --------------------------------------------------------------------------- reading prose


def _values_after(after: str) -> list[Any] | None:
    """The value(s) written right after a parameter name: a list, a range or one value."""
    rest = _LEAD.sub("", after, count=1)
    if rest and rest[0] in "[({":
        close = {"[": "]", "(": ")", "{": "}"}[rest[0]]
        end = rest.find(close)
        if end > 0:
            items = [t.strip(" '\"") for t in re.split(r"[,、;]|\s+or\s+|\s+and\s+", rest[1:end])]
            return [_value(t) for t in items if t]
    head = prepare(rest[:60])
    rng = find_range(head)
    starts_with_range = head.lstrip()[:1].isdigit() or head.lower().lstrip().startswith(
        ("from", "从", "between")
    )
    if rng is not None and isinstance(rng.start, int) and starts_with_range:
        stop = int(rng.stop) + (1 if rng.inclusive else 0)
        if stop - int(rng.start) <= 200:
            return list(range(int(rng.start), stop))
    lists = find_lists(head)
    if lists and lists[0][0] <= 1:
        return lists[0][1]
    if re.match(r"\s*(?:none|无|不限)", rest, re.IGNORECASE):
        return [None]
    numbers = find_numbers(head)
    if numbers and not head[: numbers[0].start].strip():
        return [numbers[0].value]
    return None


def _value(token: str) -> Any:
    if token.lower() in ("none", "null", "无", "不限"):
        return None
    number = parse_number(token)
    return number if number is not None else token


def _model(ctx: Context) -> _Model | None:
    for model in _MODELS:
        if ctx.has(model.pattern):
            return model
    key = ctx.prev("model")
    return next((m for m in _MODELS if m.key == key), None)


def _grid_values(ctx: Context, model: _Model) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    bare: list[str] = []  # parameters named without values right after them
    for name, alias in model.params.items():
        for m in re.finditer(alias, ctx.lower, re.ASCII):
            values = _values_after(ctx.text[m.end() : m.end() + 80])
            if values:
                found[name] = values
                break
        if name in _WORD_VALUES and name not in found and ctx.has(alias):
            words = re.findall(_WORD_VALUES[name], ctx.lower, re.ASCII)
            if words:
                found[name] = list(dict.fromkeys(words))
        if name not in found and ctx.has(alias):
            bare.append(name)
    # "the best C ... candidates 0.1, 1 and 10": one named parameter, one list left over
    spare = [values for _, values in ctx.lists() if values not in found.values()]
    if len(bare) == 1 and len(spare) == 1:
        found[bare[0]] = spare[0]
    return found


def _data(ctx: Context, *, need_y: bool) -> Params:
    for name, pattern in _DATASETS.items():
        if ctx.has(pattern):
            return {"dataset": name}
    words = intended_words(ctx, _DATA_WORDS, _DATA_STOP)
    explicit = [w for w in words if re.fullmatch(r"[Xx](?:_\w+)?|[yY](?:_\w+)?|[A-Z]\w*", w)]
    for word in explicit:
        if word not in ctx.namespace:
            fits = is_labels if word.lower().startswith("y") else is_matrix
            raise missing_name(ctx, word, fits, "data", "数据")
    xs = names_of(ctx, is_matrix)
    if xs:
        ys = [n for n in names_of(ctx, is_labels) if n != xs[0]] if need_y else []
        if need_y and not ys:
            raise NeedMore(
                f"found the features {xs[0]} but no labels; name them too, e.g. 'on {xs[0]} and y'",
                f"找到了特征{xs[0]}，但没有标签，请一并写出，例如“用{xs[0]}和y”",
            )
        return {"X": xs[0], "y": ys[0]} if need_y else {"X": xs[0]}
    if ctx.previous is not None:
        return {k: ctx.previous[k] for k in ("dataset", "X", "y") if k in ctx.previous}
    raise NeedMore(
        "say which data: a bundled data set (digits, iris, wine, breast_cancer) or "
        "your own X and y",
        "请说明数据：内置数据集（digits、iris、wine、breast_cancer）或您自己的X和y",
    )


def _cv(ctx: Context) -> int:
    m = ctx.tsearch(r"#(\d+)#\s*-?\s*(?:fold|折|次交叉)|(?:cv|folds?|折数)\s*[=:为]?\s*#(\d+)#")
    if m:
        return int(ctx.num(m.group(1) or m.group(2)))
    if ctx.previous is None:
        ctx.note("5-fold cross-validation", "5折交叉验证")
    return int(ctx.prev("cv", 5))


def _scoring(ctx: Context) -> str | None:
    return next((s for s, p in _SCORING if ctx.has(p)), ctx.prev("scoring"))


def _need_model(ctx: Context) -> _Model:
    model = _model(ctx)
    if model is None:
        raise NeedMore(
            "say which model: SVC, random forest, logistic regression, KNN, a "
            "decision tree, gradient boosting or naive Bayes",
            "请说明模型：SVC、随机森林、逻辑回归、KNN、决策树、梯度提升或朴素贝叶斯",
        )
    return model


def _grid_extract(ctx: Context) -> Params:
    model = _need_model(ctx)
    params: Params = {"model": model.key, **_data(ctx, need_y=True)}
    grid = _grid_values(ctx, model)
    if ctx.previous is not None and ctx.prev("model") == model.key:
        grid = {**ctx.prev("grid", {}), **grid}
    if not grid:
        grid = {name: list(values) for name, values in model.grid.items()}
    if grid == model.grid and ctx.previous is None:
        ctx.note(
            "default grid " + ", ".join(f"{k}={v}" for k, v in grid.items()),
            "默认参数网格 " + "，".join(f"{k}={v}" for k, v in grid.items()),
        )
    params.update(grid=grid, cv=_cv(ctx), scoring=_scoring(ctx))
    return params


def _cv_extract(ctx: Context) -> Params:
    model = _need_model(ctx)
    params: Params = {"model": model.key, **_data(ctx, need_y=True)}
    settings: dict[str, Any] = {}
    for name, values in _grid_values(ctx, model).items():
        if len(values) != 1:
            raise NeedMore(
                f"several values for {name}: ask for a grid search to compare them",
                f"{name}有多个取值：要比较它们请改用网格搜索",
            )
        settings[name] = values[0]
    if ctx.previous is not None and ctx.prev("model") == model.key:
        settings = {**ctx.prev("settings", {}), **settings}
    params.update(settings=settings, cv=_cv(ctx), scoring=_scoring(ctx))
    return params


def _kmeans_extract(ctx: Context) -> Params:
    if ctx.has(r"silhouette|calinski|davies|bouldin|轮廓|gap statistic|\bbic\b|\baic\b"):
        raise Refuse(
            "the k-means recipe reports the elbow of the inertia, not the score you "
            "name; it will not answer with another metric",
            "k均值配方只给出惯性的肘部，不是您要的指标；不会用别的指标代替",
            with_help=True,
        )
    params: Params = _data(ctx, need_y=False)
    params.pop("y", None)
    rng = ctx.range()
    if rng is not None and isinstance(rng.start, int) and isinstance(rng.stop, int):
        ks = list(range(max(1, int(rng.start)), int(rng.stop) + (1 if rng.inclusive else 0)))
    elif (bound := ctx.bound()) is not None:
        ks = list(range(1, int(bound.value) + (1 if bound.inclusive else 0)))
    else:
        ks = ctx.prev("ks", list(range(1, 11)))
        if ctx.previous is None:
            ctx.note("k from 1 to 10", "k从1到10")
    if len(ks) < 3 or ks[-1] > 200:
        raise NeedMore(
            "give a k range of at least three values, up to 200, e.g. 'k from 1 to 10'",
            "请给出至少三个k值（不超过200），例如“k从1到10”",
        )
    ctx.note(
        "features standardised first; KMeans(n_init=10, random_state=0)",
        "先标准化特征；KMeans(n_init=10, random_state=0)",
    )
    params["ks"] = ks
    return params


# --------------------------------------------------------------------------- code


def _data_call(params: Params) -> tuple[str, str]:
    """(import line, arguments) for the data the plan uses."""
    if "dataset" in params:
        name = params["dataset"]
        return f"from sklearn.datasets import load_{name}\n", f"*load_{name}(return_X_y=True)"
    return "", f"{params['X']}, {params['y']}" if "y" in params else params["X"]


def _estimator(model: _Model, settings: dict[str, Any]) -> tuple[str, str]:
    args = [model.init] if model.init else []
    args += [f"{k}={v!r}" for k, v in settings.items()]
    core = f"{model.cls}({', '.join(args)})"
    imports = f"from {model.module} import {model.cls}\n"
    if model.scale:
        imports += (
            "from sklearn.pipeline import make_pipeline\n"
            "from sklearn.preprocessing import StandardScaler\n"
        )
        return imports, f"make_pipeline(StandardScaler(), {core})"
    return imports, core


def _imports(*blocks: str) -> str:
    """The import lines of a plan, one per line, sorted as isort would."""
    lines = {"from joblib import parallel_config"}
    for block in blocks:
        lines.update(line for line in block.splitlines() if line.strip())
    return "\n".join(sorted(lines))


def _grid_code(params: Params) -> str:
    model = next(m for m in _MODELS if m.key == params["model"])
    data_import, data_args = _data_call(params)
    imports, estimator = _estimator(model, {})
    prefix = f"{model.step}__" if model.scale else ""
    grid = "{" + ", ".join(f"{prefix + k!r}: {v!r}" for k, v in params["grid"].items()) + "}"
    return render(
        '''
$IMPORTS


def _aigc_grid_search(X, y):
    """Exhaustive grid search with $CV-fold cross-validation; returns the best parameters."""
    model = $ESTIMATOR
    grid = $GRID
    search = GridSearchCV(model, grid, cv=$CV, scoring=$SCORING, n_jobs=-1)
    with parallel_config(backend=$BACKEND):  # scikit-learn's n_jobs=-1 runs on this backend
        search.fit(X, y)
    return {name.split("__")[-1]: value for name, value in search.best_params_.items()}


result = _aigc_grid_search($DATA_ARGS)
''',
        IMPORTS=_imports(data_import, imports, "from sklearn.model_selection import GridSearchCV"),
        ESTIMATOR=estimator,
        GRID=grid,
        CV=str(params["cv"]),
        SCORING=repr(params["scoring"]),
        DATA_ARGS=data_args,
    )


def _cv_code(params: Params) -> str:
    model = next(m for m in _MODELS if m.key == params["model"])
    data_import, data_args = _data_call(params)
    imports, estimator = _estimator(model, params["settings"])
    return render(
        '''
$IMPORTS


def _aigc_cross_validate(X, y):
    """Mean score over $CV cross-validation folds, the folds fitted in parallel."""
    model = $ESTIMATOR
    with parallel_config(backend=$BACKEND):  # scikit-learn's n_jobs=-1 runs on this backend
        scores = cross_val_score(model, X, y, cv=$CV, scoring=$SCORING, n_jobs=-1)
    return float(scores.mean())


result = _aigc_cross_validate($DATA_ARGS)
''',
        IMPORTS=_imports(
            data_import, imports, "from sklearn.model_selection import cross_val_score"
        ),
        ESTIMATOR=estimator,
        CV=str(params["cv"]),
        SCORING=repr(params["scoring"]),
        DATA_ARGS=data_args,
    )


def _kmeans_code(params: Params) -> str:
    if "dataset" in params:
        data_import = f"from sklearn.datasets import load_{params['dataset']}\n"
        data = f"load_{params['dataset']}().data"
    else:
        data_import, data = "", params["X"]
    return render(
        '''
import numpy as np
from joblib import Parallel, delayed
from sklearn.cluster import KMeans
${DATA_IMPORT}from sklearn.preprocessing import StandardScaler


def _aigc_inertia(X, k):
    return float(KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_)


def _aigc_elbow(ks, inertias):
    """The k farthest below the chord from the first to the last point of the scaled curve."""
    x = (np.asarray(ks, dtype=float) - ks[0]) / (ks[-1] - ks[0])
    span = (inertias[0] - inertias[-1]) or 1.0
    y = (np.asarray(inertias) - inertias[-1]) / span
    return int(ks[int(np.argmax(np.abs(x + y - 1.0)))])  # the chord is x + y = 1


def _aigc_kmeans_elbow(X, ks):
    """Inertia for every k (one k-means fit per task) and the suggested elbow."""
    X = StandardScaler().fit_transform(X)
    inertias = $PARALLEL(delayed(_aigc_inertia)(X, k) for k in ks)
    return {"inertias": dict(zip(ks, inertias)), "elbow": _aigc_elbow(ks, inertias)}


result = _aigc_kmeans_elbow($DATA, $KS)
''',
        DATA_IMPORT=data_import,
        DATA=data,
        KS=_ks_literal(params["ks"]),
    )


def _ks_literal(ks: list[int]) -> str:
    if ks == list(range(ks[0], ks[-1] + 1)):
        return f"list(range({ks[0]}, {ks[-1] + 1}))"
    return repr(ks)


# --------------------------------------------------------------------------- words

_MODEL_NAMES = {
    "svc": ("an SVC", "SVC"),
    "rf": ("a random forest", "随机森林"),
    "logreg": ("logistic regression", "逻辑回归"),
    "knn": ("KNN", "KNN"),
    "tree": ("a decision tree", "决策树"),
    "gb": ("gradient boosting", "梯度提升"),
    "nb": ("naive Bayes", "朴素贝叶斯"),
}


def _data_name(params: Params) -> str:
    if "dataset" in params:
        return params["dataset"]
    return f"{params['X']}, {params['y']}" if "y" in params else params["X"]


def _grid_summary(params: Params, lang: str) -> str:
    en, zh = _MODEL_NAMES[params["model"]]
    grid = ", ".join(f"{k} in {v}" for k, v in params["grid"].items())
    return text(
        lang,
        f"Grid-search {en} on {_data_name(params)} over {grid} ({params['cv']}-fold CV)",
        f"在{_data_name(params)}上对{zh}做网格搜索：{grid}（{params['cv']}折交叉验证）",
    )


def _grid_answer(params: Params, value: Any, lang: str) -> str:
    en, zh = _MODEL_NAMES[params["model"]]
    best = ", ".join(f"{k}={v!r}" for k, v in dict(value).items())
    return text(
        lang,
        f"The best parameters for {en} on {_data_name(params)} are {best} "
        f"({params['cv']}-fold cross-validation).",
        f"{zh}在{_data_name(params)}上的最优参数是{best}（{params['cv']}折交叉验证）。",
    )


def _cv_summary(params: Params, lang: str) -> str:
    en, zh = _MODEL_NAMES[params["model"]]
    return text(
        lang,
        f"Cross-validate {en} on {_data_name(params)} ({params['cv']} folds)",
        f"在{_data_name(params)}上对{zh}做{params['cv']}折交叉验证",
    )


def _cv_answer(params: Params, value: Any, lang: str) -> str:
    en, zh = _MODEL_NAMES[params["model"]]
    metric = params.get("scoring") or "accuracy"
    return text(
        lang,
        f"{en[0].upper() + en[1:]} scores a mean {metric} of {fmt(value)} over "
        f"{params['cv']} folds on {_data_name(params)}.",
        f"{zh}在{_data_name(params)}上{params['cv']}折交叉验证的平均{metric}为{fmt(value)}。",
    )


def _kmeans_summary(params: Params, lang: str) -> str:
    ks = params["ks"]
    return text(
        lang,
        f"k-means elbow on {_data_name(params)} for k = {ks[0]}..{ks[-1]}",
        f"在{_data_name(params)}上对k={ks[0]}..{ks[-1]}做k-means肘部法",
    )


def _kmeans_answer(params: Params, value: Any, lang: str) -> str:
    ks = params["ks"]
    elbow = dict(value).get("elbow")
    return text(
        lang,
        f"Computed the k-means inertia for k = {ks[0]}..{ks[-1]} on "
        f"{_data_name(params)}; the elbow suggests k = {elbow}.",
        f"已在{_data_name(params)}上计算k={ks[0]}..{ks[-1]}的k-means惯性，肘部法建议k={elbow}。",
    )


_MODEL_ANY = "|".join(m.pattern for m in _MODELS) + r"|classifier|model|分类器|模型"
_SEARCH = (
    r"grid|search|\btun|hyper-?param|\bbest\b|optimal|optimi[sz]|网格|调参|超参|最优|最佳|"
    r"最好|搜索"
)

RECIPES = [
    Recipe(
        id="ml.grid_search",
        anchors=rf"(?=.*(?:{_SEARCH}))(?=.*(?:{_MODEL_ANY}))",
        examples_en=(
            "grid search an SVC on digits with C in [0.1, 1, 10]",
            "tune the hyperparameters of a random forest on the wine data",
            "find the best C for logistic regression on breast_cancer among 0.01, 0.1 and 1",
            "grid search KNN on iris with n_neighbors from 1 to 15",
            "hyperparameter search for svm on X, y with gamma in [0.001, 0.01]",
            "best n_estimators and max_depth for a random forest on digits",
            "GridSearchCV over C and gamma for SVC, 5-fold, iris data set",
        ),
        examples_zh=(
            "在digits数据集上对SVC做网格搜索，C取0.1、1、10",
            "用网格搜索调随机森林在wine上的超参数",
            "逻辑回归在乳腺癌数据上找最优的C，候选0.01、0.1和1",
            "对iris用KNN做网格搜索，k从1到15",
            "用X和y对支持向量机调参，gamma取0.001和0.01",
            "随机森林在手写数字数据集上的最佳树的数量和深度",
            "网格搜索SVC的C和gamma，5折交叉验证，鸢尾花数据",
        ),
        extract=_grid_extract,
        code=_grid_code,
        summary=_grid_summary,
        answer=_grid_answer,
        demo="grid search an SVC on digits with C in [0.1, 1, 10]",
    ),
    Recipe(
        id="ml.cross_val",
        anchors=rf"(?=.*(?:cross[- ]?val|\bcv\b|fold|交叉验证|折))(?!.*(?:{_SEARCH}))",
        examples_en=(
            "cross-validate an SVC on digits",
            "5-fold cross validation score of a random forest on wine",
            "mean CV accuracy of logistic regression on breast_cancer",
            "10-fold cross-validation of KNN with k=5 on iris",
            "cross validate SVC with C=10 on X and y",
            "what is the cross-validated accuracy of a random forest on the digits data",
        ),
        examples_zh=(
            "对digits上的SVC做交叉验证",
            "随机森林在wine数据集上的5折交叉验证得分",
            "逻辑回归在乳腺癌数据上的交叉验证平均准确率",
            "KNN（k=5）在鸢尾花数据上做10折交叉验证",
            "用X和y对C=10的SVC做交叉验证",
            "随机森林在手写数字上交叉验证的准确率是多少",
        ),
        extract=_cv_extract,
        code=_cv_code,
        summary=_cv_summary,
        answer=_cv_answer,
        demo="5-fold cross-validation of an SVC on digits",
    ),
    Recipe(
        id="kmeans.elbow",
        anchors=r"k-?means|elbow|肘|k-?均值|聚类|cluster",
        examples_en=(
            "k-means elbow on iris for k from 1 to 10",
            "find the elbow of the kmeans inertia curve on wine",
            "how many clusters does the digits data have by the elbow method",
            "kmeans inertia for k = 2..12 on my X",
            "elbow method for k-means clustering on breast_cancer",
            "plot-free elbow: k-means inertias for k up to 15 on iris",
        ),
        examples_zh=(
            "在鸢尾花数据上用肘部法选k-means的k，k从1到10",
            "wine数据集k均值聚类的肘部",
            "用肘部法则判断digits适合分几类",
            "对我的X做kmeans，k取2到12，算惯性",
            "乳腺癌数据k-means肘部法",
            "对iris做k均值聚类，k最多15，找拐点",
        ),
        extract=_kmeans_extract,
        code=_kmeans_code,
        summary=_kmeans_summary,
        answer=_kmeans_answer,
        demo="k-means elbow on iris for k from 1 to 10",
    ),
]
