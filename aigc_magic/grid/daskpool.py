"""The Dask arm's pools: batches sent to a Dask cluster through a ``distributed.Client``,
and :class:`MixedPool`, which runs them on this machine's processes too.

Large arguments are scattered once per call; a worker that leaves the cluster while it
runs some of our batches is reported to the backend (scheduler events), which tells the
user. ``distributed`` itself is imported only inside the functions that need it.
"""

from __future__ import annotations

import io
import pickle
import re
import threading
import uuid
import weakref
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import TYPE_CHECKING, Any

from . import nodes
from .costmodel import SCATTER_BYTES
from .workers import OnDone, Outcome, funcname

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls

__all__ = ["DaskPool", "MixedPool", "RawOutcome", "Task", "pack"]

Task = tuple[Callable[..., Any], list[Any], dict[str, Any]]
#: What the Dask runner returns: an :class:`~.workers.Outcome` as a plain tuple, since the
#: workers need not have aigc-magic installed.
RawOutcome = tuple[str, list[Any] | None, tuple[BaseException, str] | None, float]


def _make_dask_runner() -> Callable[[bytes, list[Any], int], RawOutcome]:
    """Build the function Dask workers run; as a closure cloudpickle ships it by value,
    so workers need dask (and, for nested calls, joblib) but not aigc-magic.

    The batch arrives pickled (``payload``, see :func:`pack`), so that Dask does not walk
    every task looking for keys to substitute (it did: 20,000 one-multiply tasks took 2-5
    s on the Dask arm, in 4 batches or 40); the scattered arguments come beside it in
    ``refs``, which Dask replaces by their data, and take their places as it is unpickled.
    """

    def aigc_batch(payload: bytes, refs: list[Any], inner_threads: int) -> RawOutcome:
        import contextlib
        import io
        import os
        import pickle
        import time
        import traceback

        class Unpickler(pickle.Unpickler):
            def persistent_load(self, pid: Any) -> Any:
                return refs[pid]

        start = time.perf_counter()
        try:
            from distributed import get_worker

            worker = get_worker().address
        except Exception:
            worker = f"dask-{os.getpid()}"
        with contextlib.suppress(Exception):
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=inner_threads)  # dedicated process: no restore
        nested: Any = contextlib.nullcontext()
        with contextlib.suppress(Exception):
            from joblib import parallel_config

            nested = parallel_config(backend="sequential")  # nested calls stay in this thread
        try:
            tasks = Unpickler(io.BytesIO(payload)).load()
            with nested:
                results = [f(*a, **k) for f, a, k in tasks]
            return worker, results, None, time.perf_counter() - start
        except BaseException as exc:
            tb = traceback.format_exc()
            try:
                pickle.dumps(exc)
            except Exception:
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            return worker, None, (exc, tb), time.perf_counter() - start

    return aigc_batch


_dask_runner = _make_dask_runner()


def pack(tasks: list[Task]) -> tuple[bytes, list[Any]]:
    """``tasks`` pickled with cloudpickle, and the Dask futures in them (scattered
    arguments) set aside as persistent ids: ``(payload, refs)`` for the runner."""
    import cloudpickle
    from distributed import Future as DaskFuture

    refs: list[Any] = []

    class Pickler(cloudpickle.Pickler):
        def persistent_id(self, obj: Any) -> int | None:
            if isinstance(obj, DaskFuture):
                refs.append(obj)
                return len(refs) - 1
            return None

    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(tasks)
    return buffer.getvalue(), refs


_watch_lock = threading.Lock()
_watched_clients: weakref.WeakSet[Any] = weakref.WeakSet()
_dask_pools: weakref.WeakSet[DaskPool] = weakref.WeakSet()


def _on_cluster_event(event: Any) -> None:
    """Scheduler event handler (runs on the client's event loop: must not block)."""
    try:
        _, msg = event
    except (TypeError, ValueError):
        return
    if not isinstance(msg, dict) or msg.get("action") != "remove-worker":
        return
    if msg.get("expected"):
        return
    keys = {str(k) for k in msg.get("processing-tasks") or ()}
    worker = str(msg.get("worker", "?"))
    for pool in list(_dask_pools):
        pool.worker_removed(worker, keys)


def _watch(client: Any) -> None:
    with _watch_lock:
        if client in _watched_clients:
            return
        client.subscribe_topic("all", _on_cluster_event)
        _watched_clients.add(client)


