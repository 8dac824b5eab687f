"""A small call of a remembered workload, handed back to joblib's own loop.

The grid's way through a call (the first batch names the workload, later batches go
through the pool, each a future and a callback) costs a few hundred microseconds: more
than the whole work of a call of a few dozen sub-microsecond tasks, which
``backend="sequential"`` runs in a tenth of that (``benchmarks/bench_shapes.py``). When the
input is a list, its first task can be read before joblib dispatches anything, so a
workload seen before is named at ``configure``; where :func:`~.rules.small_call` then keeps
it in-process with room to spare, ``configure`` returns one worker and joblib runs the call
in its own sequential loop.

joblib's loop tells the backend nothing, so such a call is not timed and teaches nothing
(a workload whose tasks grow without changing its signature is noticed only by a call that
goes the grid's way), and nothing is handed back while someone listens to the grid's events
(a progress panel, the card). The decision is kept for the next call of the same workload
and context, until the policy learns something new.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import weakref
from types import FrameType, SimpleNamespace
from typing import TYPE_CHECKING, Any

from joblib.parallel import Parallel

from . import features
from .arms import Context, Decision, Rule
from .costmodel import COSTS
from .firstbatch import identify

if TYPE_CHECKING:
    from .scheduler import Policy

__all__ = ["KEPT", "ROOM", "first_task", "small_known_call"]

#: Handed back only when the call is predicted to take at most this share of the quicker
#: local parallel arm's start-up (the rule's own bound is 1): a workload that grew a little
#: still goes the grid's way.
ROOM = 0.5
#: Decisions kept per policy (the oldest goes first).
KEPT = 256

#: What the kept decision is keyed by: the context less what is read afresh every call and
#: that :func:`~.rules.small_call` does not weigh (the load, the warm workers, the
#: cluster's round trip and bandwidth).
_KEYED = tuple(
    f.name
    for f in dataclasses.fields(Context)
    if f.name not in ("load", "loky_warm", "dask_rtt", "dask_bandwidth")
)
_Key = tuple[Any, ...]
_Kept = tuple[Context, Decision] | None
_kept: weakref.WeakKeyDictionary[Policy, dict[_Key, _Kept]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_CALL = Parallel.__call__.__code__


def first_task(parallel: Parallel | None) -> tuple[Any, ...] | None:
    """The first ``(function, args, kwargs)`` of the input ``parallel`` is being called
    on, when that input is a list or tuple (read from ``Parallel.__call__``'s frame: joblib
    hands a backend no input); None otherwise (a generator: reading it would consume it)."""
    if parallel is None:
        return None
    frame: FrameType | None = sys._getframe(1)
    for _ in range(6):
        if frame is None:
            return None
        if frame.f_code is _CALL:
            names = frame.f_locals
            items = names.get("iterable") if names.get("self") is parallel else None
            if isinstance(items, (list, tuple)) and items:
                first = items[0]
                if isinstance(first, tuple) and len(first) == 3:
                    return first
            return None
        frame = frame.f_back
    return None


def small_known_call(
    policy: Policy, context: Context, parallel: Parallel | None
) -> tuple[Context, Decision] | None:
    """``(context, decision)`` for a call to hand back to joblib's loop (see the module
    docstring), or None when it goes the grid's way."""
    if context.has_timeout or context.n_tasks is None:
        return None
    first = first_task(parallel)
    if first is None:
        return None
    calls: Any = SimpleNamespace(items=[first])
    sig, arg_bytes = features.signature(calls)
    key = (
        getattr(policy, "generation", -1),
        sig,
        arg_bytes,
        *map(context.__getattribute__, _KEYED),
    )
    with _lock:
        kept = _kept.setdefault(policy, {})
        if key in kept:
            return kept[key]
    seen, known = identify(policy, context, calls)
    quick: _Kept = None
    if known is not None:
        decision = policy.choose(seen)
        room = ROOM * min(COSTS["threads"][0], COSTS["loky"][0])
        if decision.rule is Rule.SMALL and (decision.predicted or room) < room:
            quick = (seen, decision)
    with _lock:
        if len(kept) >= KEPT:
            kept.pop(next(iter(kept)))
        kept[key] = quick
    return quick
