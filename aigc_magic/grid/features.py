"""What a ``Parallel`` call and its work look like: the facts the policy chooses from.

:func:`call_context` gathers them when a call is configured (joblib's arguments, the
machine, the Dask cluster); at the first batch :func:`signature` names the workload and
:class:`Probe` times its first task and measures how much it held the GIL (see
docs/architecture.md, "The grid's runtime"). Each piece costs microseconds, except the probe,
which runs that task itself, as part of the work.
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
import threading
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from .arms import Context
from .machine import cpu_model, load_average, machine_cores, machine_fingerprint
from .nodes import NO_CLUSTER, ClusterState
from .overrides import Override

if TYPE_CHECKING:
    from joblib.parallel import BatchedCalls, Parallel

__all__ = [
    "MAX_SAMPLES",
    "PROBE_SWITCH_INTERVAL",
    "QUICK_WAKE",
    "SAMPLE_SLEEP",
    "Probe",
    "call_context",
    "cpu_model",
    "estimate_bytes",
    "load_average",
    "machine_cores",
    "machine_fingerprint",
    "signature",
]

#: While the probe runs, a thread holding the GIL must hand it over after this long
#: (Python's default is 5 ms): a sampler waking from its sleep then waits about this long
#: for the GIL when the task holds it, and only its timer slack when the task has released
#: it, so tasks of a millisecond or so give a verdict.
PROBE_SWITCH_INTERVAL = 0.0002
#: A GIL wait shorter than this counts as "the task had released the GIL".
QUICK_WAKE = 0.00015
#: How long the sampler thread sleeps between samples, and how many it takes at most
#: (then a long task runs on undisturbed).
SAMPLE_SLEEP = 0.00005
MAX_SAMPLES = 250


#: Lowers the switch interval while any probe samples.
_fast_switching = Override(
    sys.getswitchinterval, sys.setswitchinterval, lambda saved: PROBE_SWITCH_INTERVAL
)


def estimate_bytes(obj: Any, depth: int = 3) -> float:
    """Roughly how many bytes pickling ``obj`` would produce, without pickling it.

    numpy arrays count ``nbytes``; bytes and strings their length; containers the sum of
    (up to 64 sampled) items, scaled to their length; anything else ``sys.getsizeof``.
    """
    nbytes = getattr(obj, "nbytes", None)
    if isinstance(nbytes, int):
        return float(nbytes) + 100.0
    if isinstance(obj, (bytes, bytearray, memoryview, str)):
        return float(len(obj)) + 30.0
    if isinstance(obj, (int, float, bool, complex)) or obj is None:
        return 10.0
    if depth > 0 and isinstance(obj, (list, tuple, set, frozenset, dict)):
        items = list(obj.items()) if isinstance(obj, dict) else obj
        n = len(items)
        if n == 0:
            return 10.0
        sample = list(items)[:64] if not isinstance(items, (list, tuple)) else items[:64]
        total = sum(estimate_bytes(x, depth - 1) for x in sample)
        return 10.0 + total * n / len(sample)
    try:
        return float(sys.getsizeof(obj))
    except TypeError:
        return 100.0


def _func_key(func: Any) -> str:
    while isinstance(func, partial):
        func = func.func
    code = getattr(func, "__code__", None)
    name = getattr(func, "__qualname__", None) or type(func).__qualname__
    module = getattr(func, "__module__", None) or type(func).__module__
    if code is not None:  # lambdas and notebook cells: tell them apart by their code
        digest = hashlib.blake2b(code.co_code, digest_size=4).hexdigest()
        return f"{module}.{name}@{code.co_firstlineno}:{digest}"
    return f"{module}.{name}"


def signature(calls: BatchedCalls) -> tuple[str, float]:
    """``(signature, argument bytes per task)`` of a joblib ``BatchedCalls``.

    The signature names the function (module, qualified name, and a digest of its code
    for lambdas and notebook functions), the argument kinds, a power-of-four bucket of
    their size, so ``f(small list)`` and ``f(100 MB array)`` are learned apart, and the
    number of digits of integer arguments, so ``count_primes(0, 1_250)`` and
    ``count_primes(0, 1_250_000)`` are too (a size often travels as a number).
    """
    items = getattr(calls, "items", None) or []
    if not items:
        return "unknown", 0.0
    func, args, kwargs = items[0]
    nbytes = sum(estimate_bytes(a) for a in args) + sum(estimate_bytes(v) for v in kwargs.values())
    kinds = ",".join(type(a).__name__ for a in args[:4])
    values = list(args[:4])
    if kwargs:
        keys = sorted(kwargs)[:4]
        kinds += ";" + ",".join(keys)
        values += [kwargs[k] for k in keys]
    bucket = int(math.log(max(nbytes, 1.0), 4))
    digits = ",".join(str(len(str(abs(v)))) if type(v) is int else "" for v in values)
    scale = f"#{digits}" if digits.strip(",") else ""
    return f"{_func_key(func)}({kinds})~4^{bucket}{scale}", nbytes


class _Sampler:
    """A thread that, while a probe runs, sleeps :data:`SAMPLE_SLEEP` at a time and notes
    how late it woke (late: the task held the GIL). Samplers are kept for the next probe:
    starting a thread costs a tiny call more than its work. Stopping one does not wait for
    its last sleep to end (up to 0.2 ms on a busy machine, more than a tiny call's work): a
    sampler still finishing is not taken again until it has."""

    def __init__(self) -> None:
        self.waits: list[tuple[float, float]] = []
        self.pid = os.getpid()
        self._active = False
        self._on_full: Any = None
        self._go = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._thread = threading.Thread(target=self._loop, name="aigc-probe", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self.pid == os.getpid() and self._thread.is_alive()

    def _loop(self) -> None:
        clock = time.perf_counter
        while True:
            self._go.wait()
            self._go.clear()
            waits = self.waits
            while self._active:
                start = clock()
                time.sleep(SAMPLE_SLEEP)
                end = clock()
                waits.append((end, end - start - SAMPLE_SLEEP))
                if len(waits) > MAX_SAMPLES:  # enough: a long task runs on undisturbed
                    self._on_full()
                    break
            self._stopped.set()

    def start(self, on_full: Any) -> None:
        self.waits, self._on_full, self._active = [], on_full, True
        self._stopped.clear()
        self._go.set()

    @property
    def idle(self) -> bool:
        """Whether its loop has ended (it can start again)."""
        return self._stopped.is_set()

    def stop(self) -> list[tuple[float, float]]:
        """The samples taken so far; the loop ends after its current sleep."""
        self._active = False
        return list(self.waits)


_samplers: list[_Sampler] = []
_samplers_lock = threading.Lock()


def _take_sampler() -> _Sampler:
    with _samplers_lock:
        alive = [s for s in _samplers if s.alive]  # (not a thread lost in a fork)
        idle = next((s for s in alive if s.idle), None)
        if idle is None and alive:  # one still ends its last sleep: a new thread would
            alive[-1]._stopped.wait(0.001)  # cost more than waiting for it
            idle = next((s for s in alive if s.idle), None)
        if idle is not None:
            alive.remove(idle)
        _samplers[:] = alive
    return idle if idle is not None else _Sampler()


def _give_back_sampler(sampler: _Sampler) -> None:
    with _samplers_lock:
        _samplers.append(sampler)


_controller: Any = None
_controller_modules = -1


def _one_blas_thread() -> Any:
    """Limit BLAS to one thread; return the limiter. The libraries are scanned again only
    when modules were imported since the last scan (a scan costs a tiny call its work)."""
    global _controller, _controller_modules
    from threadpoolctl import ThreadpoolController

    if _controller is None or len(sys.modules) != _controller_modules:
        _controller, _controller_modules = ThreadpoolController(), len(sys.modules)
    return _controller.limit(limits=1)


class Probe:
    """Times a batch run in the calling thread and measures how much it held the GIL.

    Use as a context manager around the batch; afterwards ``seconds``, ``cpu_seconds``
    (the whole process's CPU time, so native threads count) and ``gil_free`` are set.
    ``gil_free`` is None when the batch was too short for a sample (about 1 ms). BLAS is
    limited to one thread while the batch runs (when numpy is loaded): the time is then a
    single core's, and the machine's default BLAS threads cannot oversubscribe a busy
    machine (benchmarks/bench_backend.py shows what oversubscribed BLAS costs).
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.gil_free: float | None = None
        self._limits: Any = None
        self._fast = False  # this probe holds the lowered switch interval
        self._fast_lock = threading.Lock()
        self._sampler: _Sampler | None = None

    def _slow_down(self) -> None:
        with self._fast_lock:
            if self._fast:
                self._fast = False
                _fast_switching.leave()

    def __enter__(self) -> Probe:
        if "numpy" in sys.modules:  # time one BLAS thread: the machine's default can
            self._limits = _one_blas_thread()  # oversubscribe a busy machine
        self._fast = True
        _fast_switching.enter()
        self._sampler = _take_sampler()
        self._sampler.start(self._slow_down)
        self._cpu0 = time.process_time()
        self._t0 = time.perf_counter()
        return self

    def gil_free_so_far(self) -> float | None:
        """The GIL verdict from the samples taken so far (None before there are any),
        read while the batch still runs."""
        sampler = self._sampler
        if sampler is None:
            return self.gil_free
        waits = [w for _, w in sampler.waits[1:]]
        return sum(w < QUICK_WAKE for w in waits) / len(waits) if waits else None

    def __exit__(self, *exc: object) -> None:
        end = time.perf_counter()
        self.seconds = end - self._t0
        self.cpu_seconds = time.process_time() - self._cpu0
        self._slow_down()
        if self._limits is not None:
            self._limits.restore_original_limits()
        assert self._sampler is not None
        samples = self._sampler.stop()
        _give_back_sampler(self._sampler)
        self._sampler = None
        # a wake-up that ended after the batch got the GIL because the batch was over
        # (the first starts before the batch does)
        waits = [w for t, w in samples[1:] if t < end]
        if waits:
            self.gil_free = sum(w < QUICK_WAKE for w in waits) / len(waits)
        elif self.seconds > 0.002 and self.cpu_seconds > 1.3 * self.seconds:
            # no sample, yet native threads ran: they work without the GIL. (Only then:
            # BLAS threads spinning idle after an earlier call count as CPU time too.)
            self.gil_free = 1.0


def call_context(
    n_jobs: int,
    parallel: Parallel | None,
    *,
    prefer: str | None,
    require: str | None,
    cores: int,
    nesting_level: int,
    forced: str | None,
    inner_max_num_threads: int | None,
    cluster: ClusterState = NO_CLUSTER,
    dask_only: bool = False,
) -> Context:
    """The :class:`~.arms.Context` of a call as joblib configures it (no workload yet).

    ``cores`` is what the call may use (the machine's, or a nested call's share);
    ``cluster`` the connected Dask cluster's :func:`.nodes.cluster_state`; ``dask_only``
    whether it was connected with ``only=True``.
    """
    from .lokypool import loky_warm

    n_tasks = getattr(parallel, "n_tasks", None)
    top = nesting_level == 0
    return Context(
        n_jobs=int(n_jobs),
        prefer=prefer,
        require=require,
        n_tasks=n_tasks if isinstance(n_tasks, int) else None,
        cpu_count=cores,
        dask_workers=len(cluster.workers),
        dask_cores=cluster.cores,
        nesting_level=nesting_level,
        has_timeout=getattr(parallel, "timeout", None) is not None,
        unordered=not getattr(parallel, "return_ordered", True),
        forced=forced,
        inner_max_num_threads=inner_max_num_threads,
        load=load_average() if top else 0.0,
        dask_rtt=cluster.rtt,
        dask_free=cluster.free,
        dask_bandwidth=cluster.bandwidth or 0.0,
        dask_only=dask_only,
        loky_warm=loky_warm() if top else None,
        user_batch_size=getattr(parallel, "batch_size", "auto") != "auto",
        where=cluster.where if cluster.where != "local" else machine_fingerprint(),
    )
