"""Nearest-neighbour matching of prose against catalog phrasings, with NumPy only.

The vectors are TF-IDF over character n-grams of each whitespace-separated word padded with
spaces (1 to 3 characters, what scikit-learn's ``TfidfVectorizer(analyzer="char_wb",
ngram_range=(1, 3), sublinear_tf=True)`` computes), so English and Chinese both work without
a tokenizer. No scikit-learn is needed: importing it cost ~0.8 s of a fresh kernel's first
answer. The fitted vectors and threshold are cached on disk (:func:`cached_fit`, keyed by a
hash of everything they depend on), so a fresh process loads them instead of recomputing
(``benchmarks/bench_first_answer.py`` measures both).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "Matcher", "cache_dir", "cached_fit", "char_ngrams"]

#: Bumped when the cached file's layout changes.
FORMAT = 1


def char_ngrams(text: str, low: int = 1, high: int = 3) -> list[str]:
    """The ``char_wb`` n-grams of ``text``: each word padded with one space on both sides."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True)
class Matcher:
    """TF-IDF vectors of labelled phrasings and their leave-one-out threshold.

    Attributes
    ----------
    labels : tuple of str
        The label of each phrasing, in order.
    threshold : float
        The 5th percentile of the score each phrasing gets from its own label with itself
        left out (labels in ``ignore`` not counted): the rejection threshold.
    loo_accuracy : float
        How often the nearest other phrasing has the same label (for reports).
    """

    vocabulary: dict[str, int]
    idf: Any
    matrix: Any
    labels: tuple[str, ...]
    threshold: float
    loo_accuracy: float

    @classmethod
    def fit(
        cls, texts: Sequence[str], labels: Sequence[str], *, ignore: frozenset[str] = frozenset()
    ) -> Matcher:
        """Vectorise ``texts`` and pick the threshold by leave-one-out."""
        import numpy as np

        counts = [Counter(char_ngrams(t)) for t in texts]
        vocabulary: dict[str, int] = {}
        for c in counts:
            for gram in c:
                vocabulary.setdefault(gram, len(vocabulary))
        df = np.zeros(len(vocabulary))
        for c in counts:
            df[[vocabulary[g] for g in c]] += 1
        idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        matrix = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
        for row, c in enumerate(counts):
            cols = [vocabulary[g] for g in c]
            matrix[row, cols] = [1.0 + math.log(v) for v in c.values()]
        matrix *= idf.astype(np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        threshold, accuracy = _leave_one_out(matrix, np.asarray(labels), ignore)
        return cls(vocabulary, idf, matrix, tuple(labels), threshold, accuracy)

    def similarities(self, text: str) -> Any:
        """Cosine similarity of ``text`` with every phrasing."""
        import numpy as np

        cols: list[int] = []
        weights: list[float] = []
        for gram, count in Counter(char_ngrams(text)).items():
            col = self.vocabulary.get(gram)
            if col is not None:
                cols.append(col)
                weights.append((1.0 + math.log(count)) * float(self.idf[col]))
        norm = math.sqrt(sum(w * w for w in weights))
        if not norm:
            return np.zeros(len(self.labels))
        # only the prose's own n-grams: a small product instead of one over the vocabulary
        return self.matrix[:, cols] @ np.asarray(weights, dtype=np.float32) / norm

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every label with its best similarity to ``text``, best first."""
        best: dict[str, float] = {}
        for label, sim in zip(self.labels, self.similarities(text).tolist(), strict=True):
            if sim > best.get(label, -1.0):
                best[label] = float(sim)
        return sorted(best.items(), key=lambda item: -item[1])


def _leave_one_out(matrix: Any, labels: Any, ignore: frozenset[str]) -> tuple[float, float]:
    import numpy as np
    from threadpoolctl import threadpool_limits

    names, codes = np.unique(labels, return_inverse=True)
    # one BLAS thread: on a busy machine, waking BLAS threads cost more than the product
    # (0.07-0.09 s against 0.005 s on 2 cores, measured with benchmarks/bench_first_answer.py)
    with threadpool_limits(1, user_api="blas"):
        sims = matrix @ matrix.T
    np.fill_diagonal(sims, -1.0)
    keep = ~np.isin(names[codes], list(ignore))
    same = codes[:, None] == codes[None, :]
    own = np.where(same, sims, -1.0).max(axis=1)[keep]
    correct = (codes[np.argmax(sims, axis=1)] == codes)[keep]
    return _percentile(sorted(own.tolist()), 5.0), float(np.mean(correct))


def _percentile(ordered: list[float], q: float) -> float:
    """NumPy's default (linear) percentile of sorted values, without its first-call cost."""
    k = (len(ordered) - 1) * q / 100.0
    lo = math.floor(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def cache_dir() -> Path:
    """``$AIGC_MAGIC_CACHE_DIR``, else ``$XDG_CACHE_HOME/aigc-magic`` (``~/.cache/aigc-magic``)."""
    folder = os.environ.get("AIGC_MAGIC_CACHE_DIR")
    if folder:
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aigc-magic"


def cached_fit(
    key_parts: Sequence[str],
    build: Callable[[], tuple[list[str], list[str]]],
    *,
    ignore: frozenset[str] = frozenset(),
) -> Matcher:
    """The matcher for ``build()``'s ``(texts, labels)``, from the disk cache when it has it.

    ``key_parts`` must determine ``build()``'s output (the raw phrasings and the source of
    the code that normalises them): their hash names the cache file. A cache that cannot be
    read or written (a read-only home, a damaged file) costs only the time to refit.
    """
    digest = hashlib.sha256("\0".join([str(FORMAT), *key_parts]).encode()).hexdigest()[:20]
    path = cache_dir() / f"matcher-{digest}.npz"
    try:
        return _load(path)
    except (OSError, ValueError, KeyError):
        pass  # not cached yet, or unreadable: refit below
    texts, labels = build()
    matcher = Matcher.fit(texts, labels, ignore=ignore)
    with contextlib.suppress(OSError):  # a cache we cannot write costs the next process a refit
        _save(matcher, path)
    return matcher


def _save(matcher: Matcher, path: Path) -> None:
    import numpy as np

    rows, cols = np.nonzero(matcher.matrix)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
    np.savez(
        tmp,
        rows=rows.astype(np.int32),
        cols=cols.astype(np.int32),
        vals=matcher.matrix[rows, cols],
        idf=matcher.idf,
        vocabulary=np.asarray(list(matcher.vocabulary)),
        labels=np.asarray(matcher.labels),
        shape=np.asarray(matcher.matrix.shape),
        scores=np.asarray([matcher.threshold, matcher.loo_accuracy]),
    )
    os.replace(tmp, path)


def _load(path: Path) -> Matcher:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        matrix = np.zeros(tuple(data["shape"]), dtype=np.float32)
        matrix[data["rows"], data["cols"]] = data["vals"]
        vocabulary = {gram: i for i, gram in enumerate(data["vocabulary"].tolist())}
        threshold, accuracy = data["scores"].tolist()
        return Matcher(
            vocabulary,
            data["idf"],
            matrix,
            tuple(data["labels"].tolist()),
            float(threshold),
            float(accuracy),
        )
