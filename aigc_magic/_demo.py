"""``aigc-magic demo``: execute a notebook headless in a real kernel, print each answer."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .ui.render import ANSWER_MIMETYPE

EXAMPLES_HINT = "pip install 'aigc-magic[examples]'"


def run_demo(notebook: str, *, timeout: int = 600) -> int:
    """Execute ``notebook`` with nbclient and print every ask's prompt and answer.

    Returns 0 when every cell ran, 1 when a cell failed (its error is printed), 2 when the
    notebook cannot be found or Jupyter's kernel tools are not installed.
    """
    try:
        import ipykernel  # noqa: F401  (the kernel nbclient starts)
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
    except ImportError as exc:
        print(
            f"aigc-magic demo runs a notebook in a Jupyter kernel, and {exc.name} is not "
            f"installed. Install what the examples need, then run it again:\n"
            f"    {EXAMPLES_HINT}",
            file=sys.stderr,
        )
        return 2
    path = Path(notebook)
    if not path.is_file():
        print(
            f"aigc-magic demo: no notebook at {path}; run it from the repository root or "
            "pass a path: aigc-magic demo path/to/notebook.ipynb",
            file=sys.stderr,
        )
        return 2
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    print(f"Running {path} in a fresh kernel…", flush=True)
    started = time.perf_counter()
    failed = None
    try:
        client.execute()
    except CellExecutionError as exc:
        failed = exc
    answers = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            answer = output.get("data", {}).get(ANSWER_MIMETYPE)
            if answer is None:
                continue
            answers += 1
            print(f"\n[{answers}] {answer['prose']}")
            print(f"    → {answer['explanation']}")
            print(f"      {answer['value_type']}: {answer['value_repr']}")
    elapsed = time.perf_counter() - started
    if failed is not None:
        print(f"\nA cell failed after {elapsed:.1f} s:\n{failed}", file=sys.stderr)
        return 1
    print(f"\n{answers} answers from {path.name} in {elapsed:.1f} s.")
    return 0
