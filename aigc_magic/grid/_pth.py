"""Start-up hook: ``backend="aigc"`` in every Python process of the environment.

The wheel installs this file as the top-level module ``_aigc_magic_joblib`` together with
``aigc_magic_joblib.pth``, whose one line Python's ``site`` runs at start-up::

    import _aigc_magic_joblib; _aigc_magic_joblib.install()

so that a loky or Dask worker, or a script that never imports aigc_magic, still finds the
backend when it calls ``Parallel(backend="aigc")``. aigc_magic itself is imported only
when the process imports joblib; ``AIGC_MAGIC_AUTOLOAD=0`` turns it off. This module must
import nothing of aigc_magic at start-up, and nothing heavy (not even ``typing``).
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
    (:func:`aigc_magic.grid.joblib_spec`) load joblib and register the backend."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "joblib":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        try:
            import aigc_magic.grid as grid  # installs its hook: joblib is not loaded yet
        except Exception as exc:  # a broken install must not break joblib
            import warnings

            warnings.warn(
                f"aigc-magic could not register its joblib backend ({exc!r}); "
                f"set {ENV_VAR}=0 to stop trying.",
                RuntimeWarning,
                stacklevel=2,
            )
            return None
        return grid.joblib_spec(path, target)


def install() -> None:
    """Wait for joblib's import, unless turned off or joblib is already loaded."""
    if os.environ.get(ENV_VAR, "1") == "0" or "joblib" in sys.modules:
        return
    if not any(type(f).__name__ == "_DeferredRegistration" for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferredRegistration())
