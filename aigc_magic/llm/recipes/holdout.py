"""scikit-learn scored on a held-out test split, or with no protocol named.

"train logistic regression on breast cancer and give me the test accuracy", "在手写数字上训练
支持向量机，测试集准确率多少", "80/20 split": ``train_test_split`` (the test share and seed the
prose gives, else scikit-learn's 0.25 and seed 0, both noted), the model fitted on the
training part and scored on the test part with the score asked for. "朴素贝叶斯分类鸢尾花，准确率
多少" names no protocol: it is answered by 5-fold cross-validation, as :mod:`.ml` does, and the
plan says so. The model, the data and the score are read as :mod:`.ml` reads them; anything
this task does not compute (a confusion matrix, predictions, the training score) is refused.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import FLAGS, Context, NeedMore, Params, Recipe, text
from ._codegen import fmt, render
from ._estimators import model_words
from ._guard import Refuse
from ._mlprose import grid_values
from .ml import (
    _cv_answer,
    _cv_code,
    _cv_extract,
    _cv_summary,
    _data_call,
    _estimator,
    _imports,
    _metric,
    _names,
    _on,
)
from .ml import _model as read_model

__all__ = ["RECIPES"]

_HELD_OUT = (
    r"\btest(?:ing)?\s+(?:set|data|split|accuracy|score|error|r2|f1|precision|recall)|"
    r"\bon\s+(?:the\s+)?test\b|held[- ]?out|hold[- ]?out|\btrain[/ -]test\b|\bsplit\b|"
    r"测试集|测试数据|测试准确率|测试分数|留出|划分|切分|拆分"
)
#: What this task does not compute, even on a split.
_OUTSIDE = (
    r"confusion|feature importances?|importances?|coefficients?|\bcoef|predict\w*|"
    r"learning curve|roc curve|\btrain(?:ing)?\s+(?:set\s+|data\s+)?(?:accuracy|score|error)|"
    r"\b(?:on|over)\s+(?:the\s+)?train(?:ing)?\s+(?:set|data|samples)|in-sample|训练数据|"
    r"\btrain(?:ing)?\s*(?:and|&|/|,)\s*test(?:ing)?\s+(?:set\s+)?(?:accuracy|score|error|r2|f1)|"
    r"\bboth\b.{0,20}\btrain|训练集(?:和|与|及|、)测试集(?:上)?的?(?:准确率|得分|分数|正确率)|"
    r"训练集(?:上的)?(?:准确率|得分|分数)|训练准确率|混淆矩阵|特征重要性|重要性|预测|(?<![定廓])系数|"
    r"学习曲线|shuffl\w*|repeated|leave-one-out|\bloocv\b|stratif\w*|分层|\bpca\b|"
    r"polynomial features|smote|oversampl\w*|undersampl\w*|主成分|过采样|欠采样|\bsubset\b|"
    r"minmax|robustscaler|normali[sz]\w*|归一化|cross[- ]?val|交叉验证|\bfolds?\b|折|"
    r"grid|search|\btun|hyper-?param|网格|调参|超参|搜索"
)
_SHARE = (
    r"(?:test[_ ]size|test share|test fraction|测试集(?:比例|占比|大小)?)\s*"
    r"(?:=|:|of|is|为|占|是)?\s*#(\d+)#\s*(%)?|#(\d+)#\s*(%)?\s*(?:of the data\s+)?"
    r"(?:for\s+|as\s+|做|作为|当|用作|用于)?(?:the\s+)?"
    r"(?:test|testing|测试)|#(\d+)#\s*[/:：比]\s*#(\d+)#"
)
_SEED = r"(?:random[_ ]state|seed|随机种子|种子)\s*(?:=|:|of|is|为)?\s*#(\d+)#"


def _share(ctx: Context, used: list[int]) -> float:
    """The test share from the prose (0.2, 20%, an 80/20 split), else 0.25 noted."""
    m = ctx.tsearch(_SHARE)
    if m is None:
        ctx.note(
            "a quarter of the data held out for testing (scikit-learn's default test_size)",
            "留出四分之一的数据做测试集（scikit-learn默认的test_size）",
        )
        return 0.25
    g = m.groups()
    if g[4] is not None:  # "80/20 split": the smaller part is the test part
        a, b = float(ctx.num(g[4])), float(ctx.num(g[5]))
        used += [int(g[4]), int(g[5])]
        if a + b not in (1.0, 10.0, 100.0):
            raise NeedMore(
                "write the split as 80/20 (train/test)", "请把划分写成80/20（训练/测试）"
            )
        share = min(a, b) / (a + b)
    else:
        k, percent = (g[0], g[1]) if g[0] is not None else (g[2], g[3])
        used.append(int(k))
        value = float(ctx.num(k))
        share = value / 100 if percent or value >= 1 else value
    if not 0 < share < 1:
        raise NeedMore(
            "the test share lies between 0 and 1 (0% and 100%)", "测试集比例须在0到1之间"
        )
    return share


def _extract(ctx: Context) -> Params:
    m = re.search(_OUTSIDE, ctx.lower, FLAGS)
    if m is not None:
        raise Refuse(
            f"this task scores a model on a held-out test split; it does not do '{m.group(0)}'",
            f"这个任务只在留出的测试集上给模型打分，不做“{m.group(0)}”",
            with_help=True,
        )
    model, params = read_model(ctx, held_out=True)
    used: list[int] = []
    params["test_size"] = _share(ctx, used)
    seed = ctx.tsearch(_SEED)
    if seed is not None:
        used.append(int(seed.group(1)))
        params["seed"] = int(ctx.num(seed.group(1)))
    else:
        params["seed"] = 0
        ctx.note("split with random_state=0", "划分时random_state=0")
    settings: dict[str, Any] = {}
    for name, values in grid_values(ctx, model).items():
        if len(values) != 1:
            raise Refuse(
                f"several values for {name}: ask for a grid search to compare them",
                f"{name}有多个取值：要比较它们请改用网格搜索",
            )
        settings[name] = values[0]
    params["settings"] = settings
    unused = [
        n.text
        for i, n in enumerate(ctx.numbers)
        if i not in used and not any(n.value == v for v in settings.values())
    ]
    if unused:
        raise Refuse(
            f"the prose has {', '.join(unused)}, which this task does not use (it reads the "
            "test share, the seed and model settings); say what it is for",
            f"这段话里的{'、'.join(unused)}在这个任务里用不上（只读取测试集比例、随机种子和模型参数）",
            with_help=True,
        )
    return params


def _score_extract(ctx: Context) -> Params:
    """A score with no protocol named: cross-validated, and the plan says so."""
    params = _cv_extract(ctx)
    ctx.note(
        "no test split named: the score is cross-validated on the whole data set",
        "没有指定测试集：得分是整个数据集上的交叉验证结果",
    )
    return params


def _score_call(params: Params, X: str, y: str) -> str:
    """The score asked for of the fitted ``model`` on ``X``/``y`` (the model's own score,
    R² or accuracy, when none was named; a ``neg_`` scorer turned back into the error)."""
    scorer = params["scoring"]
    if not scorer:
        return f"model.score({X}, {y})"
    return f"{'-' if str(scorer).startswith('neg_') else ''}get_scorer({scorer!r})(model, {X}, {y})"


def _code(params: Params) -> str:
    imports, estimator = _estimator(params, params["settings"])
    data, args = _data_call(params)
    scorer = params["scoring"]
    score = _score_call(params, "X_test", "y_test")
    return render(
        '''
$IMPORTS


def _aigc_held_out_score(X, y):
    """Fit on the training part of one split, score on its test part."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=$SIZE, random_state=$SEED
    )
    model = $ESTIMATOR
    with parallel_config(backend=$BACKEND):  # any n_jobs of the model runs on this backend
        model.fit(X_train, y_train)
    return float($SCORE)


