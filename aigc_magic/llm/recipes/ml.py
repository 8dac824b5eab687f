"""scikit-learn: grid search and cross-validation of any classifier or regressor named.

Data is one of the bundled sets (digits, iris, wine, breast_cancer, diabetes: they load
offline) or the user's own ``X`` / ``y``. The model comes from :mod:`._estimators` (a
common name in English or Chinese, or a class name from ``all_estimators``), a classifier or
a regressor as the target needs, with a StandardScaler in front of the models that need
scaled features. Grids come from lists written in the prose (``C in [0.1, 1, 10]``,
``C取0.1、1、10``) or, for the common models, from sensible defaults, which the plan notes.
The score asked for is used or refused. scikit-learn parallelises with ``n_jobs=-1`` inside
a ``parallel_config`` block naming the planner's joblib backend.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import (
    FLAGS,
    Context,
    NeedMore,
    Params,
    Recipe,
    text,
)
from ._codegen import fmt, render
from ._estimators import COMMON, DATASETS, Estimator, find_estimator, model_words, resolve
from ._guard import Refuse
from ._mlprose import grid_values, read_data, scoring, target_of

__all__ = ["RECIPES"]


def _cv(ctx: Context) -> int:
    m = ctx.tsearch(r"#(\d+)#\s*-?\s*(?:fold|折|次交叉)|(?:cv|folds?|折数)\s*[=:为]?\s*#(\d+)#")
    if m:
        return int(ctx.num(m.group(1) or m.group(2)))
    if ctx.previous is None:
        ctx.note("5-fold cross-validation", "5折交叉验证")
    return int(ctx.prev("cv", 5))


def _target(ctx: Context, data: Params) -> tuple[str, int]:
    """The kind of target (``classifier``/``regressor``) and the number of classes."""
    if "dataset" in data:
        _, kind, classes = DATASETS[data["dataset"]]
        return kind, classes
    return target_of(ctx.namespace[data["y"]])


_OUTSIDE = (
    r"confusion|feature importances?|importances?|coefficients?|\bcoef|predict\w*|\bsplits?\b|"
    r"hold-?out|test set|testing set|training set|train set|learning curve|roc curve|"
    r"train(?:ing)? data|train(?:ing)? samples|in-sample|训练数据|"
    r"\btest (?:accuracy|score|error|r2|f1)|\btrain(?:ing)? (?:accuracy|score|error)|"
    r"测试准确率|测试分数|训练准确率|"
    r"\brows?\b|\bsamples?\b|subsample of|混淆矩阵|特征重要性|重要性|预测|(?<![定廓])系数|划分|"
    r"测试集|训练集|学习曲线|前\s*\d+\s*行|行数据|shuffl\w*|repeated|leave-one-out|\bloocv\b|"
    r"group k-?fold|time series|\bpca\b|polynomial features|smote|oversampl\w*|undersampl\w*|"
    r"打乱|重复|留一|主成分|过采样|欠采样|\bonly\b|\bsubset\b|\bfirst\s+#?\d|\blast\s+#?\d|"
    r"minmax|robustscaler|normali[sz]\w*|只用|仅用|仅使用|只使用|归一化"
)
_NO_SCALING = (
    r"without (?:feature )?(?:scaling|standardi[sz]\w*)|no (?:feature )?scaling|unscaled|"
    r"raw features|不(?:做|进行)?标准化|不缩放"
)
_SCALING = (
    r"(?<!without )(?<!no )(?:standardi[sz]e\w*|scal(?:e|ed|ing) (?:the )?features|"
    r"standardscaler)|(?<!不)标准化"
)
_BEST_SCORE = (
    r"best score|highest score|best (?:cv |cross-validated )?(?:accuracy|f1|r2)|最高分|"
    r"最好的分数|最佳得分|最高的?准确率"
)


def _only_what_is_computed(ctx: Context) -> None:
    """Refuse a prose that asks for more than a cross-validated score or the best parameters."""
    m = ctx.search(_OUTSIDE)
    if m is not None:
        raise Refuse(
            f"this task reports a cross-validated score (or a grid search's best parameters) "
            f"on the whole data set; it does not do '{m.group(0)}'",
            f"这个任务只给出整个数据集上的交叉验证得分（或网格搜索的最优参数），不做“{m.group(0)}”",
            with_help=True,
        )


def _every_number_used(ctx: Context, params: Params) -> None:
    """Refuse when the prose has a number the plan does not use (folds, grid, settings)."""
    used: list[Any] = [params["cv"]]
    for values in params.get("grid", {}).values():
        used.extend(values)
    used.extend(params.get("settings", {}).values())
    numbers = [u for u in used if isinstance(u, (int, float)) and not isinstance(u, bool)]
    metric = {  # the 2 of "R^2" names the score
        int(k) for k in re.findall(r"(?<![a-z])r\s*(?:\^|\*\*)\s*#(\d+)#", ctx.template, FLAGS)
    }
    unused = [
        n.text
        for i, n in enumerate(ctx.numbers)
        if i not in metric and not any(n.value == u for u in numbers)
    ]
    if unused:
        raise Refuse(
            f"the prose has {', '.join(unused)}, which this task does not use (it reads the "
            "number of folds and parameter values); say what it is for",
            f"这段话里的{'、'.join(unused)}在这个任务里用不上（只读取折数和参数取值）；请说明它的用途",
            with_help=True,
        )


def _model(ctx: Context, *, held_out: bool = False) -> tuple[Estimator, Params]:
    """The estimator, the data and the scoring the prose asks for (``held_out``: the caller
    scores on a test split and checks the prose itself)."""
    if not held_out:
        _only_what_is_computed(ctx)
    common, cls_name = find_estimator(ctx)
    if common is None and cls_name is None:
        raise NeedMore(
            "say which model, by its name (a decision tree, gradient boosting, ridge, KNN, "
            "an SVM, 随机森林...) or its scikit-learn class (GradientBoostingClassifier)",
            "请说明模型：常用名（决策树、梯度提升、岭回归、KNN、支持向量机、随机森林……）"
            "或scikit-learn的类名（GradientBoostingClassifier）",
        )
    data = read_data(ctx, need_y=True)
    kind, classes = _target(ctx, data)
    model = resolve(ctx, common, cls_name, kind)
    if model.kind != kind:
        ctx.note(
            f"the class labels fitted as numbers by {model.cls}",
            f"用{model.cls}把类别标签当作数值来拟合",
        )
    params: Params = {
        "model": model.key,
        "estimator": model.cls,
        "module": model.module,
        "kind": model.kind,
        "scale": model.scale,
        "init": model.init,
        **data,
    }
    params["scoring"] = scoring(ctx, model.kind, classes)
    # The model a person names is the model fitted: features are standardised only when
    # the prose asks (two blind held-out sets expected a plain SVC for "an SVC"), and a
    # model that usually wants scaled features says it was fitted on them as they are
    params["scale"] = bool(ctx.has(_SCALING)) and not ctx.has(_NO_SCALING)
    if model.scale and not params["scale"]:
        ctx.note(
            "features used as they are (say 'standardised' to scale them first)",
            "特征未做标准化（需要时请写“标准化”）",
        )
    if params["scale"]:
        ctx.note("features standardised first (StandardScaler)", "先标准化特征（StandardScaler）")
    return model, params


_NOT_TUNED = {"random_state", "n_jobs", "verbose", "copy_X", "warm_start"}


def _grid_extract(ctx: Context) -> Params:
    model, params = _model(ctx)
    grid = grid_values(ctx, model)
    if ctx.previous is not None and ctx.prev("model") == model.key:
        grid = {**ctx.prev("grid", {}), **grid}
    if not grid:
        if not model.grid:
            some = ", ".join(p for p in model.params if p not in _NOT_TUNED)[:80]
            raise NeedMore(
                f"say which parameters of {model.cls} to try and their values ({some}...)",
                f"请说明{model.cls}要尝试的参数和取值（{some}……）",
            )
        grid = {name: list(values) for name, values in model.grid.items()}
    if grid == model.grid and ctx.previous is None:
        ctx.note(
            "default grid " + ", ".join(f"{k}={v}" for k, v in grid.items()),
            "默认参数网格 " + "，".join(f"{k}={v}" for k, v in grid.items()),
        )
    params.update(grid=grid, cv=_cv(ctx), report_score=ctx.has(_BEST_SCORE))
    _every_number_used(ctx, params)
    return params


def _cv_extract(ctx: Context) -> Params:
    model, params = _model(ctx)
    settings: dict[str, Any] = {}
    for name, values in grid_values(ctx, model).items():
        if len(values) != 1:
            raise NeedMore(
                f"several values for {name}: ask for a grid search to compare them",
                f"{name}有多个取值：要比较它们请改用网格搜索",
            )
        settings[name] = values[0]
    if ctx.previous is not None and ctx.prev("model") == model.key:
        settings = {**ctx.prev("settings", {}), **settings}
    params.update(settings=settings, cv=_cv(ctx))
    _every_number_used(ctx, params)
    return params


# --------------------------------------------------------------------------- code


def _data_call(params: Params) -> tuple[str, str]:
    """(import line, arguments) for the data the plan uses."""
    if "dataset" in params:
        name = params["dataset"]
        return f"from sklearn.datasets import load_{name}\n", f"*load_{name}(return_X_y=True)"
    return "", f"{params['X']}, {params['y']}" if "y" in params else params["X"]


def _estimator(params: Params, settings: dict[str, Any]) -> tuple[str, str]:
    # the recipe's defaults ("random_state=0") give way to a setting the prose states
    defaults = [a for a in params["init"].split(", ") if a] if params["init"] else []
    args = [a for a in defaults if a.split("=", 1)[0].strip() not in settings]
    args += [f"{k}={v!r}" for k, v in settings.items()]
    cls = params["estimator"]
    core = f"{cls}({', '.join(args)})"
    imports = f"from {params['module']} import {cls}\n"
    if params["scale"]:
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
    data_import, data_args = _data_call(params)
    # a setting given one value ("the rbf kernel") is fixed on the model, not searched, so the
    # best parameters are the ones asked for
    searched = {k: v for k, v in params["grid"].items() if len(v) > 1} or params["grid"]
    fixed = {k: v[0] for k, v in params["grid"].items() if k not in searched}
    imports, estimator = _estimator(params, fixed)
    prefix = f"{params['estimator'].lower()}__" if params["scale"] else ""
    grid = "{" + ", ".join(f"{prefix + k!r}: {v!r}" for k, v in searched.items()) + "}"
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
    best = {name.split("__")[-1]: value for name, value in search.best_params_.items()}
    return $RETURN


result = _aigc_grid_search($DATA_ARGS)
''',
        IMPORTS=_imports(data_import, imports, "from sklearn.model_selection import GridSearchCV"),
        ESTIMATOR=estimator,
        GRID=grid,
        CV=str(params["cv"]),
        SCORING=repr(params["scoring"]),
        RETURN=(
            '{"best_params": best, "best_score": float($SIGNsearch.best_score_)}'.replace(
                "$SIGN", "-" if str(params["scoring"]).startswith("neg_") else ""
            )
            if params.get("report_score")
            else "best"
        ),
        DATA_ARGS=data_args,
    )


def _cv_code(params: Params) -> str:
    data_import, data_args = _data_call(params)
    imports, estimator = _estimator(params, params["settings"])
    negated = str(params["scoring"]).startswith("neg_")
    return render(
        '''
$IMPORTS


def _aigc_cross_validate(X, y):
    """Mean score over $CV cross-validation folds, the folds fitted in parallel."""
    model = $ESTIMATOR
    with parallel_config(backend=$BACKEND):  # scikit-learn's n_jobs=-1 runs on this backend
        scores = cross_val_score(model, X, y, cv=$CV, scoring=$SCORING, n_jobs=-1)
    return float(${SIGN}scores.mean())$SIGN_NOTE


result = _aigc_cross_validate($DATA_ARGS)
''',
        IMPORTS=_imports(
            data_import, imports, "from sklearn.model_selection import cross_val_score"
        ),
        ESTIMATOR=estimator,
        CV=str(params["cv"]),
        SCORING=repr(params["scoring"]),
        SIGN="-" if negated else "",
        SIGN_NOTE="  # scikit-learn negates errors so that higher is better" if negated else "",
        DATA_ARGS=data_args,
    )


# --------------------------------------------------------------------------- words

_METRICS = {
    None: ("accuracy", "准确率"),
    "accuracy": ("accuracy", "准确率"),
    "balanced_accuracy": ("balanced accuracy", "平衡准确率"),
    "f1": ("F1", "F1"),
    "f1_macro": ("macro F1", "宏平均F1"),
    "precision": ("precision", "精确率"),
    "precision_macro": ("macro precision", "宏平均精确率"),
    "recall": ("recall", "召回率"),
    "recall_macro": ("macro recall", "宏平均召回率"),
    "roc_auc": ("ROC AUC", "ROC AUC"),
    "roc_auc_ovr": ("ROC AUC (one-vs-rest)", "ROC AUC（一对其余）"),
    "neg_log_loss": ("log loss", "对数损失"),
    "r2": ("R²", "R²"),
    "neg_mean_squared_error": ("mean squared error", "均方误差"),
    "neg_root_mean_squared_error": ("root mean squared error", "均方根误差"),
    "neg_mean_absolute_error": ("mean absolute error", "平均绝对误差"),
}


def _metric(params: Params, lang: str) -> str:
    scoring_name = params.get("scoring")
    if scoring_name is None and params.get("kind") == "regressor":
        scoring_name = "r2"
    en, zh = _METRICS.get(scoring_name, (str(scoring_name), str(scoring_name)))
    return zh if lang == "zh" else en


def _names(params: Params) -> tuple[str, str]:
    common = next((c for c in COMMON if c.key == params["model"]), None)
    if common is None:
        return params["estimator"], params["estimator"]
    if params["estimator"] not in (common.classifier, common.regressor):
        return params["estimator"], params["estimator"]
    return common.name_en, common.name_zh


def _data_name(params: Params) -> str:
    if "dataset" in params:
        return params["dataset"]
    return f"{params['X']}, {params['y']}" if "y" in params else params["X"]


def _on(params: Params, lang: str) -> str:
    """The data's name, and that its features were standardised first when they were (it
    changes scores and the best parameters)."""
    if not params.get("scale"):
        return _data_name(params)
    return _data_name(params) + ("（特征已标准化）" if lang == "zh" else " (features standardised)")


def _grid_summary(params: Params, lang: str) -> str:
    en, zh = _names(params)
    grid = ", ".join(f"{k} in {v}" for k, v in params["grid"].items())
    return text(
        lang,
        f"Grid-search {en} on {_on(params, 'en')} over {grid} ({params['cv']}-fold CV, "
        f"{_metric(params, 'en')})",
        f"在{_on(params, 'zh')}上对{zh}做网格搜索：{grid}（{params['cv']}折交叉验证，"
        f"{_metric(params, 'zh')}）",
    )


def _grid_answer(params: Params, value: Any, lang: str) -> str:
    en, zh = _names(params)
    found = dict(value)
    if params.get("report_score"):
        score = found["best_score"]
        best = ", ".join(f"{k}={v!r}" for k, v in dict(found["best_params"]).items())
        return text(
            lang,
            f"The best parameters for {en} on {_on(params, 'en')} are {best}: "
            f"{_metric(params, 'en')} {fmt(score)} (the mean over {params['cv']} folds).",
            f"{zh}在{_on(params, 'zh')}上的最优参数是{best}，{params['cv']}折交叉验证的平均"
            f"{_metric(params, 'zh')}为{fmt(score)}。",
        )
    best = ", ".join(f"{k}={v!r}" for k, v in found.items())
    return text(
        lang,
        f"The best parameters for {en} on {_on(params, 'en')} are {best} "
        f"(by {_metric(params, 'en')}, {params['cv']}-fold cross-validation).",
        f"{zh}在{_on(params, 'zh')}上的最优参数是{best}（按{_metric(params, 'zh')}，"
        f"{params['cv']}折交叉验证）。",
    )


def _cv_summary(params: Params, lang: str) -> str:
    en, zh = _names(params)
    return text(
        lang,
        f"Cross-validate {en} on {_on(params, 'en')} ({params['cv']} folds, "
        f"{_metric(params, 'en')})",
        f"在{_on(params, 'zh')}上对{zh}做{params['cv']}折交叉验证（{_metric(params, 'zh')}）",
    )


def _cv_answer(params: Params, value: Any, lang: str) -> str:
    en, zh = _names(params)
    return text(
        lang,
        f"{en[0].upper() + en[1:]} on {_on(params, 'en')}: {_metric(params, 'en')} "
        f"{fmt(value)} (the mean over {params['cv']} cross-validation folds).",
        f"{zh}在{_on(params, 'zh')}上{params['cv']}折交叉验证的平均{_metric(params, 'zh')}为"
        f"{fmt(value)}。",
    )


_MODEL_ANY = model_words()
_SEARCH = (
    r"grid|search|\btun|hyper-?param|\bbest\b|optimal|optimi[sz]|网格|调参|超参|最优|最佳|"
    r"最好|搜索|调(?=\s*[a-z_])|调优"
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
            "tune max_depth of a DecisionTreeRegressor on diabetes, max_depth in [2, 4, 8]",
            "grid search a GradientBoostingClassifier on wine with learning_rate in [0.05, 0.1]",
            "find the best alpha for ridge on diabetes among 0.1, 1 and 10, scored by r2",
        ),
        examples_zh=(
            "在digits数据集上对SVC做网格搜索，C取0.1、1、10",
            "用网格搜索调随机森林在wine上的超参数",
            "逻辑回归在乳腺癌数据上找最优的C，候选0.01、0.1和1",
            "对iris用KNN做网格搜索，k从1到15",
            "用X和y对支持向量机调参，gamma取0.001和0.01",
            "随机森林在手写数字数据集上的最佳树的数量和深度",
            "网格搜索SVC的C和gamma，5折交叉验证，鸢尾花数据",
            "在diabetes上给决策树回归调max_depth，取2、4、8",
            "用网格搜索给ExtraTreesClassifier在wine上调n_estimators，取100和300",
        ),
        extract=_grid_extract,
        code=_grid_code,
        summary=_grid_summary,
        answer=_grid_answer,
        demo="grid search an SVC on digits with C in [0.1, 1, 10]",
    ),
    Recipe(
        id="ml.cross_val",
        anchors=rf"^(?!.*(?:{_SEARCH}))(?=.*(?:cross[- ]?val|\bcv\b|fold|交叉验证|折))",
        examples_en=(
            "cross-validate an SVC on digits",
            "5-fold cross validation score of a random forest on wine",
            "mean CV accuracy of logistic regression on breast_cancer",
            "10-fold cross-validation of KNN with k=5 on iris",
            "cross validate SVC with C=10 on X and y",
            "what is the cross-validated accuracy of a random forest on the digits data",
            "cross validate a HistGradientBoostingClassifier on iris",
            "5-fold cross-validation of an ExtraTreesRegressor on diabetes, mean squared error",
            "cross-validated r2 of ridge regression on diabetes",
        ),
        examples_zh=(
            "对digits上的SVC做交叉验证",
            "随机森林在wine数据集上的5折交叉验证得分",
            "逻辑回归在乳腺癌数据上的交叉验证平均准确率",
            "KNN（k=5）在鸢尾花数据上做10折交叉验证",
            "用X和y对C=10的SVC做交叉验证",
            "随机森林在手写数字上交叉验证的准确率是多少",
            "对diabetes上的GradientBoostingRegressor做交叉验证",
            "岭回归在diabetes数据集上5折交叉验证的决定系数",
        ),
        extract=_cv_extract,
        code=_cv_code,
        summary=_cv_summary,
        answer=_cv_answer,
        demo="5-fold cross-validation of an SVC on digits",
    ),
]
