"""joblib's own ``test_parallel.py`` judges ``backend="aigc"``.

The file is read from the installed joblib at collection time (no vendored copy) and run as
the module ``joblib.test.test_parallel`` with one change: ``"aigc"`` joins the literal
``PARALLEL_BACKENDS = PROCESS_BACKENDS + ["threading"]``. Its other backend lists are built
from joblib's ``BACKENDS``, which already holds "aigc" because aigc_magic is imported first,
so ``ALL_VALID_BACKENDS`` also holds an ``AigcBackend`` instance. Functions keep their home
module, so a loky worker unpickles them from the genuine file, where nobody imported
aigc_magic: what a user's own nested call meets.

``conftest.py`` keeps the cases that run on aigc (an "aigc" or ``AigcBackend`` parameter)
and skips the few listed in ``SKIPS`` there, each a difference the README states.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import joblib.parallel

import aigc_magic  # noqa: F401  (puts "aigc" in joblib's BACKENDS before the file is read)

MODULE = "joblib.test.test_parallel"
LITERAL = 'PARALLEL_BACKENDS = PROCESS_BACKENDS + ["threading"]'


def _load_upstream() -> object:
    spec = importlib.util.find_spec(MODULE)
    assert spec is not None and spec.origin is not None, "joblib ships without its tests"
    source = Path(spec.origin).read_text(encoding="utf-8")
    assert source.count(LITERAL) == 1, (
        f"joblib {joblib.__version__} changed {MODULE}: update LITERAL to add 'aigc'"
    )
    source = source.replace(LITERAL, LITERAL[:-1] + ', "aigc"]')
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = module
    exec(compile(source, spec.origin, "exec"), module.__dict__)
    return module


assert "aigc" in joblib.parallel.BACKENDS
_upstream = _load_upstream()
assert "aigc" in _upstream.PARALLEL_BACKENDS  # type: ignore[attr-defined]
globals().update(
    {
        name: value
        for name, value in vars(_upstream).items()
        if name.startswith("test_") or name == "pytestmark"
    }
)
