"""k-means with scikit-learn: the elbow of the inertia, or the best k by a clustering score.

The data is a bundled set or the user's ``X``; features are standardised first, and each k
is one k-means fit on the grid. A score named in the prose (silhouette, Calinski-Harabasz,
Davies-Bouldin) is the one computed and the one the best k is picked by; a score this recipe
does not compute (the gap statistic, BIC, AIC) is refused, never answered with inertias.
"Pick the best k" answers with that k; otherwise the answer is every k's score and the best.
"""

from __future__ import annotations

from typing import Any

from ._base import Context, NeedMore, Params, Recipe, text
from ._codegen import fmt, render
from ._guard import Refuse
from ._mlprose import read_data

__all__ = ["RECIPES"]

#: score key: (prose pattern, sklearn.metrics function, higher is better, English, Chinese)
_SCORES = {
    "silhouette": (r"silhouette|轮廓", "silhouette_score", True, "silhouette", "轮廓系数"),
    "calinski_harabasz": (
        r"calinski|harabasz|variance ratio",
        "calinski_harabasz_score",
        True,
        "Calinski-Harabasz score",
        "Calinski-Harabasz指数",
    ),
    "davies_bouldin": (
        r"davies|bouldin",
        "davies_bouldin_score",
        False,
        "Davies-Bouldin index",
        "Davies-Bouldin指数",
    ),
}
_UNSUPPORTED = r"gap statistic|\bgap\b|\bbic\b|\baic\b|dunn|间隙统计"
#: Scores of one clustering against the data set's true classes (bundled data sets only).
_AGAINST_TRUTH = {
    "adjusted_rand": (
        r"adjusted rand|\bari\b|rand index|兰德",
        "adjusted_rand_score",
        "adjusted Rand index",
        "调整兰德指数",
    ),
    "nmi": (
        r"normali[sz]ed mutual information|\bnmi\b|互信息",
        "normalized_mutual_info_score",
        "normalized mutual information",
        "归一化互信息",
    ),
}
#: "k-means with 3 clusters", "k = 3", "聚成3类": one k, fitted once.
_ONE_K = (
    r"\bk\s*(?:=|is|of)\s*#(\d+)#|#(\d+)#\s*(?:clusters|groups|centroids|centers|个簇|簇|类|个类|组)|"
    r"(?:聚成|分成|分为|聚为)\s*#(\d+)#|into\s+#(\d+)#"
)
_NO_SCALING = (
    r"without (?:feature )?(?:scaling|standardi[sz]\w*)|no (?:feature )?scaling|unscaled|"
    r"\braw\b|不(?:做|进行)?标准化|不缩放"
)
_SCALING = (
    r"(?<!without )(?<!no )(?:standardi[sz]e\w*|scal(?:e|ed|ing) (?:the )?features|"
    r"standardscaler)|(?<!不)(?<!不做)(?<!不进行)标准化"
)
_PICK = (
    r"\b(?:pick|choose|select|find|which|determine|best|optimal)\b.*\bk\b|"
    r"\bbest\s+(?:k\b|number of clusters)|选(?:出|择)?最(?:好|佳|优)的\s*k|最(?:好|佳|优)的\s*k|"
    r"选k|确定k|k取多少"
)


def _ks(ctx: Context, *, low: int) -> list[int]:
    rng = ctx.range()
    if rng is not None and isinstance(rng.start, int) and isinstance(rng.stop, int):
        ks = list(range(int(rng.start), int(rng.stop) + (1 if rng.inclusive else 0)))
        used = 2
    elif (bound := ctx.bound()) is not None:
        ks = list(range(low, int(bound.value) + (1 if bound.inclusive else 0)))
        used = 1
    else:
        ks = ctx.prev("ks", list(range(low, 11)))
        used = 0
        if ctx.previous is None:
            ctx.note(f"k from {low} to 10", f"k从{low}到10")
    if len(ctx.numbers) != used:  # "with k = 3" is one k, not a range to pick from
        raise NeedMore(
            "give the range of k to compare, e.g. 'k from 2 to 10'; other numbers "
            f"({', '.join(n.text for n in ctx.numbers)}) are not used by this task",
            "请给出要比较的k的范围，例如“k从2到10”；其他数字"
            f"（{'、'.join(n.text for n in ctx.numbers)}）在这个任务里用不上",
        )
    if len(ks) < 3 or ks[-1] > 200:
        raise NeedMore(
            "give a k range of at least three values, up to 200, e.g. 'k from 2 to 10'",
            "请给出至少三个k值（不超过200），例如“k从2到10”",
        )
    if ks[0] < low:
        raise NeedMore(
            f"this score needs at least {low} clusters; start the range of k at {low}",
            f"这个指标至少需要{low}个簇；请让k从{low}开始",
        )
    return ks


