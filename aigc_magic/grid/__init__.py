"""The grid: the ``"aigc"`` joblib backend, its worker pools, and progress events.

``register()`` makes ``joblib.parallel_config(backend="aigc")`` work without importing joblib
(about 0.2 s with numpy) at ``import aigc_magic``: if joblib is already loaded the backend is
registered at once, otherwise a one-shot import hook registers it the moment joblib is
imported. The backend module (~50 ms of imports) loads only when a ``Parallel`` call builds
the first backend; the factory then puts the class itself in joblib's ``BACKENDS``, as
joblib's own backends are registered.

Processes that never import aigc_magic (loky and Dask workers running a nested
``Parallel(backend="aigc")``, plain scripts) get the backend too: the installed package puts
``aigc_magic_joblib.pth`` in site-packages, which at start-up loads the tiny
:mod:`._pth` finder; it imports aigc_magic only when joblib itself is imported.

The names users reach for are re-exported lazily: ``connect``, ``disconnect``, ``local``,
``current_client`` and ``list_workers`` (from :mod:`.remote`), ``last_run`` (the
:class:`~.events.RunFinished` of the latest call), ``subscribe`` (progress events) and
``workers_command`` (what ``%ask workers`` runs).
"""

from __future__ import annotations

import importlib.machinery
import sys
import threading
from types import ModuleType
from typing import Any

BACKEND_NAME = "aigc"

_lock = threading.Lock()
_registered = False


def _make_backend(**kwargs: Any) -> Any:
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

    A meta path finder needs only ``find_spec``; not subclassing ``importlib.abc`` saves
    ~15 ms of imports at ``import aigc_magic``.
    """

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
