"""Start-up hook: ``backend="aigc"`` in every Python process of the environment.

The wheel installs this file as the top-level module ``_aigc_magic_joblib`` together with
``aigc_magic_joblib.pth``, whose one line Python's ``site`` runs at start-up::

    import _aigc_magic_joblib; _aigc_magic_joblib.install()

so that a loky or Dask worker, or a script that never imports aigc_magic, still finds the
backend when it calls ``Parallel(backend="aigc")`` (joblib looks names up in its own
``BACKENDS`` dict and has no plug-in entry points). It costs every interpreter start one
small import; aigc_magic itself is imported only when the process imports joblib, which
then takes ~10 ms longer (of joblib's ~250 ms). ``AIGC_MAGIC_AUTOLOAD=0`` turns it off.

This module must import nothing of aigc_magic at start-up, and nothing heavy (not even
``typing``: 15 ms).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing's own flag would import typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

ENV_VAR = "AIGC_MAGIC_AUTOLOAD"


class _DeferredRegistration:
    """A meta path finder that waits for ``import joblib``, then lets aigc_magic's own hook
    (:class:`aigc_magic.grid._JoblibImportHook`) load joblib and register the backend."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "joblib":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        try:
            import aigc_magic.grid as grid  # installs its hook: joblib is not loaded yet
        except Exception as exc:  # a broken install must not break joblib
            import warnings

            warnings.warn(f"aigc-magic could not register its joblib backend ({exc!r}); "
                          f"set {ENV_VAR}=0 to stop trying.", RuntimeWarning, stacklevel=2)
            return None
        hook = next((f for f in sys.meta_path if isinstance(f, grid._JoblibImportHook)),
                    None) or grid._JoblibImportHook()
        return hook.find_spec(fullname, path, target)


def install() -> None:
    """Wait for joblib's import, unless turned off or joblib is already loaded."""
    if os.environ.get(ENV_VAR, "1") == "0" or "joblib" in sys.modules:
        return
    if not any(type(f).__name__ == "_DeferredRegistration" for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferredRegistration())