def _extract(ctx: Context) -> Params:
    """The k-means parameters; anything missing is refused, never left to a looser recipe."""
    try:
        return _read(ctx)
    except Refuse:
        raise
    except NeedMore as need:
        if not ctx.has(r"k-?means|k-?均值|聚类|cluster"):
            raise
        raise Refuse(need.en, need.zh, with_help=need.with_help) from None


def _read(ctx: Context) -> Params:
    if ctx.has(_UNSUPPORTED):
        raise Refuse(
            "the k-means recipe computes the inertia's elbow, the silhouette, the "
            "Calinski-Harabasz or the Davies-Bouldin score, not the one you name; it will not "
            "answer with another",
            "k均值配方只计算惯性肘部、轮廓系数、Calinski-Harabasz或Davies-Bouldin指数，"
            "不是您要的指标；不会用别的指标代替",
            with_help=True,
        )
    named = [key for key, (pattern, *_) in _SCORES.items() if ctx.has(pattern)]
    if len(named) > 1:
        raise Refuse(
            "name one clustering score at a time", "请一次只说一个聚类指标", with_help=True
        )
    params: Params = read_data(ctx, need_y=False)
    params.pop("y", None)
    one = ctx.tsearch(_ONE_K)
    if one is not None and len(ctx.numbers) == 1 and ctx.range() is None:
        return _read_one_k(ctx, params, int(ctx.num(next(g for g in one.groups() if g))), named)
    truth = [key for key, (pattern, *_) in _AGAINST_TRUTH.items() if ctx.has(pattern)]
    if truth:
        raise Refuse(
            "a score against the true classes is computed for one k, e.g. 'k-means with 3 "
            "clusters on iris, adjusted Rand index'",
            "与真实类别比较的指标只对一个k计算，例如“对鸢尾花做k-means聚成3类，调整兰德指数”",
            with_help=True,
        )
    params["scale"] = not ctx.has(_NO_SCALING)
    score = named[0] if named else ctx.prev("score")
    if score is None:
        params["ks"] = _ks(ctx, low=1)
    else:
        params.update(ks=_ks(ctx, low=2), score=score, pick=ctx.has(_PICK))
    _note_fit(ctx, params["scale"])
    return params


def _note_fit(ctx: Context, scale: bool) -> None:
    if scale:
        ctx.note(
            "features standardised first; KMeans(n_init=10, random_state=0)",
            "先标准化特征；KMeans(n_init=10, random_state=0)",
        )
    else:
        ctx.note(
            "features as they are (no scaling); KMeans(n_init=10, random_state=0)",
            "特征不做标准化；KMeans(n_init=10, random_state=0)",
        )


def _read_one_k(ctx: Context, params: Params, k: int, named: list[str]) -> Params:
    """One k-means fit with k clusters and the one score asked for."""
    truth = [key for key, (pattern, *_) in _AGAINST_TRUTH.items() if ctx.has(pattern)]
    inertia = ctx.has(r"inertia|惯性|within-cluster sum|\bsse\b|\bwcss\b")
    asked = named + truth + (["inertia"] if inertia else [])
    if ctx.has(r"elbow|肘"):
        raise Refuse(
            "the elbow compares a range of k, e.g. 'k from 1 to 10'",
            "肘部法需要一个k的范围，例如“k从1到10”",
        )
    if len(asked) != 1:
        raise Refuse(
            "with one k, ask for one score: the silhouette, Calinski-Harabasz, Davies-Bouldin, "
            "the inertia, or against the true classes the adjusted Rand index or the "
            "normalized mutual information",
            "一个k时请只问一个指标：轮廓系数、Calinski-Harabasz、Davies-Bouldin、惯性，"
            "或与真实类别比较的调整兰德指数、归一化互信息",
            with_help=True,
        )
    if truth and "dataset" not in params:
        raise Refuse(
            "a score against the true classes needs a bundled data set with labels",
            "与真实类别比较的指标需要带标签的内置数据集",
        )
    if not 2 <= k <= 200:
        raise NeedMore("use 2 to 200 clusters", "簇数须在2到200之间")
    scale = ctx.has(_SCALING) and not ctx.has(_NO_SCALING)
    _note_fit(ctx, scale)
    return {**params, "k": k, "score": asked[0], "scale": scale}


