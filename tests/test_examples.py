"""Every notebook in examples/ runs top to bottom in a real kernel without an error."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ANSWER = "application/vnd.aigc-magic.answer+json"


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.ipynb")), ids=lambda p: p.name)
def test_example_notebook_runs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
    ).execute()
    answers = [
        o["data"][ANSWER]
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if ANSWER in o.get("data", {})
    ]
    asks = [
        cell for cell in nb.cells if cell.cell_type == "code" and cell.source.startswith("%%ask")
    ]
    if asks:  # scheduler.ipynb, say, calls joblib directly and asks nothing
        assert answers, f"{path.name} shows no answer"
    assert all(a["ran"] and a["explanation"] for a in answers)
