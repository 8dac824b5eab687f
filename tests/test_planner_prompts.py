"""Newcomer-style prompts written while widening the offline planner (issue 18), with answers.

``tests/data/planner_prompts.jsonl`` holds about 340 requests over the issue's areas (exact
mathematics, primes, the notebook's names, simulations, machine learning, tables, plots and
out-of-scope requests), in English and Chinese, in many phrasings per intent. Unlike the
held-out sets they were written by the engineer who changed the recipes, so they pin
behaviour rather than measure it: none may be answered wrongly or accepted out of scope,
and the number answered right may not fall. Expectations use the held-out sets' checker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_heldout_newcomers import tally_set

#: Measured when the file was written: every prompt but these few is answered right.
RIGHT_AT_LEAST = 335


@pytest.mark.slow
def test_the_planners_own_prompts(tmp_path: Path) -> None:
    tally = tally_set("planner_prompts.jsonl", tmp_path)
    counts = {k: len(v) for k, v in tally.items()}
    print(f"planner prompts: {counts}")
    for line in tally["refused"]:
        print(f"  refused: {line}")
    assert tally["wrong"] == [], tally["wrong"]
    assert tally["accepted"] == [], tally["accepted"]
    assert counts["right"] >= RIGHT_AT_LEAST, counts
