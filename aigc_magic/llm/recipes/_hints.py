"""Literal hints of a regular expression: compile a recipe's anchor only when it could match.

Every plan asks each decisive recipe whether its anchor matches the prose; compiling those
~50 patterns was a tenth of a fresh process's first answer
(``benchmarks/bench_first_answer.py``). :func:`hints` reads a pattern once and returns
strings of which at least one must appear in the (lower-cased) text for the pattern to
match, or None when it cannot tell; :func:`cached_hints` keeps them on disk next to the
matcher, so a fresh process compiles only the anchors whose hints it finds in the prose.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["cached_hints", "hints"]

#: A character class with more members than this gives no useful hint.
_MAX_CLASS = 12


def _hint_of_items(items: Any) -> list[str] | None:
    """Hints of a sequence: runs of literals merged, then the best single item's hints."""
    from re import _constants as c  # type: ignore[attr-defined]

    best: list[str] | None = None
    run = ""

    def consider(found: list[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, av in items:
        if op is c.LITERAL:
            run += chr(av).lower()
            continue
        consider([run] if run else None)
        run = ""
        consider(_hint_of(op, av))
    consider([run] if run else None)
    return best


def _hint_of(op: Any, av: Any) -> list[str] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return [chr(av).lower()]
    if op is c.SUBPATTERN:
        return _hint_of_items(av[-1])
    if op is c.ASSERT and av[0] > 0:  # a lookahead's content must match too
        return _hint_of_items(av[1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _hint_of_items(av[2])
    if op is c.BRANCH:
        union: list[str] = []
        for branch in av[1]:
            found = _hint_of_items(branch)
            if not found:
                return None
            union.extend(found)
        return sorted(set(union))
    if op is c.IN:
        chars = [chr(v).lower() for kind, v in av if kind is c.LITERAL]
        if len(chars) == len(av) and len(chars) <= _MAX_CLASS:
            return sorted(set(chars))
    return None


def hints(pattern: str) -> list[str] | None:
    """Strings one of which appears in ``text.lower()`` whenever ``pattern`` matches ``text``
    (case-insensitively, ASCII rules), or None when the pattern promises no such string."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern, re.IGNORECASE | re.ASCII)
    except re.error:
        return None
    return _hint_of_items(list(parsed))


def cached_hints(patterns: Iterable[str], folder: Path) -> dict[str, list[str] | None]:
    """:func:`hints` of each pattern, read from ``folder`` when a process already wrote them."""
    patterns = list(dict.fromkeys(patterns))
    digest = hashlib.sha256("\0".join(patterns).encode()).hexdigest()[:20]
    path = folder / f"hints-{digest}.json"
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(path.read_text("utf-8"))
        if isinstance(found, dict) and set(found) == set(patterns):
            return found
    computed = {p: hints(p) for p in patterns}
    with contextlib.suppress(OSError):  # a cache we cannot write costs the next process a parse
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(computed, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    return computed
