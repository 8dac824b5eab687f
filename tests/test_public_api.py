"""The public surface is small and pinned."""

from __future__ import annotations

import aigc_magic


def test_exported_names_are_pinned() -> None:
    assert sorted(aigc_magic.__all__) == sorted(
        [
            "AigcError",
            "AskResult",
            "GridError",
            "PlanningError",
            "TaskError",
            "UnsafeCodeError",
            "__version__",
            "ask",
            "load_ipython_extension",
        ]
    )
    for name in aigc_magic.__all__:
        assert getattr(aigc_magic, name) is not None


def test_error_tree() -> None:
    for name in ("PlanningError", "TaskError", "UnsafeCodeError", "GridError"):
        assert issubclass(getattr(aigc_magic, name), aigc_magic.AigcError)
    assert issubclass(aigc_magic.PlanningError, ValueError)
