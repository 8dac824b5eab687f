"""Every offline recipe's code passes the safety policy, so the offline planner never asks
for consent."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aigc_magic import safety
from aigc_magic.llm.offline import OfflinePlanner, recipes_catalog


def _examples() -> list[tuple[str, Any]]:
    """Every recipe's demo plan, planned where the table recipes' example files are."""
    here = os.getcwd()
    os.chdir(Path(__file__).parent / "data" / "tables")
    try:
        return list(OfflinePlanner().examples())
    finally:
        os.chdir(here)


EXAMPLES = _examples()


def test_every_recipe_has_an_example() -> None:
    assert {recipe for recipe, _ in EXAMPLES} == {r.id for r in recipes_catalog()}


@pytest.mark.parametrize("recipe, plan", EXAMPLES, ids=[r for r, _ in EXAMPLES])
def test_recipe_code_passes_the_policy(recipe: str, plan) -> None:
    findings = safety.check(plan.code)
    assert findings == [], safety.format_findings(findings)
