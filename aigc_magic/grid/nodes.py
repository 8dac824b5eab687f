"""The connected cluster as calls see it: workers, their cores and load, round trip, transfer rate.

A call must not pay a round trip to the scheduler to learn where to run (on a cluster 20 ms
away that alone costs a tiny call ten times its work), so the state is cached per client and
measured off the hot path: a call reads the last :class:`ClusterState`, and when that is
older than :data:`REFRESH_AFTER` a daemon thread asks the scheduler again. Only the first
look at a client waits for the answer (``connect`` takes it, so calls rarely do).

What is measured comes from the scheduler's own answers: ``scheduler_info`` (workers and
their threads), ``processing`` (the tasks it has assigned to each worker now: the
occupancy), the quicker of the two timings as the round trip, and once per client the time
to send :data:`BANDWIDTH_PROBE_BYTES` to the scheduler (``run_on_scheduler(len, payload)``)
less that round trip as the transfer rate. This process's own batches (:func:`running`,
:func:`ended`) are not counted as load. ``distributed`` is not imported here: the client
object is duck-typed.
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BANDWIDTH_PROBE_BYTES",
    "NO_CLUSTER",
    "REFRESH_AFTER",
    "ClusterState",
    "WorkerLoad",
    "cluster_state",
    "ended",
    "forget",
    "running",
]

#: Seconds a measured state is served before a call asks for a fresh one (in background).
REFRESH_AFTER = 1.0
#: Bytes sent once per client to measure the transfer rate to the scheduler.
BANDWIDTH_PROBE_BYTES = 1 << 20


@dataclass(frozen=True)
class WorkerLoad:
    """One worker as the scheduler saw it."""

    address: str
    threads: int
    processing: int  #: tasks the scheduler has assigned to it (running or queued there)

    @property
    def busy(self) -> int:
        """Threads occupied."""
        return min(self.processing, self.threads)


@dataclass(frozen=True)
class ClusterState:
    """The connected cluster at one moment (``taken``, :func:`time.monotonic`)."""

    workers: tuple[WorkerLoad, ...]
    rtt: float  #: seconds of one round trip to the scheduler
    bandwidth: float | None  #: bytes per second to the scheduler, None until measured
    where: str  #: the cluster's fingerprint (keys what is learned); "local" when none
    taken: float = 0.0

    @property
    def addresses(self) -> tuple[str, ...]:
        return tuple(w.address for w in self.workers)

    @property
    def cores(self) -> int:
        """Dask threads in all."""
        return sum(w.threads for w in self.workers)

    @property
    def busy(self) -> int:
        """Threads occupied by work already on the cluster (other people's, or ours)."""
        return sum(w.busy for w in self.workers)

    @property
    def free(self) -> int:
        """Threads free for this call."""
        return self.cores - self.busy


#: No cluster connected (or one that does not answer).
NO_CLUSTER = ClusterState((), 0.0, None, "local")


def _fingerprint(client: Any, threads: list[int]) -> str:
    address = str(getattr(getattr(client, "scheduler", None), "address", "") or "cluster")
    shape = ",".join(str(c) for c in sorted(threads))
    return "c-" + hashlib.blake2b(f"{address}|{shape}".encode(), digest_size=6).hexdigest()


class _Watch:
    """The cached state of one client and its background refresh."""

    def __init__(self) -> None:
        self.state: ClusterState | None = None
        self.bandwidth: float | None = None
        self._lock = threading.Lock()
        self._refreshing = False

    def view(self, client: Any, max_age: float) -> ClusterState:
        state = self.state
        if state is None:
            return self.refresh(client)
        if time.monotonic() - state.taken > max_age:
            with self._lock:
                start, self._refreshing = not self._refreshing, True
            if start:
                threading.Thread(target=self._refresh_quietly, args=(client,), daemon=True).start()
        return state

    def _refresh_quietly(self, client: Any) -> None:
        try:
            self.refresh(client)
        finally:
            with self._lock:
                self._refreshing = False

    def refresh(self, client: Any) -> ClusterState:
        try:
            start = time.perf_counter()
            info = client.scheduler_info(n_workers=-1).get("workers", {})
            middle = time.perf_counter()
            processing = client.processing()
            end = time.perf_counter()
        except Exception:  # a dead client counts as none; connect() explains failures
            self.state = None
            return NO_CLUSTER
        rtt = min(middle - start, end - middle)
        with _ours_lock:
            ours = set(_ours)
        workers = tuple(
            WorkerLoad(
                addr,
                int(w.get("nthreads", 0)),
                sum(str(k) not in ours for k in processing.get(addr, ())),
            )
            for addr, w in sorted(info.items())
        )
        if self.bandwidth is None and workers:
            self.bandwidth = _measure_bandwidth(client, rtt)
        state = ClusterState(
            workers,
            rtt,
            self.bandwidth,
            _fingerprint(client, [w.threads for w in workers]),
            time.monotonic(),
        )
        self.state = state
        return state


def _measure_bandwidth(client: Any, rtt: float) -> float | None:
    payload = bytes(BANDWIDTH_PROBE_BYTES)
    try:
        start = time.perf_counter()
        client.run_on_scheduler(len, payload)
        took = time.perf_counter() - start
    except Exception:  # a scheduler that refuses to run functions: the model's default
        return None
    return BANDWIDTH_PROBE_BYTES / max(took - rtt, 1e-4)


#: Keys of the batches this process has running on a cluster: a state measured while one
#: of our calls runs must not count them as other people's work.
_ours: set[str] = set()
_ours_lock = threading.Lock()


def running(key: str) -> None:
    """Note that this process's batch ``key`` is on the cluster."""
    with _ours_lock:
        _ours.add(key)


def ended(key: str) -> None:
    """Note that this process's batch ``key`` has left the cluster."""
    with _ours_lock:
        _ours.discard(key)


_watches: weakref.WeakKeyDictionary[Any, _Watch] = weakref.WeakKeyDictionary()
_watches_lock = threading.Lock()


def cluster_state(
    client: Any, *, max_age: float = REFRESH_AFTER, fresh: bool = False
) -> ClusterState:
    """The state of the cluster ``client`` is connected to (:data:`NO_CLUSTER` if it does
    not answer): the cached one, refreshed in the background once older than ``max_age``
    seconds, or measured now when ``fresh`` or never measured before."""
    with _watches_lock:
        watch = _watches.get(client)
        if watch is None:
            watch = _watches[client] = _Watch()
    if fresh:
        return watch.refresh(client)
    return watch.view(client, max_age)


def forget(client: Any) -> None:
    """Drop what was measured of ``client`` (it was closed or disconnected)."""
    with _watches_lock:
        _watches.pop(client, None)
