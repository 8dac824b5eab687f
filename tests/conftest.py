"""Shared fixtures: a real IPython shell with the extension loaded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell


class TestingShell(InteractiveShell):
    """A real InteractiveShell whose ``run_cell`` raises the cell's error (jupysql's idea)."""

    def run_cell(self, raw_cell: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        result = super().run_cell(raw_cell, *args, **kwargs)
        result.raise_error()
        return result


@pytest.fixture
def ip() -> Iterator[TestingShell]:
    """A fresh shell with ``%load_ext aigc_magic`` done."""
    shell = TestingShell.instance()
    shell.run_cell("%load_ext aigc_magic")
    yield shell
    shell.run_cell("%reset -f")
    TestingShell.clear_instance()
