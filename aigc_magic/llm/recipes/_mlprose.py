"""What a machine-learning prose says besides the model: the data, parameter values, the score.

:func:`read_data` finds a bundled data set or the notebook's ``X`` / ``y``; :func:`grid_values`
reads the values written for the model's parameters (``C in [0.1, 1, 10]``, ``C取0.1、1、10``,
``100 or 300 trees``) and refuses a parameter the model does not have; :func:`scoring` maps
the score asked for to scikit-learn's name, or refuses it; :func:`target_of` tells class
labels from continuous values.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from .._lazy import lazy
from .._numbers import find_numbers, parse_number, prepare
from .._spans import find_lists, find_range
from ._base import (
    FLAGS,
    Context,
    NeedMore,
    Params,
    intended_words,
    is_labels,
    is_matrix,
    missing_name,
    names_of,
)
from ._estimators import DATASETS, WORD_VALUES, Estimator, aliases
from ._guard import Refuse

__all__ = ["grid_values", "read_data", "scoring", "target_of"]

# --------------------------------------------------------------------------- parameters

_LEAD = lazy(
    r"^\s*(?:(?:=|:|∈|in|among|of|from|over|values?|options?|choices?|are|is|"
    r"being|try|trying|取值|取|为|是|候选值?|分别|设为|设置为|可选|试试|试|尝试|用|选)"
    r"\s*)*",
    re.IGNORECASE,
)


def _values_after(after: str) -> list[Any] | None:
    """The value(s) written right after a parameter name: a list, a range or one value."""
    rest = _LEAD.sub("", after, count=1)
    if rest and rest[0] in "[({":
        close = {"[": "]", "(": ")", "{": "}"}[rest[0]]
        end = rest.find(close)
        if end > 0:
            items = [t.strip(" '\"") for t in re.split(r"[,、;]|\s+or\s+|\s+and\s+", rest[1:end])]
            if any(re.search(r"\s", t) for t in items):
                return None  # a remark in brackets ("(default k)"), not a list of values
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
    # after an intro ("gamma取0.001和0.01", "C in 1 and 10") two numbers joined by "and"/"和"
    # are a list; the intro was stripped above, so it is given back to find_lists
    intro = "in " if rest != after and after[: len(after) - len(rest)].strip() else ""
    lists = find_lists(intro + head)
    if lists and lists[0][0] <= 1 + len(intro):
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


_UNKNOWN_PARAM = lazy(
    r"(?<![A-Za-z0-9_])([A-Za-z]+_[A-Za-z0-9_]+)\s*(?:=|:|∈|\bin\b|\bof\b|取|为)", re.ASCII
)


_ASSIGNED = lazy(r"(?<![A-Za-z0-9_])([A-Za-z]+_[A-Za-z0-9_]+)\s*(?:=|:|∈|\bin\b|取|为)", re.ASCII)
_WORD_VALUE = lazy(r"\s*[=:]\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?")
_NOT_VALUES = {"and", "or", "on", "for", "with", "in", "the", "a", "an", "of", "to", "using"}


#: Values written one after another after "try" ("try 0.001 0.01 0.1 1 10", "试试 1 10 100").
_TRY_RUN = (
    r"(?:\btry(?:ing)?|\bvalues?|\bcandidates?|\bamong|\boptions?|试试|尝试|试|候选值?|取值)\s*[:：]?\s*"
    r"((?:#\d+#(?!\s*-?\s*(?:fold|折|次|%|cv))\s*(?:,|，|、|\band\b|\bor\b|和|或)?\s*){2,})"
)


def grid_values(ctx: Context, model: Estimator) -> dict[str, list[Any]]:
    """The values the prose gives for the model's parameters (named or by everyday words).

    Raises
    ------
    Refuse
        When the prose gives values to a parameter the model does not have.
    """
    for m in _UNKNOWN_PARAM.finditer(ctx.text):
        name = m.group(1)
        if name not in model.params and name not in ctx.namespace:
            close = difflib.get_close_matches(name, list(model.params), n=3, cutoff=0.5)
            hint_en = f" Did you mean {', '.join(close)}?" if close else ""
            hint_zh = f"您是不是指 {'、'.join(close)}？" if close else ""
            raise Refuse(
                f"{model.cls} has no parameter {name}.{hint_en}",
                f"{model.cls}没有参数{name}。{hint_zh}",
            )
    found: dict[str, list[Any]] = {}
    bare: list[str] = []  # parameters named without values right after them
    for name, alias in aliases(model).items():
        for m in re.finditer(alias, ctx.lower, re.ASCII):
            if ctx.lower[m.end() : m.end() + 1] == "-":
                continue  # the k of "k-nearest", "k-fold": a word, not the parameter
            values = _values_after(ctx.text[m.end() : m.end() + 80])
            word = _WORD_VALUE.match(ctx.text[m.end() : m.end() + 40])
            if not values and word is not None and word.group(1).lower() not in _NOT_VALUES:
                values = [_value(word.group(1))]  # class_weight=balanced, criterion: entropy
            if values:
                found[name] = values
                break
        before = ctx.tsearch(rf"((?:#\d+#\s*(?:,|、|or|and|或|和)?\s*)+)(?:{alias})")
        if name not in found and before is not None:  # "100 trees", "100 or 300 trees"
            found[name] = [ctx.num(k) for k in re.findall(r"#(\d+)#", before.group(1))]
        if name in WORD_VALUES and name not in found and ctx.has(alias):
            words = re.findall(rf"\b(?:{WORD_VALUES[name]})\b", ctx.lower, re.ASCII)
            if words:
                found[name] = list(dict.fromkeys(words))
        if name not in found and ctx.has(alias):
            bare.append(name)
    # "the best C ... candidates 0.1, 1 and 10": one named parameter, one list left over
    spare = [values for _, values in ctx.lists() if values not in found.values()]
    if not spare and (run := ctx.tsearch(_TRY_RUN)) is not None:  # "try 0.001 0.01 0.1 1"
        spare = [[ctx.num(k) for k in re.findall(r"#(\d+)#", run.group(1))]]
    if len(bare) == 1 and len(spare) == 1:
        found[bare[0]] = spare[0]
    for m in _ASSIGNED.finditer(ctx.text):  # "class_weight = ..." that could not be read
        if m.group(1) in model.params and m.group(1) not in found:
            raise Refuse(
                f"could not read the value given for {m.group(1)}; write it as "
                f"'{m.group(1)} = value' or '{m.group(1)} in [a, b]'",
                f"读不出{m.group(1)}的取值；请写成“{m.group(1)} = 值”或“{m.group(1)}取a、b”",
            )
    return found


# --------------------------------------------------------------------------- data

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


def read_data(ctx: Context, *, need_y: bool) -> Params:
    """The data the prose names: a bundled set, or ``X`` (and ``y``) from the namespace.

    Raises
    ------
    NeedMore
        When no data is named, or a name is missing from the namespace.
    """
    for name, (pattern, _, _) in DATASETS.items():
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
        "say which data: a bundled data set (digits, iris, wine, breast_cancer, diabetes) "
        "or your own X and y",
        "请说明数据：内置数据集（digits、iris、wine、breast_cancer、diabetes）或您自己的X和y",
    )


# --------------------------------------------------------------------------- scores

_SCORES = (
    ("balanced_accuracy", r"balanced accuracy|平衡准确率", "classifier"),
    ("accuracy", r"accuracy|准确率|正确率|准确度|精度", "classifier"),
    ("f1", r"\bf1|f-score|f-measure|f分数|f1分数", "classifier"),
    ("precision", r"precision|精确率|查准率", "classifier"),
    ("recall", r"recall|sensitivity|召回率|查全率", "classifier"),
    ("roc_auc", r"\bauc\b|\broc\b", "classifier"),
    ("neg_log_loss", r"log[- ]?loss|cross[- ]entropy|对数损失", "classifier"),
    (
        "r2",
        r"\br2\b|r²|r\^2|r-squared|r squared|coefficient of determination|决定系数|拟合优度",
        "regressor",
    ),
    ("neg_root_mean_squared_error", r"\brmse\b|root mean squared? error|均方根误差", "regressor"),
    ("neg_mean_squared_error", r"\bmse\b|mean squared? error|均方误差", "regressor"),
    ("neg_mean_absolute_error", r"\bmae\b|mean absolute error|平均绝对误差", "regressor"),
)
_UNKNOWN_SCORES = (
    r"matthews|\bmcc\b|kappa|hamming|jaccard|brier|specificity|top-?\d*\s*accuracy|hinge|"
    r"explained variance|max(?:imum)? error|median absolute|\bmape\b|percentage error|\bd2\b|"
    r"gini coefficient|特异度|马修斯|卡帕"
)


def scoring(ctx: Context, kind: str, classes: int) -> str | None:
    """The scikit-learn ``scoring`` for the score the prose asks for (None: the default).

    Raises
    ------
    Refuse
        For a score this planner does not compute, several scores, or a score of the other
        kind of task (R² of a classifier).
    """
    text = ctx.lower
    if ctx.has(_UNKNOWN_SCORES):
        raise Refuse(
            "the score you name is not one the offline planner computes (accuracy, balanced "
            "accuracy, f1, precision, recall, ROC AUC, log loss; R², MSE, RMSE, MAE); it will "
            "not report another one instead",
            "离线规划器不计算您说的这个指标（支持准确率、平衡准确率、f1、精确率、召回率、ROC AUC、"
            "对数损失；R²、MSE、RMSE、MAE），也不会用别的指标代替",
        )
    found: list[tuple[str, str]] = []
    for name, pattern, score_kind in _SCORES:
        m = re.search(pattern, text, FLAGS)
        if m is not None:
            found.append((name, score_kind))
            text = text[: m.start()] + " " + text[m.end() :]
    if not found:
        previous = ctx.prev("scoring")
        return previous if isinstance(previous, str) or previous is None else None
    if len(found) > 1:
        raise Refuse(
            "ask for one score at a time: " + ", ".join(n for n, _ in found),
            "请一次只问一个指标：" + "、".join(n for n, _ in found),
        )
    name, score_kind = found[0]
    if score_kind != kind:
        raise Refuse(
            f"{name} scores a {score_kind}, and this model is a {kind}",
            f"{name}是{'分类' if score_kind == 'classifier' else '回归'}指标，"
            f"而这个模型是{'分类器' if kind == 'classifier' else '回归模型'}",
        )
    if classes > 2 and name in ("f1", "precision", "recall"):
        ctx.note(
            f"{name} averaged over the {classes} classes (macro)",
            f"{name}按{classes}个类别取宏平均",
        )
        return f"{name}_macro"
    if classes > 2 and name == "roc_auc":
        ctx.note("ROC AUC one-vs-rest over the classes", "ROC AUC按一对其余计算")
        return "roc_auc_ovr"
    return name


def target_of(value: Any) -> tuple[str, int]:
    """``("classifier", n_classes)`` or ``("regressor", 0)`` for a target in the namespace.

    Raises
    ------
    NeedMore
        For multi-label or multi-output targets.
    """
    from sklearn.utils.multiclass import type_of_target

    kind = type_of_target(value)
    if kind in ("binary", "multiclass"):
        import numpy as np

        return "classifier", len(np.unique(np.asarray(value)))
    if kind == "continuous":
        return "regressor", 0
    raise NeedMore(
        f"the target is {kind}; the offline planner fits one column of labels or numbers",
        f"目标的类型是{kind}；离线规划器只处理一列标签或数值",
    )
