"""The grid: the ``"aigc"`` joblib backend, its worker pools, and progress events.

``register()`` makes ``joblib.parallel_config(backend="aigc")`` work without importing joblib
(about 0.2 s with numpy) at ``import aigc_magic``: if joblib is already loaded the backend is
registered at once, otherwise a one-shot import hook registers it the moment joblib is
imported. The backend module itself is imported only when a ``Parallel`` call builds it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from types import ModuleType
from typing import Any

BACKEND_NAME = "aigc"

_lock = threading.Lock()
_registered = False


def _make_backend(**kwargs: Any) -> Any:
    """The factory joblib calls; imports the backend on first use."""
    from .backend import AigcBackend

    return AigcBackend(**kwargs)


def _register_now() -> None:
    global _registered
    with _lock:
        if _registered:
            return
        from joblib.parallel import register_parallel_backend

        register_parallel_backend(BACKEND_NAME, _make_backend)
        _registered = True


class _JoblibImportHook(importlib.abc.MetaPathFinder):
    """Registers the backend right after ``joblib`` finishes importing, then removes itself."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
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
