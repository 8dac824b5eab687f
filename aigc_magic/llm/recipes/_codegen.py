"""Code generation shared by every recipe: the joblib backend constant and small renderers.

The emitted code is meant to be read: it imports what it uses, defines its helpers under
``_aigc_``-prefixed names (it runs in the user's namespace), and leaves its answer in
``result``. Parallel work goes through ``joblib.Parallel(n_jobs=-1, backend=JOBLIB_BACKEND)``
over contiguous chunks (about four per core) so per-task overhead is amortised.
"""

from __future__ import annotations

import math
from string import Template
from typing import Any

#: The joblib backend every emitted ``Parallel`` call and ``parallel_config`` block names:
#: the grid, whose scheduler picks threads, loky processes or Dask workers per call.
JOBLIB_BACKEND = "aigc"
_REGISTER = 'import aigc_magic  # registers the "aigc" joblib backend'


def parallel() -> str:
    """The ``Parallel(...)`` constructor the emitted code uses."""
    return f"Parallel(n_jobs=-1, backend={JOBLIB_BACKEND!r})"


def literal(value: Any) -> str:
    """A Python literal for ``value`` that reads well in code (``10_000_000``, ``0.1``)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 100_000 else str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "math.inf" if value > 0 else "-math.inf"
        if value == math.pi:
            return "math.pi"
        return repr(value)
    return repr(value)


def render(template: str, **values: Any) -> str:
    """Fill a code template whose placeholders are ``$name`` (``$`` never occurs in Python).

    ``$PARALLEL`` and ``$BACKEND`` are always available; other values are inserted as given
    (callers pass already-rendered literals or expressions). Code that names the grid
    backend gets the ``import aigc_magic`` that registers it, above its joblib import.
    """
    filled = Template(template).substitute(
        PARALLEL=parallel(), BACKEND=repr(JOBLIB_BACKEND), **values
    )
    lines = filled.strip().splitlines()
    if f"backend={JOBLIB_BACKEND!r}" in filled:  # the code must run alone in a fresh kernel
        first_joblib = next(
            i for i, line in enumerate(lines) if line.startswith(("from joblib", "import joblib"))
        )
        lines.insert(first_joblib, _REGISTER)
    return "\n".join(lines) + "\n"


def fmt(value: Any) -> str:
    """A number for an answer sentence: integers plainly, floats to six significant digits."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        if value.bit_length() > 13_000:  # str() refuses ints over 4300 digits (Python 3.11+)
            digits = int(value.bit_length() * math.log10(2)) + 1
            return f"an integer of about {digits} digits (see result)"
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)
