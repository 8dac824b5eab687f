"""The grid: the ``"aigc"`` joblib backend, its worker pools, and progress events.

:func:`register` makes ``joblib.parallel_config(backend="aigc")`` work without importing
joblib at ``import aigc_magic``; the backend module itself loads when a ``Parallel`` call
builds the first backend. Processes that never import aigc_magic get the backend through
the start-up hook in :mod:`._pth` (docs/architecture.md, "The grid's runtime" tells how).

The names users reach for are re-exported lazily: ``connect``, ``disconnect``, ``local``,
``current_client`` and ``list_workers`` (from :mod:`.remote`), ``last_run`` (the
:class:`~.events.RunFinished` of the latest call), ``subscribe`` (progress events) and
``workers_command`` (what ``%ask workers`` runs).
"""

from __future__ import annotations

import importlib.machinery
import sys
import threading
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .backend import AigcBackend

__all__ = ["BACKEND_NAME", "joblib_spec", "register"]

BACKEND_NAME = "aigc"

_lock = threading.Lock()
_registered = False


def _make_backend(**kwargs: Any) -> AigcBackend:
    """The factory joblib calls first: it imports the backend, then registers the class
    itself in its place (unless someone registered another "aigc" meanwhile), so that
    ``type(backend) is BACKENDS["aigc"]`` holds as for joblib's own backends."""
    from joblib.parallel import BACKENDS

    from .backend import AigcBackend

    with _lock:
        if BACKENDS.get(BACKEND_NAME) is _make_backend:
            BACKENDS[BACKEND_NAME] = AigcBackend
    return AigcBackend(**kwargs)


def _register_now() -> None:
    global _registered
    with _lock:
        if _registered:
            return
        from joblib.parallel import register_parallel_backend

        register_parallel_backend(BACKEND_NAME, _make_backend)
        _registered = True


class _JoblibImportHook:
    """Registers the backend right after ``joblib`` finishes importing, then removes itself.

    A meta path finder needs only ``find_spec``; not subclassing ``importlib.abc`` keeps
    that module out of ``import aigc_magic``.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "joblib":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        exec_module = loader.exec_module
        hook = self

        def exec_then_register(module: ModuleType) -> None:
            exec_module(module)
            if hook in sys.meta_path:
                sys.meta_path.remove(hook)
            _register_now()

        loader.exec_module = exec_then_register  # type: ignore[method-assign]
        return spec


def register() -> None:
    """Make ``backend="aigc"`` available to joblib now or as soon as joblib is imported."""
    if "joblib.parallel" in sys.modules:
        _register_now()
    elif not any(isinstance(f, _JoblibImportHook) for f in sys.meta_path):
        sys.meta_path.insert(0, _JoblibImportHook())


def joblib_spec(path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
    """The spec that imports joblib and then registers the backend (what :mod:`._pth`
    hands to Python when it sees ``import joblib``), from the hook :func:`register`
    installed, or a new one."""
    hook = (
        next((f for f in sys.meta_path if isinstance(f, _JoblibImportHook)), None)
        or _JoblibImportHook()
    )
    return hook.find_spec("joblib", path, target)


_LAZY = {
    "connect": "remote",
    "disconnect": "remote",
    "local": "remote",
    "list_workers": "remote",  # not "workers": that name is the pools' submodule
    "current_client": "remote",
    "last_run": "backend",
    "AigcBackend": "backend",
    "workers_command": "_magic",
    "subscribe": "events",
}


def __getattr__(name: str) -> Any:
    """Lazy re-exports: ``aigc_magic.grid.connect`` etc. import their module on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    target = "workers" if name == "list_workers" else name
    return getattr(import_module(f"{__name__}.{module}"), target)