class DaskPool:
    """Sends batches to a Dask cluster through a ``distributed.Client``."""

    kind = "dask"
    may_lose_workers = True

    def __init__(
        self,
        client: Any,
        n_workers: int,
        inner_threads: int,
        *,
        scatter_nbytes: float = SCATTER_BYTES,
        on_worker_lost: Callable[[str, set[str]], None] | None = None,
    ) -> None:
        self.client = client
        self.n_workers = n_workers
        self.inner_threads = inner_threads
        self.scatter_nbytes = scatter_nbytes
        self.n_scattered = 0
        self._on_worker_lost = on_worker_lost
        self._lock = threading.Lock()
        self._scattered: dict[int, tuple[weakref.ref[Any], Any]] = {}
        self._pending: dict[str, Any] = {}
        _watch(client)
        _dask_pools.add(self)

    def _ship(self, arg: Any) -> Any:
        """Replace a large argument by the future of its one scattered copy."""
        from dask.sizeof import sizeof

        try:
            ref = weakref.ref(arg)
        except TypeError:
            return arg
        with self._lock:
            cached = self._scattered.get(id(arg))
            if cached is not None and cached[0]() is arg and cached[1].status == "finished":
                return cached[1]
            if sizeof(arg) <= self.scatter_nbytes:
                return arg
            future = self.client.scatter(arg, hash=False)
            self._scattered[id(arg)] = (ref, future)
            self.n_scattered += 1
            return future

    def submit(self, calls: BatchedCalls, on_done: OnDone) -> Any:
        tasks = [
            (f, [self._ship(a) for a in args], {k: self._ship(v) for k, v in kw.items()})
            for f, args, kw in calls.items
        ]
        name = re.sub(r"[^A-Za-z0-9_]", "_", funcname(calls))
        key = f"aigc-{name}-{len(tasks)}-{uuid.uuid4().hex}"
        payload, refs = pack(tasks)
        nodes.running(key)  # (before the scheduler has it: a refresh must not count it)
        future = self.client.submit(
            _dask_runner, payload, refs, self.inner_threads, key=key, pure=False
        )
        with self._lock:
            self._pending[key] = future

        def done(fut: Any) -> None:
            with self._lock:
                self._pending.pop(key, None)
            nodes.ended(key)
            on_done(fut)

        future.add_done_callback(done)
        return future

    @staticmethod
    def outcome(fut: Any) -> tuple[str, Outcome | BaseException]:
        from distributed import KilledWorker

        if fut.status == "finished":
            try:
                return "ok", Outcome(*fut.result())
            except CancelledError as gone:  # (cancelled since: an aborted call's batch)
                return "lost", gone
        if fut.status == "cancelled":
            return "lost", CancelledError("the Dask scheduler cancelled the batch")
        exc = fut.exception()
        if isinstance(exc, (KilledWorker, OSError)) or type(exc).__name__ == "CommClosedError":
            return "lost", exc
        return "error", exc

    def describe_loss(self, exc: BaseException) -> str:
        from distributed import KilledWorker

        if isinstance(exc, KilledWorker):
            return (
                f"Dask workers kept dying while running it ({exc.last_worker.address})"
                if getattr(exc, "last_worker", None) is not None
                else "Dask workers died"
            )
        return f"the Dask cluster lost it ({type(exc).__name__})"

    def worker_removed(self, worker: str, keys: set[str]) -> None:
        with self._lock:
            ours = {k for k in keys if k in self._pending}
        if ours and self._on_worker_lost is not None:
            self._on_worker_lost(worker, ours)

    def rebuild(self) -> None:
        with self._lock:  # scattered data may have died with its worker
            self._scattered = {
                k: v for k, v in self._scattered.items() if v[1].status == "finished"
            }

    def abort(self, ensure_ready: bool) -> None:
        with self._lock:
            pending = list(self._pending.values())
            self._pending.clear()
        if pending:
            self.client.cancel(pending)

    def close(self) -> None:
        _dask_pools.discard(self)
        with self._lock:
            self._scattered.clear()


class MixedPool:
    """A Dask arm that keeps this machine's loky processes busy too: each batch goes to a
    local process while fewer than ``local.n_workers`` batches run there, else to the
    cluster. Losses and retries follow the pool that ran the batch."""

    kind = "dask"
    may_lose_workers = True

    def __init__(self, local: Any, remote: DaskPool) -> None:
        self.local, self.remote = local, remote
        self._lock = threading.Lock()
        self._here = 0  # batches running on the local processes

    def submit(self, calls: BatchedCalls, on_done: OnDone) -> Any:
        with self._lock:
            here = self._here < self.local.n_workers
            if here:
                self._here += 1
        if not here:
            return self.remote.submit(calls, on_done)

        def done(fut: Any) -> None:
            with self._lock:
                self._here -= 1
            on_done(fut)

        return self.local.submit(calls, done)

    def outcome(self, handle: Any) -> tuple[str, Outcome | BaseException]:
        if isinstance(handle, Future):  # (a local process's; the cluster's are Dask's own)
            result: tuple[str, Outcome | BaseException] = self.local.outcome(handle)
            return result
        return self.remote.outcome(handle)

    def describe_loss(self, exc: BaseException) -> str:
        from joblib.externals.loky.process_executor import TerminatedWorkerError

        if isinstance(exc, TerminatedWorkerError):
            message: str = self.local.describe_loss(exc)
            return message
        return self.remote.describe_loss(exc)

    def rebuild(self) -> None:
        self.local.rebuild()
        self.remote.rebuild()

    def abort(self, ensure_ready: bool) -> None:
        self.remote.abort(ensure_ready)
        self.local.abort(ensure_ready)

    def close(self) -> None:
        self.remote.close()
        self.local.close()
