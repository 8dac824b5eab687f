"""Common misspellings read as the words meant: "Caluclate", "hwo many", "can u".

A word of the prose that is not in the planner's vocabulary (every word of the catalog's
phrasings and of the guard's filler) is replaced by the one vocabulary word a single edit
away, and the plan's notes say so. Only edits that keep a word recognisable count: two
neighbouring letters swapped in a word of three letters or more ("hwo", "Caluclate"), and
one letter changed, added or dropped in a word of five letters or more ("probabilty"). A
word with two equally common neighbours, a word of the namespace or of a table's column
names ("stock" is never "stack"), a file name, a formula's name (``sinh(x)``) and anything
shorter are left as written: the recipes then refuse what they cannot read, which is always
better than a guessed word.
"""

from __future__ import annotations

import re
import string
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SHORTHAND", "Corrected", "correct", "vocabulary"]

#: Short spellings no edit distance finds: chat shorthand for a word the filler knows.
SHORTHAND = {"u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks"}

_WORD = re.compile(r"(?<![A-Za-z0-9_.'\-])([A-Za-z]+)(?![A-Za-z0-9_(]|\.[A-Za-z]|')")

_lock = threading.Lock()
_vocabulary: Counter[str] | None = None


@dataclass(frozen=True)
class Corrected:
    """The prose with misspellings replaced, and each replacement (``written -> read``)."""

    prose: str
    changes: dict[str, str]


def _edits(word: str) -> Iterable[tuple[int, str]]:
    """Every spelling one allowed edit from ``word`` (see the module docstring), each with
    its kind's rank: a swapped pair first, then a dropped letter put back, a letter changed,
    and a stray letter taken out ("recal" is "recall" before it is "real")."""
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            yield 0, word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if len(word) < 5:
        return
    letters = string.ascii_lowercase
    for i in range(len(word) + 1):
        for c in letters:
            yield 1, word[:i] + c + word[i:]
            if i < len(word) and c != word[i]:
                yield 2, word[:i] + c + word[i + 1 :]
        if i < len(word):
            yield 3, word[:i] + word[i + 1 :]


def vocabulary(words: Callable[[], Iterable[str]]) -> Counter[str]:
    """The known words and how often the catalog uses them, built once per process.

    Words of the planner's own source (the recipes' word lists: "standard", "deck",
    "recall") count once: never corrected, and a correction only when no catalog word is as
    near.
    """
    global _vocabulary
    with _lock:
        if _vocabulary is None:
            counts: Counter[str] = Counter()
            for text in words():
                counts.update(w.lower() for w in re.findall(r"[A-Za-z]+", text))
            folder = Path(__file__).parent
            sources = [*folder.glob("*.py"), *folder.glob("recipes/*.py")]
            for path in (p for p in sources if p.name != "typos.py"):  # its examples are typos
                for w in re.findall(r"[A-Za-z]{3,}", path.read_text("utf-8")):
                    counts.setdefault(w.lower(), 1)
            _vocabulary = counts
    return _vocabulary


def correct(
    prose: str,
    namespace: Mapping[str, Any],
    words: Callable[[], Iterable[str]],
    columns: Callable[[], Iterable[str]] = frozenset,
) -> Corrected:
    """``prose`` with each misspelt word replaced by the word meant.

    Parameters
    ----------
    prose : str
        The request as typed.
    namespace : mapping
        The user's names: never corrected ("hwo = 3" makes ``hwo`` a name).
    words : callable
        Returns the texts whose words are known (the catalog's phrasings and the filler);
        called only when the prose has a word worth checking.
    columns : callable
        Returns the lower-case words of the tables' column names here ("stock"): never
        corrected; called only when a word is about to be.
    """
    changes: dict[str, str] = {}
    kept: list[set[str]] = []

    def replace(match: re.Match[str]) -> str:
        written = match.group(1)
        lower = written.lower()
        if written in namespace:
            return written
        if lower in SHORTHAND:
            changes[written] = SHORTHAND[lower]
            return SHORTHAND[lower]
        if len(lower) < 3:
            return written
        known = vocabulary(words)
        if lower in known:  # a word the catalog or the planner's word lists know
            return written
        near: dict[str, tuple[int, int]] = {}
        for rank, edit in _edits(lower):
            if known.get(edit, 0) > 0 and edit not in near:
                near[edit] = (rank, -known[edit])  # the nearest kind, then the most common
        best = sorted(near.items(), key=lambda item: item[1])[:2]
        if not best or (len(best) == 2 and best[0][1] == best[1][1]):
            return written
        if not kept:
            kept.append(set(columns()))
        if lower in kept[0]:
            return written
        changes[written] = best[0][0]
        return best[0][0]

    fixed = _WORD.sub(replace, prose)
    return Corrected(fixed, changes)