result = _aigc_held_out_score($ARGS)
''',
        IMPORTS=_imports(
            data,
            imports,
            "from sklearn.model_selection import train_test_split",
            "from sklearn.metrics import get_scorer" if scorer else "",
        ),
        ARGS=args,
        SIZE=repr(params["test_size"]),
        SEED=str(params["seed"]),
        ESTIMATOR=estimator,
        SCORE=score,
    )


#: The score on the data the model was fitted on ("the accuracy on the training data").
_TRAIN = (
    r"\btrain(?:ing)?[- ](?:set\s+|data\s+)?(?:accuracy|score|error|r2|f1)|"
    r"\b(?:on|over|for)\s+(?:the\s+)?(?:same\s+)?train(?:ing)?\s+(?:set|data|samples)|in-sample|"
    r"训练集(?:上)?的?(?:准确率|正确率|得分|分数|决定系数)|训练数据(?:上)?的?(?:准确率|正确率|得分|分数)|"
    r"训练准确率|"
    r"在训练集上|在训练数据上"
)
#: What the training score does not compute: the words of a split, or of cross-validation.
_NOT_TRAIN = (
    r"\btest(?:ing)?\b|held[- ]?out|hold[- ]?out|\bsplit\b|测试|留出|划分|切分|拆分|"
    r"cross[- ]?val|交叉验证|\bfolds?\b|折|grid|search|\btun|网格|调参|搜索|"
    r"confusion|feature importances?|importances?|coefficients?|\bcoef|predict\w*|"
    r"混淆矩阵|特征重要性|重要性|预测|(?<![定廓])系数|learning curve|学习曲线"
)


def _train_extract(ctx: Context) -> Params:
    """Fit on all the data and score on the same data: the training (in-sample) score."""
    m = re.search(_NOT_TRAIN, ctx.lower, FLAGS)
    if m is not None:
        raise Refuse(
            f"this task scores a model on the data it was fitted on; it does not do "
            f"'{m.group(0)}' (ask for the test score or a cross-validated score separately)",
            f"这个任务只在训练所用的数据上给模型打分，不做“{m.group(0)}”（测试集得分或交叉验证得分请另外问）",
            with_help=True,
        )
    model, params = read_model(ctx, held_out=True)
    settings: dict[str, Any] = {}
    for name, values in grid_values(ctx, model).items():
        if len(values) != 1:
            raise Refuse(
                f"several values for {name}: ask for a grid search to compare them",
                f"{name}有多个取值：要比较它们请改用网格搜索",
            )
        settings[name] = values[0]
    params["settings"] = settings
    unused = [n.text for n in ctx.numbers if not any(n.value == v for v in settings.values())]
    if unused:
        raise Refuse(
            f"the prose has {', '.join(unused)}, which this task does not use (it reads model "
            "settings); say what it is for",
            f"这段话里的{'、'.join(unused)}在这个任务里用不上（只读取模型参数）",
            with_help=True,
        )
    ctx.note(
        "scored on the same data it was fitted on (the training score, optimistic by design)",
        "在训练所用的同一份数据上打分（训练集得分，天然偏乐观）",
    )
    return params


def _train_code(params: Params) -> str:
    imports, estimator = _estimator(params, params["settings"])
    data, args = _data_call(params)
    scorer = params["scoring"]
    score = _score_call(params, "X", "y")
    return render(
        '''