# --------------------------------------------------------------------------- code

_ELBOW = '''
import numpy as np
from joblib import Parallel, delayed
from sklearn.cluster import KMeans
${DATA_IMPORT}${SCALER_IMPORT}

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
    ${SCALE}
    inertias = $PARALLEL(delayed(_aigc_inertia)(X, k) for k in ks)
    return {"inertias": dict(zip(ks, inertias)), "elbow": _aigc_elbow(ks, inertias)}


result = _aigc_kmeans_elbow($DATA, $KS)
'''
_SCORED = '''
from joblib import Parallel, delayed
from sklearn.cluster import KMeans
${DATA_IMPORT}from sklearn.metrics import $FUNCTION
${SCALER_IMPORT}

def _aigc_cluster_score(X, k):
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)
    return float($FUNCTION(X, labels))


def _aigc_kmeans_by_score(X, ks):
    """The $WHAT of every k (one k-means fit per task) and the best k ($BETTER is better)."""
    ${SCALE}
    scores = dict(zip(ks, $PARALLEL(delayed(_aigc_cluster_score)(X, k) for k in ks)))
    best = $CHOOSE(scores, key=scores.get)
    return $RETURN


result = _aigc_kmeans_by_score($DATA, $KS)
'''


_ONE = '''
from sklearn.cluster import KMeans
${DATA_IMPORT}${METRIC_IMPORT}${SCALER_IMPORT}

def _aigc_kmeans_score(X, k):
    """One k-means fit with k clusters and its $WHAT."""
    ${SCALE}model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    return $VALUE


result = _aigc_kmeans_score($DATA, $K)
'''


def _one_code(params: Params) -> str:
    score = params["score"]
    data_import, data = _data(params)
    if score in _AGAINST_TRUTH:
        _, function, what, _ = _AGAINST_TRUTH[score]
        name = params["dataset"]
        data = f"*load_{name}(return_X_y=True)"
        header = "def _aigc_kmeans_score(X, y, k):"
        value = f"float({function}(y, model.labels_))"
    elif score == "inertia":
        function, what, header, value = "", "inertia", "", "float(model.inertia_)"
    else:
        _, function, _, what, _ = _SCORES[score]
        header, value = "", f"float({function}(X, model.labels_))"
    code = render(
        _ONE,
        DATA_IMPORT=data_import,
        METRIC_IMPORT=f"from sklearn.metrics import {function}\n" if function else "",
        SCALER_IMPORT="from sklearn.preprocessing import StandardScaler\n"
        if params["scale"]
        else "",
        WHAT=what,
        SCALE="X = StandardScaler().fit_transform(X)\n    " if params["scale"] else "",
        VALUE=value,
        DATA=data,
        K=str(params["k"]),
    )
    if header:
        code = code.replace("def _aigc_kmeans_score(X, k):", header)
    return code


def _data(params: Params) -> tuple[str, str]:
    if "dataset" in params:
        name = params["dataset"]
        return f"from sklearn.datasets import load_{name}\n", f"load_{name}().data"
    return "", params["X"]


def _ks_literal(ks: list[int]) -> str:
    if ks == list(range(ks[0], ks[-1] + 1)):
        return f"list(range({ks[0]}, {ks[-1] + 1}))"
    return repr(ks)


def _code(params: Params) -> str:
    if "k" in params:
        return _one_code(params)
    data_import, data = _data(params)
    if "score" not in params:
        return render(
            _ELBOW,
            DATA_IMPORT=data_import,
            DATA=data,
            KS=_ks_literal(params["ks"]),
            **_scaling(params),
        )
    _, function, higher, what, _ = _SCORES[params["score"]]
    return render(
        _SCORED,
        DATA_IMPORT=data_import,
        FUNCTION=function,
        WHAT=what,
        BETTER="higher" if higher else "lower",
        CHOOSE="max" if higher else "min",
        RETURN="best" if params["pick"] else f'{{"{params["score"]}": scores, "best_k": best}}',
        DATA=data,
        KS=_ks_literal(params["ks"]),
        **_scaling(params),
    )


