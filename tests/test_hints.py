"""The literal hints that let a plan skip compiling anchors never skip one that matches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aigc_magic.llm._numbers import prepare
from aigc_magic.llm.offline_guards import NEGATIVE_EXAMPLES
from aigc_magic.llm.recipes import catalog
from aigc_magic.llm.recipes._base import FLAGS
from aigc_magic.llm.recipes._hints import cached_hints, hints

DATA = Path(__file__).parent / "data"


def _texts() -> list[str]:
    texts = [e for r in catalog() for e in r.examples] + list(NEGATIVE_EXAMPLES)
    for name in ("planner_prompts.jsonl", "paraphrases.jsonl", "out_of_scope.jsonl"):
        for line in (DATA / name).read_text("utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line).get("prose", ""))
    return [prepare(t) for t in texts if t]


def test_a_hint_never_hides_a_match() -> None:
    texts = _texts()
    for recipe in catalog():
        found = hints(recipe.anchors)
        assert found, recipe.id  # every anchor of the catalog gives hints
        for text in texts:
            if re.search(recipe.anchors, text, FLAGS):
                assert any(h in text.lower() for h in found), (recipe.id, text)


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"prime|质数", ["prime", "质数"]),
        (r"(?=.*\bcoins?\b)(?=.*heads)", ["heads"]),  # the longer of two required words
        (r"\d+\s*!", ["!"]),
        (r"x?y", ["y"]),  # an optional part is no hint, the required one is
        (r"\d+|\w+", None),  # no literal is required
    ],
)
def test_hints_of_simple_patterns(pattern: str, expected: list[str] | None) -> None:
    assert hints(pattern) == expected


def test_hints_are_cached_on_disk(tmp_path: Path) -> None:
    first = cached_hints(["prime|质数", "gcd"], tmp_path)
    assert list(tmp_path.glob("hints-*.json"))
    assert cached_hints(["prime|质数", "gcd"], tmp_path) == first