$IMPORTS


def _aigc_training_score(X, y):
    """Fit on all the data, score on the same data (the training score)."""
    model = $ESTIMATOR
    with parallel_config(backend=$BACKEND):  # any n_jobs of the model runs on this backend
        model.fit(X, y)
    return float($SCORE)


result = _aigc_training_score($ARGS)
''',
        IMPORTS=_imports(data, imports, "from sklearn.metrics import get_scorer" if scorer else ""),
        ARGS=args,
        ESTIMATOR=estimator,
        SCORE=score,
    )


def _train_summary(params: Params, lang: str) -> str:
    en, zh = _names(params)
    return text(
        lang,
        f"Fit {en} on {_on(params, 'en')}, {_metric(params, 'en')} on the same data",
        f"在{_on(params, 'zh')}上训练{zh}，在同一份数据上的{_metric(params, 'zh')}",
    )


def _train_answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"{_train_summary(params, lang)}: {fmt(value)} (a training score: it says how well "
        "the model fits, not how well it predicts new data).",
        f"{_train_summary(params, lang)}：{fmt(value)}"
        "（训练集得分：反映拟合程度，不代表对新数据的预测能力）。",
    )


def _summary(params: Params, lang: str) -> str:
    en, zh = _names(params)
    share = f"{params['test_size']:.0%}"
    return text(
        lang,
        f"Fit {en} on {_on(params, 'en')}, {_metric(params, 'en')} on a {share} test split",
        f"在{_on(params, 'zh')}上训练{zh}，留出{share}做测试集的{_metric(params, 'zh')}",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"{_summary(params, lang)}: {fmt(value)}.",
        f"{_summary(params, lang)}：{fmt(value)}。",
    )


_MODEL_ANY = model_words()
_SCORE_WORDS = (
    r"accuracy|score|\bf1\b|precision|recall|\bauc\b|r2|r²|r-squared|\bmse\b|\brmse\b|\bmae\b|"
    r"how (?:well|good|accurate)|准确率|正确率|准确度|得分|分数|精确率|召回率|决定系数|效果|表现"
)

RECIPES = [
    Recipe(
        id="ml.train_score",
        anchors=rf"(?=.*(?:{_TRAIN}))(?=.*(?:{_MODEL_ANY}))",
        examples_en=(
            "fit a logistic regression on X and y and tell me the accuracy on the training data",
            "training accuracy of a decision tree on iris",
            "train a random forest on wine, what is the training score",
            "in-sample r2 of linear regression on diabetes",
            "fit an SVC on breast cancer and give the accuracy on the training set",
        ),
        examples_zh=(
            "用X和y训练逻辑回归，训练集准确率是多少",
            "决策树在鸢尾花上的训练准确率",
            "随机森林在wine上训练，训练集上的得分",
            "KNN在手写数字上训练数据上的准确率",
            "线性回归在diabetes上的训练集决定系数",
        ),
        extract=_train_extract,
        code=_train_code,
        summary=_train_summary,
        answer=_train_answer,
        demo="training accuracy of a decision tree on iris",
        priority=2,
        decisive=True,
    ),
    Recipe(
        id="ml.holdout",
        anchors=rf"(?=.*(?:{_HELD_OUT}))(?=.*(?:{_MODEL_ANY}))",
        examples_en=(
            "train logistic regression on breast cancer and give me the test accuracy",
            "fit a random forest on wine and score it on a held-out test set",
            "train an SVM on digits with an 80/20 split and report the accuracy",
            "test accuracy of KNN on iris with test_size 0.3",
            "train a decision tree on iris, test set accuracy",
            "r2 of ridge on diabetes on the test split",
        ),
        examples_zh=(
            "在手写数字数据集上训练一个支持向量机，测试集准确率多少",
            "用随机森林在wine上训练，测试集上的准确率",
            "逻辑回归在乳腺癌数据上按8:2划分训练集和测试集，测试准确率",
            "KNN在鸢尾花上留出30%做测试集的准确率",
            "决策树在iris上的测试集准确率",
            "岭回归在diabetes上测试集的决定系数",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="train logistic regression on breast cancer and give me the test accuracy",
        priority=1,
    ),
    Recipe(
        id="ml.score",
        anchors=(
            rf"^(?!.*(?:{_HELD_OUT}|grid|search|\btun|网格|调参|搜索|cross[- ]?val|交叉验证|"
            r"\bfolds?\b|折))"
            rf"(?=.*(?:{_SCORE_WORDS}))(?=.*(?:{_MODEL_ANY}))"
        ),
        examples_en=(
            "accuracy of naive bayes on iris",
            "how accurate is a random forest on the wine data",
            "train a decision tree on digits and tell me its accuracy",
            "what score does KNN get on iris",
            "r2 of linear regression on diabetes",
        ),
        examples_zh=(
            "朴素贝叶斯分类鸢尾花，准确率多少",
            "随机森林在wine数据集上的准确率",
            "用决策树分类手写数字，正确率是多少",
            "KNN在鸢尾花上的得分",
            "线性回归在diabetes上的决定系数",
        ),
        extract=_score_extract,
        code=_cv_code,
        summary=_cv_summary,
        answer=_cv_answer,
        demo="accuracy of naive bayes on iris",
    ),
]
