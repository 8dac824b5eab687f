"""aigc-magic: type a compute task in prose, get it run in parallel and explained.

Load it in IPython or Jupyter with ``%load_ext aigc_magic``, then::

    %%ask
    计算10000以内的所有质数

or call :func:`ask` from Python. Importing this package is cheap: the planners, scikit-learn,
dask and ipywidgets load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import AigcError, GridError, PlanningError, TaskError, UnsafeCodeError
from .grid import register as _register_grid

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from .result import AskResult

__all__ = [
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

_register_grid()


def ask(
    prose: str, *, namespace: dict[str, Any] | None = None, run: bool = True, **options: Any
) -> AskResult:
    """Plan, check, run and explain a compute task written in prose.

    See :func:`aigc_magic.engine.ask` for the parameters; this wrapper keeps the import lazy.
    """
    from .engine import ask as _ask

    return _ask(prose, namespace=namespace, run=run, **options)


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register the ``%ask`` / ``%%ask`` magics (``%load_ext aigc_magic``)."""
    from .magics import AskMagics
    from .ui import install

    ipython.register_magics(AskMagics)
    install(ipython)  # live progress of every Parallel(backend="aigc") call


def __getattr__(name: str) -> type[AskResult]:
    if name == "AskResult":
        from .result import AskResult

        return AskResult
    raise AttributeError(f"module 'aigc_magic' has no attribute {name!r}")