def _scaling(params: Params) -> dict[str, str]:
    if params.get("scale", True):
        return {
            "SCALER_IMPORT": "from sklearn.preprocessing import StandardScaler\n",
            "SCALE": "X = StandardScaler().fit_transform(X)",
        }
    return {"SCALER_IMPORT": "", "SCALE": "X = X  # features as they are, as asked"}


# --------------------------------------------------------------------------- words


def _data_name(params: Params) -> str:
    return str(params.get("dataset") or params["X"])


def _one_words(params: Params) -> tuple[str, str]:
    score = params["score"]
    if score in _AGAINST_TRUTH:
        return _AGAINST_TRUTH[score][2], _AGAINST_TRUTH[score][3]
    if score == "inertia":
        return "inertia", "惯性"
    return _SCORES[score][3], _SCORES[score][4]


def _summary(params: Params, lang: str) -> str:
    if "k" in params:
        en, zh = _one_words(params)
        return text(
            lang,
            f"The {en} of k-means with {params['k']} clusters on {_data_name(params)}",
            f"在{_data_name(params)}上做{params['k']}个簇的k-means，求{zh}",
        )
    ks = params["ks"]
    if "score" not in params:
        return text(
            lang,
            f"k-means elbow on {_data_name(params)} for k = {ks[0]}..{ks[-1]}",
            f"在{_data_name(params)}上对k={ks[0]}..{ks[-1]}做k-means肘部法",
        )
    _, _, _, en, zh = _SCORES[params["score"]]
    return text(
        lang,
        f"k-means on {_data_name(params)} for k = {ks[0]}..{ks[-1]}, best k by {en}",
        f"在{_data_name(params)}上对k={ks[0]}..{ks[-1]}做k-means，按{zh}选最好的k",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    if "k" in params:
        return text(
            lang,
            f"{_summary(params, lang)}: {fmt(value)}.",
            f"{_summary(params, lang)}：{fmt(value)}。",
        )
    ks = params["ks"]
    if "score" not in params:
        elbow = dict(value).get("elbow")
        return text(
            lang,
            f"Computed the k-means inertia for k = {ks[0]}..{ks[-1]} on "
            f"{_data_name(params)}; the elbow suggests k = {elbow}.",
            f"已在{_data_name(params)}上计算k={ks[0]}..{ks[-1]}的k-means惯性，"
            f"肘部法建议k={elbow}。",
        )
    _, _, _, en, zh = _SCORES[params["score"]]
    if params["pick"]:
        best = int(value)
        return text(
            lang,
            f"By the {en}, the best k for k-means on {_data_name(params)} "
            f"(k = {ks[0]}..{ks[-1]}) is {best}.",
            f"按{zh}，{_data_name(params)}上k-means（k={ks[0]}..{ks[-1]}）最好的k是{best}。",
        )
    scores = dict(value)[params["score"]]
    best = dict(value)["best_k"]
    shown = ", ".join(f"k={k}: {fmt(v)}" for k, v in scores.items())
    return text(
        lang,
        f"The {en} of k-means on {_data_name(params)}: {shown}; the best is k = {best}.",
        f"{_data_name(params)}上k-means的{zh}：{shown}；最好的是k={best}。",
    )


RECIPES = [
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
            "k-means on digits for k from 2 to 10 and pick the best by silhouette",
            "silhouette scores of kmeans on wine for k = 2..8",
            "best number of clusters for iris by the calinski-harabasz score, k from 2 to 8",
            "run k-means with 3 clusters on iris and give the silhouette score",
            "adjusted rand index of k-means with 3 clusters on iris against the true labels",
            "inertia of kmeans with k = 4 on wine",
        ),
        examples_zh=(
            "在鸢尾花数据上用肘部法选k-means的k，k从1到10",
            "wine数据集k均值聚类的肘部",
            "用肘部法则判断digits适合分几类",
            "对我的X做kmeans，k取2到12，算惯性",
            "乳腺癌数据k-means肘部法",
            "对iris做k均值聚类，k最多15，找拐点",
            "在digits上做k均值聚类，k从2到10，用轮廓系数选最好的k",
            "wine数据集k-means的轮廓系数，k从2到8",
            "对鸢尾花数据做k-means聚成3类，和真实类别比，调整兰德指数是多少",
            "digits数据集k均值聚成10类的轮廓系数",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="k-means elbow on iris for k from 1 to 10",
    ),
]
