"""The NumPy matcher computes what scikit-learn's TfidfVectorizer would, and caches it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aigc_magic.llm import matcher
from aigc_magic.llm.matcher import Matcher, cached_fit, char_ngrams

TEXTS = [
    "list the primes below #",
    "how many primes below #",
    "计算#以内的所有质数",
    "sum of i**2 for i from # to #",
    "求#到#的平方和",
    "hello there",
    "a",
]
LABELS = ["p", "p", "p", "s", "s", "_r", "_r"]


def test_vectors_match_scikit_learn() -> None:
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    vectorizer = sklearn_text.TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True
    )
    reference = vectorizer.fit_transform(TEXTS)
    ours = Matcher.fit(TEXTS, LABELS, ignore=frozenset({"_r"}))
    query = "primes below # please"
    want = (reference @ vectorizer.transform([query]).T).toarray().ravel()
    np.testing.assert_allclose(ours.similarities(query), want, rtol=1e-5, atol=1e-6)
    assert set(ours.vocabulary) == set(vectorizer.vocabulary_)


def test_char_ngrams_of_a_short_word() -> None:
    assert char_ngrams("ab") == [" ", "a", "b", " ", " a", "ab", "b ", " ab", "ab "]


def test_threshold_is_the_5th_percentile_of_leave_one_out_scores() -> None:
    fitted = Matcher.fit(TEXTS, LABELS, ignore=frozenset({"_r"}))
    sims = fitted.matrix @ fitted.matrix.T
    np.fill_diagonal(sims, -1.0)
    labels = np.asarray(LABELS)
    own = [sims[i, labels == lab].max() for i, lab in enumerate(LABELS) if lab != "_r"]
    assert fitted.threshold == pytest.approx(float(np.percentile(own, 5)), rel=1e-6)
    assert fitted.rank("primes below #")[0][0] == "p"


def test_cached_fit_loads_what_it_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGC_MAGIC_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def build() -> tuple[list[str], list[str]]:
        calls.append(1)
        return TEXTS, LABELS

    first = cached_fit(["v1"], build, ignore=frozenset({"_r"}))
    second = cached_fit(["v1"], build, ignore=frozenset({"_r"}))
    assert calls == [1]  # the second came from the file
    assert second.labels == first.labels and second.threshold == first.threshold
    np.testing.assert_array_equal(second.matrix, first.matrix)
    cached_fit(["v2"], build)  # another key: refitted
    assert calls == [1, 1]
    assert len(list(tmp_path.glob("matcher-*.npz"))) == 2


def test_a_damaged_cache_is_refitted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGC_MAGIC_CACHE_DIR", str(tmp_path))
    cached_fit(["k"], lambda: (TEXTS, LABELS))
    (path,) = tmp_path.glob("matcher-*.npz")
    path.write_bytes(b"not a zip file")
    again = cached_fit(["k"], lambda: (TEXTS, LABELS))
    assert again.rank("计算#以内的质数")[0][0] == "p"


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIGC_MAGIC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert matcher.cache_dir() == Path("/somewhere/aigc-magic")
